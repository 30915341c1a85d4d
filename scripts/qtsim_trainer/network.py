"""A torch model built by interpreting a qtsim network JSON (workloads/network/README.md).

The layer list is run in order, each layer reading the named outputs of earlier layers, exactly
as qtsim lowers it. Every conv/fully_connected layer is quantization-aware
(quantize.py): its input activation is quantized to bA, its weights to bW, and in backward its
output gradient and its weight gradient to bG. The bA quantizer is unsigned when the layer's
input is known to be >= 0 (the output of a relu, or of pooling / padding / adding such tensors)
and signed otherwise (the normalised network input). Biases, batch norm, relu, add, the
shortcut, pooling and the loss stay FP32 (vector work in qtsim's lowering).

Initialisation: conv and FC weights He-normal (kaiming_normal_, fan_in, gain sqrt(2)), FC bias
zero, batch norm gamma 1 and beta 0, from the global torch seed.
"""
import json
import os

import torch
import torch.nn.functional as F
from torch import nn

from .quantize import FP32_BITS, QuantConfig, QuantizeActivation, QuantizeGradient, QuantizeWeight, percentile_clip

LAYER_TYPES = ("conv", "fully_connected", "batch_norm", "relu", "add", "shortcut_pad", "global_avg_pool", "max_pool",
               "softmax_cross_entropy")
BUILTIN_PREFIX = "builtin:"
NETWORKS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "workloads",
                            "networks")


class QuantContext:
    """The precision one forward/backward pass runs at, how its gradients are rounded, and the quantizer
    choices (QuantConfig). Activation clip values: computed from each tensor (training), or fixed per
    layer from `ranges` (evaluation: static ranges from calibration); with `collect` (a dict) every
    layer's clip value of the pass is appended to collect[layer name]."""

    def __init__(self, precision, rounding, qconfig=None, ranges=None, collect=None):
        self.act_bits, self.weight_bits, self.grad_bits = precision
        self.rounding = rounding
        self.qconfig = qconfig or QuantConfig()
        self.ranges, self.collect = ranges, collect

    def bits(self, edge):
        """(act_bits, weight_bits) of a layer; `edge`: the first or last GEMM layer of the network."""
        floor = self.qconfig.first_last_bits if edge else 0
        return max(self.act_bits, floor), max(self.weight_bits, floor)


def load_network(path):
    """A qtsim network JSON file, or `builtin:<name>`: qtsim's shipped workloads/networks/<name>.json."""
    if path.startswith(BUILTIN_PREFIX):
        name = path[len(BUILTIN_PREFIX):]
        available = sorted(f[:-len(".json")] for f in os.listdir(NETWORKS_DIR) if f.endswith(".json"))
        if name not in available:
            raise ValueError(f"{path}: unknown built-in network; available: "
                             + ", ".join(BUILTIN_PREFIX + a for a in available))
        path = os.path.join(NETWORKS_DIR, name + ".json")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _pool_window(layer):
    """(kernel, stride, padding) of a max_pool layer; the stride defaults to the kernel, as in qtsim."""
    return layer["kernel"], layer.get("stride", layer["kernel"]), layer.get("padding", 0)


def _key(name):
    return name.replace(".", "_")  # torch module names may not contain dots


class QtsimNetwork(nn.Module):
    """forward(x, qctx) returns the logits (the input of the softmax_cross_entropy layer)."""

    def __init__(self, spec):
        super().__init__()
        self.name = spec["name"]
        self.num_classes = spec["num_classes"]
        inp = spec["input"]
        self.input_shape = (inp["channels"], inp["height"], inp["width"])
        self.layers = spec["layers"]
        self.mods = nn.ModuleDict()
        channels = {"input": inp["channels"]}
        size = {"input": inp["channels"] * inp["height"] * inp["width"]}
        spatial = {"input": (inp["height"], inp["width"])}
        nonneg = {"input": False}
        self.signed_input = {}
        for layer in self.layers:
            name, kind, ins = layer["name"], layer["type"], layer["inputs"]
            if kind not in LAYER_TYPES:
                raise ValueError(f"layer {name}: unknown type {kind!r}; valid types: {', '.join(LAYER_TYPES)}")
            src = ins[0]
            c, (h, w) = channels[src], spatial[src]
            if kind == "conv":
                k, s, p = layer["kernel"], layer.get("stride", 1), layer.get("padding", 0)
                conv = nn.Conv2d(c, layer["out_channels"], k, s, p, bias=layer.get("bias", False))
                nn.init.kaiming_normal_(conv.weight, nonlinearity="relu")
                self.mods[_key(name)] = conv
                self.signed_input[name] = not nonneg[src]
                c, h, w = layer["out_channels"], (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
                nonneg[name] = False
            elif kind == "fully_connected":
                fc = nn.Linear(size[src], layer["out_features"], bias=layer.get("bias", True))
                nn.init.kaiming_normal_(fc.weight, nonlinearity="relu")
                if fc.bias is not None:
                    nn.init.zeros_(fc.bias)
                self.mods[_key(name)] = fc
                self.signed_input[name] = not nonneg[src]
                c, h, w = layer["out_features"], 1, 1
                nonneg[name] = False
            elif kind == "batch_norm":
                self.mods[_key(name)] = nn.BatchNorm2d(c)
                nonneg[name] = False
            elif kind == "relu":
                nonneg[name] = True
            elif kind == "add":
                nonneg[name] = nonneg[ins[0]] and nonneg[ins[1]]
            elif kind == "shortcut_pad":
                s = layer.get("stride", 2)
                c, h, w = layer["out_channels"], -(-h // s), -(-w // s)
                nonneg[name] = nonneg[src]
            elif kind == "global_avg_pool":
                h, w = 1, 1
                nonneg[name] = nonneg[src]
            elif kind == "max_pool":
                k, s, p = _pool_window(layer)
                h, w = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
                nonneg[name] = nonneg[src]
            else:  # softmax_cross_entropy: the loss, applied by the caller to its input
                nonneg[name] = False
            channels[name], spatial[name], size[name] = c, (h, w), c * h * w
        self.logits_layer = self.layers[-1]["inputs"][0]
        gemms = [layer["name"] for layer in self.layers if layer["type"] in ("conv", "fully_connected")]
        self.edge_layers = {gemms[0], gemms[-1]} if gemms else set()

    def forward(self, x, qctx, sizes=None):
        """`qctx` is one QuantContext for the whole batch, or a list of them, one per precision group,
        with `sizes` the groups' sample counts (the batch holds the groups one after another): every
        conv/FC layer then runs once per group at that group's precision (its own quantizers and
        scales), and the other layers (batch norm included) see the whole batch. `qctx` None runs
        plain FP32 modules without quantizers (for torch.onnx.export, which cannot trace them)."""
        if qctx is None or isinstance(qctx, QuantContext):
            qctx, sizes = [qctx], None
        values = {"input": x}
        for layer in self.layers:
            name, kind, ins = layer["name"], layer["type"], layer["inputs"]
            a = values[ins[0]]
            if kind in ("conv", "fully_connected"):
                module = self.mods[_key(name)]
                if kind == "fully_connected":
                    a = a.flatten(1)
                if sizes is None:
                    y = self._gemm_layer(kind, module, name, a, qctx[0])
                else:
                    y = torch.cat([self._gemm_layer(kind, module, name, part, q)
                                   for part, q in zip(a.split(sizes), qctx)])
            elif kind == "batch_norm":
                y = self.mods[_key(name)](a)
            elif kind == "relu":
                y = F.relu(a)
            elif kind == "add":
                y = a + values[ins[1]]
            elif kind == "shortcut_pad":
                s = layer.get("stride", 2)
                y = a[:, :, ::s, ::s]
                y = F.pad(y, (0, 0, 0, 0, 0, layer["out_channels"] - y.shape[1]))  # zero channels appended
            elif kind == "global_avg_pool":
                y = a.mean(dim=(2, 3), keepdim=True)
            elif kind == "max_pool":
                y = F.max_pool2d(a, *_pool_window(layer))
            else:
                return a.flatten(1)
            values[name] = y
        raise ValueError(f"network {self.name}: the last layer must be softmax_cross_entropy")

    def _gemm_layer(self, kind, module, name, a, qctx):
        """A conv or FC layer at one precision: bA input, bW weights; bG output and weight gradients."""
        if qctx is None:
            return module(a)
        act_bits, weight_bits = qctx.bits(name in self.edge_layers)
        w = QuantizeWeight.apply(module.weight, weight_bits, qctx.grad_bits, qctx.rounding,
                                 qctx.qconfig.weight_scale == "channel")
        if kind == "conv":
            y = F.conv2d(self._act(a, name, qctx, act_bits), w, module.bias, module.stride, module.padding)
        else:
            y = F.linear(self._act(a, name, qctx, act_bits), w, module.bias)
        return QuantizeGradient.apply(y, qctx.grad_bits, qctx.rounding)

    def _act(self, a, name, qctx, bits):
        if bits >= FP32_BITS:
            return a
        if qctx.ranges is not None:
            clip = qctx.ranges[name]
        else:
            clip = percentile_clip(a, qctx.qconfig.act_clip_percentile)
            if qctx.collect is not None:
                qctx.collect.setdefault(name, []).append(clip)
        # percentile 100 keeps the max-abs quantizer exactly (its clip is max|x|: nothing is clipped)
        return QuantizeActivation.apply(a, bits, self.signed_input[name], clip)
