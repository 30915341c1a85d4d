#!/usr/bin/python3
"""Regenerates results/design_space/: a design-space study of the class-difficulty policy.

  scripts/make_design_space.py [--qtsim build/release/qtsim] [--jobs N]

Runs `qtsim sweep results/design_space/sweep.json --out results/design_space/table` (every point:
a whole 200-epoch replay of the CIFAR-10 reference trace), draws its figures with
scripts/plot_sweep.py into table/figures/, and writes results/design_space/README.md from the
table alone: the space, the counts, the Pareto front and what each axis does to the policy's
saving. Rerunning on the same inputs gives the same table and README, byte for byte.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qtsim_plots.figures_sweep import axis_values  # noqa: E402
from qtsim_plots.run_folder import OutputFolderError  # noqa: E402
from qtsim_plots.sweep_folder import SweepFolder  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDER = os.path.join("results", "design_space")
COMMAND = "scripts/make_design_space.py"


def write_text_atomic(path, text):
    """A temporary file beside `path`, then a rename: a kill leaves the old file or the new one."""
    temporary = f"{path}.tmp-{os.getpid()}"
    with open(temporary, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(temporary, path)


def pct(v):
    return f"{100.0 * v:.1f}%"


def short(axis):
    """A column title: `threshold` for the policy's, `weight capacity_bytes` for a buffer's, else the last key."""
    parts = axis.split(".")
    if axis.startswith("policy."):
        return "threshold"
    return f"{parts[-2]} {parts[-1]}" if parts[:2] == ["hardware", "buffers"] else parts[-1]


def describe(row, axes):
    return ", ".join(f"{short(a)} {row[a]}" for a in axes)


def front_table(folder, rows):
    front = sorted((r for r in rows if r["pareto"] == "1"), key=lambda r: float(r["policy_energy_pj"]))
    lines = ["| point | " + " | ".join(short(a) for a in folder.axes) +
             " | policy energy (J) | policy time (s) | energy saving | speedup | area (mm^2) |",
             "|" + "---|" * (len(folder.axes) + 6)]
    for r in front:
        lines.append(f"| {r['index']} | " + " | ".join(r[a] for a in folder.axes) +
                     f" | {float(r['policy_energy_pj']) * 1e-12:.1f} | {float(r['policy_time_s']):.0f} | "
                     f"{pct(float(r['energy_saving_fraction']))} | {float(r['speedup']):.2f}x | "
                     f"{float(r['area_mm2']):.2f} |")
    return front, lines


def axis_effects(folder, rows):
    lines = ["| axis | value | points | energy saving, mean (min to max) | speedup, mean |", "|---|---|---|---|---|"]
    for axis in folder.varying_axes():
        for value in axis_values(rows, axis):
            mine = [r for r in rows if r[axis] == value]
            saving = [float(r["energy_saving_fraction"]) for r in mine]
            speedup = [float(r["speedup"]) for r in mine]
            lines.append(f"| {axis} | {value} | {len(mine)} | {pct(statistics.mean(saving))} ({pct(min(saving))} to "
                         f"{pct(max(saving))}) | {statistics.mean(speedup):.2f}x |")
    return lines


def errors_text(folder):
    errors = {}
    for r in folder.rows:
        if r["status"] == "error":
            message = r["error"].split(": ", 1)[-1] if len(r["error"]) > 160 else r["error"]
            errors.setdefault(message[-200:], []).append(r["index"])
    return [f"- {len(points)} points (the first: point {points[0]}): `...{message}`"
            for message, points in sorted(errors.items(), key=lambda e: int(e[1][0]))]


def readme(folder, sweep_description):
    rows = folder.ok_rows()
    front, front_lines = front_table(folder, rows)
    best_e = min(rows, key=lambda r: float(r["policy_energy_pj"]))
    best_t = min(rows, key=lambda r: float(r["policy_time_s"]))
    saving = [float(r["energy_saving_fraction"]) for r in rows]
    out = ["# Design space of the class-difficulty policy", "",
           f"Written by `{COMMAND}` (from the repository root): `qtsim sweep {FOLDER}/sweep.json --out "
           f"{FOLDER}/table`, then `scripts/plot_sweep.py {FOLDER}/table`, then this page from "
           "`table/points.csv` alone. Do not edit it by hand.", "",
           f"{sweep_description}. Every point replays all 200 epochs of the CIFAR-10 reference trace (synthetic) "
           "under class_difficulty (easy classes at 4/4/8 from the threshold on, hard at 8/8/16) and under uniform "
           "8/8/16 on the same hardware; everything else is the embedded default.", "",
           f"**{len(folder.rows)} points: {len(rows)} ran, {len(folder.rows) - len(rows)} are invalid "
           "combinations**" + (" (recorded in the table with their errors):" if len(rows) < len(folder.rows)
                               else "."), ""]
    out += errors_text(folder)
    out += ["", "## Pareto front: policy energy against policy training time", "",
            f"{len(front)} of the {len(rows)} designs are on the front (`pareto` = 1 in `table/points.csv`): no "
            "other design trains with both less energy and less time.", ""] + front_lines
    out += ["", "## What the policy saves, axis by axis", "",
            f"Across all {len(rows)} designs the policy saves {pct(min(saving))} to {pct(max(saving))} of the "
            f"uniform baseline's training energy (median {pct(statistics.median(saving))}). The least energy: "
            f"point {best_e['index']} ({describe(best_e, folder.axes)}), "
            f"{float(best_e['policy_energy_pj']) * 1e-12:.1f} J; the shortest training: point {best_t['index']} "
            f"({describe(best_t, folder.axes)}), {float(best_t['policy_time_s']):.0f} s. Each axis value's mean is "
            "over every design that has it:", ""] + axis_effects(folder, rows)
    out += ["", "## Figures", "",
            "- `table/figures/pareto` ([png](table/figures/pareto.png), [pdf](table/figures/pareto.pdf)): every "
            "design in the (policy energy, policy time) plane on log axes, coloured by array size, the front ringed.",
            "- `table/figures/heatmap` ([png](table/figures/heatmap.png)): the energy saving over array size and PE "
            "kind, the mean over the other axes.",
            "- `table/figures/saving_by_axis` ([png](table/figures/saving_by_axis.png)): energy saving and speedup "
            "against each axis, every design drawn.", ""]
    return "\n".join(out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--qtsim", default=os.path.join("build", "release", "qtsim"))
    p.add_argument("--jobs", type=int, default=0, help="threads (default: every core)")
    args = p.parse_args(argv)
    qtsim = args.qtsim if os.path.isabs(args.qtsim) else os.path.join(REPO, args.qtsim)
    sweep, table = os.path.join(FOLDER, "sweep.json"), os.path.join(FOLDER, "table")
    command = [qtsim, "sweep", sweep, "--out", table] + (["--jobs", str(args.jobs)] if args.jobs else [])
    for step in (command, [sys.executable, os.path.join("scripts", "plot_sweep.py"), table, "--colour",
                           "hardware.mac_array.rows", "--heatmap",
                           "hardware.mac_array.rows,hardware.mac_array.pe_kind"]):
        if subprocess.run(step, cwd=REPO).returncode != 0:
            print(f"{COMMAND}: error: `{' '.join(step)}` failed", file=sys.stderr)
            return 1
    try:
        with open(os.path.join(REPO, sweep), encoding="utf-8") as f:
            description = json.load(f).get("description", "")
        text = readme(SweepFolder(os.path.join(REPO, table)), description)
    except (OutputFolderError, OSError, ValueError) as error:
        print(f"{COMMAND}: error: {error}", file=sys.stderr)
        return 1
    write_text_atomic(os.path.join(REPO, FOLDER, "README.md"), text)
    print(f"{COMMAND}: wrote {FOLDER}/table/ and {FOLDER}/README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
