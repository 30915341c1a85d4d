"""The torch model built from qtsim network JSON files."""
import json
import os
import unittest

import _paths
import torch

from qtsim_trainer.network import QtsimNetwork, QuantContext, load_network
from qtsim_trainer.quantize import LEGACY, GradientRounding, QuantConfig

FP32 = QuantContext((32, 32, 32), GradientRounding())


def shipped(name):
    return load_network(os.path.join(_paths.REPO, "workloads", "networks", name + ".json"))


def parameters(model):
    return sum(p.numel() for p in model.parameters())


class ShippedNetworks(unittest.TestCase):
    def test_parameter_counts_match_qtsim(self):
        # qtsim's counts (README, Networks): 269,434 (Fashion-MNIST, option A), 269,722 (CIFAR-10, option A).
        self.assertEqual(parameters(QtsimNetwork(shipped("resnet20_fashion_mnist"))), 269434)
        self.assertEqual(parameters(QtsimNetwork(shipped("resnet20_cifar10"))), 269722)

    def test_forward_shapes_and_quantizer_signedness(self):
        torch.manual_seed(0)
        model = QtsimNetwork(shipped("resnet20_fashion_mnist"))
        self.assertEqual(tuple(model(torch.randn(3, 1, 28, 28), QuantContext((4, 4, 8), GradientRounding())).shape),
                         (3, 10))
        # The normalised image is signed; every later conv/FC reads a relu output (or its pooling): unsigned.
        self.assertTrue(model.signed_input["conv1"])
        self.assertFalse(model.signed_input["layer1.0.conv1"])
        self.assertFalse(model.signed_input["layer3.0.conv1"])
        self.assertFalse(model.signed_input["fc"])


class DeeperResnets(unittest.TestCase):
    """ResNet-32, -44, -56 and -110 for CIFAR-10 (option A), by their builtin: names."""

    def test_parameter_counts_match_qtsim(self):
        # Closed form of ResNet-(6n+2) on 3x32x32 (derived in tests/workloads/network_test.cpp, which checks
        # qtsim's counts against it): 97,216n - 21,926 parameters.
        for n in (5, 7, 9, 18):
            model = QtsimNetwork(load_network(f"builtin:resnet{6 * n + 2}_cifar10"))
            self.assertEqual(parameters(model), 97216 * n - 21926, n)

    def test_resnet56_runs_forward_and_backward(self):
        torch.manual_seed(0)
        model = QtsimNetwork(load_network("builtin:resnet56_cifar10"))
        convs = [l for l in model.layers if l["type"] == "conv"]
        self.assertEqual(len(convs), 6 * 9 + 1)
        out = model(torch.randn(2, 3, 32, 32), QuantContext((4, 4, 8), GradientRounding()))
        self.assertEqual(tuple(out.shape), (2, 10))
        torch.nn.functional.cross_entropy(out, torch.tensor([0, 1])).backward()
        self.assertTrue(all(p.grad is not None for p in model.parameters()))

    def test_unknown_builtin_lists_the_shipped_ones(self):
        with self.assertRaises(ValueError) as e:
            load_network("builtin:resnet18")
        self.assertIn("builtin:resnet18: unknown built-in network; available: builtin:resnet110_cifar10, ",
                      str(e.exception))
        self.assertIn("builtin:resnet56_cifar10", str(e.exception))


# input 1 x 3 x 3 -> shortcut_pad (2 channels, stride 2) -> global average pool -> FC 2 -> loss
TINY = {"name": "tiny", "input": {"channels": 1, "height": 3, "width": 3}, "num_classes": 2, "layers": [
    {"name": "pad", "type": "shortcut_pad", "inputs": ["input"], "out_channels": 2, "stride": 2},
    {"name": "pool", "type": "global_avg_pool", "inputs": ["pad"]},
    {"name": "fc", "type": "fully_connected", "inputs": ["pool"], "out_features": 2},
    {"name": "loss", "type": "softmax_cross_entropy", "inputs": ["fc"]}]}


class Layers(unittest.TestCase):
    def test_shortcut_pad_subsamples_then_appends_zero_channels(self):
        model = QtsimNetwork(TINY)
        with torch.no_grad():
            model.mods["fc"].weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 1.0]]))
            model.mods["fc"].bias.zero_()
        x = torch.arange(9.0).view(1, 1, 3, 3)
        # x[::2, ::2] = 0, 2, 6, 8 (ceil(3/2) = 2 per side): mean 4; appended channel 0: mean 0.
        self.assertEqual(model(x, FP32).tolist(), [[4.0, 0.0]])
        self.assertTrue(model.signed_input["fc"])  # pooled from the (signed) input

    def test_conv_output_sizes_follow_qtsim(self):
        # 28 -> stride-2 conv (k 3, p 1): floor((28 + 2 - 3) / 2) + 1 = 14; 14 -> 7; shortcut ceil(14/2) = 7.
        model = QtsimNetwork(shipped("resnet20_fashion_mnist"))
        seen = {}
        hook = lambda name: (lambda m, i, o: seen.__setitem__(name, tuple(o.shape)))  # noqa: E731
        model.mods["layer2_0_bn1"].register_forward_hook(hook("l2"))
        model.mods["layer3_0_bn1"].register_forward_hook(hook("l3"))
        model(torch.randn(2, 1, 28, 28), FP32)
        self.assertEqual(seen, {"l2": (2, 32, 14, 14), "l3": (2, 64, 7, 7)})

    def test_gradients_reach_every_parameter(self):
        torch.manual_seed(1)
        model = QtsimNetwork(shipped("resnet20_fashion_mnist"))
        out = model(torch.randn(4, 1, 28, 28), QuantContext((8, 8, 16), GradientRounding()))
        torch.nn.functional.cross_entropy(out, torch.tensor([0, 1, 2, 3])).backward()
        missing = [n for n, p in model.named_parameters() if p.grad is None or not bool(p.grad.abs().sum() > 0)]
        self.assertEqual(missing, [])


# input 1 x 4 x 4 -> max_pool (kernel 2, stride 2 by default) -> global average pool -> FC 1 -> loss
MAX_POOL = {"name": "max_pool", "input": {"channels": 1, "height": 4, "width": 4}, "num_classes": 2, "layers": [
    {"name": "pool", "type": "max_pool", "inputs": ["input"], "kernel": 2},
    {"name": "avg", "type": "global_avg_pool", "inputs": ["pool"]},
    {"name": "fc", "type": "fully_connected", "inputs": ["avg"], "out_features": 2},
    {"name": "loss", "type": "softmax_cross_entropy", "inputs": ["fc"]}]}


class MaxPool(unittest.TestCase):
    @staticmethod
    def pooled_mean(spec):
        """The network's first logit with the FC set to pass its one feature, the mean of the pooled values."""
        model = QtsimNetwork(spec)
        with torch.no_grad():
            model.mods["fc"].weight.copy_(torch.tensor([[1.0], [0.0]]))
            model.mods["fc"].bias.zero_()
        return model(torch.arange(16.0).view(1, 1, 4, 4), FP32).tolist()

    def test_windows_take_their_maximum(self):
        # 0..15 row by row; 2x2 windows at stride 2 (the default, the kernel): maxima 5, 7, 13, 15, mean 10.
        self.assertEqual(self.pooled_mean(MAX_POOL), [[10.0, 0.0]])

    def test_padding_and_stride(self):
        # kernel 3, stride 2, padding 1: (4 + 2 - 3) // 2 + 1 = 2 windows per side, rows and columns {-1, 0, 1}
        # and {1, 2, 3} (the padding never wins): maxima 5, 7, 13, 15 again; kernel 3, stride 1, no padding:
        # 2 x 2 windows of rows/columns {0, 1, 2} and {1, 2, 3}: maxima 10, 11, 14, 15, mean 12.5.
        spec = json.loads(json.dumps(MAX_POOL))
        spec["layers"][0].update({"kernel": 3, "stride": 2, "padding": 1})
        self.assertEqual(self.pooled_mean(spec), [[10.0, 0.0]])
        spec["layers"][0].update({"kernel": 3, "stride": 1, "padding": 0})
        self.assertEqual(self.pooled_mean(spec), [[12.5, 0.0]])


class FirstAndLastLayers(unittest.TestCase):
    def test_edge_layers_run_at_first_last_bits_at_least(self):
        model = QtsimNetwork(shipped("resnet20_fashion_mnist"))
        gemms = [l["name"] for l in model.layers if l["type"] in ("conv", "fully_connected")]
        self.assertEqual(model.edge_layers, {gemms[0], gemms[-1]})
        q = QuantContext((4, 4, 8), GradientRounding(), QuantConfig(first_last_bits=8))
        self.assertEqual((q.bits(True), q.bits(False)), ((8, 8), (4, 4)))
        q = QuantContext((32, 32, 32), GradientRounding(), QuantConfig(first_last_bits=8))
        self.assertEqual(q.bits(True), (32, 32))  # never below the group's own bits
        q = QuantContext((4, 4, 8), GradientRounding(), QuantConfig(first_last_bits=0))
        self.assertEqual(q.bits(True), (4, 4))


class PrecisionGroupsInOnePass(unittest.TestCase):
    def test_each_group_uses_its_own_quantizers(self):
        model = QtsimNetwork(TINY)
        with torch.no_grad():
            model.mods["fc"].weight.copy_(torch.tensor([[1.0, 0.3], [0.2, 1.0]]))
            model.mods["fc"].bias.zero_()
        x = torch.stack([torch.arange(9.0).view(1, 3, 3), 2 * torch.arange(9.0).view(1, 3, 3)])
        two_bit = QuantContext((2, 2, 2), GradientRounding(), LEGACY)  # per-tensor max-abs, no first/last rule
        out = model(x, [two_bit, FP32], [1, 1])
        # Pooled features: [4, 0] and [8, 0]. Group 0 (2 bits): weights, levels 1, s = 1 -> [[1, 0], [0, 1]];
        # its input [4, 0] (signed, s = 4) stays [4, 0]: logits [4, 0]. Group 1 (FP32): W [8, 0] = [8, 1.6].
        self.assertEqual(out[0].tolist(), [4.0, 0.0])
        self.assertAlmostEqual(out[1, 0].item(), 8.0, places=5)
        self.assertAlmostEqual(out[1, 1].item(), 1.6, places=5)


if __name__ == "__main__":
    unittest.main()
