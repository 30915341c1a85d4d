"""Command line of scripts/qtsim_train.py (documentation: scripts/README_trainer.md)."""
import argparse
import os
import sys

from .datasets import DatasetError
from .policies import PolicyError, load_policy
from .trace import TraceError, check_trace_target

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_NETWORK = {"fashion_mnist": "workloads/networks/resnet20_fashion_mnist.json",
                   "cifar10": "workloads/networks/resnet20_cifar10.json"}


def _milestones(text):
    try:
        return [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated epochs, got {text!r}") from None


def _non_negative(text):
    v = int(text)
    if v < 0:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {v}")
    return v


def _positive(text):
    v = int(text)
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {v}")
    return v


def _fraction(text):
    try:
        v = float(text)
    except ValueError:
        v = float("nan")
    if not 0.0 <= v <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1], got {text!r}")
    return v


def _percentile(text):
    try:
        v = float(text)
    except ValueError:
        v = float("nan")
    if not 50.0 <= v <= 100.0:
        raise argparse.ArgumentTypeError(f"expected a percentile in [50, 100], got {text}")
    return v


def parser():
    p = argparse.ArgumentParser(
        prog="qtsim_train.py",
        description="Quantization-aware training with per-class bit widths; records a qtsim trace (format v1).")
    p.add_argument("--dataset", choices=("fashion_mnist", "cifar10"), default="fashion_mnist")
    p.add_argument("--data-dir", default=None,
                   help="dataset folder (default for fashion_mnist: /usr/share/datasets/fashion-mnist; "
                        "required for cifar10: the python or binary release)")
    p.add_argument("--network", default=None,
                   help="qtsim network JSON, or builtin:<name> for qtsim's workloads/networks/<name>.json "
                        "(default: workloads/networks/resnet20_<dataset>.json)")
    p.add_argument("--policy", default="{}",
                   help="policy JSON file, or inline JSON (qtsim's `policy` section; default {}: class_difficulty)")
    p.add_argument("--epochs", type=_positive, default=10)
    p.add_argument("--batch-size", type=_positive, default=128)
    p.add_argument("--subset", type=_non_negative, default=0, help="training images, class-balanced (0 = all)")
    p.add_argument("--test-subset", type=_non_negative, default=0, help="test images, class-balanced (0 = all)")
    p.add_argument("--seed", type=_non_negative, default=0)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--lr-milestones", type=_milestones, default=None,
                   help="epochs at which the learning rate is divided by 10 (default: E/2 and 3E/4, rounded down)")
    p.add_argument("--grad-rounding", choices=("nearest", "stochastic"), default="stochastic")
    p.add_argument("--weight-scale", choices=("channel", "tensor"), default="channel",
                   help="weight quantizer scale: one per output channel (default) or one per tensor")
    p.add_argument("--act-clip-percentile", type=_percentile, default=99.9,
                   help="activations clipped at this percentile of |x| (default 99.9; 100 = max-abs, no clipping)")
    p.add_argument("--first-last-bits", type=_non_negative, default=8,
                   help="the first and last conv/FC layers run at >= this many activation and weight bits "
                        "(default 8; 0 = the group's bits)")
    p.add_argument("--default-hysteresis", type=_fraction, default=0.02,
                   help="hysteresis of a class_difficulty policy (threshold/above_mean) that sets none (default 0.02)")
    p.add_argument("--deploy-bits", default="8/8",
                   help="ACT/WEIGHT bits of every test image and of the tagging accuracy (default 8/8)")
    p.add_argument("--test-every", type=_positive, default=1,
                   help="test after every N-th epoch, and after the last (default 1)")
    p.add_argument("--final-test-subset", type=_non_negative, default=0,
                   help="test images of the test after the last epoch, class-balanced (default 0: all)")
    p.add_argument("--tag-subset", type=_non_negative, default=2000,
                   help="training images whose accuracy at --deploy-bits drives tagging (default 2000; 0 = all)")
    p.add_argument("--bn-calibration", type=_non_negative, default=1000,
                   help="training images that re-estimate batch norm statistics and activation ranges before "
                        "each evaluation (default 1000; 0 = all)")
    p.add_argument("--accuracy-out", default=None, help="accuracy file to write (.json), rewritten after every epoch")
    p.add_argument("--predictions-out", default=None,
                   help="per-image predictions file to write (.json), rewritten after every epoch")
    p.add_argument("--batch-norm", choices=("batch", "group"), default="batch",
                   help="batch norm statistics over the whole mini-batch (default) or over each precision group")
    p.add_argument("--threads", type=_positive, default=1, help="torch CPU threads (results depend on it)")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="cpu")
    p.add_argument("--out", default=None, help="trace file to write (.json), rewritten after every epoch; an "
                   "existing file is replaced only if it is a qtsim trace")
    p.add_argument("--quiet", action="store_true", help="no per-epoch lines on stderr")
    return p


def main(argv=None):
    argv = sys.argv if argv is None else argv
    args = parser().parse_args(argv[1:])
    if args.dataset == "cifar10" and not args.data_dir:
        parser().error("--dataset cifar10 needs --data-dir (a folder holding the CIFAR-10 python or binary release)")
    if args.network is None:
        args.network = os.path.relpath(os.path.join(REPO, DEFAULT_NETWORK[args.dataset]))
    targets = ((args.out, "qtsim-trace", "--out"), (args.accuracy_out, "qtsim-accuracy", "--accuracy-out"),
               (args.predictions_out, "qtsim-predictions", "--predictions-out"))
    for path, fmt, flag in targets:
        if path is not None:
            try:
                check_trace_target(path, fmt)  # before any training work
            except TraceError as e:
                print(f"qtsim_train.py: error: {flag}: {e}", file=sys.stderr)
                return 1
    try:
        import torch  # noqa: F401 (a clear message when Debian's python3-torch is missing)
    except ImportError:
        print("qtsim_train.py: error: torch not found; run with /usr/bin/python3 and install python3-torch",
              file=sys.stderr)
        return 1
    from .train import train_and_record
    if args.device == "auto":
        args.device = "cuda" if torch.cuda.is_available() else "cpu"
    if args.device == "cuda" and not torch.cuda.is_available():
        print("qtsim_train.py: error: --device cuda: no CUDA device is available to torch; use --device cpu",
              file=sys.stderr)
        return 1
    try:
        policy = load_policy(args.policy, args.default_hysteresis)
        log = (lambda line: None) if args.quiet else None
        train_and_record(args, policy, argv, log)
    except (PolicyError, DatasetError, TraceError, ValueError, OSError) as e:
        print(f"qtsim_train.py: error: {e}", file=sys.stderr)
        return 1
    return 0
