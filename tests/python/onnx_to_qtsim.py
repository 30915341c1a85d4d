#!/usr/bin/python3
"""Tests of scripts/onnx_to_qtsim.py (Debian's python3-onnx; python3-torch for the export).

  tests/python/onnx_to_qtsim.py QTSIM_BINARY     (ctest: python_onnx_to_qtsim)

Small ONNX models built with onnx.helper are converted and the result checked by `qtsim validate`
against parameter and MAC counts derived by hand; unsupported operators and bad files give one line
naming the file and exit status 1; the trainer's ResNet-20 exported with torch.onnx.export converts
to a network equal in layers, parameters and MACs to builtin:resnet20_cifar10.
Not named test_*.py: it needs the qtsim binary, so `unittest discover` must not pick it up.
"""
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
import warnings

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import _paths  # noqa: F401  (puts scripts/ on sys.path)
from _paths import REPO, SCRIPTS

QTSIM = None
PY = "/usr/bin/python3"
CONVERTER = os.path.join(SCRIPTS, "onnx_to_qtsim.py")


def weight(name, *shape):
    return numpy_helper.from_array(np.random.default_rng(0).standard_normal(shape).astype(np.float32), name)


def ints(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def model(nodes, initializers, input_shape, output_shape, opset=13):
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, input_shape)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, output_shape)], initializers)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def batch_norm(name, x, out, channels):
    params = [weight(f"{name}.{p}", channels) for p in ("scale", "bias", "mean")]
    params.append(numpy_helper.from_array(np.ones(channels, np.float32), f"{name}.var"))
    return helper.make_node("BatchNormalization", [x] + [p.name for p in params], [out], name), params


def conv_bn_relu_pool_fc(opset=13):
    """x 3x8x8 -> conv 3->4 k3 p1 -> BN -> ReLU -> MaxPool k2 s2 -> Flatten -> Gemm 64->10 -> Softmax."""
    bn, bn_params = batch_norm("bn", "c", "b", 4)
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], "conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1]), bn,
             helper.make_node("Relu", ["b"], ["r"], "relu"),
             helper.make_node("MaxPool", ["r"], ["p"], "pool", kernel_shape=[2, 2], strides=[2, 2]),
             helper.make_node("Flatten", ["p"], ["f"], "flatten"),
             helper.make_node("Gemm", ["f", "fc.w", "fc.b"], ["logits"], "fc", transB=1),
             helper.make_node("Softmax", ["logits"], ["y"], "softmax", axis=1)]
    return model(nodes, [weight("w", 4, 3, 3, 3), weight("fc.w", 10, 64), weight("fc.b", 10)] + bn_params,
                 ["N", 3, 8, 8], ["N", 10], opset)


def residual():
    """x 3x8x8 -> conv 3->4 k3 p1 -> ReLU (r1); conv r1 4->8 k3 s2 p1 -> BN; option A shortcut of r1
    (Slice ::2 on H and W, Pad 4 zero channels); Add; ReLU; GlobalAveragePool; Flatten; MatMul 8->10
    + Add bias."""
    bn, bn_params = batch_norm("bn", "c2", "b2", 8)
    nodes = [helper.make_node("Conv", ["x", "w1"], ["c1"], "conv1", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["c1"], ["r1"], "relu1"),
             helper.make_node("Conv", ["r1", "w2"], ["c2"], "conv2", kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                              strides=[2, 2]), bn,
             helper.make_node("Slice", ["r1", "zero", "end", "hw", "two"], ["s"], "subsample"),
             helper.make_node("Pad", ["s", "pads"], ["sp"], "pad_channels"),
             helper.make_node("Add", ["b2", "sp"], ["a"], "add"),
             helper.make_node("Relu", ["a"], ["r2"], "relu2"),
             helper.make_node("GlobalAveragePool", ["r2"], ["g"], "gap"),
             helper.make_node("Flatten", ["g"], ["f"], "flatten"),
             helper.make_node("MatMul", ["f", "fc.w"], ["m"], "fc"),
             helper.make_node("Add", ["m", "fc.b"], ["y"], "fc_bias")]
    consts = [weight("w1", 4, 3, 3, 3), weight("w2", 8, 4, 3, 3), weight("fc.w", 8, 10), weight("fc.b", 10),
              ints("zero", [0, 0]), ints("end", [2 ** 63 - 1] * 2), ints("hw", [2, 3]), ints("two", [2, 2]),
              ints("pads", [0, 0, 0, 0, 0, 4, 0, 0])]
    return model(nodes, consts + bn_params, [1, 3, 8, 8], [1, 10])


def with_unsupported(op):
    """conv -> `op` ("Softmax" mid-graph, or "LSTM" then "Sigmoid") -> ... -> Gemm."""
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], "conv", kernel_shape=[1, 1])]
    if op == "Softmax":
        nodes.append(helper.make_node("Softmax", ["c"], ["h"], "mid_softmax", axis=1))
    else:
        nodes += [helper.make_node("Reshape", ["c", "seq"], ["s"], "to_sequence"),
                  helper.make_node("LSTM", ["s", "lw", "lr"], ["", "hy"], "lstm", hidden_size=2),
                  helper.make_node("Sigmoid", ["hy"], ["h"], "sigmoid")]
    nodes += [helper.make_node("Flatten", ["h"], ["f"], "flatten"),
              helper.make_node("Gemm", ["f", "fc.w"], ["y"], "fc", transB=1)]
    width = 4 * 4 * 2 if op == "Softmax" else 2
    consts = [weight("w", 2, 3, 1, 1), weight("fc.w", 10, width), ints("seq", [4, 1, 8]), weight("lw", 1, 8, 8),
              weight("lr", 1, 8, 2)]
    return model(nodes, consts, [1, 3, 4, 4], [1, 10])


class ConverterRuns(unittest.TestCase):
    """Runs the converter on models saved in a temporary folder."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def save(self, proto, name="m.onnx"):
        path = os.path.join(self.tmp.name, name)
        onnx.save(proto, path)
        return path

    def convert(self, path, *extra):
        out = os.path.join(self.tmp.name, "net.json")
        done = subprocess.run([PY, CONVERTER, path, "-o", out, *extra], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
        return done, out

    def converted(self, path, *extra):
        """(network document, parameters, forward MACs per sample) by qtsim validate."""
        done, out = self.convert(path, *extra)
        self.assertEqual((done.returncode, done.stdout), (0, ""), done.stderr)
        check = subprocess.run([QTSIM, "validate", out], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(check.returncode, 0, check.stderr)
        found = re.search(r": network \S+, (\d+) parameters, (\d+) forward MACs per sample$", check.stdout.strip())
        self.assertIsNotNone(found, check.stdout)
        with open(out) as f:
            return json.load(f), int(found.group(1)), int(found.group(2))

    def refused(self, path):
        done, out = self.convert(path)
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertNotIn("Traceback", done.stderr)
        self.assertEqual(len(done.stderr.splitlines()), 1, done.stderr)
        self.assertFalse(os.path.exists(out))
        return done.stderr.strip()


class Conversion(ConverterRuns):
    def test_conv_bn_relu_max_pool_fc(self):
        # conv 3->4 k3 p1 @8x8: 4*3*9 = 108 weights, 64 positions x 108 = 6,912 MACs; BN 2 x 4 = 8;
        # max pool k2 s2: 4x4x4, no parameters, no MACs; fc 64 -> 10: 640 + 10 bias, 640 MACs.
        # Parameters 108 + 8 + 650 = 766; MACs 6,912 + 640 = 7,552. The final softmax is the loss.
        for opset in (11, 13):
            network, params, macs = self.converted(self.save(conv_bn_relu_pool_fc(opset)), "--name", "small")
            self.assertEqual((params, macs), (766, 7552), opset)
            self.assertEqual(network["name"], "small")
            self.assertEqual(network["input"], {"channels": 3, "height": 8, "width": 8})
            self.assertEqual(network["num_classes"], 10)
            self.assertEqual([l["type"] for l in network["layers"]],
                             ["conv", "batch_norm", "relu", "max_pool", "fully_connected", "softmax_cross_entropy"])
            self.assertEqual({k: network["layers"][3][k] for k in ("kernel", "stride", "padding")},
                             {"kernel": 2, "stride": 2, "padding": 0})
            self.assertEqual(network["layers"][4]["inputs"], ["pool"])  # Flatten is no layer

    def test_residual_with_option_a_shortcut_and_matmul_bias(self):
        # conv1 3->4 k3 p1 @8x8: 108 weights, 64 x 108 = 6,912 MACs;
        # conv2 4->8 k3 s2 p1: (8 + 2 - 3) // 2 + 1 = 4 -> 8x4x4, 288 weights, 16 x 288 = 4,608 MACs; BN 16;
        # shortcut: r1 (4x8x8) every 2nd row and column, 4 zero channels: 8x4x4, no parameters;
        # MatMul 8 -> 10 plus its bias: 80 + 10 = 90 parameters, 80 MACs.
        # Parameters 108 + 288 + 16 + 90 = 502; MACs 6,912 + 4,608 + 80 = 11,600.
        network, params, macs = self.converted(self.save(residual()))
        self.assertEqual((params, macs), (502, 11600))
        layers = {l["name"]: l for l in network["layers"]}
        self.assertEqual(layers["pad_channels"], {"name": "pad_channels", "type": "shortcut_pad", "inputs": ["relu1"],
                                                  "out_channels": 8, "stride": 2})
        self.assertEqual(layers["add"]["inputs"], ["bn", "pad_channels"])
        self.assertEqual((layers["fc"]["type"], layers["fc"]["bias"]), ("fully_connected", True))
        self.assertEqual(network["layers"][-1]["inputs"], ["fc"])

    def test_shape_arithmetic_is_evaluated_and_a_layer_read_only_by_shape_dropped(self):
        # x.view(x.size(0), -1) as exporters write it, with the batch size taken from another activation:
        # Shape(r) -> Gather(0) -> Unsqueeze -> Concat([-1]) -> Reshape. r (a relu) feeds only Shape, so it is
        # no layer (qtsim requires every layer to feed another). conv 3->4 k1 @8x8: 12 weights, 64 x 12 =
        # 768 MACs; gap; Gemm 4 -> 10 with bias: 50 parameters, 40 MACs. Parameters 62, MACs 808.
        nodes = [helper.make_node("Conv", ["x", "w"], ["c"], "conv", kernel_shape=[1, 1]),
                 helper.make_node("Relu", ["c"], ["r"], "relu_for_shape"),
                 helper.make_node("GlobalAveragePool", ["c"], ["g"], "gap"),
                 helper.make_node("Shape", ["r"], ["shape"], "shape"),
                 helper.make_node("Gather", ["shape", "zero"], ["batch"], "batch", axis=0),
                 helper.make_node("Unsqueeze", ["batch", "zero1"], ["batch1"], "batch1"),
                 helper.make_node("Concat", ["batch1", "minus_one"], ["target"], "target", axis=0),
                 helper.make_node("Reshape", ["g", "target"], ["f"], "flatten"),
                 helper.make_node("Gemm", ["f", "fc.w", "fc.b"], ["y"], "fc", transB=1)]
        consts = [weight("w", 4, 3, 1, 1), weight("fc.w", 10, 4), weight("fc.b", 10),
                  numpy_helper.from_array(np.array(0, dtype=np.int64), "zero"), ints("zero1", [0]),
                  ints("minus_one", [-1])]
        network, params, macs = self.converted(self.save(model(nodes, consts, [2, 3, 8, 8], [2, 10])))
        self.assertEqual((params, macs), (62, 808))
        self.assertEqual([l["name"] for l in network["layers"]], ["conv", "gap", "fc", "loss"])

    def test_softmax_in_the_middle_is_named(self):
        message = self.refused(self.save(with_unsupported("Softmax"), "mid.onnx"))
        self.assertTrue(message.startswith("onnx_to_qtsim.py: error: "), message)
        self.assertIn('mid.onnx: unsupported operator Softmax (node "mid_softmax") in the middle of the graph', message)

    def test_first_unsupported_operator_is_named(self):
        message = self.refused(self.save(with_unsupported("LSTM"), "lstm.onnx"))
        self.assertIn('lstm.onnx: unsupported operator LSTM (node "lstm"); expected one of: Conv, ', message)
        self.assertNotIn("Sigmoid", message)  # the first one only

    def test_unsupported_attribute_names_the_node(self):
        proto = conv_bn_relu_pool_fc()
        proto.graph.node[3].attribute[0].ints[:] = [2, 3]  # MaxPool kernel 2x3
        message = self.refused(self.save(proto, "rect.onnx"))
        self.assertIn('rect.onnx: node "pool" (MaxPool): kernel [2, 3] is not square', message)

    def test_bad_files_give_one_line(self):
        missing = os.path.join(self.tmp.name, "missing.onnx")
        self.assertEqual(self.refused(missing),
                         f"onnx_to_qtsim.py: error: {missing}: cannot read the model: No such file or directory")
        text = os.path.join(self.tmp.name, "net.txt")
        with open(text, "w") as f:
            f.write('{"layers": []}\n')
        self.assertIn(f"{text}: not an ONNX model", self.refused(text))
        empty = os.path.join(self.tmp.name, "empty.onnx")
        open(empty, "wb").close()
        self.assertIn(f"{empty}: not an ONNX model", self.refused(empty))
        self.assertIn(f"{self.tmp.name}: cannot read the model: it is a directory", self.refused(self.tmp.name))


class TrainerResnet20Export(ConverterRuns):
    """The trainer's ResNet-20 (scripts/qtsim_trainer/network.py, built from resnet20_cifar10.json), exported
    by torch.onnx.export and converted back, equals builtin:resnet20_cifar10: 269,722 parameters and
    40,551,040 forward MACs per image (derived in tests/workloads/network_test.cpp: 97,216n - 21,926 and
    14,155,776n - 1,916,288 at n = 3), and the same layers in kind and size."""

    @staticmethod
    def layer_kinds(network):
        keys = ("type", "out_channels", "out_features", "kernel", "stride", "padding")
        return collections.Counter(tuple(l.get(k) for k in keys) for l in network["layers"])

    def test_export_converts_to_the_builtin_network(self):
        import torch
        from qtsim_trainer.network import QtsimNetwork, load_network
        spec = load_network(os.path.join(REPO, "workloads", "networks", "resnet20_cifar10.json"))
        net = QtsimNetwork(spec)

        class Fp32(torch.nn.Module):  # the trainer's model without its quantizers, which the exporter cannot trace
            def __init__(self):
                super().__init__()
                self.net = net

            def forward(self, x):
                return self.net(x, None)

        # Slice and Pad with attributes (opset 10) and with inputs (13); without constant folding the exporter
        # computes the shortcut's pads from Shape and Gather of the activation.
        for opset, folding in ((10, True), (13, False)):
            path = os.path.join(self.tmp.name, f"resnet20_opset{opset}.onnx")
            with warnings.catch_warnings():  # the exporter's advice on folding and shape inference
                warnings.simplefilter("ignore")
                # PRESERVE keeps batch norm as its own node (EVAL folds it into the convolutions' biases).
                torch.onnx.export(Fp32().eval(), torch.randn(1, 3, 32, 32), path, opset_version=opset,
                                  training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=folding)
            network, params, macs = self.converted(path)
            self.assertEqual((params, macs), (269722, 40551040), opset)
            self.assertEqual(self.layer_kinds(network), self.layer_kinds(spec), opset)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: onnx_to_qtsim.py QTSIM_BINARY")
    QTSIM = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:])
