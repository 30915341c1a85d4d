"""Figures of one run: per-epoch precision mix and energy, per-class tier timeline, cycles per layer.

Inputs: per_epoch.csv (tier_precisions, tier<i>_samples, policy/baseline_energy_pj),
per_class_epoch.csv (tier, tier_name, bits, trainer_tier), per_layer_phase.csv (cycles by cause).
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from . import style
from .run_folder import OutputFolderError

TIER_COLOURS = [style.OKABE_ITO[c] for c in ("vermillion", "sky_blue", "bluish_green", "orange", "reddish_purple",
                                              "blue", "yellow", "black")]


def _tier_columns(per_epoch):
    """[(column, precision)] for tier<i>_samples, with the precisions from tier_precisions."""
    columns = []
    i = 0
    while per_epoch.has(f"tier{i}_samples"):
        columns.append(f"tier{i}_samples")
        i += 1
    if not columns:
        raise OutputFolderError(f"{per_epoch.path}: no tier0_samples column; expected tier<i>_samples per tier")
    precisions = per_epoch.strings("tier_precisions")[0].split(";")
    if len(precisions) != len(columns):
        raise OutputFolderError(f"{per_epoch.path}: line 2, column tier_precisions: {len(precisions)} precisions "
                                f"for {len(columns)} tier<i>_samples columns")
    return list(zip(columns, precisions))


def precision_mix_energy(run):
    """(a) share of samples per precision per epoch, stacked; (b) energy per epoch, policy and baseline."""
    table = run.per_epoch(("policy_energy_pj", "baseline_energy_pj"))
    epochs = np.array(table.numbers("epoch"))
    samples = np.array(table.numbers("samples"))
    if np.any(samples <= 0):
        raise OutputFolderError(f"{table.path}: column samples: expected positive counts")
    by_precision = {}
    for column, precision in _tier_columns(table):
        by_precision[precision] = by_precision.get(precision, 0) + np.array(table.numbers(column))
    fig, (ax_mix, ax_e) = plt.subplots(2, 1, figsize=(style.SINGLE_COLUMN_IN, 3.6), sharex=True,
                                       constrained_layout=True)
    bottom = np.zeros_like(epochs)
    for k, (precision, counts) in enumerate(by_precision.items()):
        share = 100.0 * counts / samples
        ax_mix.bar(epochs, share, bottom=bottom, width=1.0, color=TIER_COLOURS[k % len(TIER_COLOURS)],
                   label=precision, linewidth=0)
        bottom += share
    ax_mix.set_ylabel("samples (%)")
    ax_mix.set_ylim(0, 100)
    ax_mix.legend(title="precision (bA/bW/bG)", ncol=len(by_precision), loc="lower left",
                  bbox_to_anchor=(0.0, 1.0), borderaxespad=0.2, handlelength=1.0)
    ax_mix.set_title("(a)", loc="right")

    policy = np.array(table.numbers("policy_energy_pj"))
    baseline = np.array(table.numbers("baseline_energy_pj"))
    divisor, unit = style.scale(max(policy.max(), baseline.max()) * 1e-12, "J")
    divisor *= 1e12
    ax_e.plot(epochs, baseline / divisor, color=style.SIDE_COLOUR["baseline"], label=style.SIDE_LABEL["baseline"],
              drawstyle="steps-mid", linewidth=1.2)
    ax_e.plot(epochs, policy / divisor, color=style.SIDE_COLOUR["policy"], label="policy",
              drawstyle="steps-mid", linewidth=1.2)
    ax_e.set_ylabel(f"energy per epoch ({unit})")
    ax_e.set_xlabel("epoch")
    ax_e.set_ylim(0, max(policy.max(), baseline.max()) / divisor * 1.25)
    ax_e.legend(loc="lower right", ncol=2)
    ax_e.set_title("(b)", loc="right")
    ax_e.set_xlim(epochs.min() - 0.5, epochs.max() + 0.5)
    return fig


def tier_timeline(run):
    """Heatmap: classes (rows) x epochs (columns), colour = the policy's tier; crosses where the
    trainer's recorded tier differs (traces with tags only)."""
    table = run.per_class_epoch()
    epochs = [int(v) for v in table.numbers("epoch")]
    classes = [int(v) for v in table.numbers("class_index")]
    tiers = [int(v) for v in table.numbers("tier")]
    first_epoch, n_epochs, n_classes = min(epochs), max(epochs) - min(epochs) + 1, max(classes) + 1
    grid = np.full((n_classes, n_epochs), -1)
    names = [""] * n_classes
    tier_label = {}
    class_names, tier_names = table.strings("class_name"), table.strings("tier_name")
    bits = ["/".join(b) for b in zip(table.strings("act_bits"), table.strings("weight_bits"),
                                     table.strings("grad_bits"))]
    for row, (e, c, t) in enumerate(zip(epochs, classes, tiers)):
        grid[c, e - first_epoch] = t
        names[c] = class_names[row]
        tier_label.setdefault(t, f"{tier_names[row]} {bits[row]}")
    if (grid < 0).any():
        raise OutputFolderError(f"{table.path}: missing (epoch, class) rows; expected one row per epoch and class")
    n_tiers = max(tier_label) + 1
    height = max(1.6, 0.9 + 0.16 * n_classes)
    fig, ax = plt.subplots(figsize=(style.SINGLE_COLUMN_IN, height), constrained_layout=True)
    cmap = ListedColormap(TIER_COLOURS[:n_tiers])
    ax.imshow(grid, aspect="auto", interpolation="nearest", cmap=cmap, vmin=-0.5, vmax=n_tiers - 0.5,
              extent=(first_epoch - 0.5, first_epoch + n_epochs - 0.5, n_classes - 0.5, -0.5))
    ax.set_yticks(range(n_classes), names)
    ax.set_xlabel("epoch")
    ax.tick_params(axis="y", length=0)
    handles = [Patch(facecolor=TIER_COLOURS[t], label=tier_label.get(t, f"tier {t}")) for t in range(n_tiers)]
    trainer = table.strings("trainer_tier")
    if all(v != "" for v in trainer):
        differ = [(e, c) for e, c, t, r in zip(epochs, classes, tiers, trainer) if int(r) != t]
        if differ:
            ax.plot([e for e, _ in differ], [c for _, c in differ], linestyle="none", marker="x", color="black",
                    markersize=3)
            handles.append(Line2D([], [], linestyle="none", marker="x", color="black", label="trainer's tier differs"))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=len(handles),
              borderaxespad=0.2, handlelength=1.0, columnspacing=1.0)
    return fig
