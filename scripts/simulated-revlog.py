#!/usr/bin/env python3
"""Writes a seeded review log (CSV card_id,review_time,rating, docs/formats.md) from a
simulated learner whose memory follows a power forgetting curve, for the optimizer's CLI
tests (tests/fixtures/revlog-*.csv). Each card is learnt on its first day (Again is followed
by a same-day Good), then reviewed about when its stability says, give or take 30 %; it is
recalled with the curve's probability; success multiplies stability by 2.5 (Hard 1.5, Easy
4), a lapse by 0.3; nothing after 200 days. Usage: simulated-revlog.py CARDS SEED START_MS > revlog.csv"""
import random
import sys

cards, seed, start = (int(a) for a in sys.argv[1:4])
rng = random.Random(seed)
DAY, MINUTE = 86_400_000, 60_000
print("card_id,review_time,rating")
for card in range(1, cards + 1):
    day = rng.randrange(120)
    at = start + day * DAY + rng.randrange(8, 20) * 3_600_000
    first = rng.choices([1, 2, 3, 4], weights=[25, 5, 65, 5])[0]
    print(f"{card},{at},{first}")
    stability = {1: 0.4, 2: 1.2, 3: 3.0, 4: 9.0}[first]
    if first == 1:
        print(f"{card},{at + 10 * MINUTE},3")
    for _ in range(rng.randrange(3, 10)):
        wait = max(1, round(stability * rng.uniform(0.7, 1.3)))
        at += wait * DAY + rng.randrange(-2, 3) * 3_600_000
        if at >= start + 200 * DAY:
            break
        recall = (1 + 19 / 81 * wait / stability) ** -0.5
        if rng.random() < recall:
            rating = rng.choices([2, 3, 4], weights=[10, 85, 5])[0]
            stability *= {2: 1.5, 3: 2.5, 4: 4.0}[rating]
        else:
            rating = 1
            stability = max(0.2, stability * 0.3)
        print(f"{card},{at},{rating}")
