#!/usr/bin/python3
"""Converts an ONNX model into a qtsim network description (workloads/network/README.md).

  scripts/onnx_to_qtsim.py MODEL.onnx [-o NETWORK.json] [--name NAME]

Accepts a graph of the layer types qtsim knows (the table in scripts/qtsim_onnx/convert.py: Conv,
BatchNormalization, Relu, Add, Gemm/MatMul, global average pooling, MaxPool, option A's
Slice-and-Pad shortcut, Flatten/Reshape/Identity/Dropout as no-ops, a final Softmax) with one
input N x C x H x W and one output; constant sub-graphs (shape and pad arithmetic) are evaluated.
The network ends in qtsim's loss, softmax_cross_entropy, over the output's elements (num_classes).
Writes NETWORK.json (default: standard output) and a one-line summary on standard error.

Exit status 0 on success; 1 with one line on standard error naming the file for a model it cannot
read or convert (the first unsupported operator by op_type and node name); 2 for a usage error.
Needs Debian's python3-onnx; run with /usr/bin/python3.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

PROG = "onnx_to_qtsim.py"


def parse_args(argv):
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    p.add_argument("model", help="the ONNX model (.onnx)")
    p.add_argument("-o", "--output", help="network JSON to write (default: standard output)")
    p.add_argument("--name", help="the network's name (default: the model file's name without extension)")
    return p.parse_args(argv)


def write(text, path):
    if path is None:
        sys.stdout.write(text)
        return
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        from qtsim_onnx.convert import convert
        from qtsim_onnx.model import ConversionError, load_model
    except ImportError as e:
        print(f"{PROG}: error: {e}; run with /usr/bin/python3 and install Debian's python3-onnx", file=sys.stderr)
        return 1
    from make_resnet_networks import render
    name = args.name or os.path.splitext(os.path.basename(args.model))[0]
    try:
        network = convert(args.model, load_model(args.model), name)
        write(render(network), args.output)
    except ConversionError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"{PROG}: error: {args.output}: cannot write the network: {e.strerror}", file=sys.stderr)
        return 1
    print(f"{PROG}: {args.output or 'stdout'}: network {name}, {len(network['layers'])} layers, "
          f"{network['num_classes']} classes, input {network['input']['channels']}x{network['input']['height']}x"
          f"{network['input']['width']} (check it with: qtsim validate)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
