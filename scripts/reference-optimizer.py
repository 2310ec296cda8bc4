#!/usr/bin/env python3
"""factdrill's optimizer side by side with the reference one (fsrs-rs, through the
`fsrs-rs-python` package from PyPI), on one review log and one time split.

    python3 scripts/reference-optimizer.py [--revlog ../shared/data/revlog.csv]
        [--tz Europe/London] [--binary target/release/factdrill]

What it does, in one run:
1. Creates a virtual environment under target/reference-optimizer/ (gitignored) and installs
   `fsrs-rs-python` into it the first time; then re-runs itself inside it.
2. Reads the review log (card_id,review_time,rating; read at run time, never copied) and
   builds FSRS items exactly as docs/optimizer.md says factdrill does: days by the learner's
   4 am rollover in --tz, an item per review on a later day than the card's previous one,
   train = items reviewed before first + 80 % of the log's time span, test = the rest, each
   test item with its card's full history.
3. Fits the reference on the train items (compute_parameters with card ids, sorted by review
   time as Anki passes them) and times that call.
4. Runs `factdrill evaluate --revlog FILE --parameters REF --json` (with TZ=--tz): factdrill
   fits its own parameters on the same train split (timed inside), and measures default
   FSRS-6, its fit, the reference fit and SM-2 on the same test items with one metrics
   implementation (log loss, RMSE(bins), AUC).
5. Cross-checks: the item counts must agree, and the log loss of both fits is recomputed here
   from the reference library's own memory states.
6. Prints a Markdown table for docs/BENCHMARKS.md.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "target" / "reference-optimizer" / "venv"
PACKAGE = "fsrs-rs-python"
RUNS = 7


def ensure_venv():
    """Re-runs this script inside the virtual environment, creating it if needed."""
    python = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", PACKAGE], check=True)
    os.execv(str(python), [str(python), *sys.argv])


def read_log(path):
    cards = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip()
        assert header == "card_id,review_time,rating", header
        for line in f:
            if line.strip():
                card, at, rating = (int(x) for x in line.split(","))
                cards[card].append((at, rating))
    for reviews in cards.values():
        reviews.sort()
    return cards


def day_number(ms, tz):
    """Days since 1970-01-01 of the study day (4 am to 4 am local time) holding `ms`."""
    local = datetime.fromtimestamp(ms / 1000, timezone.utc).astimezone(tz) - timedelta(hours=4)
    return local.date().toordinal()


def build_items(cards, tz):
    """(card, current review time, [(rating, delta_t)...]) for every review on a later day."""
    items = []
    for card, reviews in cards.items():
        days = [day_number(at, tz) for at, _ in reviews]
        seq = []
        for i, (at, rating) in enumerate(reviews):
            delta = 0 if i == 0 else days[i] - days[i - 1]
            seq.append((rating, delta))
            if i > 0 and delta > 0:
                items.append((card, at, list(seq)))
    return items


def power_curve(t, s, w20):
    decay = -w20
    factor = 0.9 ** (1 / decay) - 1
    return (1 + factor * t / s) ** decay


def log_loss(fsrs_lib, params, items):
    model = fsrs_lib.FSRS(params)
    total = 0.0
    for _, _, seq in items:
        history = [fsrs_lib.FSRSReview(r, d) for r, d in seq[:-1]]
        state = model.memory_state(fsrs_lib.FSRSItem(history))
        p = power_curve(seq[-1][1], state.stability, params[20])
        p = min(max(p, 1e-7), 1 - 1e-7)
        y = 1.0 if seq[-1][0] > 1 else 0.0
        total -= y * math.log(p) + (1 - y) * math.log(1 - p)
    return total / len(items)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revlog", default=str(ROOT.parent / "shared" / "data" / "revlog.csv"))
    parser.add_argument("--tz", default="Europe/London")
    parser.add_argument("--binary", default=str(ROOT / "target" / "release" / "factdrill"))
    args = parser.parse_args()
    ensure_venv()
    import fsrs_rs_python as fsrs_lib
    from importlib.metadata import version

    tz = ZoneInfo(args.tz)
    cards = read_log(args.revlog)
    times = [at for reviews in cards.values() for at, _ in reviews]
    first, last = min(times), max(times)
    items = build_items(cards, tz)
    # Train: 5 (t - first) < 4 (last - first), i.e. t before first + 80 % of the span.
    train = [it for it in items if 5 * (it[1] - first) < 4 * (last - first)]
    test = [it for it in items if 5 * (it[1] - first) >= 4 * (last - first)]
    train.sort(key=lambda it: it[1])
    print(f"{len(times)} reviews, {len(cards)} cards; items: {len(train)} train, {len(test)} test",
          file=sys.stderr)

    fsrs_items = [fsrs_lib.FSRSItem([fsrs_lib.FSRSReview(r, d) for r, d in seq])
                  for _, _, seq in train]
    card_ids = [card for card, _, _ in train]
    default = fsrs_lib.DEFAULT_PARAMETERS if hasattr(fsrs_lib, "DEFAULT_PARAMETERS") else None
    model = fsrs_lib.FSRS(default or [0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194,
                                      0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629,
                                      1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542])
    # Each fit RUNS times, alternating, on a machine shared with other work: the minimum is
    # the figure least disturbed by it; the median is printed too.
    reference_times, our_times = [], []
    env = dict(os.environ, TZ=args.tz)
    env.pop("FACTDRILL_NOW", None)
    ours = None
    for _ in range(RUNS):
        start = time.perf_counter()
        reference = model.compute_parameters(fsrs_items, card_ids=card_ids)
        reference_times.append(time.perf_counter() - start)
        command = [args.binary, "--db", str(ROOT / "target" / "reference-optimizer" / "unused.db"),
                   "evaluate", "--revlog", args.revlog, "--json",
                   "--parameters", ",".join(repr(float(w)) for w in reference)]
        out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
        ours = json.loads(out)
        our_times.append(ours["fit_seconds"])
    print(f"reference fit: {min(reference_times):.4f} s (min of {RUNS}); factdrill fit: "
          f"{min(our_times):.4f} s", file=sys.stderr)
    split = ours["split"]
    assert (split["train_items"], split["test_items"]) == (len(train), len(test)), split

    fitted = ours["fitted_parameters"]
    check = {
        "reference": log_loss(fsrs_lib, reference, test),
        "factdrill": log_loss(fsrs_lib, fitted, test),
    }
    rows = {m["name"]: m for m in ours["models"]}

    print(f"fsrs-rs-python {version('fsrs-rs-python')}; {len(train)} train items, "
          f"{len(test)} test items (cut at {split['cutoff']})")
    print()
    print("| model | log loss | RMSE(bins) | AUC | fit time, min (median) of " + str(RUNS) + " |")
    print("|---|---|---|---|---|")
    timing = lambda xs: f"{min(xs) * 1000:.1f} ms ({statistics.median(xs) * 1000:.1f} ms)"
    fit_time = {"fitted FSRS-6": timing(our_times), "given parameters": timing(reference_times)}
    for name, label in [("default FSRS-6", "FSRS-6 defaults"),
                        ("fitted FSRS-6", "FSRS-6 fitted by factdrill"),
                        ("given parameters", "FSRS-6 fitted by fsrs-rs (reference)"),
                        ("SM-2", "SM-2")]:
        m = rows[name]
        print(f"| {label} | {m['log_loss']:.5f} | {m['rmse_bins']:.5f} | {m['auc']:.4f} | "
              f"{fit_time.get(name, '-')} |")
    print()
    print(f"Cross-check, test log loss from fsrs-rs-python's own memory states: reference fit "
          f"{check['reference']:.5f}, factdrill fit {check['factdrill']:.5f}.")
    print()
    print("reference parameters: " + ", ".join(f"{w:.4f}" for w in reference))
    print("factdrill parameters: " + ", ".join(f"{w:.4f}" for w in fitted))


if __name__ == "__main__":
    main()
