#!/usr/bin/python3
"""Writes the GEMMs of one training step of a qtsim network as a SCALE-Sim GEMM topology
(`Layer, M, N, K,`), to run the same work through SCALE-Sim and `qtsim layers`.

  scripts/network_to_topology.py NETWORK.json [--batch B] [--phases fwd,bwd_data,wgrad] [-o TOPOLOGY.csv]

NETWORK.json is a qtsim network file (README "Networks"; the shipped ones are in workloads/networks/).
Each convolution (k x k window, stride s, padding p; Cin -> Cout channels; Hin x Win -> Ho x Wo) and
fully connected layer gives, as im2col GEMMs at batch B:
  fwd       M = B Ho Wo,   K = k k Cin,   N = Cout
  bwd_data  M = B Hin Win, K = k k Cout,  N = Cin    (not for the first layer: the input needs no gradient)
  wgrad     M = k k Cin,   K = B Ho Wo,   N = Cout
(a fully connected layer is a 1 x 1 convolution on a 1 x 1 input). Element-wise layers make no GEMM.
bwd_data is written as the transposed convolution over the whole input, as SCALE-Sim users lower it;
qtsim's own lowering (docs/training_lowering.md) scatters it instead (col2im), which is the same
work at stride 1.
"""
import argparse
import json
import sys

PHASES = ("fwd", "bwd_data", "wgrad")


def shapes_and_gemms(network, batch, phases):
    shape = {"input": (network["input"]["channels"], network["input"]["height"], network["input"]["width"])}
    gemms = []
    first = True
    for layer in network["layers"]:
        kind, name = layer["type"], layer["name"]
        c, h, w = shape[layer["inputs"][0]]
        if kind in ("conv", "fully_connected"):
            k, s, p = (layer["kernel"], layer.get("stride", 1), layer.get("padding", 0)) if kind == "conv" else (1, 1, 0)
            if kind == "fully_connected":
                c, h, w = c * h * w, 1, 1
            cout = layer["out_channels"] if kind == "conv" else layer["out_features"]
            ho, wo = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
            shape[name] = (cout, ho, wo)
            rows = {"fwd": (batch * ho * wo, k * k * c, cout), "bwd_data": (batch * h * w, k * k * cout, c),
                    "wgrad": (k * k * c, batch * ho * wo, cout)}
            for phase in phases:
                if phase == "bwd_data" and first:
                    continue
                gemms.append((f"{name}_{phase}",) + rows[phase])
            first = False
        elif kind == "shortcut_pad":
            s = layer.get("stride", 1)
            shape[name] = (layer["out_channels"], (h + s - 1) // s, (w + s - 1) // s)
        elif kind == "max_pool":
            k = layer["kernel"]
            s, p = layer.get("stride", k), layer.get("padding", 0)
            shape[name] = (c, (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1)
        elif kind == "global_avg_pool":
            shape[name] = (c, 1, 1)
        elif kind in ("batch_norm", "relu", "add", "softmax_cross_entropy"):
            shape[name] = (c, h, w)
        else:
            raise ValueError(f"layer {name}: type {kind} is not one this script knows")
    return gemms


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("network")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--phases", default=",".join(PHASES))
    parser.add_argument("-o", "--out", help="output file (default: stdout); an existing file is kept unless --force")
    parser.add_argument("--force", action="store_true", help="replace an existing --out file")
    args = parser.parse_args(argv)
    phases = args.phases.split(",")
    if args.batch < 1 or any(p not in PHASES for p in phases):
        print(f"network_to_topology.py: error: --batch >= 1 and --phases from {','.join(PHASES)}", file=sys.stderr)
        return 1
    try:
        with open(args.network, encoding="utf-8") as f:
            gemms = shapes_and_gemms(json.load(f), args.batch, phases)
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"network_to_topology.py: error: {args.network}: {error}", file=sys.stderr)
        return 1
    # SCALE-Sim's GEMM rows are (M, N, K).
    text = "Layer, M, N, K,\n" + "".join(f"{n}, {m}, {nn}, {k},\n" for n, m, k, nn in gemms)
    if args.out:
        try:
            with open(args.out, "w" if args.force else "x", encoding="utf-8") as f:
                f.write(text)
        except FileExistsError:
            print(f"network_to_topology.py: error: {args.out}: exists; give --force to replace it", file=sys.stderr)
            return 1
        except OSError as error:
            print(f"network_to_topology.py: error: {args.out}: {error.strerror}", file=sys.stderr)
            return 1
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
