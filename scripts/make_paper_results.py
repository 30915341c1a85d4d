#!/usr/bin/python3
"""Regenerates results/paper/: the class-difficulty experiment on three hardware designs.

  scripts/make_paper_results.py [--qtsim build/release/qtsim] [--out results/paper] [--runs-dir DIR]

Runs `qtsim run` (from the repository root) for every trace x design below, each with the default
class_difficulty policy against the uniform 8/8/16 baseline, then writes table.csv, table.md,
figures/*.png and *.pdf, README.md and the marker .qtsim_output.json into OUT, replacing it as a
whole and atomically (qtsim_plots/atomic.py), and only if it is absent, empty or written by a qtsim
tool; OUT is checked before anything runs. The run folders go to a temporary folder that is
removed, unless --runs-dir keeps them (DIR/<run name>, each written by `qtsim run --out`). Needs
Debian's python3-matplotlib; takes well under a minute.
"""
import argparse
import os
import subprocess
import sys
import tempfile

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(SCRIPTS)
sys.path.insert(0, SCRIPTS)
from qtsim_plots import style  # noqa: E402  (selects the Agg backend first)
from qtsim_plots.atomic import OutputFolder, OutputTargetError  # noqa: E402
from qtsim_plots.paper import DESIGNS, STUDY_ANALYSIS, TRACES, build_paper  # noqa: E402
from qtsim_plots.run_folder import OutputFolderError  # noqa: E402
from qtsim_plots.sensitivity import bitserial_table, variations  # noqa: E402
from qtsim_plots.study_accuracy import load_study  # noqa: E402

COMMAND = "scripts/make_paper_results.py"


class RunFailed(Exception):
    pass


def run_qtsim(qtsim, args, out_dir):
    command = [qtsim, "run", *args, "--out", out_dir]
    done = subprocess.run(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RunFailed(f"`{' '.join(command)}` failed with exit status {done.returncode}:\n{done.stderr.strip()}")


def inside(path, folder):
    """True when `path` is `folder` or lies under it (real paths compared)."""
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _set_args(sets):
    return [a for k, v in sets for a in ("--set", f"{k}={v}")]


def plan():
    """[(run name, folder key, qtsim arguments, energy table text or None)] for every trace present, then
    the sensitivity study (qtsim_plots/sensitivity.py) on the CIFAR-10 reference trace."""
    runs = []
    for trace in TRACES:
        if trace.path and not os.path.exists(os.path.join(REPO, trace.path)):
            print(f"{COMMAND}: note: {trace.path} is missing; skipping the runs of {trace.key}", file=sys.stderr)
            continue
        for design in DESIGNS:
            runs.append((f"{trace.key}__{design.key}", (trace.key, design.key), _set_args(trace.sets + design.sets),
                         None))
    for key, sets, scale in variations():
        table = None if scale is None else bitserial_table(scale)
        runs.append((f"sensitivity__{key}", ("sensitivity", key), _set_args(sets), table))
    return runs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--qtsim", default="build/release/qtsim", help="the qtsim program (relative to the "
                        "repository root unless absolute; default build/release/qtsim)")
    parser.add_argument("--out", default=os.path.join(REPO, "results", "paper"), help="output folder")
    parser.add_argument("--runs-dir", help="keep the qtsim run folders here (default: a removed temporary folder)")
    args = parser.parse_args(argv)
    qtsim = args.qtsim if os.path.isabs(args.qtsim) else os.path.join(REPO, args.qtsim)
    if not (os.path.isfile(qtsim) and os.access(qtsim, os.X_OK)):
        print(f"{COMMAND}: error: {qtsim}: no qtsim program there; build it first "
              "(cmake --preset release && cmake --build --preset release) or pass --qtsim PATH", file=sys.stderr)
        return 1
    if args.runs_dir and inside(args.runs_dir, args.out):
        print(f"{COMMAND}: error: --runs-dir {args.runs_dir} is inside --out {args.out}, which is replaced as a "
              "whole; choose a runs folder outside it", file=sys.stderr)
        return 1
    style.apply()
    runs = plan()
    with tempfile.TemporaryDirectory(prefix="qtsim_paper_runs_") as temporary:
        runs_dir = os.path.abspath(args.runs_dir) if args.runs_dir else temporary
        try:
            with OutputFolder(args.out, COMMAND) as staging:  # checks OUT before the runs
                os.makedirs(runs_dir, exist_ok=True)
                folders = {}
                for name, key, qtsim_args, table in runs:
                    folder = os.path.join(runs_dir, name)
                    if table is not None:
                        table_path = os.path.join(runs_dir, name + ".table.json")
                        with open(table_path, "w", encoding="utf-8") as f:
                            f.write(table)
                        qtsim_args = qtsim_args + ["--set", f"hardware.energy.table={table_path}"]
                    run_qtsim(qtsim, qtsim_args, folder)
                    folders[key] = folder
                analysis = os.path.join(REPO, STUDY_ANALYSIS)
                study = load_study(analysis) if os.path.exists(analysis) else None
                written = build_paper(folders, staging, study)
        except (RunFailed, OutputFolderError, OutputTargetError) as error:
            print(f"{COMMAND}: error: {error}", file=sys.stderr)
            return 1
    print(f"{COMMAND}: {len(runs)} qtsim runs; wrote {len(written)} files to {os.path.relpath(args.out, REPO)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
