#!/usr/bin/python3
"""Figures of one `qtsim sweep` output folder, from its points.csv alone, as PNG and PDF.

  scripts/plot_sweep.py SWEEP_DIR [--out FIG_DIR] [--colour AXIS] [--heatmap X_AXIS,Y_AXIS]
                        [--metric COLUMN] [--formats png,pdf]

Writes FIG_DIR (default SWEEP_DIR/figures): pareto (the points in the plane of the first two
Pareto objectives, coloured by --colour, default the first axis that varies; the front ringed),
heatmap (--metric, default energy_saving_fraction, over two axes, default the first two that vary;
the mean over the other axes per cell) and saving_by_axis (energy saving and speedup against each
varying axis). FIG_DIR is replaced as a whole, atomically, and only if it is absent, empty or written
by a qtsim tool (qtsim_plots/atomic.py). Exit status 0, or 1 with a message naming the file and the
problem (a folder that is not a sweep's, an unknown axis or column).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qtsim_plots import style  # noqa: E402  (selects the Agg backend first)
from qtsim_plots.atomic import OutputFolder, OutputTargetError  # noqa: E402
from qtsim_plots.figures_sweep import heatmap, pareto_scatter, saving_by_axis  # noqa: E402
from qtsim_plots.run_folder import OutputFolderError  # noqa: E402
from qtsim_plots.sweep_folder import SweepFolder  # noqa: E402

COMMAND = "scripts/plot_sweep.py"


def parse_formats(text):
    formats = [f for f in text.split(",") if f]
    bad = [f for f in formats if f not in ("png", "pdf", "svg")]
    if bad or not formats:
        raise argparse.ArgumentTypeError(f"unknown format(s) {', '.join(bad) or '(none)'}; valid: png, pdf, svg")
    return formats


def figures(folder, args):
    """{stem: make} for the figures the table allows."""
    varying = folder.varying_axes()
    for axis in [args.colour] + (args.heatmap or []):
        if axis and axis not in folder.axes:
            raise OutputFolderError(f"{folder.table_path}: no axis {axis!r}; the axes are " + ", ".join(folder.axes))
    colour = args.colour or (varying[0] if varying else None)
    out = {"pareto": lambda: pareto_scatter(folder, colour), "saving_by_axis": lambda: saving_by_axis(folder, varying)}
    pair = args.heatmap or (varying[:2] if len(varying) >= 2 else None)
    if pair:
        out["heatmap"] = lambda: heatmap(folder, pair[0], pair[1], args.metric)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sweep_dir", help="a qtsim sweep output folder")
    parser.add_argument("--out", help="folder for the figures (default SWEEP_DIR/figures)")
    parser.add_argument("--colour", help="the axis that colours the Pareto scatter")
    parser.add_argument("--heatmap", type=lambda t: t.split(","), help="X_AXIS,Y_AXIS of the heat map")
    parser.add_argument("--metric", default="energy_saving_fraction", help="the heat map's column")
    parser.add_argument("--formats", type=parse_formats, default=list(style.FORMATS), help="png,pdf (default)")
    args = parser.parse_args(argv)
    if args.heatmap is not None and len(args.heatmap) != 2:
        parser.error("--heatmap: expected two axes, X_AXIS,Y_AXIS")
    style.apply()
    out = args.out or os.path.join(args.sweep_dir, "figures")
    try:
        folder = SweepFolder(args.sweep_dir)
        folder.numbers(folder.ok_rows(), args.metric)  # an unknown --metric is an error before drawing
        plan = figures(folder, args)
        written = 0
        with OutputFolder(out, COMMAND) as staging:
            for stem, make in plan.items():
                fig = make()
                if fig is not None:
                    style.save(fig, staging, stem, args.formats)
                    written += 1
    except (OutputFolderError, OutputTargetError) as error:
        print(f"plot_sweep.py: error: {error}", file=sys.stderr)
        return 1
    print(f"plot_sweep.py: wrote {written} figures x {len(args.formats)} formats to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
