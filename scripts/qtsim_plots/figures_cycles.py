"""Cycles and stalls per layer and phase (per_layer_phase.csv).

One panel per phase; one bar per conv/FC layer (a layer with MACs in any phase), stacked by cause
(every `<side>_<cause>_cycles` column), for one side of the replay; a black tick marks the other
side's total. Layers without MACs (batch norm, ReLU, add, pooling, loss) are summed into one bar
"vector layers"; the SGD update joins the last panel.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from . import style
from .run_folder import OutputFolderError

PHASES = ("fwd", "bwd_data", "wgrad")
PHASE_TITLE = {"fwd": "forward", "bwd_data": "backward data", "wgrad": "weight gradient"}
CAUSE_ORDER = ("compute", "vector", "port_stall", "load_stall", "store_stall", "store_drain", "reconfig")
CAUSE_LABEL = {"compute": "compute", "vector": "vector unit", "port_stall": "port stall",
               "load_stall": "load stall", "store_stall": "store stall", "store_drain": "store drain",
               "reconfig": "reconfiguration", "other": "other"}
VECTOR_LAYERS = "vector layers"


def _causes(table, side):
    prefix, suffix = f"{side}_", "_cycles"
    found = [c[len(prefix):-len(suffix)] for c in table.header
             if c.startswith(prefix) and c.endswith(suffix) and c != f"{side}_cycles"]
    return [c for c in CAUSE_ORDER if c in found] + sorted(set(found) - set(CAUSE_ORDER))


def layer_phase_cycles(run, side):
    """(layers in order, {phase: {layer: {cause: cycles, 'total': cycles, 'other_total': cycles}}}, causes)."""
    other = "baseline" if side == "policy" else "policy"
    table = run.table("per_layer_phase.csv", ("layer", "phase", f"{side}_cycles", f"{other}_cycles",
                                              f"{side}_macs"))
    causes = _causes(table, side)
    layer_names, phases = table.strings("layer"), table.strings("phase")
    totals, other_totals = table.numbers(f"{side}_cycles"), table.numbers(f"{other}_cycles")
    macs = table.numbers(f"{side}_macs")
    cause_values = {c: table.numbers(f"{side}_{c}_cycles") for c in causes}
    gemm_layers = []
    for name, m in zip(layer_names, macs):
        if m > 0 and name not in gemm_layers:
            gemm_layers.append(name)
    result = {p: {} for p in PHASES}
    for row, (name, phase) in enumerate(zip(layer_names, phases)):
        if phase == "update":
            phase, name = PHASES[-1], "SGD update"
        elif phase not in result:
            result[phase] = {}
        if name not in gemm_layers and name != "SGD update":
            name = VECTOR_LAYERS
        entry = result[phase].setdefault(name, {c: 0.0 for c in causes + ["total", "other_total"]})
        for c in causes:
            entry[c] += cause_values[c][row]
        entry["total"] += totals[row]
        entry["other_total"] += other_totals[row]
    for phase, layers in result.items():
        for name, entry in layers.items():
            rest = entry["total"] - sum(entry[c] for c in causes)
            if rest < -0.5:
                raise OutputFolderError(f"{table.path}: layer {name}, phase {phase}: the {side} cycle causes sum to "
                                        f"more than {side}_cycles ({sum(entry[c] for c in causes):.0f} > "
                                        f"{entry['total']:.0f})")
            entry["other"] = max(rest, 0.0)
    return gemm_layers, result, causes


def cycles_layer_phase(run, side="policy"):
    layers, data, causes = layer_phase_cycles(run, side)
    phases = [p for p in data if data[p]]
    if not phases:
        raise OutputFolderError(f"{run.file('per_layer_phase.csv')}: no rows for the phases {', '.join(PHASES)}")
    shown_causes = [c for c in causes + ["other"]
                    if any(entry.get(c, 0) > 0 for p in phases for entry in data[p].values())]
    peak = max(max(e["total"], e["other_total"]) for p in phases for e in data[p].values())
    divisor, suffix = style.power_of_ten(peak)
    fig, axes = plt.subplots(len(phases), 1, figsize=(style.DOUBLE_COLUMN_IN, 1.5 + 1.45 * len(phases)),
                             sharex=True, constrained_layout=True)
    axes = np.atleast_1d(axes)
    names = layers + [VECTOR_LAYERS, "SGD update"]
    x = np.arange(len(names))
    for ax, phase in zip(axes, phases):
        bottom = np.zeros(len(names))
        for k, cause in enumerate(shown_causes):
            values = np.array([data[phase].get(n, {}).get(cause, 0.0) for n in names]) / divisor
            ax.bar(x, values, bottom=bottom, width=0.75, color=style.PALETTE[k % len(style.PALETTE)],
                   label=CAUSE_LABEL.get(cause, cause.replace("_", " ")), linewidth=0)
            bottom += values
        present = [i for i, n in enumerate(names) if n in data[phase]]
        other_totals = [data[phase][names[i]]["other_total"] / divisor for i in present]
        ax.plot(present, other_totals, linestyle="none", marker="_", markersize=9, markeredgewidth=1.5,
                color="black")
        ax.set_ylabel(f"cycles{suffix}")
        ax.set_title(PHASE_TITLE.get(phase, phase), loc="right")
        ax.set_ylim(0, max(max(bottom), max(other_totals, default=0)) * 1.1 or 1)
        ax.grid(axis="y", linewidth=0.3, color="#cccccc")
    other_label = style.SIDE_LABEL["baseline"] if side == "policy" else "policy"
    handles, labels = axes[0].get_legend_handles_labels()
    handles.append(Line2D([], [], linestyle="none", marker="_", markersize=9, markeredgewidth=1.5, color="black"))
    labels.append(f"{other_label}: total")
    axes[0].legend(handles, labels, loc="lower left", bbox_to_anchor=(0.0, 1.12), ncol=min(len(labels), 4),
                   handlelength=1.0, title=f"{'policy' if side == 'policy' else style.SIDE_LABEL['baseline']} "
                   "cycles by cause", alignment="left")
    axes[-1].set_xticks(x, names, rotation=90)
    axes[-1].set_xlim(-0.6, len(names) - 0.4)
    return fig
