#!/usr/bin/python3
"""Figures of one `qtsim run` output folder, as PNG and PDF (reads only the folder's files).

  scripts/plot_run.py RUN_DIR [--out FIG_DIR] [--formats png,pdf] [--label TEXT]

Writes FIG_DIR (default RUN_DIR/figures): energy_breakdown (by component and by phase,
baseline against policy), precision_mix_energy (per epoch), tier_timeline (classes x epochs),
cycles_layer_phase (policy cycles by cause per layer and phase; the baseline's totals as ticks).
FIG_DIR is replaced as a whole, atomically, and only if it is absent, empty or written by a qtsim
tool (qtsim_plots/atomic.py: its .qtsim_output.json lists every file in it).
Exit status 0, or 1 with a message naming the file and the problem for a missing or malformed folder,
or an --out folder that holds files no qtsim tool wrote (nothing is written then).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qtsim_plots import style  # noqa: E402  (selects the Agg backend first)
from qtsim_plots.atomic import OutputFolder, OutputTargetError  # noqa: E402
from qtsim_plots.figures_cycles import cycles_layer_phase  # noqa: E402
from qtsim_plots.figures_energy import energy_breakdown  # noqa: E402
from qtsim_plots.figures_run import precision_mix_energy, tier_timeline  # noqa: E402
from qtsim_plots.run_folder import OutputFolderError, RunFolder  # noqa: E402

COMMAND = "scripts/plot_run.py"


def parse_formats(text):
    formats = [f for f in text.split(",") if f]
    bad = [f for f in formats if f not in ("png", "pdf", "svg")]
    if bad or not formats:
        raise argparse.ArgumentTypeError(f"unknown format(s) {', '.join(bad) or '(none)'}; valid: png, pdf, svg")
    return formats


def run_figures(run, label=""):
    """{stem: figure function} for one run; each call returns a Figure."""
    return {
        "energy_breakdown": lambda: energy_breakdown([(label, run)]),
        "precision_mix_energy": lambda: precision_mix_energy(run),
        "tier_timeline": lambda: tier_timeline(run),
        "cycles_layer_phase": lambda: cycles_layer_phase(run),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run_dir", help="a qtsim run output folder")
    parser.add_argument("--out", help="folder for the figures (default RUN_DIR/figures)")
    parser.add_argument("--formats", type=parse_formats, default=list(style.FORMATS), help="png,pdf (default)")
    parser.add_argument("--label", default="", help="text under the energy bars (e.g. the design)")
    args = parser.parse_args(argv)
    style.apply()
    out = args.out or os.path.join(args.run_dir, "figures")
    try:
        run = RunFolder(args.run_dir)
        run.summary  # noqa: B018  (validates summary.json before anything is drawn)
        with OutputFolder(out, COMMAND) as staging:
            for stem, make in run_figures(run, args.label).items():
                style.save(make(), staging, stem, args.formats)
    except (OutputFolderError, OutputTargetError) as error:
        print(f"plot_run.py: error: {error}", file=sys.stderr)
        return 1
    print(f"plot_run.py: wrote {len(run_figures(run))} figures x {len(args.formats)} formats to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
