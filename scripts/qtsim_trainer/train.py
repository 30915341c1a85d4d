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
from .quantize import GradientRounding, QuantConfig
from .trace import write_json, write_trace

TEST_BATCH = 250
FP32 = Precision(32, 32, 32)


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


def batch_norms(model):
    return [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]


def calibrate(model, data, index, precision, qconfig, device):
    """Deployment calibration at `precision` (docs: scripts/README_trainer.md, "Evaluation"): one
    no-grad pass in train mode over the images `index`, in chunks of TEST_BATCH, that (1) re-estimates
    every batch norm's running mean and variance as the plain average over the chunks (momentum None)
    and (2) records each layer's activation clip value, averaged over the chunks (max-abs: their
    maximum). Returns (the static clip value per layer, the batch norm state to restore afterwards)."""
    saved = [(m, m.momentum, m.running_mean.clone(), m.running_var.clone(), m.num_batches_tracked.clone())
             for m in batch_norms(model)]
    for m, *_ in saved:
        m.reset_running_stats()
        m.momentum = None
    collect = {}
    qctx = QuantContext(precision, GradientRounding(), qconfig, collect=collect)
    model.train()
    with torch.no_grad():
        for start in range(0, index.shape[0], TEST_BATCH):
            model(data.normalized(index[start:start + TEST_BATCH]).to(device), qctx)
    for m, momentum, *_ in saved:
        m.momentum = momentum
    reduce = torch.max if qconfig.act_clip_percentile >= 100.0 else torch.mean
    return {name: reduce(torch.stack(values)) for name, values in collect.items()}, saved


def restore_batch_norm(saved):
    for m, _, mean, var, tracked in saved:
        m.running_mean.copy_(mean)
        m.running_var.copy_(var)
        m.num_batches_tracked.copy_(tracked)


def predict(model, data, index, precision, qconfig, ranges, device):
    """Eval mode, every image of `index` at the forward bits of `precision` with the static clip
    values `ranges`: (predicted classes, per-image cross-entropy), in `index` order. Chunks of
    TEST_BATCH; with static scales and running batch norm statistics no image depends on its chunk."""
    model.eval()
    qctx = QuantContext(precision, GradientRounding(), qconfig, ranges=ranges)
    preds, losses = [], []
    with torch.no_grad():
        for start in range(0, index.shape[0], TEST_BATCH):
            idx = index[start:start + TEST_BATCH]
            logits = model(data.normalized(idx).to(device), qctx)
            preds.append(logits.argmax(1).cpu())
            losses.append(cross_entropy(logits, data.labels[idx].to(logits.device)).cpu())
    model.train()
    return torch.cat(preds), torch.cat(losses).double()


def cross_entropy(logits, y):
    """Per-sample cross-entropy. On CUDA, where torch's nll_loss has no deterministic kernel, the
    same quantity as -log_softmax summed against the one-hot labels (element-wise, deterministic)."""
    if not logits.is_cuda:
        return F.cross_entropy(logits, y, reduction="none")
    one_hot = (y[:, None] == torch.arange(logits.shape[1], device=y.device)).to(logits.dtype)
    return -(F.log_softmax(logits, dim=1) * one_hot).sum(dim=1)


def per_class_accuracy(pred, labels, num_classes):
    """(overall accuracy, per-class accuracies) of predictions against labels."""
    total = torch.bincount(labels, minlength=num_classes)
    correct = torch.bincount(labels[pred == labels], minlength=num_classes)
    return int(correct.sum()) / int(total.sum()), [int(correct[c]) / int(total[c]) for c in range(num_classes)]


def evaluate(model, targets, precision, qconfig, calibration, device):
    """Calibrates at `precision` on `calibration` = (training set, its image indices), predicts each
    (dataset, index) of `targets`, and restores the batch norm state (evaluation leaves training
    untouched). Returns one (predictions, per-image losses) per target."""
    ranges, saved = calibrate(model, calibration[0], calibration[1], precision, qconfig, device)
    try:
        return [predict(model, data, index, precision, qconfig, ranges, device) for data, index in targets]
    finally:
        restore_batch_norm(saved)


def accumulate_gradients(model, x, y, sample_group, precisions, rounding, correct, loss_sum, batch_norm="batch",
                         qconfig=None):
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
                _pass(model, x[mask.to(x.device)], y[mask], QuantContext(precision, rounding, qconfig), None, y.shape[0],
                      correct, loss_sum, c)
        return
    order = torch.sort(sample_group, stable=True).indices
    counts = torch.bincount(sample_group, minlength=len(precisions)).tolist()
    present = [g for g in range(len(precisions)) if counts[g]]
    qctx = [QuantContext(precisions[g], rounding, qconfig) for g in present]
    if len(present) == 1:
        qctx, sizes = qctx[0], None
    else:
        sizes = [counts[g] for g in present]
    _pass(model, x[order.to(x.device)], y[order], qctx, sizes, y.shape[0], correct, loss_sum, c)


def _pass(model, x, y, qctx, sizes, batch_samples, correct, loss_sum, c):
    logits = model(x, qctx, sizes)
    losses = cross_entropy(logits, y.to(x.device))
    (losses.sum() / batch_samples).backward()
    pred = logits.detach().argmax(1).cpu()
    correct += torch.bincount(y[pred == y], minlength=c)
    loss_sum += torch.bincount(y, weights=losses.detach().cpu().double(), minlength=c)


def parse_bits(text):
    """`A/W` (forward activation and weight bits) -> Precision(A, W, 32)."""
    parts = text.split("/")
    if len(parts) != 2 or not all(p.isdigit() and 1 <= int(p) <= 32 for p in parts):
        raise ValueError(f"--deploy-bits {text!r}: expected ACT/WEIGHT, two integers in [1, 32], e.g. 8/8")
    return Precision(int(parts[0]), int(parts[1]), 32)


class Trainer:
    def __init__(self, args, policy, log=print):
        self.args, self.policy, self.log = args, policy, log
        setup_torch(args.threads, args.device)
        self.deploy = parse_bits(args.deploy_bits)
        self.qconfig = QuantConfig(args.weight_scale, args.act_clip_percentile, args.first_last_bits)
        self.train_set = load_dataset(args.dataset, args.data_dir, True)
        self.test_set = load_dataset(args.dataset, args.data_dir, False)
        self.spec = load_network(args.network)
        shape = tuple(self.train_set.images.shape[1:])
        net_shape = (self.spec["input"]["channels"], self.spec["input"]["height"], self.spec["input"]["width"])
        self.num_classes = c = len(self.train_set.class_names)
        if shape != net_shape or self.spec["num_classes"] != c:
            raise ValueError(f"{args.network}: input {net_shape} and {self.spec['num_classes']} classes do not fit "
                             f"{args.dataset} ({shape}, {c} classes)")
        if hasattr(policy, "check_classes"):
            policy.check_classes(c)
        for flag, n in (("--subset", args.subset), ("--tag-subset", args.tag_subset),
                        ("--bn-calibration", args.bn_calibration)):
            if 0 < n < c:
                raise ValueError(f"{flag} {n}: expected 0 (all) or at least one image per class (>= {c})")
        gen = lambda offset: torch.Generator().manual_seed(args.seed + offset)  # noqa: E731
        self.train_index = balanced_subset(self.train_set.labels, args.subset, c, gen(1))
        self.test_index = balanced_subset(self.test_set.labels, args.test_subset, c, gen(2))
        self.final_index = balanced_subset(self.test_set.labels, args.final_test_subset, c, gen(2))
        own = self.train_set.labels[self.train_index]
        self.tag_index = self.train_index[balanced_subset(own, min(args.tag_subset, len(own)), c, gen(5))]
        self.calib_index = self.train_index[balanced_subset(own, min(args.bn_calibration, len(own)), c, gen(6))]
        if hasattr(policy, "check_run"):
            policy.check_run(args.epochs, int(self.train_index.shape[0]))
        self.shuffle = gen(3)
        self.rounding = GradientRounding(args.grad_rounding == "stochastic", args.seed + 4, args.device)
        torch.manual_seed(args.seed)
        self.model = QtsimNetwork(self.spec).to(args.device)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=args.lr, momentum=args.momentum,
                                         weight_decay=args.weight_decay)
        self.milestones = lr_milestones(args.epochs, args.lr_milestones)

    def sample_groups(self, epoch, grouping, y_batches):
        """The precision group of every sample of each mini-batch: by class (class policies) or, for
        random_assignment, the first n_i samples of mini-batch i in the low tier."""
        if not hasattr(self.policy, "low_counts"):
            class_group = torch.tensor(grouping.class_group, dtype=torch.int64)
            return [class_group[y] for y in y_batches]
        low = self.policy.low_counts(epoch, [int(y.shape[0]) for y in y_batches])
        high_group, low_group = grouping.tier_group
        return [torch.where(torch.arange(y.shape[0]) < n, low_group, high_group) for y, n in zip(y_batches, low)]

    def train_epoch(self, epoch, class_tier):
        args, n, c = self.args, self.train_index.shape[0], self.num_classes
        lr = args.lr * 0.1 ** sum(1 for m in self.milestones if m <= epoch)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        grouping = PrecisionGrouping(self.policy.tiers, class_tier)
        correct = torch.zeros(c, dtype=torch.int64)
        seen = torch.zeros(c, dtype=torch.int64)
        loss_sum = torch.zeros(c, dtype=torch.float64)
        rows, low_samples = [], 0
        order = self.train_index[torch.randperm(n, generator=self.shuffle)]
        batches = [order[s:s + args.batch_size] for s in range(0, n, args.batch_size)]
        groups = self.sample_groups(epoch, grouping, [self.train_set.labels[idx] for idx in batches])
        for idx, sample_group in zip(batches, groups):
            y = self.train_set.labels[idx]
            x = self.train_set.normalized(idx).to(args.device)
            counts = torch.bincount(y, minlength=c)
            rows.append(counts.tolist())
            seen += counts
            low_samples += int((sample_group > 0).sum())
            self.optimizer.zero_grad(set_to_none=True)
            accumulate_gradients(self.model, x, y, sample_group, grouping.precisions, self.rounding, correct,
                                 loss_sum, args.batch_norm, self.qconfig)
            self.optimizer.step()
        running = [int(correct[k]) / int(seen[k]) for k in range(c)]
        return lr, rows, running, low_samples

    def tested(self, epoch):
        return (epoch + 1) % self.args.test_every == 0 or epoch == self.args.epochs - 1

    def measure(self, epoch):
        """After epoch `epoch`: the tagging accuracy and loss per class (training images `tag_index`
        at the deployment bits), and, on a test epoch, the test predictions at the deployment bits and
        in FP32 (the last epoch: also the final test set)."""
        train, test = (self.train_set, self.tag_index), (self.test_set, self.test_index)
        last = epoch == self.args.epochs - 1
        targets = [train] + ([test] if self.tested(epoch) else []) + ([(self.test_set, self.final_index)]
                                                                          if last else [])
        calib = (self.train_set, self.calib_index)
        deploy = evaluate(self.model, targets, self.deploy, self.qconfig, calib, self.args.device)
        fp32 = evaluate(self.model, targets[1:], FP32, self.qconfig, calib, self.args.device) if len(targets) > 1 \
            else []
        c = self.num_classes
        labels = self.train_set.labels[self.tag_index]
        tag_accuracy = per_class_accuracy(deploy[0][0], labels, c)[1]
        loss = torch.bincount(labels, weights=deploy[0][1], minlength=c) / torch.bincount(labels, minlength=c)
        return tag_accuracy, [float(v) for v in loss], deploy[1:], fp32

    def run(self, argv, write=None):
        """Trains every epoch; after each one calls write(trace document, accuracy document, predictions)."""
        args, c = self.args, self.num_classes
        started = time.monotonic()
        epochs, epoch_times, log = [], [], {"running_train_accuracy": [], "low_precision_samples": [],
                                            "tests": [], "final": None}
        tiers, accuracy = [0] * c, None
        for e in range(args.epochs):
            t0 = time.monotonic()
            tiers = self.policy.epoch_tiers(e, accuracy, tiers)
            lr, rows, running, low = self.train_epoch(e, tiers)
            accuracy, loss, deploy, fp32 = self.measure(e)
            log["running_train_accuracy"].append(running)
            log["low_precision_samples"].append(low)
            epoch = {"epoch": e, "train_accuracy": accuracy, "train_loss": loss, "tags": list(tiers),
                     "class_counts": rows}
            line = (f"epoch {e}: lr {lr:g}, tiers {''.join(map(str, tiers))}, low-precision samples {low}, "
                    f"tagging accuracy {sum(accuracy) / c:.4f}")
            if self.tested(e):
                test = self.test_record(e, self.test_index, deploy[0], fp32[0])
                log["tests"].append(test)
                epoch["test_accuracy"] = test["deploy"]["accuracy"]
                epoch["test_accuracy_per_class"] = test["deploy"]["per_class"]
                line += (f", test {args.deploy_bits} {test['deploy']['accuracy']:.4f} (per class " +
                         " ".join(f"{v:.2f}" for v in test["deploy"]["per_class"]) +
                         f"), FP32 {test['fp32']['accuracy']:.4f}")
            if e == args.epochs - 1:
                log["final"] = self.test_record(e, self.final_index, deploy[-1], fp32[-1])
                line += f", final test ({self.final_index.shape[0]} images) {log['final']['deploy']['accuracy']:.4f}"
            epoch_times.append(round(time.monotonic() - t0, 3))
            epochs.append(epoch)
            self.log(line + f", {epoch_times[-1]:.1f} s")
            doc = self.document(argv, epochs, epoch_times, round(time.monotonic() - started, 3), log)
            if write:
                write(doc, log)
        return doc

    def test_record(self, epoch, index, deploy, fp32):
        labels = self.test_set.labels[index]
        record = {"epoch": epoch, "images": int(index.shape[0])}
        for name, (pred, _) in (("deploy", deploy), ("fp32", fp32)):
            overall, per_class = per_class_accuracy(pred, labels, self.num_classes)
            record[name] = {"accuracy": overall, "per_class": per_class, "predictions": pred.tolist()}
        return record

    def document(self, argv, epochs, epoch_times, wall_time_s, log):
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
            "final_test_subset": int(self.final_index.shape[0]),
            "tag_subset": int(self.tag_index.shape[0]),
            "bn_calibration_images": int(self.calib_index.shape[0]),
            "seed": args.seed,
            "epochs": args.epochs,
            "epochs_completed": len(epochs),
            "optimizer": {"impl": "sgd", "lr": args.lr, "momentum": args.momentum,
                          "weight_decay": args.weight_decay, "lr_milestones": self.milestones, "lr_factor": 0.1},
            "quantizer": self.qconfig.describe(),
            "grad_rounding": self.rounding.name,
            "batch_norm": args.batch_norm,
            "train_accuracy": f"tagging accuracy: {int(self.tag_index.shape[0])} training images in eval mode at "
                              f"{args.deploy_bits} after batch norm calibration (not the running accuracy)",
            "test_precision": f"{args.deploy_bits} (act/weight), eval mode, batch norm and activation ranges "
                              f"calibrated at that precision on {int(self.calib_index.shape[0])} training images",
            "test_every": args.test_every,
            "running_train_accuracy": log["running_train_accuracy"],
            "low_precision_samples": log["low_precision_samples"],
            "fp32_test_accuracy": [t["fp32"]["accuracy"] for t in log["tests"]],
            "final_test": None if log["final"] is None else {
                k: log["final"][k]["accuracy"] for k in ("deploy", "fp32")},
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


def accuracy_document(doc, log, test_labels, final_labels):
    """The accuracy file: every test (per epoch and final) without predictions, and the command."""
    strip = lambda t: {k: ({kk: vv for kk, vv in v.items() if kk != "predictions"} if isinstance(v, dict) else v)  # noqa: E731
                       for k, v in t.items()}
    p = doc["provenance"]
    return {"format": "qtsim-accuracy", "version": 1, "command": p["command"], "seed": p["seed"],
            "policy": doc["policy"], "epochs_completed": p["epochs_completed"], "epochs": p["epochs"],
            "low_precision_samples": p["low_precision_samples"], "train_samples_per_epoch":
                doc["train_samples_per_epoch"], "tests": [strip(t) for t in log["tests"]],
            "final": None if log["final"] is None else strip(log["final"])}


def predictions_document(doc, log, test_index, test_labels, final_index, final_labels):
    """Per-image predicted classes of every test, with the test images' indices and labels."""
    return {"format": "qtsim-predictions", "version": 1, "command": doc["provenance"]["command"],
            "test_index": test_index.tolist(), "test_labels": test_labels.tolist(),
            "tests": [{"epoch": t["epoch"], "deploy": t["deploy"]["predictions"], "fp32": t["fp32"]["predictions"]}
                      for t in log["tests"]],
            "final_index": final_index.tolist(), "final_labels": final_labels.tolist(),
            "final": None if log["final"] is None else {k: log["final"][k]["predictions"] for k in ("deploy", "fp32")}}


def train_and_record(args, policy, argv=None, log=None):
    argv = list(sys.argv) if argv is None else argv
    log = log or (lambda line: print(line, file=sys.stderr, flush=True))
    trainer = Trainer(args, policy, log)
    log(f"{TOOL_NAME}: {trainer.spec['name']} on {args.dataset}, {trainer.train_index.shape[0]} training / "
        f"{trainer.test_index.shape[0]} test images (final test {trainer.final_index.shape[0]}), {args.epochs} "
        f"epochs, batch {args.batch_size}, policy {policy.impl}, {torch.get_num_threads()} threads, {args.device}")
    labels = trainer.test_set.labels

    def write(doc, epoch_log):
        if args.out:
            write_trace(doc, args.out)
        extra = ((args.accuracy_out, accuracy_document(doc, epoch_log, None, None)),
                 (args.predictions_out, predictions_document(doc, epoch_log, trainer.test_index,
                                                             labels[trainer.test_index], trainer.final_index,
                                                             labels[trainer.final_index])))
        for path, document in extra:
            if path:
                write_json(document, path)
    return trainer.run(argv, write=write)
