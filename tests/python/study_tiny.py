#!/usr/bin/python3
"""End to end: a tiny study (4 arms x 1 seed, --protocol tiny), then `qtsim_study.py analyze` with the
given qtsim: every run's trace replays with its recorded policy and tier = trainer tier in every row,
the analysis files exist and hold one entry per arm, and the uniform 4/4/8 arm has qtsim's exact
2.0x bits and 4.0x BitOPs compression (every operand at half the bits of 8/8/16).

Usage: study_tiny.py QTSIM_BINARY   (ctest: python_study_tiny_end_to_end)"""
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
STUDY = "results/.test_study_e2e"


def check(condition, message):
    if not condition:
        sys.exit("FAILED: " + message)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: study_tiny.py QTSIM_BINARY")
    folder = os.path.join(REPO, STUDY)
    shutil.rmtree(folder, ignore_errors=True)
    try:
        script = os.path.join(REPO, "scripts", "qtsim_study.py")
        for args in (["run", "--study", folder, "--protocol", "tiny", "--seeds", "1", "--nice", "0", "--poll-s", "0.2"],
                     ["analyze", "--study", folder, "--qtsim", sys.argv[1]]):
            done = subprocess.run(["/usr/bin/python3", script] + args, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
            print(done.stdout)
            check(done.returncode == 0, f"qtsim_study.py {args[0]} exited {done.returncode}")
        with open(os.path.join(folder, "analysis.json")) as f:
            result = json.load(f)
        check(sorted(result["arms"]) == sorted(["uniform_8_8_16", "class_difficulty", "random_assignment",
                                                "uniform_4_4_8"]), f"arms {sorted(result['arms'])}")
        control = result["arms"]["class_difficulty"]["against_random_assignment"]
        check(control["seeds"] == [1] and len(control["mcnemar"]) == 1, f"control comparison {control}")
        for run in result["runs"]:
            check(run["qtsim_rows_checked"] == 2 * 10, f"{run['arm']}: {run['qtsim_rows_checked']} rows checked")
        low = result["arms"]["uniform_4_4_8"]
        check((low["bits_ratio"]["mean"], low["bitops_ratio"]["mean"]) == (2.0, 4.0),
              f"uniform 4/4/8: {low['bits_ratio']['mean']}, {low['bitops_ratio']['mean']}")
        check(result["arms"]["uniform_8_8_16"]["energy_saving_fraction"]["mean"] == 0.0, "baseline saves energy")
        check((low["low_precision_fraction"]["mean"], result["arms"]["uniform_8_8_16"]["low_precision_fraction"]["mean"])
              == (1.0, 0.0), "uniform 4/4/8 must have every sample at 4/4/8, uniform 8/8/16 none")
        for name in ("analysis.md", "accuracy_vs_energy.png"):
            check(os.path.getsize(os.path.join(folder, name)) > 0, f"{name} is empty")
        print("ok: tiny study run, replayed (tier = trainer tier in every row) and analysed")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
