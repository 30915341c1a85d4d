"""Energy breakdown, baseline against policy, as stacked bars: by component and by phase.

Input: (label, RunFolder) entries; reads summary.json's hardware_replay.<side>.energy.components and
energy_by_phase_group. Each entry gives two bars, U (uniform baseline) and P (policy). In the
component panel each component's dynamic energy is drawn solid and its static energy (leakage,
DRAM background) in a lighter shade of the same colour above it.
"""
import textwrap

import matplotlib.pyplot as plt
from matplotlib.patches import Patch

from . import style
from .run_folder import SIDES

# Components grouped for the legend (Okabe-Ito has eight colours); unknown ones join the last group.
COMPONENT_GROUPS = (
    ("DRAM", ("dram",)), ("MAC array", ("mac_array",)), ("activation buffer", ("buffer.activation",)),
    ("weight buffer", ("buffer.weight",)), ("gradient buffer", ("buffer.gradient",)),
    ("output buffer", ("buffer.output",)), ("vector unit", ("vector_unit",)),
    ("registers + controller", ("registers", "controller")),
)
PHASE_ORDER = ("fwd", "bwd_data", "wgrad", "update")
PHASE_LABEL = {"fwd": "forward", "bwd_data": "backward data", "wgrad": "weight gradient", "update": "SGD update"}
BAR_SIDES = ("baseline", "policy")
BAR_TICK = {"baseline": "U", "policy": "P"}
BARS_KEY = "U: uniform 8/8/16\nP: policy"
STATIC_ALPHA = 0.4  # static energy: the component's colour, lighter


def component_energies_pj(run, side):
    """[(group label, dynamic pJ, static pJ)] in COMPONENT_GROUPS order; unknown components are added to
    the last group."""
    components = run.side(side)["energy"]["components"]
    known = {name for _, names in COMPONENT_GROUPS for name in names}

    def part(names, key):
        return sum(float(components[n][key]) for n in names if n in components)

    values = [[label, part(names, "dynamic_pj"), part(names, "static_pj")] for label, names in COMPONENT_GROUPS]
    extra = sorted(set(components) - known)
    if extra:
        values[-1][0] = "other (" + ", ".join(["registers", "controller"] + extra) + ")"
        values[-1][1] += part(extra, "dynamic_pj")
        values[-1][2] += part(extra, "static_pj")
    return [tuple(v) for v in values]


def phase_group_energies_pj(run, side):
    """{(phase, precision_group): pJ}."""
    result = {}
    for group in run.side(side)["energy_by_phase_group"]:
        key = (group["phase"], group["precision_group"])
        result[key] = result.get(key, 0.0) + float(group["total_pj"])
    return result


def _bar_positions(entries):
    positions, ticks, labels = {}, [], []
    for i, _ in enumerate(entries):
        for j, side in enumerate(BAR_SIDES):
            x = i * 2.8 + j
            positions[(i, side)] = x
            ticks.append(x)
            labels.append(BAR_TICK[side])
    return positions, ticks, labels


def _label_groups(ax, entries, positions):
    if len(entries) == 1 and not entries[0][0]:
        return
    for i, (label, _) in enumerate(entries):
        centre = (positions[(i, "baseline")] + positions[(i, "policy")]) / 2
        ax.annotate(_wrap(label), xy=(centre, 0), xycoords=("data", "axes fraction"), xytext=(0, -14),
                    textcoords="offset points", ha="center", va="top")


def _wrap(label):
    """'Bit Fusion 16x16' -> 'Bit Fusion\n16x16': lines of at most 10 characters where words allow."""
    return "\n".join(textwrap.wrap(label, 10)) or label


def _annotate_saving(ax, entries, positions, totals, divisor):
    """The policy's energy change, centred over each U/P pair at the height of the taller bar."""
    for i, (_, run) in enumerate(entries):
        change = totals[(i, "policy")] / totals[(i, "baseline")] - 1.0
        centre = (positions[(i, "baseline")] + positions[(i, "policy")]) / 2
        top = max(totals[(i, "policy")], totals[(i, "baseline")]) / divisor
        ax.annotate(f"{change * 100:+.1f}%".replace("-", "\u2212"), xy=(centre, top), xytext=(0, 2),
                    textcoords="offset points", ha="center", va="bottom")


def energy_breakdown(entries):
    """Figure with (a) energy by component and (b) energy by phase and precision group."""
    if not entries:
        raise ValueError("energy_breakdown: no runs given")
    width = style.DOUBLE_COLUMN_IN if len(entries) > 1 else style.SINGLE_COLUMN_IN * 1.6
    fig, (ax_c, ax_p) = plt.subplots(1, 2, figsize=(width, 3.3), constrained_layout=True)
    positions, ticks, tick_labels = _bar_positions(entries)
    totals = {(i, s): run.total_energy_pj(s) for i, (_, run) in enumerate(entries) for s in SIDES}
    divisor, unit = style.scale(max(totals.values()) * 1e-12, "J")
    divisor *= 1e12  # the files hold pJ

    # (a) by component
    colours = style.PALETTE
    legend_c = {}
    for i, (_, run) in enumerate(entries):
        for side in BAR_SIDES:
            bottom = 0.0
            for k, (label, dynamic, static) in enumerate(component_energies_pj(run, side)):
                for pj, alpha in ((dynamic, 1.0), (static, STATIC_ALPHA)):
                    bar = ax_c.bar(positions[(i, side)], pj / divisor, bottom=bottom, width=0.8, alpha=alpha,
                                   color=colours[k % len(colours)], edgecolor="white", linewidth=0.3)
                    if alpha == 1.0:
                        legend_c.setdefault(label, bar)
                    bottom += pj / divisor
    _annotate_saving(ax_c, entries, positions, totals, divisor)
    ax_c.set_ylabel(f"energy ({unit})")
    ax_c.set_title("(a) by component", loc="left")
    handles_c = list(legend_c.values())[::-1] + [Patch(facecolor="grey", alpha=STATIC_ALPHA)]
    labels_c = list(legend_c.keys())[::-1] + ["lighter: static\n(leakage, DRAM\nbackground)"]
    ax_c.legend(handles_c, labels_c, loc="upper left", bbox_to_anchor=(1.0, 1.0), handlelength=1.0, title=BARS_KEY,
                alignment="left")

    # (b) by phase and precision group (low-precision groups hatched)
    phase_colour = {p: style.PALETTE[k] for k, p in enumerate(PHASE_ORDER)}
    baseline_precision = entries[0][1].summary["baseline_precision"]
    low_groups = set()
    for i, (_, run) in enumerate(entries):
        for side in BAR_SIDES:
            energies = phase_group_energies_pj(run, side)
            phases = list(PHASE_ORDER) + sorted({p for p, _ in energies} - set(PHASE_ORDER))
            bottom = 0.0
            for k, phase in enumerate(phases):
                colour = phase_colour.get(phase, style.PALETTE[k % len(style.PALETTE)])
                phase_colour.setdefault(phase, colour)
                for (p, group), pj in sorted(energies.items(), key=lambda item: item[0][1] != baseline_precision):
                    if p != phase:
                        continue
                    low = group not in (baseline_precision, "iteration")
                    if low:
                        low_groups.add(group)
                    ax_p.bar(positions[(i, side)], pj / divisor, bottom=bottom, width=0.8, color=colour,
                             edgecolor="white", linewidth=0.3, hatch="////" if low else None)
                    bottom += pj / divisor
    _annotate_saving(ax_p, entries, positions, totals, divisor)
    ax_p.set_title("(b) by phase", loc="left")
    handles = [Patch(facecolor=phase_colour[p], label=PHASE_LABEL.get(p, p)) for p in phase_colour][::-1]
    if low_groups:
        handles.append(Patch(facecolor="white", edgecolor="black", hatch="////",
                             label="hatched: " + ", ".join(sorted(low_groups)) + " group"))
    ax_p.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), handlelength=1.0)

    for ax in (ax_c, ax_p):
        ax.set_xticks(ticks, tick_labels)
        ax.tick_params(axis="x", length=0)
        _label_groups(ax, entries, positions)
        ax.set_ylim(0, max(totals.values()) / divisor * 1.12)
    return fig
