"""The paper reproduction (scripts/make_paper_results.py): which runs, and what is made of them.

build_paper(folders, out_dir) reads the run folders {(trace key, design key): path} and writes
table.csv, table.md, figures/ and README.md into out_dir.
"""
import collections
import os

from . import style
from .figures_compare import accuracy_vs_cost, speedup_energy_saving
from .figures_cycles import cycles_layer_phase
from .figures_energy import energy_breakdown
from .figures_run import precision_mix_energy, tier_timeline
from .paper_text import readme
from .sensitivity import sensitivity_csv, sensitivity_figure, sensitivity_rows
from .study_accuracy import STUDY, STUDY_ANALYSIS  # noqa: F401 (STUDY_ANALYSIS: make_paper_results)
from .run_folder import OutputFolderError, RunFolder
from .table import table_row, to_csv, to_markdown

Trace = collections.namedtuple("Trace", "key label short path sets in_table")
Design = collections.namedtuple("Design", "key label sets")

FMNIST = ("workload.network", "builtin:resnet20_fashion_mnist")
# The Fashion-MNIST runs are seed 0 of the accuracy study (trainer v3); the study's analysis gives
# the accuracy over its seeds (study_accuracy.py).
CD_TRACE = f"{STUDY}/class_difficulty/seed0/trace.json"
UNIFORM_TRACE = f"{STUDY}/uniform_8_8_16/seed0/trace.json"
# Which study arms give a row's accuracy over seeds: {trace key: {side: arm}}.
STUDY_ARMS = {"fmnist_cd": {"policy": "class_difficulty", "baseline": "uniform_8_8_16"},
              "fmnist_uniform_cd": {"baseline": "uniform_8_8_16"}}
TRACES = (
    Trace("cifar10", "CIFAR-10 reference (synthetic)", "CIFAR-10\n(synthetic)", None, [], True),
    Trace("fmnist_cd", "Fashion-MNIST, recorded class_difficulty run", "F-MNIST,\nrecorded\npolicy run", CD_TRACE,
          [FMNIST, ("workload.trace", CD_TRACE)], True),
    Trace("fmnist_uniform_cd", "Fashion-MNIST, uniform run's accuracies (tags recomputed)",
          "F-MNIST,\nuniform\nrun's tags", UNIFORM_TRACE,
          [FMNIST, ("workload.trace", UNIFORM_TRACE), ("run.policy_source", "config")], True),
    # The uniform run replayed under its own policy: its accuracy is the uniform baseline's.
    Trace("fmnist_uniform", "Fashion-MNIST, recorded uniform run", "", UNIFORM_TRACE,
          [FMNIST, ("workload.trace", UNIFORM_TRACE), ("policy.impl", "uniform")], False),
)
_BUFFERS_32 = [(f"hardware.buffers.{b}.{k}", v) for b in ("activation", "weight", "gradient", "output")
               for k, v in (("capacity_bytes", 262144), ("banks", 8))]
DESIGNS = (
    Design("bitfusion16", "Bit Fusion 16x16", []),
    Design("fixed8_16", "fixed 8-bit 16x16", [("hardware.mac_array.pe_kind", "fixed"),
                                             ("hardware.mac_array.fixed_width_bits", 8)]),
    Design("bitfusion32", "Bit Fusion 32x32", [("hardware.mac_array.rows", 32), ("hardware.mac_array.cols", 32)]
           + _BUFFERS_32 + [("hardware.dram.bandwidth_bytes_per_cycle", 32), ("hardware.vector_unit.lanes", 32)]),
)
DEFAULT_DESIGN = "bitfusion16"


def _figure_plan(runs, study=None):
    """[(stem, caption, make)] for the figures the present runs allow."""
    plan = []
    designs = [d for d in DESIGNS if ("cifar10", d.key) in runs]
    for key, name, what in (("cifar10", "cifar10", "the CIFAR-10 reference trace (synthetic)"),
                            ("fmnist_cd", "fashion_mnist", "the recorded Fashion-MNIST class_difficulty trace")):
        if (key, DEFAULT_DESIGN) not in runs:
            continue
        entries = [(d.label, runs[(key, d.key)]) for d in designs if (key, d.key) in runs]
        default = runs[(key, DEFAULT_DESIGN)]
        plan.append((f"energy_breakdown_{name}",
                     f"Energy of training on {what}, uniform 8/8/16 (U) against class_difficulty (P), per hardware "
                     "design: (a) by component, (b) by phase, the low-precision group hatched; the label above P is "
                     "the energy change.", lambda e=entries: energy_breakdown(e)))
        plan.append((f"precision_mix_energy_{name}",
                     f"Per epoch on {what}, Bit Fusion 16x16: (a) share of the training samples at each precision, "
                     "(b) energy of the epoch, policy and uniform baseline.", lambda r=default: precision_mix_energy(r)))
        plan.append((f"tier_timeline_{name}",
                     f"Tier of each class per epoch under class_difficulty (threshold 0.9) on {what}"
                     + ("; crosses would mark epochs where the trainer's recorded tier differs (none do)."
                        if key == "fmnist_cd" else "."), lambda r=default: tier_timeline(r)))
    if ("cifar10", DEFAULT_DESIGN) in runs:
        plan.append(("cycles_layer_phase_cifar10",
                     "Cycles of class_difficulty per conv/FC layer and phase over the 200 epochs of the CIFAR-10 "
                     "reference trace on Bit Fusion 16x16, stacked by cause; black ticks: the uniform baseline's "
                     "total; layers without MACs are summed in 'vector layers'.",
                     lambda r=runs[("cifar10", DEFAULT_DESIGN)]: cycles_layer_phase(r)))
    bars = [(f"{t.short}:{d.label}", runs[(t.key, d.key)]) for t in TRACES if t.in_table for d in DESIGNS
            if (t.key, d.key) in runs]
    plan.append(("speedup_energy_saving",
                 "Speedup (a) and energy saving (b) of class_difficulty over uniform 8/8/16 for every trace and "
                 "hardware design.", lambda e=bars: speedup_energy_saving(e)))
    accuracy = [(f"{t.key}:{d.label}", runs[(t.key, d.key)]) for t in TRACES if t.key in ("fmnist_uniform", "fmnist_cd")
                for d in DESIGNS if (t.key, d.key) in runs]
    if accuracy:
        intervals = None
        if study:
            intervals = {side: study.get(arm) for side, arm in STUDY_ARMS["fmnist_cd"].items()}
        what = ("mean final test accuracy over the study's seeds (8/8, full test set; bars: 95% t interval)"
                if intervals else "final test accuracy")
        plan.append(("accuracy_vs_cost_fashion_mnist",
                     f"Fashion-MNIST, uniform 8/8/16 and class_difficulty: {what} against (a) the energy and (b) the "
                     "time of training on each hardware design (qtsim, seed 0's traces).",
                     lambda e=accuracy, i=intervals: accuracy_vs_cost(e, i)))
    return plan


def build_paper(folders, out_dir, study=None):
    """study: study_accuracy.load_study of the study's analysis, or None."""
    runs = {key: RunFolder(path) for key, path in folders.items()}
    uniform_accuracy = {}
    for d in DESIGNS:
        if ("fmnist_uniform", d.key) in runs:
            uniform_accuracy[d.key] = table_row("", "", runs[("fmnist_uniform", d.key)])["baseline_test_accuracy_fraction"]
            if uniform_accuracy[d.key] is None:
                raise OutputFolderError(f"{folders[('fmnist_uniform', d.key)]}: the uniform trace's accuracy cannot be "
                                        "attributed to the uniform baseline (see qtsim_plots/accuracy.py)")
        if ("fmnist_cd", d.key) in runs and table_row("", "", runs[("fmnist_cd", d.key)])[
                "policy_test_accuracy_fraction"] is None:
            raise OutputFolderError(f"{folders[('fmnist_cd', d.key)]}: the replay of the class_difficulty trace does "
                                    "not reproduce the trainer's tiers; its accuracy cannot be attributed")
    rows, row_runs = [], []
    for t in TRACES:
        for d in DESIGNS:
            if t.in_table and (t.key, d.key) in runs:
                # The recorded uniform run measured Fashion-MNIST only: never a CIFAR-10 row's accuracy.
                same_dataset = t.path is not None
                seeds = {side: study.get(arm) for side, arm in STUDY_ARMS.get(t.key, {}).items()} if study else None
                rows.append(table_row(t.label, d.label, runs[(t.key, d.key)],
                                      uniform_accuracy.get(d.key) if same_dataset else None, "recorded uniform run",
                                      seeds))
                row_runs.append((t, d, runs[(t.key, d.key)]))
    written = []
    sensitivity = sensitivity_rows({k[1]: r for k, r in runs.items() if k[0] == "sensitivity"})
    texts = [("table.csv", to_csv(rows)), ("table.md", to_markdown(rows))]
    if sensitivity:
        texts.append(("sensitivity.csv", sensitivity_csv(sensitivity)))
    for name, text in texts:
        with open(os.path.join(out_dir, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        written.append(name)
    figures_dir = os.path.join(out_dir, "figures")
    os.makedirs(figures_dir)
    captions = []
    plan = _figure_plan(runs, study)
    if sensitivity:
        plan.append(("sensitivity", "Energy saving of class_difficulty over uniform 8/8/16 on the CIFAR-10 reference "
                     "trace under the energy model's assumptions: (a) each CACTI 7 SRAM corner at 45 nm (a: "
                     "high-performance cells and periphery at 360 K, Bit Fusion's; b: low-standby-power cells, "
                     "high-performance periphery, 300 K, the default; c: low-operating-power; d: low-standby-power "
                     "cells and periphery) and DRAM type on Bit Fusion 16x16; (b) idle PEs fully clock-gated, and a "
                     "bit-serial 16x16 array (serial) with its PE energy, an assumption, halved and doubled "
                     "(sensitivity.csv).",
                     lambda r=sensitivity: sensitivity_figure(r)))
    for stem, caption, make in plan:
        fig = make()
        if fig is None:
            continue
        written += [os.path.relpath(p, out_dir) for p in style.save(fig, figures_dir, stem)]
        captions.append((stem, caption))
    with open(os.path.join(out_dir, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(readme(rows, row_runs, captions, TRACES, DESIGNS, sensitivity))
    written.append("README.md")
    return written
