#!/usr/bin/python3
"""Figures comparing several `qtsim run` output folders, as PNG and PDF (reads only the folders).

  scripts/plot_compare.py [--out FIG_DIR] [--formats png,pdf] LABEL=RUN_DIR [LABEL=RUN_DIR ...]

A LABEL "GROUP:SERIES" groups bars by GROUP (e.g. the trace) and colours them by SERIES (e.g. the
hardware). Writes speedup_energy_saving (every run), energy_breakdown (every run, U/P bar pairs) and
accuracy_vs_cost (energy and time of training against final test accuracy, for runs whose trace
records a test accuracy attributable to one side; skipped with a note when none does).
FIG_DIR is replaced as a whole, atomically, and only if it is absent, empty or written by a qtsim
tool (qtsim_plots/atomic.py: its .qtsim_output.json lists every file in it).
Exit status 0, or 1 with a message naming the file and the problem for a missing or malformed folder,
or an --out folder that holds files no qtsim tool wrote (nothing is written then).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plot_run import parse_formats  # noqa: E402  (also selects the Agg backend)
from qtsim_plots import style  # noqa: E402
from qtsim_plots.atomic import OutputFolder, OutputTargetError  # noqa: E402
from qtsim_plots.figures_compare import accuracy_vs_cost, speedup_energy_saving, split_label  # noqa: E402
from qtsim_plots.figures_energy import energy_breakdown  # noqa: E402
from qtsim_plots.run_folder import OutputFolderError, RunFolder  # noqa: E402

COMMAND = "scripts/plot_compare.py"


def parse_run(text):
    label, sep, path = text.partition("=")
    if not sep or not label or not path:
        raise argparse.ArgumentTypeError(f"expected LABEL=RUN_DIR, got {text!r}")
    return label, path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="+", type=parse_run, metavar="LABEL=RUN_DIR")
    parser.add_argument("--out", default="qtsim_compare", help="folder for the figures (default qtsim_compare)")
    parser.add_argument("--formats", type=parse_formats, default=list(style.FORMATS), help="png,pdf (default)")
    args = parser.parse_args(argv)
    style.apply()
    written = 0
    try:
        entries = [(label, RunFolder(path)) for label, path in args.runs]
        for _, run in entries:
            run.summary  # noqa: B018  (validates every summary.json before anything is drawn)
        with OutputFolder(args.out, COMMAND) as staging:
            style.save(speedup_energy_saving(entries), staging, "speedup_energy_saving", args.formats)
            labelled = [(" ".join(p for p in split_label(label) if p), run) for label, run in entries]
            style.save(energy_breakdown(labelled), staging, "energy_breakdown", args.formats)
            written = 2
            figure = accuracy_vs_cost(entries)
            if figure is None:
                print("plot_compare.py: note: no run has a measured test accuracy attributable to its policy or "
                      "baseline (synthetic traces, or replay tiers that differ from the trainer's): "
                      "accuracy_vs_cost not drawn", file=sys.stderr)
            else:
                style.save(figure, staging, "accuracy_vs_cost", args.formats)
                written += 1
    except (OutputFolderError, OutputTargetError) as error:
        print(f"plot_compare.py: error: {error}", file=sys.stderr)
        return 1
    print(f"plot_compare.py: wrote {written} figures x {len(args.formats)} formats to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
