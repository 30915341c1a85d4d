"""Command line of scripts/qtsim_study.py (documentation: scripts/README_trainer.md)."""
import argparse
import os
import sys

from . import protocol
from .runner import REPO, StudyError, run_study, study_path


def _list(kind, valid=None):
    def parse(text):
        items = [v.strip() for v in text.split(",") if v.strip()]
        if not items:
            raise argparse.ArgumentTypeError(f"expected a comma-separated list of {kind}")
        if valid is not None:
            bad = [v for v in items if v not in valid]
            if bad:
                raise argparse.ArgumentTypeError(f"unknown {kind} {', '.join(bad)}; valid: {', '.join(valid)}")
            return items
        try:
            values = [int(v) for v in items]
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected comma-separated integers >= 0, got {text!r}") from None
        if min(values) < 0:
            raise argparse.ArgumentTypeError(f"expected comma-separated integers >= 0, got {text!r}")
        return values
    return parse


def parser():
    p = argparse.ArgumentParser(prog="qtsim_study.py", description="Resumable arms x seeds accuracy study "
                                "(runs scripts/qtsim_train.py) and its analysis.")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run every unfinished (arm, seed); finished runs are kept")
    r.add_argument("--study", required=True, help="study folder inside the repository (e.g. results/fashion_mnist_study)")
    r.add_argument("--seeds", type=_list("seeds"), default=[0, 1, 2], help="comma-separated seeds (default 0,1,2)")
    r.add_argument("--arms", type=_list("arms", protocol.ARM_ORDER), default=list(protocol.ARM_ORDER),
                   help="comma-separated arms (default: all four: " + ", ".join(protocol.ARM_ORDER) + ")")
    r.add_argument("--protocol", choices=sorted(protocol.PROTOCOL_EXTRA), default="fashion_mnist_8k_15")
    r.add_argument("--jobs", type=int, choices=range(1, 65), metavar="N", default=2,
                   help="runs at a time (default 2; each uses one torch thread)")
    r.add_argument("--nice", type=int, choices=range(0, 20), metavar="N", default=19,
                   help="niceness of every run (default 19)")
    r.add_argument("--poll-s", type=float, default=10.0, help=argparse.SUPPRESS)
    r.add_argument("--dry-run", action="store_true", help="list the unfinished runs and stop")
    a = sub.add_parser("analyze", help="replay every finished run in qtsim; paired statistics, table and figure")
    a.add_argument("--study", required=True, help="study folder inside the repository")
    a.add_argument("--qtsim", default=os.path.join(REPO, "build", "release", "qtsim"),
                   help="the qtsim program (default build/release/qtsim)")
    a.add_argument("--seeds", type=_list("seeds"), default=None, help="only these seeds (default: every finished one)")
    return p


def main(argv=None):
    args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.command == "run":
            return run_study(args, out=lambda line: print(line, flush=True))
        from .analysis import analyse
        from .report import write_all
        if not os.access(args.qtsim, os.X_OK):
            raise StudyError(f"--qtsim {args.qtsim}: not an executable program; build qtsim first "
                             "(cmake --preset release && cmake --build build/release)")
        for path in write_all(analyse(study_path(args.study), args.qtsim, args.seeds)):
            print(f"wrote {path}")
    except (StudyError, OSError, ValueError, KeyError) as e:
        print(f"qtsim_study.py: error: {e}", file=sys.stderr)
        return 1
    return 0
