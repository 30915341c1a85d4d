#!/usr/bin/env python3
"""The layering of qtsim's sources (docs/architecture.md), checked and drawn.

  scripts/check_layers.py [--root DIR] [--layer FOLDER] [--stamp FILE]
  scripts/check_layers.py [--root DIR] --draw mermaid|dot
  scripts/check_layers.py [--root DIR] --doc docs/architecture.md [--write]

Every #include "<path>" of a product source (base/, workloads/, hw_models/,
sim/) is an arrow between two sub-folders. The rules:
  1. Between layers: base uses nothing of the project; workloads and hw_models
     use only base (and not each other); sim uses all three. (The build
     enforces this too: each layer compiles against an include root that
     holds only the folders it may see, cmake/layers.cmake.)
  2. Inside a layer, sub-folders are ordered (LAYERS below): a file may include
     files of its own sub-folder and of those before it, never after.
  3. SystemC only where a clock is: a header that includes <systemc>, directly
     or through project headers, must itself declare a SystemC module.
Exit status 1 lists every arrow that breaks a rule, with its file and line.
--layer checks one layer (the build runs it per library, --stamp records a
pass); --draw prints the sub-folder graph of all layers; --doc checks (or with
--write rewrites) the Mermaid drawing kept in a page between the lines
<!-- include-graph:begin --> and <!-- include-graph:end -->.
Standard library only: the build runs it with any Python 3.
"""
import argparse
import os
import re
import sys

# Layer -> (the layers it may use, its sub-folders from the bottom up; "" is
# the layer's own top folder).
LAYERS = {
    "base": ([], [""]),
    "workloads": (["base"], ["", "network", "topology", "lowering", "trace", "policy", "compression"]),
    "hw_models": (["base"], ["config", "pe", "sram", "mac_array", "vector_unit", "memory", "controller"]),
    "sim": (["base", "workloads", "hw_models"],
            ["common", "config", "energy", "fast", "reference", "replay", "report", "run", "sweep", "cli"]),
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SYSTEMC = {"systemc", "systemc.h", "tlm", "tlm.h"}
MODULE = re.compile(r"\bsc_(core::)?sc_module\b|\bSC_MODULE\b")


def sources(root, layer):
    for folder, _, files in os.walk(os.path.join(root, layer)):
        for name in sorted(files):
            if name.endswith((".h", ".cpp")):
                yield os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")


def includes(root, path):
    """[(line number, '<' or '"', included path)] of a source."""
    out = []
    with open(os.path.join(root, path), encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if m:
                out.append((number, m.group(1), m.group(2)))
    return out


def place(path):
    """(layer, sub-folder) of a repository path, or None outside the layers."""
    parts = path.split("/")
    if parts[0] not in LAYERS:
        return None
    sub = parts[1] if len(parts) > 2 else ""
    return parts[0], sub


def rank(layer, sub):
    order = LAYERS[layer][1]
    return order.index(sub) if sub in order else None


def check_arrow(source, target):
    """The rule `source` -> `target` breaks, or None."""
    (sl, ss), (tl, ts) = place(source), place(target)
    if sl != tl:
        if tl not in LAYERS[sl][0]:
            return f"layer {sl}/ may not use {tl}/ (it may use: {', '.join(LAYERS[sl][0]) or 'nothing'})"
        return None
    rs, rt = rank(sl, ss), rank(tl, ts)
    for sub, r in ((ss, rs), (ts, rt)):
        if r is None:
            return f"{sl}/{sub}/ is not in the sub-folder order of {sl}/ (scripts/check_layers.py, LAYERS)"
    if rt > rs:
        return (f"{sl}/{ss or '.'} may not use {tl}/{ts or '.'}, which comes after it "
                f"(order: {' < '.join(s or '.' for s in LAYERS[sl][1])})")
    return None


def graph(root, layers):
    """{path: [(line, kind, target)]} for every source of `layers`."""
    return {path: includes(root, path) for layer in layers for path in sources(root, layer)}


def clocked_headers(root, edges):
    """Project headers that include SystemC, directly or through other headers."""
    clocked = {p for p, inc in edges.items() if p.endswith(".h") and any(t in SYSTEMC for _, k, t in inc if k == "<")}
    changed = True
    while changed:
        changed = False
        for p, inc in edges.items():
            if p.endswith(".h") and p not in clocked and any(t in clocked for _, k, t in inc if k == '"'):
                clocked.add(p)
                changed = True
    return clocked


def problems(root, layers):
    edges = graph(root, LAYERS)  # SystemC reaches through headers of any layer
    out = []
    for path in (p for layer in layers for p in sources(root, layer)):
        for line, kind, target in edges[path]:
            if kind != '"' or "/" not in target:  # <system> headers; the build's generated headers
                continue
            if place(target) is None:
                out.append(f"{path}:{line}: #include \"{target}\": not a path under {', '.join(LAYERS)}")
                continue
            why = check_arrow(path, target)
            if why:
                out.append(f"{path}:{line}: #include \"{target}\": {why}")
    clocked = clocked_headers(root, edges)
    for path in sorted(p for p in clocked if place(p)[0] in layers):
        with open(os.path.join(root, path), encoding="utf-8") as f:
            if not MODULE.search(f.read()):
                out.append(f"{path}: includes SystemC (directly or through a header) but declares no SystemC "
                           "module: plain C++ headers never include SystemC")
    return out


def draw(root, style):
    edges = graph(root, LAYERS)
    arrows = set()
    for path, inc in edges.items():
        s = place(path)
        for _, kind, target in inc:
            t = place(target) if kind == '"' else None
            if t and t != s:
                arrows.add(("/".join(filter(None, s)), "/".join(filter(None, t))))
    nodes = sorted({n for a in arrows for n in a})
    ident = {n: n.replace("/", "_") for n in nodes}
    if style == "dot":
        lines = ["digraph qtsim_includes {", "  rankdir=BT;"]
        lines += [f'  {ident[a]} -> {ident[b]};' for a, b in sorted(arrows)]
        lines.append("}")
    else:
        lines = ["flowchart BT"]
        for layer in LAYERS:
            members = [n for n in nodes if n.split("/")[0] == layer]
            lines.append(f"  subgraph layer_{layer} [{layer}/]")
            lines += [f"    {ident[n]}[{n}]" for n in members]
            lines.append("  end")
        lines += [f"  {ident[a]} --> {ident[b]}" for a, b in sorted(arrows)]
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- include-graph:begin -->", "<!-- include-graph:end -->"


def doc(root, path, write):
    """Checks (or rewrites) the drawing in `path`; returns the exit status."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if BEGIN not in text or END not in text:
        print(f"check_layers: {path}: no {BEGIN} ... {END} block", file=sys.stderr)
        return 1
    head, rest = text.split(BEGIN, 1)
    body, tail = rest.split(END, 1)
    drawing = "\n```mermaid\n" + draw(root, "mermaid") + "```\n"
    if body == drawing:
        return 0
    if write:
        with open(path, "w", encoding="utf-8") as f:
            f.write(head + BEGIN + drawing + END + tail)
        return 0
    print(f"check_layers: {path}: the include graph drawing is out of date; rewrite it with "
          f"scripts/check_layers.py --doc {path} --write", file=sys.stderr)
    return 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--layer", choices=list(LAYERS), help="check this layer only (default: all)")
    parser.add_argument("--stamp", help="write this file when the check passes")
    parser.add_argument("--draw", choices=["mermaid", "dot"], help="print the sub-folder include graph")
    parser.add_argument("--doc", help="a page that keeps the Mermaid drawing: check it is up to date")
    parser.add_argument("--write", action="store_true", help="with --doc: rewrite the drawing")
    args = parser.parse_args()
    if args.doc:
        return doc(args.root, args.doc, args.write)
    if args.draw:
        sys.stdout.write(draw(args.root, args.draw))
        return 0
    found = problems(args.root, [args.layer] if args.layer else list(LAYERS))
    if found:
        print("check_layers: the include graph breaks the layering (docs/architecture.md):", file=sys.stderr)
        for p in found:
            print("  " + p, file=sys.stderr)
        return 1
    if args.stamp:
        os.makedirs(os.path.dirname(args.stamp), exist_ok=True)
        with open(args.stamp, "w", encoding="utf-8") as f:
            f.write("ok\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
