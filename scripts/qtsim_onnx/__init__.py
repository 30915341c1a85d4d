"""ONNX to qtsim network conversion (scripts/onnx_to_qtsim.py; Debian's python3-onnx).

  model.py      reading the ONNX file (one-line errors), the graph's input, output and live nodes
  constants.py  numpy evaluation of the constant sub-graphs exporters emit for shapes and pads
  tensor.py     an activation as the converter tracks it (qtsim tensor, shape, pending shortcut)
  convert.py    the conversion of a graph, node by node, to qtsim layers (workloads/network/README.md)
  layer_ops.py  the handler of each ONNX operator convert.py accepts
"""
