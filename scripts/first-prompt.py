#!/usr/bin/env python3
"""Time from starting `factdrill study` to its first prompt (`answer> ` on stdout), over N runs.

usage: scripts/first-prompt.py N BINARY [STUDY-ARGS...]   (FACTDRILL_DB etc. from the environment)
Prints min / median / max in ms. After the prompt, stdin is closed and the process reaped.
"""
import os, subprocess, sys, time

n = int(sys.argv[1])
cmd = [sys.argv[2], "study"] + sys.argv[3:]
times = []
for _ in range(n):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    buf = b""
    while b"answer> " not in buf and b"rate> " not in buf:
        chunk = os.read(p.stdout.fileno(), 65536)
        if not chunk:
            break
        buf += chunk
    t = (time.perf_counter() - t0) * 1000
    p.stdin.close(); p.stdout.read(); p.wait()
    if b"answer> " not in buf:
        sys.exit("no prompt: " + buf.decode(errors="replace")[-300:])
    times.append(t)
times.sort()
print(f"first prompt: min {times[0]:.1f} ms, median {times[len(times)//2]:.1f} ms, max {times[-1]:.1f} ms ({n} runs)")
