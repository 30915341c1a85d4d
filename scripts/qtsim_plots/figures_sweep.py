"""Figures of a `qtsim sweep` table (sweep_folder.py), drawn from points.csv alone.

- pareto_scatter: every ok point in the plane of the first two Pareto objectives, coloured by an
  axis; the front's points ringed in black and joined; an axis whose positive values span more
  than a factor of ten is drawn on a log scale, so that the front is not squeezed into a corner.
- heatmap: a metric (default: the energy saving) over two axes, the mean over the other axes in
  each cell, the value written in the cell.
- saving_by_axis: the policy's energy saving and speedup against each varying axis, every point
  drawn and the mean per value joined.
"""
import matplotlib.pyplot as plt
import numpy as np

from . import style
from .run_folder import OutputFolderError

LABELS = {"policy_energy_pj": "policy energy (pJ)", "policy_time_s": "policy training time (s)",
          "area_mm2": "area (mm$^2$)", "compression_bits_ratio": "compression (operand bits)",
          "trace_test_accuracy_fraction": "test accuracy (trace)", "energy_saving_fraction": "energy saving",
          "speedup": "speedup"}


def axis_values(rows, axis):
    """The distinct values of an axis: numeric order when every one is a number, else first seen."""
    seen = list(dict.fromkeys(r[axis] for r in rows))
    try:
        return sorted(seen, key=float)
    except ValueError:
        return seen


def _colours(values):
    if len(values) <= len(style.PALETTE):
        return dict(zip(values, style.PALETTE))
    cmap = plt.get_cmap("viridis")
    return {v: cmap(i / (len(values) - 1)) for i, v in enumerate(values)}


def _label(column):
    return LABELS.get(column, column)


def _scaled(values, column):
    """(array, axis label): energies in J and times in s with an SI prefix (style.scale)."""
    v = np.array([np.nan if x is None else x for x in values], dtype=float)
    label = _label(column)
    for suffix, factor, unit in (("_pj", 1e-12, "J"), ("_s", 1.0, "s")):
        if column.endswith(suffix) and np.isfinite(v).any():
            divisor, prefixed = style.scale(np.nanmax(v) * factor, unit)
            return v * factor / divisor, label.rsplit(" (", 1)[0] + f" ({prefixed})"
    return v, label


def _log_if_wide(set_scale, values):
    """A log scale when every finite value is positive and they span more than a factor of ten."""
    finite = values[np.isfinite(values)]
    if finite.size and finite.min() > 0 and finite.max() > 10 * finite.min():
        set_scale("log")


def pareto_scatter(folder, colour_axis=None):
    rows = folder.ok_rows()
    if not rows:
        return None
    objectives = [c for c, _ in folder.objectives]
    x_col, y_col = (objectives + ["policy_time_s"])[:2] if len(objectives) < 2 else objectives[:2]
    (xs, x_label), (ys, y_label) = (_scaled(folder.numbers(rows, c), c) for c in (x_col, y_col))
    fig, ax = plt.subplots(figsize=(style.SINGLE_COLUMN_IN + 1.3, 2.8), constrained_layout=True)
    if colour_axis:
        values = axis_values(rows, colour_axis)
        colours = _colours(values)
        for v in values:
            mine = [i for i, r in enumerate(rows) if r[colour_axis] == v]
            ax.scatter(xs[mine], ys[mine], s=10, color=colours[v], label=v, linewidth=0, zorder=2)
        ax.legend(title=colour_axis, loc="upper left", bbox_to_anchor=(1.0, 1.0), markerscale=1.5)
    else:
        ax.scatter(xs, ys, s=10, color=style.PALETTE[0], linewidth=0, zorder=2)
    front = sorted((i for i, r in enumerate(rows) if r["pareto"] == "1"), key=lambda i: (xs[i], ys[i]))
    ax.plot(xs[front], ys[front], color="black", linewidth=0.7, zorder=3)
    ax.scatter(xs[front], ys[front], s=26, facecolor="none", edgecolor="black", linewidth=0.8, zorder=4,
               label="Pareto front")
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    _log_if_wide(ax.set_xscale, xs)
    _log_if_wide(ax.set_yscale, ys)
    ax.grid(linewidth=0.3, color="#cccccc", which="both")
    ax.set_title(f"{len(rows)} points, {len(front)} on the front", loc="left")
    return fig


def heatmap(folder, x_axis, y_axis, metric="energy_saving_fraction"):
    rows = folder.ok_rows()
    if not rows:
        return None
    xv, yv = axis_values(rows, x_axis), axis_values(rows, y_axis)
    values = folder.numbers(rows, metric)
    grid = np.full((len(yv), len(xv)), np.nan)
    for j, y in enumerate(yv):
        for i, x in enumerate(xv):
            cell = [v for r, v in zip(rows, values) if r[x_axis] == x and r[y_axis] == y and v is not None]
            if cell:
                grid[j, i] = float(np.mean(cell))
    fig, ax = plt.subplots(figsize=(max(style.SINGLE_COLUMN_IN, 0.55 * len(xv) + 1.6), 0.35 * len(yv) + 1.4),
                           constrained_layout=True)
    image = ax.imshow(grid, cmap="viridis", aspect="auto", origin="lower")
    ax.set_xticks(range(len(xv)), xv, rotation=45 if len(xv) > 6 else 0, ha="right" if len(xv) > 6 else "center")
    ax.set_yticks(range(len(yv)), yv)
    ax.set_xlabel(x_axis)
    ax.set_ylabel(y_axis)
    finite = grid[np.isfinite(grid)]
    middle = (finite.min() + finite.max()) / 2 if finite.size else 0.0
    for j in range(len(yv)):
        for i in range(len(xv)):
            if np.isfinite(grid[j, i]):
                ax.text(i, j, f"{grid[j, i]:.3g}", ha="center", va="center", fontsize=6,
                        color="white" if grid[j, i] < middle else "black")
    fig.colorbar(image, ax=ax, label=_label(metric))
    ax.set_title("mean over the other axes", loc="left", fontsize="small")
    return fig


def saving_by_axis(folder, axes):
    rows = folder.ok_rows()
    if not rows or not axes:
        return None
    fig, grid = plt.subplots(2, len(axes), figsize=(max(style.SINGLE_COLUMN_IN, 2.0 * len(axes)), 3.6),
                             constrained_layout=True, squeeze=False)
    for k, axis in enumerate(axes):
        values = axis_values(rows, axis)
        position = {v: i for i, v in enumerate(values)}
        for r_index, metric in enumerate(("energy_saving_fraction", "speedup")):
            ax = grid[r_index][k]
            numbers = folder.numbers(rows, metric)
            pairs = [(position[r[axis]], v) for r, v in zip(rows, numbers) if v is not None]
            if not pairs:
                raise OutputFolderError(f"{folder.table_path}: column {metric} is empty in every ok row")
            ax.scatter([p for p, _ in pairs], [v for _, v in pairs], s=6, color=style.PALETTE[0], alpha=0.5,
                       linewidth=0)
            means = [np.mean([v for p, v in pairs if p == i]) for i in range(len(values))]
            ax.plot(range(len(values)), means, color="black", linewidth=0.8, marker="o", markersize=2.5)
            ax.set_xticks(range(len(values)), values, rotation=45 if len(values) > 4 else 0,
                          ha="right" if len(values) > 4 else "center")
            ax.grid(linewidth=0.3, color="#cccccc")
            if k == 0:
                ax.set_ylabel(_label(metric))
            if r_index == 1:
                ax.set_xlabel(axis.split(".", 1)[-1] if len(axis) > 24 else axis)
    return fig
