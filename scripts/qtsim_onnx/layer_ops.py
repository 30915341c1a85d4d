"""The operator handlers of the converter (convert.py's table says what each becomes).

LayerOps is a mixin of Converter: each handler reads its inputs with self._activation /
self._constant, checks what qtsim can express (self._require names the node when it cannot), and
either emits a layer (self._emit) or binds its output to an existing tensor (self._alias).
"""
import numpy as np

from .constants import slice_parameters
from .tensor import Tensor

HANDLERS = {"Conv": "_conv", "BatchNormalization": "_batch_norm", "Relu": "_relu", "Add": "_add", "Gemm": "_gemm",
            "MatMul": "_matmul", "GlobalAveragePool": "_global_average_pool", "ReduceMean": "_reduce_mean",
            "AveragePool": "_average_pool", "MaxPool": "_max_pool", "Slice": "_slice", "Pad": "_pad",
            "Flatten": "_flatten", "Reshape": "_reshape", "Identity": "_identity", "Dropout": "_identity",
            "Softmax": "_identity", "LogSoftmax": "_identity"}


def _text(value):
    return value.decode() if isinstance(value, bytes) else value


class LayerOps:
    def _conv(self, node, attrs):
        x = self._activation(node, 0, flat=False)
        w = self._constant(node, 1, "weight")
        self._require(node, w.ndim == 4, f"weight of rank {w.ndim}; expected 4 (a 2-D convolution)")
        self._require(node, attrs.get("group", 1) == 1, f"group {attrs.get('group')} is not supported; expected 1")
        cout, cin, kh, kw = (int(d) for d in w.shape)
        self._require(node, cin == x.shape[0], f"weight for {cin} input channels; the input has {x.shape[0]}")
        k, s, p = self._window(node, attrs, [kh, kw], kh - 1)
        h, w_out = self._output_size(node, x, k, s, p)
        fields = {"out_channels": cout, "kernel": k, "stride": s, "padding": p}
        if len(node.input) > 2 and node.input[2]:
            fields["bias"] = True
        self._emit(node, "conv", [x], (cout, h, w_out), **fields)

    def _batch_norm(self, node, attrs):
        x = self._activation(node, 0)
        self._require(node, not x.flat or x.shape[1:] == (1, 1),
                      f"normalises {int(np.prod(x.shape))} flattened features of a {'x'.join(map(str, x.shape))} "
                      "tensor; qtsim's batch_norm is per channel")
        gamma = self._constant(node, 1, "scale")
        self._require(node, gamma.size == x.shape[0], f"scale of {gamma.size} values; the input has {x.shape[0]} "
                                                       "channels")
        self._unused_outputs(node, 1)
        self._emit(node, "batch_norm", [x], x.shape, x.flat)

    def _relu(self, node, attrs):
        x = self._activation(node, 0)
        self._emit(node, "relu", [x], x.shape, x.flat)

    def _add(self, node, attrs):
        if node.input[1] in self.values or node.input[0] in self.values:
            return self._bias_add(node)
        a, b = self._activation(node, 0), self._activation(node, 1)
        self._require(node, a.shape == b.shape and a.flat == b.flat,
                      f"adds {'x'.join(map(str, a.shape))} and {'x'.join(map(str, b.shape))}; expected equal shapes "
                      "(no broadcasting)")
        self._emit(node, "add", [a, b], a.shape, a.flat)

    def _bias_add(self, node):
        """An Add of a constant: only the bias of the MatMul it follows."""
        index = 0 if node.input[1] in self.values else 1
        x = self._activation(node, index)
        bias = self.values[node.input[1 - index]]
        layer = self.bias_free_fc.pop(x.name, None)
        self._require(node, layer is not None and bias.size == x.shape[0] and bias.ndim <= 2,
                      "adds a constant that is not the bias of the MatMul it follows; qtsim has no such layer")
        layer["bias"] = True
        self._alias(node, x)

    def _gemm(self, node, attrs):
        x = self._activation(node, 0, flat=True)
        w = self._constant(node, 1, "weight (B)")
        self._require(node, attrs.get("transA", 0) == 0, "transA 1 is not supported")
        self._require(node, attrs.get("alpha", 1.0) == 1.0 and attrs.get("beta", 1.0) == 1.0,
                      f"alpha {attrs.get('alpha', 1.0)}, beta {attrs.get('beta', 1.0)}; expected 1 and 1")
        out, features = w.shape if attrs.get("transB", 0) else w.shape[::-1]
        self._fully_connected(node, x, int(features), int(out), len(node.input) > 2 and bool(node.input[2]))

    def _matmul(self, node, attrs):
        x = self._activation(node, 0, flat=True)
        w = self._constant(node, 1, "weight (B)")
        self._require(node, w.ndim == 2, f"weight of rank {w.ndim}; expected 2")
        layer = self._fully_connected(node, x, int(w.shape[0]), int(w.shape[1]), False)
        self.bias_free_fc[layer["name"]] = layer

    def _fully_connected(self, node, x, features, out, bias):
        size = int(np.prod(x.shape))
        self._require(node, features == size, f"weight for {features} input features; the input has {size}")
        return self._emit(node, "fully_connected", [x], (out, 1, 1), True, out_features=out, bias=bias)

    def _global_average_pool(self, node, attrs):
        x = self._activation(node, 0, flat=False)
        self._emit(node, "global_avg_pool", [x], (x.shape[0], 1, 1))

    def _reduce_mean(self, node, attrs):
        x = self._activation(node, 0, flat=False)
        axes = attrs.get("axes") if self.opset < 18 else self._constant(node, 1, "axes").tolist()
        axes = sorted(a + 4 if a < 0 else a for a in (axes or []))
        self._require(node, axes == [2, 3], f"averages over axes {axes}; expected [2, 3] (global average pooling)")
        self._emit(node, "global_avg_pool", [x], (x.shape[0], 1, 1), not attrs.get("keepdims", 1))

    def _average_pool(self, node, attrs):
        x = self._activation(node, 0, flat=False)
        self._require(node, list(attrs["kernel_shape"]) == list(x.shape[1:]) and not any(attrs.get("pads", [])),
                      f"a {'x'.join(map(str, attrs['kernel_shape']))} window over a {x.shape[1]}x{x.shape[2]} input; "
                      "qtsim has only global average pooling")
        self._emit(node, "global_avg_pool", [x], (x.shape[0], 1, 1))

    def _max_pool(self, node, attrs):
        x = self._activation(node, 0, flat=False)
        self._require(node, not attrs.get("ceil_mode", 0), "ceil_mode 1 is not supported; expected floor rounding")
        self._unused_outputs(node, 1)
        k, s, p = self._window(node, attrs, list(attrs["kernel_shape"]), attrs["kernel_shape"][0] // 2)
        h, w = self._output_size(node, x, k, s, p)
        self._emit(node, "max_pool", [x], (x.shape[0], h, w), kernel=k, stride=s, padding=p)

    def _slice(self, node, attrs):
        """Every s-th row and column, from 0 to the end: option A's subsampling."""
        x = self._input(node, 0)
        self._require(node, not x.flat, "slices a flattened tensor")
        values = [None] + [self._constant(node, i, "slice bounds") for i in range(1, len(node.input))
                           if node.input[i]]
        dims = self._dims(x)
        stride = list(x.stride)
        for axis, start, end, step in slice_parameters(values, attrs, self.opset, 4):
            whole = start == 0 and end >= dims[axis] and step >= 1
            self._require(node, whole and (axis >= 2 or step == 1),
                          f"takes {start}:{end}:{step} of axis {axis}; only x[:, :, ::s, ::s] (option A's "
                          "subsampling) is expressible")
            if axis >= 2:
                stride[axis - 2] *= step
        self.tensors[node.output[0]] = Tensor(x.name, x.shape, False, stride, x.channels, node.name)

    def _pad(self, node, attrs):
        """Zero channels appended: option A's channel padding."""
        x = self._input(node, 0)
        self._require(node, not x.flat, "pads a flattened tensor")
        mode = _text(attrs.get("mode", "constant"))
        pads = attrs.get("pads") if self.opset < 11 else self._constant(node, 1, "pads")
        pads = [int(v) for v in np.asarray(pads).reshape(-1)]
        value = attrs.get("value", 0.0) if self.opset < 11 else (
            float(self._constant(node, 2, "value").reshape(-1)[0]) if len(node.input) > 2 and node.input[2] else 0.0)
        self._require(node, mode == "constant" and value == 0.0 and len(pads) == 8 and pads[5] >= 0 and
                      not any(pads[:5] + pads[6:]), f"pads {pads} ({mode}, value {value}); only zero channels "
                      "appended (option A's shortcut) are expressible")
        self.tensors[node.output[0]] = Tensor(x.name, x.shape, False, x.stride, x.channels + pads[5], node.name)

    def _flatten(self, node, attrs):
        self._require(node, attrs.get("axis", 1) == 1, f"axis {attrs.get('axis')}; expected 1 (N x features)")
        self._alias(node, self._input(node, 0), flat=True)

    def _reshape(self, node, attrs):
        x = self._input(node, 0)
        dims = self._dims(x)
        target = [int(d) for d in self._constant(node, 1, "shape").reshape(-1)]
        target = [dims[i] if d == 0 and not attrs.get("allowzero", 0) else d for i, d in enumerate(target)]
        size = int(np.prod(dims))
        if -1 in target:
            target[target.index(-1)] = size // max(1, -int(np.prod(target)))
        shape = x.pending_shape()
        if target == [self.batch, size // self.batch]:
            return self._alias(node, x, flat=True)
        self._require(node, target == [self.batch, *shape], f"reshapes {dims} to {target}; only flattening to "
                                                            "N x features (and back) is expressible")
        self._alias(node, x, flat=False)

    def _identity(self, node, attrs):
        """Identity, Dropout (inference: a no-op) and the final Softmax (the loss is qtsim's)."""
        self._unused_outputs(node, 1)
        self._alias(node, self._input(node, 0))
