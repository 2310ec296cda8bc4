#!/usr/bin/env bash
# Whole-process benchmarks of factdrill's everyday commands on synthetic collections
# (docs/BENCHMARKS.md, "Commands at scale"): wall time with hyperfine (warm-up, repeated
# runs) and peak resident memory with /usr/bin/time -v.
#
#   scripts/bench-commands.sh [SIZE...]     SIZE: 1k, 10k, 100k (default: all three)
#   scripts/bench-commands.sh --smoke       CI: 1k only, debug build, each command once,
#                                           no timing (checks that the benchmarks still run)
#
# Environment: BENCH_DIR (where collections live), FACTDRILL_BIN (the binary to time;
# default target/release/factdrill, built by this script).
#
# Collections are made once by `examples/synth.rs` (seed 7) under $BENCH_DIR (default
# /tmp/factdrill-bench) and reused; delete the directory to regenerate. Sizes:
#   1k = 1,000 cards, 20k reviews, 1 deck; 10k = 10,000 cards, 200k reviews, 1 deck;
#   100k = 100,000 cards, 2M reviews asked (1.99M simulated), 10 decks of 10k cards.
#
# `study` is timed with stdin at end of input: it loads its decks, builds the session,
# prints the first prompt, reads end of input, prints the summary and exits. That is the
# time to the first prompt plus the summary's two count queries: an upper bound on start-up.
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=0
sizes=()
for arg in "$@"; do
    case "$arg" in
        --smoke) smoke=1 ;;
        1k | 10k | 100k) sizes+=("$arg") ;;
        *) echo "usage: $0 [--smoke] [1k] [10k] [100k]" >&2; exit 2 ;;
    esac
done

export FACTDRILL_NOW=2026-11-25T09:00:00Z NO_COLOR=1
if [ "$smoke" = 1 ]; then
    sizes=(1k)
    bench_dir=$(mktemp -d)
    trap 'rm -rf "$bench_dir"' EXIT
    cargo build --quiet --bin factdrill --example synth
    bin=target/debug
else
    [ ${#sizes[@]} -gt 0 ] || sizes=(1k 10k 100k)
    bench_dir=${BENCH_DIR:-/tmp/factdrill-bench}
    if ! command -v hyperfine >/dev/null; then
        apt-get install -y hyperfine >/dev/null
    fi
    cargo build --quiet --release --bin factdrill --example synth
    bin=target/release
fi
# FACTDRILL_BIN times another build (e.g. the one before a change) on the same collections.
factdrill=${FACTDRILL_BIN:-$PWD/$bin/factdrill}

shape() {
    case "$1" in
        1k) echo "1000 20000 1" ;;
        10k) echo "10000 200000 1" ;;
        100k) echo "100000 2000000 10" ;;
    esac
}

for size in "${sizes[@]}"; do
    dir=$bench_dir/synth-$size
    if [ ! -f "$dir/factdrill.db" ]; then
        # shellcheck disable=SC2046
        "$bin/examples/synth" "$dir" $(shape "$size") 7
    fi
    export FACTDRILL_DB=$dir/factdrill.db
    # The deck `check` reads: 10k cards in the 10k and 100k collections.
    deck=$dir/synth-00.yaml
    names=(study due stats check)
    commands=(
        "$factdrill study < /dev/null"
        "$factdrill due"
        "$factdrill stats --json"
        "$factdrill check $deck"
    )
    echo "== $size: $(sqlite3 "$FACTDRILL_DB" 'SELECT count(*) FROM card' 2>/dev/null || echo '?') cards, $(sqlite3 "$FACTDRILL_DB" 'SELECT count(*) FROM review' 2>/dev/null || echo '?') reviews"
    if [ "$smoke" = 1 ]; then
        for i in "${!commands[@]}"; do
            echo "-- ${names[$i]}"
            bash -c "${commands[$i]}" > /dev/null
        done
        continue
    fi
    hyperfine --shell=bash --warmup 2 --min-runs 10 --style basic \
        --export-markdown "$bench_dir/$size.md" \
        -n "study ($size)" "${commands[0]}" \
        -n "due ($size)" "${commands[1]}" \
        -n "stats --json ($size)" "${commands[2]}" \
        -n "check synth-00.yaml ($size)" "${commands[3]}"
    cat "$bench_dir/$size.md"
    for i in "${!commands[@]}"; do
        rss=$(bash -c "/usr/bin/time -v bash -c 'exec ${commands[$i]}' 2>&1 >/dev/null" |
            awk -F': ' '/Maximum resident set size/ {print $2}')
        echo "peak RSS ${names[$i]} ($size): $((rss / 1024)) MB ($rss KB)"
    done
done
