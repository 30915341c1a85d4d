"""Figures across runs: speedup and energy saving per run; energy and time against final test accuracy.

Entries are (label, RunFolder); a label "GROUP:SERIES" (e.g. "Fashion-MNIST:bitfusion 16x16") groups
bars by GROUP and colours them by SERIES. Accuracies are attributed to a side as accuracy.py says;
runs on synthetic traces, or whose accuracy belongs to neither side, give no accuracy point.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import style
from .accuracy import attributed_accuracy

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def split_label(label):
    group, _, series = label.partition(":")
    return (group, series) if series else (label, "")


def _ordered(values):
    seen = []
    for v in values:
        if v not in seen:
            seen.append(v)
    return seen


def speedup_energy_saving(entries):
    """(a) speedup and (b) energy saving of the policy over the uniform baseline, grouped bars."""
    labels = [split_label(label) for label, _ in entries]
    groups, series = _ordered(g for g, _ in labels), _ordered(s for _, s in labels)
    width = 0.8 / max(len(series), 1)
    fig, axes = plt.subplots(1, 2, figsize=(style.DOUBLE_COLUMN_IN, 3.0), constrained_layout=True)
    for ax, metric in zip(axes, ("speedup", "saving")):
        for (group, name), (_, run) in zip(labels, entries):
            if metric == "speedup":
                value = run.total_cycles("baseline") / run.total_cycles("policy")
            else:
                value = 100.0 * (1.0 - run.total_energy_pj("policy") / run.total_energy_pj("baseline"))
            k = series.index(name)
            x = groups.index(group) + (k - (len(series) - 1) / 2) * width
            ax.bar(x, value, width=width * 0.92, color=style.PALETTE[k % len(style.PALETTE)],
                   label=name or None)
            ax.annotate(f"{value:.2f}" if metric == "speedup" else f"{value:.1f}", xy=(x, value), xytext=(0, 2),
                        textcoords="offset points", ha="center", va="bottom", rotation=90)
        ax.set_xticks(range(len(groups)), groups)
        ax.tick_params(axis="x", length=0)
        ax.grid(axis="y", linewidth=0.3, color="#cccccc")
    axes[0].axhline(1.0, color="black", linewidth=0.6)
    axes[0].set_ylabel("speedup over uniform 8/8/16 (\u00d7)")
    axes[0].set_title("(a) cycles: baseline / policy", loc="left")
    axes[1].set_ylabel("energy saving (%)")
    axes[1].set_title("(b) energy: 1 \u2212 policy / baseline", loc="left")
    for ax in axes:
        top = max(bar.get_height() for bar in ax.patches)
        ax.set_ylim(min(0, min(bar.get_height() for bar in ax.patches) * 1.15), top * 1.25)
    if any(series):
        handles, names = axes[0].get_legend_handles_labels()
        unique = dict(zip(names, handles))
        axes[1].legend(unique.values(), unique.keys(), loc="upper left", bbox_to_anchor=(1.0, 1.0),
                       handlelength=1.0, title="hardware")
    return fig


def accuracy_points(entries, intervals=None):
    """[(series, side label, energy J, time s, accuracy %, (low %, high %) or None)] for every
    attributable side; a side in `intervals` takes its mean and interval over seeds."""
    intervals = intervals or {}
    points = []
    for label, run in entries:
        _, series = split_label(label)
        attributed = attributed_accuracy(run)
        policy = run.summary.get("policy", {})
        policy_name = policy.get("impl", "policy") if isinstance(policy, dict) else "policy"
        for side in ("baseline", "policy"):
            accuracy = attributed[side]
            if accuracy is None or (side == "policy" and attributed["baseline"] is not None):
                continue  # a policy identical to the baseline is drawn once, as the baseline
            name = style.SIDE_LABEL["baseline"] if side == "baseline" else policy_name
            seeds, band = intervals.get(side), None
            if seeds is not None:
                accuracy = seeds["mean"]
                band = None if seeds["low"] is None else (100.0 * seeds["low"], 100.0 * seeds["high"])
            points.append((series or label, name, run.total_energy_pj(side) * 1e-12,
                           float(run.side(side)["time_s"]), 100.0 * accuracy, band))
    return points


def accuracy_vs_cost(entries, intervals=None):
    """(a) energy and (b) time of training against final test accuracy; None when no run has a
    measured accuracy attributable to one of its sides. intervals: {"policy" | "baseline":
    study_accuracy entry}: that side is drawn at its mean over seeds with its 95% interval."""
    points = accuracy_points(entries, intervals or {})
    if not points:
        return None
    series, sides = _ordered(p[0] for p in points), _ordered(p[1] for p in points)
    side_colours = [style.SIDE_COLOUR["baseline"] if s == style.SIDE_LABEL["baseline"] else None for s in sides]
    others = iter(style.PALETTE)
    side_colours = [c or next(others) for c in side_colours]
    fig, axes = plt.subplots(1, 2, figsize=(style.DOUBLE_COLUMN_IN, 2.7), constrained_layout=True)
    for ax, index, unit in ((axes[0], 2, "J"), (axes[1], 3, "s")):
        divisor, label = style.scale(max(p[index] for p in points), unit)
        for s_index, name in enumerate(series):
            mine = sorted((p for p in points if p[0] == name), key=lambda p: p[index])
            xs = np.array([p[index] for p in mine]) / divisor
            ax.plot(xs, [p[4] for p in mine], color="#777777", linewidth=0.6, zorder=1)
            for p, x in zip(mine, xs):
                if p[5] is not None:
                    ax.errorbar(x, p[4], yerr=[[p[4] - p[5][0]], [p[5][1] - p[4]]], color="black", linewidth=0.6,
                                capsize=2, zorder=1)
                ax.scatter(x, p[4], marker=MARKERS[s_index % len(MARKERS)], s=28, zorder=2,
                           color=side_colours[sides.index(p[1])], edgecolor="black", linewidth=0.4)
        ax.set_xlabel(("energy of training" if unit == "J" else "time of training") + f" ({label})")
        ax.set_ylabel("final test accuracy (%)")
        ax.grid(linewidth=0.3, color="#cccccc")
        low = min(p[4] if p[5] is None else p[5][0] for p in points)
        high = max(p[4] if p[5] is None else p[5][1] for p in points)
        ax.set_ylim(low - max(1.0, 0.15 * (high - low)), high + max(1.0, 0.15 * (high - low)))
        ax.set_xlim(left=0)
    axes[0].set_title("(a)", loc="left")
    axes[1].set_title("(b)", loc="left")
    handles = [Patch(facecolor=c, edgecolor="black", linewidth=0.4, label=s) for s, c in zip(sides, side_colours)]
    handles += [Line2D([], [], linestyle="none", marker=MARKERS[i % len(MARKERS)], color="white",
                       markeredgecolor="black", label=name) for i, name in enumerate(series)]
    axes[1].legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), handlelength=1.0)
    return fig
