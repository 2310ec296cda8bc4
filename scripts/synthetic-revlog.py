#!/usr/bin/env python3
"""Writes a seedable synthetic review log in the CSV format of docs/formats.md, for the
statistics benchmark (docs/BENCHMARKS.md): CARDS cards, about REVIEWS reviews in all,
spread over two years before END. Each card gets learning steps on its first day, then
reviews at growing intervals; a review fails with a probability that falls with the
interval's growth. Usage: synthetic-revlog.py CARDS REVIEWS SEED END_MS > revlog.csv"""
import random
import sys

cards, reviews, seed, end = (int(a) for a in sys.argv[1:5])
rng = random.Random(seed)
day = 86_400_000
per_card = max(1, reviews // cards)
out = sys.stdout
out.write("card_id,review_time,rating\n")
for card in range(1, cards + 1):
    n = max(1, int(rng.gauss(per_card, per_card / 4)))
    at = end - rng.randrange(30, 730) * day - rng.randrange(day)
    interval = 1.0
    rows = []
    for i in range(n):
        if i < 2:
            rating = 3
            at += 600_000 * (i + 1)
        else:
            rating = 1 if rng.random() < 0.12 else (2 if rng.random() < 0.05 else 3)
            interval = 1.0 if rating == 1 else interval * rng.uniform(1.6, 2.6)
            at += int(min(interval, 60) * day * rng.uniform(0.9, 1.1)) + rng.randrange(3_600_000)
        if at >= end:
            break
        rows.append(f"{card},{at},{rating}\n")
    out.write("".join(rows))
