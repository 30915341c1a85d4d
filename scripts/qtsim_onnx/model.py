"""Reading an ONNX model for conversion: the file, its single data input and output, its live nodes.

Every problem is a ConversionError whose message is one line naming the file; nothing here lets a
protobuf or checker exception escape.
"""
import os

import onnx
from google.protobuf.message import DecodeError


class ConversionError(Exception):
    """A problem with the input model, reported as one line and exit status 1."""


def load_model(path):
    """The ModelProto of `path`, checked by onnx.checker; ConversionError when it is not one."""
    if os.path.isdir(path):
        raise ConversionError(f"{path}: cannot read the model: it is a directory; expected an ONNX file")
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise ConversionError(f"{path}: cannot read the model: {e.strerror}") from None
    try:
        model = onnx.load_model_from_string(data)
    except (DecodeError, RuntimeError, ValueError) as e:
        raise ConversionError(f"{path}: not an ONNX model (protobuf decoding failed: {_first_line(e)})") from None
    if not model.HasField("graph") or len(model.graph.node) == 0 or model.ir_version == 0:
        raise ConversionError(f"{path}: not an ONNX model (no graph of nodes and no IR version); expected a .onnx "
                              "file as written by onnx.save or torch.onnx.export")
    try:
        onnx.checker.check_model(model)
    except (onnx.checker.ValidationError, RuntimeError, ValueError) as e:
        raise ConversionError(f"{path}: not a valid ONNX model: {_first_line(e)}") from None
    return model


def _first_line(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def opset_version(model):
    """The default (ai.onnx) domain's opset version."""
    for opset in model.opset_import:
        if opset.domain in ("", "ai.onnx"):
            return opset.version
    return 1


def data_input(path, graph):
    """(name, dims) of the graph's one input that is not an initializer; dims are ints or None (symbolic)."""
    initializers = {t.name for t in graph.initializer}
    inputs = [i for i in graph.input if i.name not in initializers]
    if len(inputs) != 1:
        names = ", ".join(i.name for i in inputs) or "none"
        raise ConversionError(f"{path}: the graph has {len(inputs)} data inputs ({names}); qtsim networks have "
                              "exactly one (the images)")
    tensor_type = inputs[0].type.tensor_type
    if not tensor_type.HasField("shape"):
        raise ConversionError(f"{path}: input {inputs[0].name} has no shape; expected N x C x H x W")
    dims = [d.dim_value if d.HasField("dim_value") else None for d in tensor_type.shape.dim]
    return inputs[0].name, dims


def data_output(path, graph):
    """The name of the graph's one output."""
    if len(graph.output) != 1:
        names = ", ".join(o.name for o in graph.output)
        raise ConversionError(f"{path}: the graph has {len(graph.output)} outputs ({names}); qtsim networks end in "
                              "one loss, so exactly one output (the logits or their softmax) is expected")
    return graph.output[0].name


def live_nodes(graph, output):
    """The nodes that `output` depends on, in graph (topological) order."""
    producer = {}
    for index, node in enumerate(graph.node):
        for name in node.output:
            producer[name] = index
    live, pending = set(), [output]
    while pending:
        index = producer.get(pending.pop())
        if index is None or index in live:
            continue
        live.add(index)
        pending.extend(name for name in graph.node[index].input if name)
    return [node for index, node in enumerate(graph.node) if index in live]


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
