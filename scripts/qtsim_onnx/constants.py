"""Constant sub-graphs evaluated with numpy.

Exporters compute shapes and pads with small graphs of operators on constants (torch.onnx.export
writes F.pad's pads as Constant -> ConstantOfShape -> Concat -> Reshape -> Slice -> Transpose ->
Cast, and x.view(x.size(0), -1) as Shape -> Gather -> Unsqueeze -> Concat). These are not layers:
the converter evaluates every node whose inputs are all known values (FOLDABLE), and `Shape` of an
activation from the shape the converter infers (shape_value).
"""
import numpy as np
import onnx
from onnx import numpy_helper

FOLDABLE = frozenset({"Constant", "ConstantOfShape", "Shape", "Gather", "Concat", "Reshape", "Slice", "Transpose",
                      "Cast", "Unsqueeze", "Squeeze", "Add", "Sub", "Mul", "Div", "Neg", "Identity"})


def initializer_values(graph):
    return {t.name: numpy_helper.to_array(t) for t in graph.initializer}


def constant(attrs):
    """The value of a Constant node from its attributes."""
    if "value" in attrs:
        return numpy_helper.to_array(attrs["value"])
    for key, dtype in (("value_float", np.float32), ("value_floats", np.float32), ("value_int", np.int64),
                       ("value_ints", np.int64)):
        if key in attrs:
            return np.array(attrs[key], dtype=dtype)
    raise ValueError("a Constant without a value, value_float(s) or value_int(s) attribute")


def shape_value(dims, attrs):
    """The output of a Shape node on a tensor of `dims` (its optional start and end since opset 15)."""
    return np.array(dims, dtype=np.int64)[attrs.get("start", 0):attrs.get("end", None)]


def _axes(values, attrs, opset, since, rank=None):
    """The `axes` of a node: an attribute before opset `since`, else the optional second input."""
    if opset < since:
        axes = attrs.get("axes")
    else:
        axes = values[1] if len(values) > 1 and values[1] is not None else None
    if axes is None:
        return None
    axes = [int(a) for a in np.asarray(axes).reshape(-1)]
    return [a + rank if a < 0 and rank is not None else a for a in axes]


def slice_parameters(values, attrs, opset, rank):
    """[(axis, start, end, step)] of a Slice node (inputs since opset 10, attributes before)."""
    if opset < 10:
        starts, ends = attrs["starts"], attrs["ends"]
        axes = attrs.get("axes", list(range(len(starts))))
        steps = [1] * len(starts)
    else:
        starts, ends = values[1].reshape(-1).tolist(), values[2].reshape(-1).tolist()
        axes = values[3].reshape(-1).tolist() if len(values) > 3 and values[3] is not None else range(len(starts))
        steps = values[4].reshape(-1).tolist() if len(values) > 4 and values[4] is not None else [1] * len(starts)
    return [(int(a) + rank if int(a) < 0 else int(a), int(s), int(e), int(t))
            for a, s, e, t in zip(axes, starts, ends, steps)]


def _reshape(data, shape, allowzero):
    target = [int(d) for d in shape.reshape(-1)]
    if not allowzero:
        target = [data.shape[i] if d == 0 else d for i, d in enumerate(target)]
    return data.reshape(target)


def _slice(data, values, attrs, opset):
    index = [slice(None)] * data.ndim
    for axis, start, end, step in slice_parameters(values, attrs, opset, data.ndim):
        index[axis] = slice(start, end, step)
    return data[tuple(index)]


def _unsqueeze(data, axes):
    rank = data.ndim + len(axes)
    for axis in sorted(a + rank if a < 0 else a for a in axes):
        data = np.expand_dims(data, axis)
    return data


def _divide(a, b):
    if np.issubdtype(a.dtype, np.integer) and np.issubdtype(b.dtype, np.integer):
        return (np.trunc(a / b)).astype(np.result_type(a, b))  # ONNX integer division truncates
    return a / b


def evaluate(op, values, attrs, opset):
    """The (first) output of operator `op` on the numpy arrays `values` (None for an absent optional input)."""
    x = values[0] if values else None
    if op == "Constant":
        return constant(attrs)
    if op == "ConstantOfShape":
        fill = numpy_helper.to_array(attrs["value"]).reshape(-1) if "value" in attrs else np.zeros(1, np.float32)
        return np.full([int(d) for d in x.reshape(-1)], fill[0], dtype=fill.dtype)
    if op == "Shape":
        return shape_value(x.shape, attrs)
    if op == "Gather":
        return np.take(x, values[1], axis=attrs.get("axis", 0))
    if op == "Concat":
        return np.concatenate([np.asarray(v) for v in values], axis=attrs["axis"])
    if op == "Reshape":
        return _reshape(x, values[1], attrs.get("allowzero", 0))
    if op == "Slice":
        return _slice(x, values, attrs, opset)
    if op == "Transpose":
        return np.transpose(x, attrs.get("perm"))
    if op == "Cast":
        return x.astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[attrs["to"]])
    if op == "Unsqueeze":
        return _unsqueeze(x, _axes(values, attrs, opset, 13))
    if op == "Squeeze":
        axes = _axes(values, attrs, opset, 13, x.ndim)
        return np.squeeze(x, axis=None if axes is None else tuple(axes))
    binary = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": _divide}
    if op in binary:
        return binary[op](x, values[1])
    if op == "Neg":
        return -x
    return x  # Identity
