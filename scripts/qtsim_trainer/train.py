"""The training loop: quantization-aware training with per-sample precision, recorded as a trace.

Per epoch e: the policy tags every class from the training accuracies of epoch e - 1 (exactly
the floats written into the trace); the classes' tiers give each sample its precision. Each
mini-batch is split into precision groups (grouping.py, hardest first); every conv/FC layer runs
once per group with the fake quantizers of the group's precision, and the FP32 weight gradients
of the groups accumulate into the gradient of the mini-batch's mean loss. Then one SGD step with
momentum and weight decay on the FP32 master weights.

Batch norm (--batch-norm): "batch" normalises over the whole mini-batch (one pass, samples
ordered by group, each conv/FC layer run per group); "group" runs a separate forward and backward
pass per group, so batch norm normalises each group on its own and updates the running
statistics once per group. With one group per mini-batch both are standard training.

Training accuracy of class c in epoch e: the fraction of c's training samples of the epoch whose
logits, in that epoch's training forward pass (quantized, before the step of its iteration),
have their maximum at c; training loss: their mean cross-entropy. Test accuracy: after the
epoch, in eval mode (running batch norm statistics), at the forward precision (bA, bW) of tier 0,
the hardest tier, over the whole test set or its balanced subset.

Random streams (all torch.Generator, seeded from --seed): weights from torch.manual_seed(seed);
training subset seed + 1; test subset seed + 2; per-epoch shuffle seed + 3; stochastic rounding
of gradients seed + 4.
"""
import ctypes
import ctypes.util
import math
import os
import platform
import shlex
import sys
import time

import torch
import torch.nn.functional as F

from . import TOOL_NAME, TOOL_VERSION
from .datasets import balanced_subset, load_cifar10, load_fashion_mnist
from .grouping import PrecisionGrouping
from .network import QtsimNetwork, QuantContext, load_network
from .policies import Precision
from .quantize import GradientRounding
from .trace import write_trace

TEST_BATCH = 250
FP32 = Precision(32, 32, 32)
# Test evaluations recorded in provenance.extra_tests besides the trace's own test accuracy (tier 0's bits).
EXTRA_TESTS = {
    "class_tier": "each test image at the forward bits of its true class's tier in the epoch (the precision the "
                  "class trained at; an oracle, since it reads the label)",
    "fp32": "every test image in FP32 (no quantization)",
}


def cpu_platform():
    """The CPU the run's float kernels were chosen for: torch's CPU capability and the CPU model.
    Runs reproduce bit for bit only where both match (rerun_first_epoch.py checks this)."""
    capability = "unknown"
    for line in torch.__config__.show().splitlines():
        if "CPU capability usage:" in line:
            capability = line.split(":", 1)[1].strip()
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"capability": capability, "model": model}


def lr_milestones(epochs, given):
    """Epochs at which the learning rate is divided by 10: `given`, or floor(E/2) and floor(3E/4)."""
    if given is not None:
        return sorted(set(given))
    return sorted({m for m in (epochs // 2, (3 * epochs) // 4) if m > 0})


def keep_freed_memory():
    """Speed only (no effect on results): glibc returns large freed blocks to the kernel, and the
    activations of every iteration then cost page faults; raise the mmap and trim thresholds."""
    name = ctypes.util.find_library("c")
    if not name or platform.system() != "Linux":
        return
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD: glibc's maximum, 32 MiB
        libc.mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD
    except (OSError, AttributeError):
        pass


def setup_torch(threads, device):
    keep_freed_memory()
    if device == "cuda":
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # deterministic cuBLAS
        torch.backends.cudnn.benchmark = False
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)


def load_dataset(name, data_dir, train):
    if name == "fashion_mnist":
        return load_fashion_mnist(data_dir, train) if data_dir else load_fashion_mnist(train=train)
    return load_cifar10(data_dir, train)


def evaluate(model, data, index, class_precision, device, num_classes):
    """Test accuracy (overall, per class) in eval mode, each test image at the forward precision
    `class_precision[its class]`: the images of one precision are run together, in `index` order,
    in chunks of TEST_BATCH (each chunk's activations quantized with their own max-abs scale)."""
    model.eval()
    correct = torch.zeros(num_classes, dtype=torch.int64)
    total = torch.zeros(num_classes, dtype=torch.int64)
    labels = data.labels[index]
    with torch.no_grad():
        for precision in dict.fromkeys(class_precision):  # distinct, in class order
            classes = torch.tensor([class_precision[c] == precision for c in range(num_classes)])
            part = index[classes[labels]]
            qctx = QuantContext(precision, GradientRounding())
            for start in range(0, part.shape[0], TEST_BATCH):
                idx = part[start:start + TEST_BATCH]
                y = data.labels[idx]
                pred = model(data.normalized(idx).to(device), qctx).argmax(1).cpu()
                total += torch.bincount(y, minlength=num_classes)
                correct += torch.bincount(y[pred == y], minlength=num_classes)
    model.train()
    per_class = [int(correct[c]) / int(total[c]) for c in range(num_classes)]
    return int(correct.sum()) / int(total.sum()), per_class


def accumulate_gradients(model, x, y, sample_group, precisions, rounding, correct, loss_sum, batch_norm="batch"):
    """One iteration's forward and backward passes with every sample at the precision of its group
    (`precisions[g]` for `sample_group` g; hardest group first); the parameters' .grad accumulate the
    FP32 sum of the groups' weight gradients, i.e. the gradient of the mini-batch's mean loss. Adds
    each class's correct predictions and summed losses (float64) to `correct` and `loss_sum`.
    x is on the model's device, y and sample_group on the CPU.

    batch_norm "batch": one pass over the whole mini-batch, its samples ordered by group; each
    conv/FC layer runs once per group at the group's precision, batch norm normalises over the
    whole mini-batch. "group": one separate forward and backward pass per group, batch norm
    normalising each group on its own."""
    c = correct.shape[0]
    if batch_norm == "group":
        for g, precision in enumerate(precisions):
            mask = sample_group == g
            if bool(mask.any()):
                _pass(model, x[mask.to(x.device)], y[mask], QuantContext(precision, rounding), None, y.shape[0],
                      correct, loss_sum, c)
        return
    order = torch.sort(sample_group, stable=True).indices
    counts = torch.bincount(sample_group, minlength=len(precisions)).tolist()
    present = [g for g in range(len(precisions)) if counts[g]]
    qctx = [QuantContext(precisions[g], rounding) for g in present]
    if len(present) == 1:
        qctx, sizes = qctx[0], None
    else:
        sizes = [counts[g] for g in present]
    _pass(model, x[order.to(x.device)], y[order], qctx, sizes, y.shape[0], correct, loss_sum, c)


def _pass(model, x, y, qctx, sizes, batch_samples, correct, loss_sum, c):
    logits = model(x, qctx, sizes)
    losses = F.cross_entropy(logits, y.to(x.device), reduction="none")
    (losses.sum() / batch_samples).backward()
    pred = logits.detach().argmax(1).cpu()
    correct += torch.bincount(y[pred == y], minlength=c)
    loss_sum += torch.bincount(y, weights=losses.detach().cpu().double(), minlength=c)


class Trainer:
    def __init__(self, args, policy, log=print):
        self.args, self.policy, self.log = args, policy, log
        setup_torch(args.threads, args.device)
        self.train_set = load_dataset(args.dataset, args.data_dir, True)
        self.test_set = load_dataset(args.dataset, args.data_dir, False)
        self.spec = load_network(args.network)
        shape = tuple(self.train_set.images.shape[1:])
        net_shape = (self.spec["input"]["channels"], self.spec["input"]["height"], self.spec["input"]["width"])
        self.num_classes = len(self.train_set.class_names)
        if shape != net_shape or self.spec["num_classes"] != self.num_classes:
            raise ValueError(f"{args.network}: input {net_shape} and {self.spec['num_classes']} classes do not fit "
                             f"{args.dataset} ({shape}, {self.num_classes} classes)")
        if hasattr(policy, "check_classes"):
            policy.check_classes(self.num_classes)
        if 0 < args.subset < self.num_classes:
            raise ValueError(f"--subset {args.subset}: expected 0 (all) or at least one image per class "
                             f"(>= {self.num_classes})")
        gen = lambda offset: torch.Generator().manual_seed(args.seed + offset)  # noqa: E731
        self.train_index = balanced_subset(self.train_set.labels, args.subset, self.num_classes, gen(1))
        self.test_index = balanced_subset(self.test_set.labels, args.test_subset, self.num_classes, gen(2))
        self.shuffle = gen(3)
        self.rounding = GradientRounding(args.grad_rounding == "stochastic", args.seed + 4, args.device)
        torch.manual_seed(args.seed)
        self.model = QtsimNetwork(self.spec).to(args.device)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=args.lr, momentum=args.momentum,
                                         weight_decay=args.weight_decay)
        self.milestones = lr_milestones(args.epochs, args.lr_milestones)

    def train_epoch(self, epoch, class_tier):
        args, n, c = self.args, self.train_index.shape[0], self.num_classes
        lr = args.lr * 0.1 ** sum(1 for m in self.milestones if m <= epoch)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        grouping = PrecisionGrouping(self.policy.tiers, class_tier)
        class_group = torch.tensor(grouping.class_group, dtype=torch.int64)
        correct = torch.zeros(c, dtype=torch.int64)
        seen = torch.zeros(c, dtype=torch.int64)
        loss_sum = torch.zeros(c, dtype=torch.float64)
        rows = []
        order = self.train_index[torch.randperm(n, generator=self.shuffle)]
        for start in range(0, n, args.batch_size):
            idx = order[start:start + args.batch_size]
            y = self.train_set.labels[idx]
            x = self.train_set.normalized(idx).to(args.device)
            counts = torch.bincount(y, minlength=c)
            rows.append(counts.tolist())
            seen += counts
            self.optimizer.zero_grad(set_to_none=True)
            accumulate_gradients(self.model, x, y, class_group[y], grouping.precisions, self.rounding, correct,
                                 loss_sum, args.batch_norm)
            self.optimizer.step()
        train_accuracy = [int(correct[k]) / int(seen[k]) for k in range(c)]
        train_loss = [float(loss_sum[k]) / int(seen[k]) for k in range(c)]
        return lr, rows, train_accuracy, train_loss

    def run(self, argv, write=None):
        """Trains every epoch; after each one calls write(trace document) (the document so far)."""
        args = self.args
        started = time.monotonic()
        epochs, epoch_times = [], []
        tiers, accuracy = [0] * self.num_classes, None
        extra_tests = {name: {"definition": definition, "test_accuracy": [], "test_accuracy_per_class": []}
                       for name, definition in EXTRA_TESTS.items()}
        for e in range(args.epochs):
            t0 = time.monotonic()
            tiers = self.policy.epoch_tiers(e, accuracy, tiers)
            lr, rows, accuracy, loss = self.train_epoch(e, tiers)
            test, test_per_class = self.test([self.policy.tiers[0].precision] * self.num_classes)
            for name, class_precision in (("class_tier", [self.policy.tiers[t].precision for t in tiers]),
                                          ("fp32", [FP32] * self.num_classes)):
                overall, per_class = self.test(class_precision)
                extra_tests[name]["test_accuracy"].append(overall)
                extra_tests[name]["test_accuracy_per_class"].append(per_class)
            epoch_times.append(round(time.monotonic() - t0, 3))
            epochs.append({"epoch": e, "train_accuracy": accuracy, "train_loss": loss, "test_accuracy": test,
                           "test_accuracy_per_class": test_per_class, "tags": list(tiers), "class_counts": rows})
            self.log(f"epoch {e}: lr {lr:g}, tiers {''.join(map(str, tiers))}, train accuracy "
                     f"{sum(accuracy) / len(accuracy):.4f}, test accuracy {test:.4f}, {epoch_times[-1]:.1f} s")
            doc = self.document(argv, epochs, epoch_times, round(time.monotonic() - started, 3), extra_tests)
            if write:
                write(doc)
        return doc

    def test(self, class_precision):
        return evaluate(self.model, self.test_set, self.test_index, class_precision, self.args.device,
                        self.num_classes)

    def document(self, argv, epochs, epoch_times, wall_time_s, extra_tests):
        args, n = self.args, self.train_index.shape[0]
        provenance = {
            "kind": "recorded",
            "tool": TOOL_NAME,
            "tool_version": TOOL_VERSION,
            "command": shlex.join(argv),
            "dataset": args.dataset,
            "data_dir": args.data_dir or "(default)",
            "network_file": args.network,
            "train_images_available": len(self.train_set),
            "train_subset": n,
            "test_images_available": len(self.test_set),
            "test_subset": int(self.test_index.shape[0]),
            "seed": args.seed,
            "epochs": args.epochs,
            "epochs_completed": len(epochs),
            "optimizer": {"impl": "sgd", "lr": args.lr, "momentum": args.momentum,
                          "weight_decay": args.weight_decay, "lr_milestones": self.milestones, "lr_factor": 0.1},
            "quantizer": "symmetric linear, per-tensor max-abs scale, round half to even; activations unsigned "
                         "after relu; gradients (layer outputs and weights) to grad_bits in backward; STE",
            "grad_rounding": self.rounding.name,
            "batch_norm": args.batch_norm,
            "test_precision": "forward bits of tier 0, eval-mode batch norm",
            "extra_tests": extra_tests,
            "torch_version": torch.__version__,
            "python_version": platform.python_version(),
            "cpu": cpu_platform(),
            "device": args.device,
            "num_threads": torch.get_num_threads(),
            "deterministic_algorithms": torch.are_deterministic_algorithms_enabled(),
            "wall_time_s": wall_time_s,
            "epoch_wall_time_s": epoch_times,
        }
        return {
            "format": "qtsim-trace", "version": 1, "network": self.spec["name"], "dataset": args.dataset,
            "class_names": list(self.train_set.class_names), "batch_size": args.batch_size,
            "iterations_per_epoch": math.ceil(n / args.batch_size), "train_samples_per_epoch": n,
            "epochs": epochs, "policy": self.policy.resolved_config(), "provenance": provenance,
        }


def train_and_record(args, policy, argv=None, log=None):
    argv = list(sys.argv) if argv is None else argv
    log = log or (lambda line: print(line, file=sys.stderr, flush=True))
    trainer = Trainer(args, policy, log)
    log(f"{TOOL_NAME}: {trainer.spec['name']} on {args.dataset}, {trainer.train_index.shape[0]} training / "
        f"{trainer.test_index.shape[0]} test images, {args.epochs} epochs, batch {args.batch_size}, policy "
        f"{policy.impl}, {torch.get_num_threads()} threads, {args.device}")
    return trainer.run(argv, write=(lambda doc: write_trace(doc, args.out)) if args.out else None)
