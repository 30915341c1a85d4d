#!/usr/bin/python3
"""Benchmark of `qtsim sweep`: wall time and points per second of a whole sweep, at --jobs 1 and 2,
the scaling between them, and the peak memory of the process. Prints its figures; not a test.

  tests/bench/bench_sweep.py [--qtsim build/release/qtsim] [--sweep results/design_space/sweep.json]
                             [--runs 3] [--jobs 1,2]

Each run writes a fresh output folder in a temporary directory (no memo folder: every iteration
cost is computed within the run). Medians over --runs; the machine is shared and noisy.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def one_run(qtsim, sweep, jobs, folder):
    out = os.path.join(folder, f"out_{jobs}_{time.monotonic_ns()}")
    start = time.monotonic()
    proc = subprocess.Popen([qtsim, "sweep", sweep, "--out", out, "--jobs", str(jobs)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    stdout, stderr = proc.stdout.read(), proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench_sweep: qtsim sweep failed: {stderr.strip()}")
    points = sum(1 for _ in open(os.path.join(out, "points.csv"), encoding="utf-8")) - 1
    return wall, points, usage.ru_maxrss / 1024.0, usage.ru_utime + usage.ru_stime, stdout.splitlines()[0]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--qtsim", default=os.path.join(REPO, "build", "release", "qtsim"))
    p.add_argument("--sweep", default=os.path.join(REPO, "results", "design_space", "sweep.json"))
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--jobs", default="1,2")
    args = p.parse_args(argv)
    jobs_list = [int(j) for j in args.jobs.split(",")]
    medians = {}
    with tempfile.TemporaryDirectory(prefix="qtsim_bench_sweep_") as folder:
        for jobs in jobs_list:
            runs = [one_run(args.qtsim, args.sweep, jobs, folder) for _ in range(args.runs)]
            walls = [r[0] for r in runs]
            median = statistics.median(walls)
            medians[jobs] = median
            points = runs[0][1]
            print(f"--jobs {jobs}: {points} points, wall {median:.1f} s median of {len(runs)} "
                  f"({', '.join(f'{w:.1f}' for w in walls)}), {points / median:.2f} points/s, "
                  f"CPU {statistics.median(r[3] for r in runs):.1f} s, peak memory "
                  f"{max(r[2] for r in runs):.0f} MiB", flush=True)
        print(runs[0][4])
    if 1 in medians:
        for jobs in jobs_list:
            if jobs != 1:
                print(f"scaling --jobs 1 -> {jobs}: {medians[1] / medians[jobs]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
