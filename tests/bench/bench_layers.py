#!/usr/bin/python3
"""Benchmark of `qtsim layers --mode fast`: the wall time of the whole process on the GEMMs of one
ResNet-20 (CIFAR-10) training step at batch 1 (forward, backward-data and weight-gradient GEMMs of
every layer: 59 GEMMs, from scripts/network_to_topology.py) on a 16x16 output-stationary array.
Prints the median and every run; not a test.

  tests/bench/bench_layers.py [--qtsim build/release/qtsim] [--runs 21]

For scale: SCALE-Sim v2 takes tens of seconds for the same GEMMs (README "Coming from SCALE-Sim").
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HARDWARE = ["--set", "hardware.mac_array.rows=16", "--set", "hardware.mac_array.cols=16",
            "--set", "hardware.mac_array.dataflow=os"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--qtsim", default=os.path.join(REPO, "build", "release", "qtsim"))
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        topology = os.path.join(tmp, "resnet20_train_b1.csv")
        subprocess.run([sys.executable, os.path.join(REPO, "scripts", "network_to_topology.py"),
                        os.path.join(REPO, "workloads", "networks", "resnet20_cifar10.json"), "-o", topology],
                       check=True)
        with open(topology, encoding="utf-8") as f:
            gemms = f.read().count("\n") - 1
        walls, cpus = [], []
        for i in range(args.runs):
            command = [args.qtsim, "layers", topology, "--topology-format", "gemm", *HARDWARE,
                       "--out", os.path.join(tmp, f"out{i}")]
            start = time.perf_counter()
            proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            _, status, usage = os.wait4(proc.pid, 0)
            walls.append(time.perf_counter() - start)
            cpus.append(usage.ru_utime + usage.ru_stime)
            stdout = proc.stdout.read()
            proc.stdout.close()
            if status != 0:
                print(f"bench_layers: `{' '.join(command)}` failed (status {status})", file=sys.stderr)
                return 1
    print(f"qtsim layers --mode fast, {gemms} GEMMs of a ResNet-20 training step at batch 1, 16x16 os")
    print(f"  whole process: median {statistics.median(walls) * 1e3:.1f} ms over {args.runs} runs "
          f"(min {min(walls) * 1e3:.1f}, max {max(walls) * 1e3:.1f}); CPU time (user + system): median "
          f"{statistics.median(cpus) * 1e3:.1f} ms")
    print(f"  {stdout.strip().splitlines()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
