"""An ONNX graph as a qtsim network description (the JSON of workloads/network/README.md).

Nodes are converted in graph order, each activation tracked with the qtsim tensor that holds it
and its per-sample shape C x H x W (`flat` when ONNX sees it as N x F):

  Conv                            conv (square kernel, one stride, symmetric padding <= kernel - 1,
                                  group 1, dilation 1; bias when the node has one)
  BatchNormalization              batch_norm (only its first output may be read)
  Relu                            relu
  Add of two activations          add
  Gemm, MatMul (constant weights) fully_connected (Gemm: alpha = beta = 1, A not transposed); a
                                  MatMul's following Add of a constant vector is its bias
  GlobalAveragePool, ReduceMean   global_avg_pool (ReduceMean over H and W; AveragePool whose window
  over axes 2 and 3, AveragePool  is the whole input)
  MaxPool                         max_pool (square kernel, one stride, symmetric padding <= kernel / 2,
                                  floor rounding)
  Slice (every s-th row and       shortcut_pad: option A's shortcut, x[:, :, ::s, ::s] and zero
  column) then Pad (zero channels channels appended, either part alone too
  appended)
  Flatten, Reshape to N x F       nothing (a qtsim fully_connected layer flattens its input)
  Identity, Dropout               nothing
  Softmax, LogSoftmax as the      nothing: the network ends in qtsim's loss, softmax_cross_entropy,
  graph's output                  which reads the graph's output (or the softmax's input)

plus constant sub-graphs (constants.py). Anything else stops the conversion with a ConversionError.
"""
import os

import numpy as np

from .constants import FOLDABLE, evaluate, initializer_values, shape_value
from .layer_ops import HANDLERS, LayerOps
from .model import ConversionError, attributes, data_input, data_output, live_nodes, opset_version
from .tensor import Tensor

SOFTMAX_OPS = ("Softmax", "LogSoftmax")
MAX_DIMENSION, MAX_WINDOW = 65536, 255  # qtsim's ranges (workloads/network/network_parser.cpp)
LAYER_OPS = tuple(HANDLERS)


class Converter(LayerOps):
    """One conversion; the operator handlers (`_conv`, `_relu`, ...) are LayerOps' methods."""

    def __init__(self, path, model, name):
        self.path, self.graph, self.opset, self.name = path, model.graph, opset_version(model), name
        self.values = initializer_values(model.graph)
        self.tensors = {}        # ONNX name -> Tensor
        self.layers = []         # qtsim layer dicts, in order
        self.used = {"input"}    # qtsim layer names taken ("input" is reserved)
        self.bias_free_fc = {}   # qtsim name of a MatMul's layer -> its dict, until an Add gives it a bias
        self.batch = 1

    # --- the graph -----------------------------------------------------------------------------

    def run(self):
        output = data_output(self.path, self.graph)
        nodes = live_nodes(self.graph, output)
        self._check_operators(nodes, output)
        input_name, dims = data_input(self.path, self.graph)
        self.tensors[input_name] = self._input_tensor(input_name, dims)
        for node in nodes:
            self._node(node)
        if output not in self.tensors:
            raise ConversionError(f"{self.path}: the graph's output {output} is a constant, not computed from the "
                                  "input")
        last = self._read(self.tensors[output])
        classes = int(np.prod(last.shape))
        if classes < 2:
            raise ConversionError(f"{self.path}: the graph's output has {classes} element per sample; a qtsim "
                                  "network ends in a loss over at least 2 classes")
        self._drop_unread(last.name)
        self.layers.append({"name": self._unique("loss"), "type": "softmax_cross_entropy", "inputs": [last.name]})
        c, h, w = self.tensors[input_name].shape
        return {"name": self.name,
                "description": f"Converted from {os.path.basename(self.path)} (ONNX opset {self.opset}) by "
                               "scripts/onnx_to_qtsim.py.",
                "input": {"channels": c, "height": h, "width": w}, "num_classes": classes, "layers": self.layers}

    def _drop_unread(self, last):
        """Removes layers no later layer reads (read only by Shape, whose value is computed here): qtsim
        requires every layer but the loss to feed another."""
        while True:
            read = {last} | {name for layer in self.layers for name in layer["inputs"]}
            kept = [layer for layer in self.layers if layer["name"] in read]
            if len(kept) == len(self.layers):
                return
            self.layers = kept

    def _input_tensor(self, name, dims):
        if len(dims) not in (2, 4) or any(d is None for d in dims[1:]):
            shown = "x".join("?" if d is None else str(d) for d in dims)
            raise ConversionError(f"{self.path}: input {name} has shape {shown}; expected N x C x H x W (or N x F) "
                                  "with C, H and W fixed")
        self.batch = dims[0] or 1
        return Tensor("input", dims[1:] if len(dims) == 4 else (dims[1], 1, 1), flat=len(dims) == 2)

    def _check_operators(self, nodes, output):
        """The first node that no rule converts: an unknown operator, or a softmax before the end."""
        for node in nodes:
            where = f'{self.path}: unsupported operator {node.op_type} (node "{node.name}")'
            if node.op_type in SOFTMAX_OPS and node.output[0] != output:
                raise ConversionError(f"{where} in the middle of the graph; a softmax is accepted only as the "
                                      "graph's output (qtsim's loss, softmax_cross_entropy, is the last layer)")
            if node.op_type not in LAYER_OPS and node.op_type not in FOLDABLE:
                raise ConversionError(f"{where}; expected one of: {', '.join(LAYER_OPS)}, or operators on "
                                      "constants")

    def _node(self, node):
        attrs = attributes(node)
        inputs = [name for name in node.input if name]
        if node.op_type in FOLDABLE and all(name in self.values for name in inputs):
            values = [self.values[name] if name else None for name in node.input]
            self.values[node.output[0]] = evaluate(node.op_type, values, attrs, self.opset)
        elif node.op_type == "Shape":
            self.values[node.output[0]] = shape_value(self._dims(self._input(node, 0)), attrs)
        elif node.op_type in LAYER_OPS:
            getattr(self, HANDLERS[node.op_type])(node, attrs)
        else:
            self._fail(node, "computes on activations; qtsim can only evaluate it on constants")

    # --- helpers -------------------------------------------------------------------------------

    def _fail(self, node, message):
        raise ConversionError(f'{self.path}: node "{node.name}" ({node.op_type}): {message}')

    def _require(self, node, condition, message):
        if not condition:
            self._fail(node, message)

    def _unique(self, wanted):
        name, k = wanted, 1
        while name in self.used:
            k += 1
            name = f"{wanted}_{k}"
        self.used.add(name)
        return name

    def _input(self, node, index):
        """The activation read by input `index`, pending shortcut included."""
        name = node.input[index] if index < len(node.input) else ""
        if name not in self.tensors:
            self._fail(node, f"input {index} ({name or 'absent'}) is not an activation computed from the graph's "
                             "input")
        return self.tensors[name]

    def _read(self, tensor):
        """`tensor` as a qtsim tensor: a pending shortcut becomes its shortcut_pad layer (once)."""
        if not tensor.pending():
            return tensor
        if tensor.stride[0] != tensor.stride[1]:
            raise ConversionError(f'{self.path}: node "{tensor.origin}": subsamples rows by {tensor.stride[0]} and '
                                  f"columns by {tensor.stride[1]}; qtsim's shortcut_pad takes one stride")
        name = self._unique(tensor.origin or "shortcut")
        self.layers.append({"name": name, "type": "shortcut_pad", "inputs": [tensor.name],
                            "out_channels": tensor.channels, "stride": tensor.stride[0]})
        done = Tensor(name, tensor.pending_shape())
        tensor.__dict__.update(done.__dict__)  # every ONNX name bound to it now reads the layer
        return tensor

    def _activation(self, node, index, flat=None):
        """Input `index` as a qtsim tensor; `flat` True/False requires ONNX rank 2/4."""
        tensor = self._read(self._input(node, index))
        if flat is not None and tensor.flat != flat:
            rank = 4 if tensor.flat else 2
            self._fail(node, f"reads a rank-{2 if tensor.flat else 4} tensor; expected rank {rank}")
        return tensor

    def _constant(self, node, index, what):
        name = node.input[index] if index < len(node.input) else ""
        if name not in self.values:
            self._fail(node, f"its {what} ({name or 'absent'}) must be a constant (an initializer)")
        return self.values[name]

    def _dims(self, tensor):
        shape = tensor.pending_shape()
        return [self.batch, int(np.prod(shape))] if tensor.flat else [self.batch, *shape]

    def _emit(self, node, kind, inputs, shape, flat=False, **fields):
        for key, limit in (("kernel", MAX_WINDOW), ("stride", MAX_WINDOW)):
            self._require(node, fields.get(key, 1) <= limit, f"{key} {fields.get(key)}; qtsim allows at most {limit}")
        self._require(node, all(1 <= d <= MAX_DIMENSION for d in shape),
                      f"output {'x'.join(map(str, shape))}; qtsim dimensions are in [1, {MAX_DIMENSION}]")
        name = self._unique(node.name or f"{node.op_type}_{len(self.layers)}")
        layer = {"name": name, "type": kind, "inputs": [t.name for t in inputs], **fields}
        self.layers.append(layer)
        self.tensors[node.output[0]] = Tensor(name, shape, flat)
        return layer

    def _alias(self, node, tensor, flat=None):
        """The node's output is `tensor` (the same object, so a pending shortcut is made once), or with
        `flat` given, its flattened (or unflattened) view."""
        if flat is not None and flat != tensor.flat:
            tensor = self._read(tensor)
            tensor = Tensor(tensor.name, tensor.shape, flat)
        self.tensors[node.output[0]] = tensor

    def _unused_outputs(self, node, first):
        readers = {name for other in self.graph.node for name in other.input}
        for name in node.output[first:]:
            self._require(node, not name or name not in readers, f"its output {name} is read; only the first "
                                                                 "output is expressible in qtsim")

    def _window(self, node, attrs, kernel, max_pad):
        """(k, stride, padding) of a square window with one stride and symmetric padding."""
        self._require(node, len(kernel) == 2 and kernel[0] == kernel[1], f"kernel {kernel} is not square (2-D)")
        strides, pads = list(attrs.get("strides", [1, 1])), list(attrs.get("pads", [0, 0, 0, 0]))
        auto_pad = attrs.get("auto_pad", b"NOTSET")
        auto_pad = auto_pad.decode() if isinstance(auto_pad, bytes) else auto_pad
        self._require(node, auto_pad in ("NOTSET", "VALID", ""), f"auto_pad {auto_pad} is not supported; expected "
                                                                  "explicit pads")
        self._require(node, all(d == 1 for d in attrs.get("dilations", [1, 1])), "dilation is not supported")
        self._require(node, len(set(strides)) == 1, f"strides {strides} differ; expected one stride")
        self._require(node, len(set(pads)) == 1, f"pads {pads} are not symmetric")
        k, p = int(kernel[0]), int(pads[0])
        self._require(node, p <= max_pad, f"padding {p} is larger than {max_pad}, the most qtsim allows for kernel {k}")
        return k, int(strides[0]), p

    def _output_size(self, node, tensor, k, s, p):
        c, h, w = tensor.shape
        self._require(node, k <= min(h, w) + 2 * p, f"kernel {k} is larger than the padded input {c}x{h}x{w}")
        return (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1



def convert(path, model, name):
    """The qtsim network document of the ONNX `model` read from `path`; ConversionError when impossible."""
    return Converter(path, model, name).run()
