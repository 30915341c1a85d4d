#!/usr/bin/python3
"""Reruns the command recorded in a committed trace's provenance for its first epoch only and
checks that epoch 0 of the new trace equals the committed one exactly (accuracies, losses, test
accuracies, tags, class counts). Only --epochs (to 1) and --out are changed: the learning-rate
milestones of the recorded run are all after epoch 0, and nothing else depends on the epoch count.

Usage: rerun_first_epoch.py TRACE.json   (ctest: python_trainer_recorded_first_epoch; ~1-2 min)"""
import json
import os
import shlex
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: rerun_first_epoch.py TRACE.json")
    with open(sys.argv[1]) as f:
        recorded = json.load(f)
    argv = shlex.split(recorded["provenance"]["command"])
    milestones = recorded["provenance"]["optimizer"]["lr_milestones"]
    if milestones and min(milestones) < 1:
        sys.exit(f"FAILED: milestones {milestones} change the learning rate of epoch 0; cannot shorten the run")
    with tempfile.TemporaryDirectory(prefix="qtsim_rerun_") as tmp:
        out = os.path.join(tmp, "rerun.json")
        cmd = ["/usr/bin/python3", os.path.join(REPO, argv[0])] + argv[1:] + ["--epochs", "1", "--out", out]
        print("+ " + shlex.join(cmd), flush=True)
        subprocess.run(cmd, cwd=REPO, check=True)
        with open(out) as f:
            rerun = json.load(f)
    if rerun["epochs"][0] != recorded["epochs"][0]:
        for key in recorded["epochs"][0]:
            if rerun["epochs"][0].get(key) != recorded["epochs"][0][key]:
                print(f"{key}: recorded {recorded['epochs'][0][key]}\n{' ' * len(key)}  rerun    "
                      f"{rerun['epochs'][0].get(key)}")
        sys.exit("FAILED: epoch 0 differs from the recorded trace")
    print(f"ok: epoch 0 of {sys.argv[1]} reproduced exactly")


if __name__ == "__main__":
    main()
