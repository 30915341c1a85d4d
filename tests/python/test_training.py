"""The training loop: per-group gradient accumulation, and tiny recorded runs (Fashion-MNIST)."""
import copy
import unittest

import _paths
import torch

from qtsim_trainer.cli import parser
from qtsim_trainer.network import QtsimNetwork, load_network
from qtsim_trainer.policies import Precision, load_policy, plan
from qtsim_trainer.quantize import GradientRounding
from qtsim_trainer.trace import check_trace
from qtsim_trainer.quantize import QuantConfig
from qtsim_trainer.train import (accumulate_gradients, calibrate, evaluate, lr_milestones, per_class_accuracy,
                                 restore_batch_norm, train_and_record)

# No batch norm, so that a sample's gradient does not depend on the other samples of its group.
NO_BN = {"name": "no_bn", "input": {"channels": 1, "height": 6, "width": 6}, "num_classes": 3, "layers": [
    {"name": "conv", "type": "conv", "inputs": ["input"], "out_channels": 4, "kernel": 3, "padding": 1},
    {"name": "relu", "type": "relu", "inputs": ["conv"]},
    {"name": "pool", "type": "global_avg_pool", "inputs": ["relu"]},
    {"name": "fc", "type": "fully_connected", "inputs": ["pool"], "out_features": 3},
    {"name": "loss", "type": "softmax_cross_entropy", "inputs": ["fc"]}]}
FP32 = Precision(32, 32, 32)


def grads(model):
    return [p.grad.clone() for p in model.parameters()]


class GroupAccumulation(unittest.TestCase):
    def test_groups_sum_to_the_gradient_of_the_batch_mean_loss(self):
        torch.manual_seed(3)
        model = QtsimNetwork(NO_BN)
        x, y = torch.randn(6, 1, 6, 6), torch.tensor([0, 1, 2, 0, 1, 2])
        c, l = torch.zeros(3, dtype=torch.int64), torch.zeros(3, dtype=torch.float64)
        accumulate_gradients(model, x, y, torch.zeros(6, dtype=torch.int64), [FP32], GradientRounding(), c, l)
        whole = grads(model)
        model.zero_grad(set_to_none=True)
        c2, l2 = torch.zeros(3, dtype=torch.int64), torch.zeros(3, dtype=torch.float64)
        # Two FP32 groups (samples 0, 2, 5 and 1, 3, 4): same sum, up to float32 rounding of the order.
        accumulate_gradients(model, x, y, torch.tensor([0, 1, 0, 1, 1, 0]), [FP32, FP32], GradientRounding(), c2, l2,
                             "group")
        for a, b in zip(whole, grads(model)):
            self.assertTrue(torch.allclose(a, b, rtol=1e-5, atol=1e-7))
        self.assertEqual(c.tolist(), c2.tolist())
        self.assertTrue(torch.allclose(l, l2))
        self.assertEqual(int(torch.bincount(y, minlength=3).sum()), 6)

    def test_each_group_runs_at_its_own_precision(self):
        torch.manual_seed(3)
        model = QtsimNetwork(NO_BN)
        x, y = torch.randn(4, 1, 6, 6), torch.tensor([0, 1, 2, 0])
        z = lambda: (torch.zeros(3, dtype=torch.int64), torch.zeros(3, dtype=torch.float64))  # noqa: E731
        accumulate_gradients(model, x, y, torch.tensor([0, 0, 1, 1]), [FP32, Precision(2, 2, 2)], GradientRounding(),
                             *z())
        mixed = grads(model)
        model.zero_grad(set_to_none=True)
        accumulate_gradients(model, x, y, torch.tensor([0, 0, 1, 1]), [FP32, FP32], GradientRounding(), *z())
        self.assertFalse(all(torch.equal(a, b) for a, b in zip(mixed, grads(model))))


class BatchNormModes(unittest.TestCase):
    """ResNet-20 (with batch norm), 8 samples split into two FP32 groups."""

    def grads_of(self, sample_group, precisions, batch_norm):
        torch.manual_seed(2)
        model = QtsimNetwork(load_network(_paths.REPO + "/workloads/networks/resnet20_fashion_mnist.json"))
        g = torch.Generator().manual_seed(0)
        x, y = torch.randn(8, 1, 28, 28, generator=g), torch.tensor([0, 1, 2, 3, 4, 5, 6, 7])
        accumulate_gradients(model, x, y, sample_group, precisions, GradientRounding(),
                             torch.zeros(10, dtype=torch.int64), torch.zeros(10, dtype=torch.float64), batch_norm)
        return grads(model)

    def test_batch_mode_normalises_over_the_whole_mini_batch(self):
        one = self.grads_of(torch.zeros(8, dtype=torch.int64), [FP32], "batch")
        split = torch.tensor([1, 0, 1, 0, 0, 1, 1, 0])
        # Whole-batch statistics: two FP32 groups give the one-group gradient (up to summation order).
        for a, b in zip(one, self.grads_of(split, [FP32, FP32], "batch")):
            self.assertTrue(torch.allclose(a, b, rtol=1e-4, atol=1e-6))
        # Per-group statistics normalise each half on its own: a different gradient.
        grouped = self.grads_of(split, [FP32, FP32], "group")
        self.assertFalse(all(torch.allclose(a, b, rtol=1e-2, atol=1e-4) for a, b in zip(one, grouped)))
        # And in batch mode each group still runs at its own precision.
        mixed = self.grads_of(split, [FP32, Precision(4, 4, 8)], "batch")
        self.assertFalse(all(torch.allclose(a, b, rtol=1e-2, atol=1e-4) for a, b in zip(one, mixed)))


class Evaluate(unittest.TestCase):
    def test_every_image_at_one_precision(self):
        # An FC layer on 2 features, W = [[1, 0], [0.6, 0]], bias [0, 0.2] (FP32); two identical images
        # x = [1, 0], labelled 0 and 1. FP32 logits: [1, 0.8] -> 0. At 2 bits (levels 1, s = max|W| = 1, per
        # tensor) W -> [[1, 0], [1, 0]] (round(0.6) = 1) and x stays [1, 0] (static range 1 from calibration on
        # the same images): logits [1, 1.2] -> 1.
        from qtsim_trainer.datasets import Dataset
        spec = {"name": "fc", "input": {"channels": 2, "height": 1, "width": 1}, "num_classes": 2, "layers": [
            {"name": "fc", "type": "fully_connected", "inputs": ["input"], "out_features": 2},
            {"name": "loss", "type": "softmax_cross_entropy", "inputs": ["fc"]}]}
        model = QtsimNetwork(spec)
        with torch.no_grad():
            model.mods["fc"].weight.copy_(torch.tensor([[1.0, 0.0], [0.6, 0.0]]))
            model.mods["fc"].bias.copy_(torch.tensor([0.0, 0.2]))
        images = torch.tensor([[[[255]], [[0]]], [[[255]], [[0]]]], dtype=torch.uint8)
        data = Dataset("toy", images, torch.tensor([0, 1]), ["a", "b"], (0.0, 0.0), (1.0, 1.0))
        index = torch.tensor([0, 1])
        two, fp32 = Precision(2, 2, 2), Precision(32, 32, 32)
        config = QuantConfig("tensor", 100.0, 0)
        [(pred, _)] = evaluate(model, [(data, index)], fp32, config, (data, index), "cpu")
        self.assertEqual(pred.tolist(), [0, 0])
        self.assertEqual(per_class_accuracy(pred, data.labels, 2), (0.5, [1.0, 0.0]))
        [(pred, _)] = evaluate(model, [(data, index)], two, config, (data, index), "cpu")
        self.assertEqual(pred.tolist(), [1, 1])
        # With first/last layers at >= 8 bits the only (first and last) layer runs at 8 bits: W[1, 0] = 0.6
        # -> round(0.6 * 127) / 127 = 76 / 127 < 0.8, so logits [1, 0.798..] -> 0.
        [(pred, _)] = evaluate(model, [(data, index)], two, QuantConfig("tensor", 100.0, 8), (data, index), "cpu")
        self.assertEqual(pred.tolist(), [0, 0])


class BatchNormCalibration(unittest.TestCase):
    SPEC = {"name": "bn", "input": {"channels": 1, "height": 1, "width": 1}, "num_classes": 2, "layers": [
        {"name": "conv", "type": "conv", "inputs": ["input"], "out_channels": 1, "kernel": 1},
        {"name": "bn", "type": "batch_norm", "inputs": ["conv"]},
        {"name": "fc", "type": "fully_connected", "inputs": ["bn"], "out_features": 2},
        {"name": "loss", "type": "softmax_cross_entropy", "inputs": ["fc"]}]}

    def test_statistics_of_the_calibration_images_then_restored(self):
        from qtsim_trainer.datasets import Dataset
        model = QtsimNetwork(self.SPEC)
        with torch.no_grad():
            model.mods["conv"].weight.fill_(1.0)
        bn = model.mods["bn"]
        bn.running_mean.fill_(7.0)
        # Pixels 0, 51, 102, 255 -> x = p / 255: 0, 0.2, 0.4, 1.0 (mean 0, std 1 normalisation). Conv weight 1:
        # the batch norm sees those values; mean 0.4, unbiased variance (0.16 + 0.04 + 0 + 0.36) / 3 = 0.56 / 3.
        images = torch.tensor([0, 51, 102, 255], dtype=torch.uint8).view(4, 1, 1, 1)
        data = Dataset("toy", images, torch.tensor([0, 1, 0, 1]), ["a", "b"], (0.0,), (1.0,))
        ranges, saved = calibrate(model, data, torch.arange(4), Precision(32, 32, 32), QuantConfig(), "cpu")
        self.assertAlmostEqual(float(bn.running_mean), 0.4, places=6)
        self.assertAlmostEqual(float(bn.running_var), 0.56 / 3.0, places=6)
        self.assertEqual(bn.momentum, 0.1)  # the training momentum is back
        restore_batch_norm(saved)
        self.assertEqual(float(bn.running_mean), 7.0)

    def test_static_ranges_are_the_mean_of_the_chunks_percentiles(self):
        from qtsim_trainer.datasets import Dataset
        model = QtsimNetwork(self.SPEC)
        # 500 images in two chunks of 250 (TEST_BATCH): pixel 1..250 then 2..251 (x = p / 255). At 8 bits the
        # conv input's 50th percentile (nearest rank 125 of 250): 125 / 255 and 126 / 255; their mean 125.5 / 255.
        pixels = torch.cat([torch.arange(1, 251), torch.arange(2, 252)]).to(torch.uint8).view(500, 1, 1, 1)
        data = Dataset("toy", pixels, torch.zeros(500, dtype=torch.int64), ["a", "b"], (0.0,), (1.0,))
        ranges, saved = calibrate(model, data, torch.arange(500), Precision(8, 8, 16),
                                  QuantConfig("tensor", 50.0, 0), "cpu")
        restore_batch_norm(saved)
        self.assertAlmostEqual(float(ranges["conv"]), 125.5 / 255.0, places=6)


class Milestones(unittest.TestCase):
    def test_defaults(self):
        self.assertEqual(lr_milestones(15, None), [7, 11])
        self.assertEqual(lr_milestones(1, None), [])
        self.assertEqual(lr_milestones(3, [2, 1, 2]), [1, 2])


TOP_K = ('{"impl": "class_difficulty", "tagging": "top_k", "tiers": [{"name": "hard", "precision": {}}, '
         '{"name": "easy", "precision": {"act_bits": 4, "weight_bits": 4, "grad_bits": 8}, "k": 5}]}')


def tiny_run(*extra, keep_log=False):
    argv = ["qtsim_train.py", "--subset", "40", "--test-subset", "20", "--final-test-subset", "30", "--batch-size",
            "16", "--epochs", "2", "--seed", "5", "--bn-calibration", "20", "--policy", TOP_K, *extra]
    args = parser().parse_args(argv[1:])
    args.network = _paths.REPO + "/workloads/networks/resnet20_fashion_mnist.json"
    lines = []
    doc = train_and_record(args, load_policy(args.policy), argv, log=lines.append)
    return (doc, lines) if keep_log else doc


def without_wall_time(doc):
    doc = copy.deepcopy(doc)
    del doc["provenance"]["wall_time_s"], doc["provenance"]["epoch_wall_time_s"]
    return doc


class TinyRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.doc = tiny_run()

    def test_trace_is_valid_and_complete(self):
        d = self.doc
        check_trace(d)
        # 40 images, batch 16: 3 iterations of 16, 16, 8; 4 images of each class per epoch.
        self.assertEqual((d["iterations_per_epoch"], d["train_samples_per_epoch"]), (3, 40))
        for e in d["epochs"]:
            self.assertEqual([sum(r) for r in e["class_counts"]], [16, 16, 8])
            self.assertEqual([sum(col) for col in zip(*e["class_counts"])], [4] * 10)
            # 20 test images, 2 per class: overall = correct / 20, the mean of the per-class fractions.
            self.assertAlmostEqual(e["test_accuracy"], sum(e["test_accuracy_per_class"]) / 10, places=12)
            self.assertEqual(e["test_accuracy"] * 20, round(e["test_accuracy"] * 20))
            for a in e["train_accuracy"]:
                self.assertIn(a * 4, (0.0, 1.0, 2.0, 3.0, 4.0))  # fractions of 4 samples
        p = d["provenance"]
        self.assertEqual(len(p["fp32_test_accuracy"]), 2)
        self.assertEqual((p["final_test_subset"], p["tag_subset"], p["bn_calibration_images"]), (30, 40, 20))
        self.assertEqual(p["final_test"]["deploy"] * 30, round(p["final_test"]["deploy"] * 30))
        # top_k, k = 5: in epoch 1, 5 classes x 4 samples at 4/4/8.
        self.assertEqual(p["low_precision_samples"], [0, 20])
        self.assertEqual(p["quantizer"]["weight_scale"], "channel")
        self.assertEqual(p["grad_rounding"], "stochastic")  # the default
        self.assertEqual(d["provenance"]["kind"], "recorded")
        self.assertEqual(d["provenance"]["train_subset"], 40)
        self.assertEqual(d["policy"]["tagging"], "top_k")

    def test_tags_are_the_policy_applied_to_the_written_accuracies(self):
        written = [e["train_accuracy"] for e in self.doc["epochs"]]
        tags = [e["tags"] for e in self.doc["epochs"]]
        self.assertEqual(tags, plan(load_policy(TOP_K), written))
        self.assertEqual(tags[0], [0] * 10)
        self.assertEqual(sorted(tags[1]), [0] * 5 + [1] * 5)  # top_k with k = 5 of 10

    def test_rerun_is_identical_apart_from_wall_time(self):
        again = tiny_run()
        self.assertEqual(without_wall_time(again), without_wall_time(self.doc))
        other_seed = tiny_run("--seed", "6")
        self.assertNotEqual(other_seed["epochs"][0]["class_counts"], self.doc["epochs"][0]["class_counts"])


class LeakDiagnostic(unittest.TestCase):
    """Per-class test accuracy at the deployment bits (8/8), in every epoch: in the trace, in the accuracy
    and predictions files (recounted here from the per-image predictions and labels), and in the log."""

    def test_per_class_deploy_accuracy_each_epoch(self):
        import json
        import os
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            files = [os.path.join(tmp, name) for name in ("t.json", "a.json", "p.json")]
            doc, lines = tiny_run("--out", files[0], "--accuracy-out", files[1], "--predictions-out", files[2],
                                  keep_log=True)
            with open(files[1]) as f:
                acc = json.load(f)
            with open(files[2]) as f:
                pred = json.load(f)
        self.assertEqual(len(pred["tests"]), 2)
        self.assertEqual(len(pred["test_labels"]), 20)
        for e, (epoch, test) in enumerate(zip(doc["epochs"], pred["tests"])):
            correct, total = [0] * 10, [0] * 10
            for label, p in zip(pred["test_labels"], test["deploy"]):
                total[label] += 1
                correct[label] += label == p
            per_class = [correct[c] / total[c] for c in range(10)]
            self.assertEqual(epoch["test_accuracy_per_class"], per_class)
            self.assertEqual(acc["tests"][e]["deploy"]["per_class"], per_class)
            self.assertIn(f"epoch {e}: ", lines[e + 1])
            self.assertIn("test 8/8 ", lines[e + 1])
            self.assertIn("(per class " + " ".join(f"{v:.2f}" for v in per_class) + ")", lines[e + 1])
        final = pred["final"]["deploy"]
        hits = sum(a == b for a, b in zip(final, pred["final_labels"]))
        self.assertEqual(acc["final"]["deploy"]["accuracy"], hits / 30)
        self.assertEqual(len(final), 30)

    def test_test_every(self):
        doc = tiny_run("--test-every", "2", "--epochs", "3")
        self.assertEqual(["test_accuracy" in e for e in doc["epochs"]], [False, True, True])  # epoch 1 and the last


class RandomAssignmentRun(unittest.TestCase):
    def test_low_samples_per_epoch_and_tags(self):
        doc = tiny_run("--policy", '{"impl": "random_assignment", "low_samples_per_epoch": [10, 40]}')
        check_trace(doc)
        self.assertEqual(doc["provenance"]["low_precision_samples"], [10, 40])
        self.assertEqual([e["tags"] for e in doc["epochs"]], [[0] * 10, [0] * 10])


if __name__ == "__main__":
    unittest.main()


def fake_cifar10(root):
    """A CIFAR-10 python release of random images: one image of every class per batch (50 training, 10 test)."""
    import os
    import pickle

    import numpy as np
    rng = np.random.default_rng(0)
    for stem in [f"data_batch_{k}" for k in range(1, 6)] + ["test_batch"]:
        with open(os.path.join(root, stem), "wb") as f:
            pickle.dump({b"data": rng.integers(0, 256, (10, 3072), dtype=np.uint8), b"labels": list(range(10))}, f)
    with open(os.path.join(root, "batches.meta"), "wb") as f:
        pickle.dump({b"label_names": [f"class{k}".encode() for k in range(10)]}, f)


class Cifar10Run(unittest.TestCase):
    def test_tiny_python_release_trains_on_resnet20_cifar10(self):
        import tempfile

        with tempfile.TemporaryDirectory() as root:
            fake_cifar10(root)
            argv = ["qtsim_train.py", "--dataset", "cifar10", "--data-dir", root, "--epochs", "1", "--batch-size",
                    "16", "--bn-calibration", "20", "--policy", '{"impl": "uniform"}']
            args = parser().parse_args(argv[1:])
            args.network = _paths.REPO + "/workloads/networks/resnet20_cifar10.json"
            doc = train_and_record(args, load_policy(args.policy), argv, log=lambda line: None)
        check_trace(doc)
        self.assertEqual((doc["network"], doc["dataset"], doc["train_samples_per_epoch"]),
                         ("resnet20_cifar10", "cifar10", 50))
        self.assertEqual(doc["iterations_per_epoch"], 4)  # 3 x 16 + 2
        self.assertEqual(doc["class_names"][9], "class9")
        self.assertEqual(doc["provenance"]["test_subset"], 10)

    def test_builtin_resnet56_trains_and_records_its_name(self):
        # --network builtin:<name> reads qtsim's workloads/networks/<name>.json; the trace names the network, so
        # `qtsim run --set workload.network=builtin:<trace's network>` replays it on the same one.
        import tempfile

        with tempfile.TemporaryDirectory() as root:
            fake_cifar10(root)
            argv = ["qtsim_train.py", "--dataset", "cifar10", "--data-dir", root, "--epochs", "1", "--batch-size",
                    "25", "--bn-calibration", "10", "--tag-subset", "10", "--network", "builtin:resnet56_cifar10",
                    "--policy", '{"impl": "class_difficulty"}']
            args = parser().parse_args(argv[1:])
            doc = train_and_record(args, load_policy(args.policy), argv, log=lambda line: None)
        check_trace(doc)
        self.assertEqual((doc["network"], doc["iterations_per_epoch"]), ("resnet56_cifar10", 2))  # 50 = 2 x 25
        self.assertEqual(doc["provenance"]["network_file"], "builtin:resnet56_cifar10")
