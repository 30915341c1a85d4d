#!/usr/bin/python3
"""Functions and files of qtsim's product code that are too long.

  scripts/check_function_length.py [--root DIR] [--limit N] [--file-limit N] [PATH...]

Scans the C++ sources (.h, .cpp) under PATHs (default: the product layers
base/, workloads/, hw_models/, sim/ below --root) and prints
  - every function definition longer than --limit lines (default 60), counted
    from the first line of its signature to its closing brace, as
    `file:line: name is N lines (limit L)`;
  - every file longer than --file-limit lines (default 400; 0 leaves files
    unchecked), as `file: file is N lines (limit L)`.
Exit status 1 when anything is printed, 0 otherwise.

The scan matches braces on the source with comments, string and character
literals and preprocessor lines blanked out. A `{` in namespace or class scope
opens a function body when the declaration before it ends with `)`, possibly
followed by const, noexcept, override, final, ref-qualifiers, a trailing
return type or a constructor's initialiser list. Namespaces, extern "C",
classes, structs, unions and enums are entered; brace initialisers are skipped.
Braces inside the parentheses of a declaration (default arguments) belong to
it. Everything inside a function body (lambdas, local classes) counts toward
that function; functions defined in a class are named Class::function. Standard library only: runs with any Python 3.
"""
import argparse
import os
import re
import sys

LAYERS = ("base", "workloads", "hw_models", "sim")
RAW_STRING = re.compile(r'(?:u8|[uUL])?R"([^ ()\\\t\n]{0,16})\(')
CLASS_HEAD = re.compile(r"^(?:template\s*<.*>\s*)?(?:typedef\s+)?(?:class|struct|union|enum)\b", re.S)
SC_MODULE = re.compile(r"^SC_MODULE\s*\(")
CLASS_NAME = re.compile(
    r"\b(?:class|struct|union|SC_MODULE\s*\()\s*(?:\[\[[^\]]*\]\]\s*)?(?:alignas\s*\([^)]*\)\s*)?(\w+)")
NAMESPACE_HEAD = re.compile(r"^(?:inline\s+)?namespace\b|^extern\s*\"[^\"]*\"\s*$")
ACCESS = re.compile(r"^(?:(?:public|private|protected)\s*:(?!:)\s*)+")
# What may follow a function's parameter list before its body.
QUALIFIERS = re.compile(r"^(?:\s|const\b|volatile\b|override\b|final\b|noexcept\b|mutable\b|&|->[^{;=]*)*$")
NAME = re.compile(
    r"((?:[A-Za-z_]\w*(?:<[^<>()]*>)?\s*::\s*)*(?:operator\s*(?:\(\s*\)|[^\s(]+)|~?[A-Za-z_]\w*))\s*\(")
NOT_NAMES = {"decltype", "alignas", "__attribute__", "noexcept", "sizeof", "static_assert", "requires", "return",
             "if", "while", "for", "switch"}


def blank(text):
    """`text` with comments, literals' contents and preprocessor lines as spaces (newlines kept)."""
    out = list(text)
    i, n = 0, len(text)
    line_start = True

    def wipe(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        if c == "\n":
            line_start = True
            i += 1
            continue
        if line_start and c in " \t":
            i += 1
            continue
        if line_start and c == "#":  # a preprocessor line, with its continuations
            j = i
            while j < n and text[j] != "\n":
                if text[j] == "\\" and j + 1 < n and text[j + 1] == "\n":
                    j += 2
                    continue
                if text.startswith("//", j):
                    break
                if text.startswith("/*", j):
                    end = text.find("*/", j + 2)
                    j = n if end < 0 else end + 2
                    continue
                j += 1
            wipe(i, j)
            i = j
            continue
        line_start = False
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            wipe(i, j)
            i = j
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            wipe(i, j)
            i = j
            continue
        after_name = i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")
        m = RAW_STRING.match(text, i) if c in "uULR" and not after_name else None
        if m:
            close = ")" + m.group(1) + '"'
            j = text.find(close, m.end())
            j = n if j < 0 else j + len(close)
            wipe(m.end(), j - len(close))
            i = j
            continue
        if c == '"' or (c == "'" and not (i > 0 and text[i - 1].isalnum())):  # 1'000 is a digit separator
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            wipe(i + 1, min(j, n))
            i = j + 1
            continue
        i += 1
    return "".join(out)


def last_paren_tail(head):
    """What follows the last top-level `)` of `head`, and the text up to it, or None without one."""
    depth = 0
    close = -1
    for k, c in enumerate(head):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                close = k
    return None if close < 0 else (head[:close + 1], head[close + 1:])


def split_initialisers(head):
    """(signature, initialiser list) when `head` is a constructor with a ` : a_(x), b_{y}` list, else None."""
    depth = 0
    for k, c in enumerate(head):
        if c in "(<[":
            depth += 1
        elif c in ")>]":
            depth = max(0, depth - 1)
        elif c == ":" and depth == 0:
            if head[k + 1:k + 2] == ":" or head[k - 1:k] == ":":
                continue
            signature = head[:k]
            parts = last_paren_tail(signature)
            if parts and QUALIFIERS.match(parts[1]):
                return signature, head[k + 1:]
            return None
    return None


def function_name(signature):
    for m in NAME.finditer(signature):
        name = re.sub(r"\s+", "", m.group(1))
        if name.split("::")[-1] not in NOT_NAMES:
            return name
    return "?"


def classify(head):
    """'namespace', 'class', 'function', 'init' (a member initialiser's brace inside an initialiser list) or 'other'."""
    head = ACCESS.sub("", head.strip())
    if NAMESPACE_HEAD.match(head):
        return "namespace"
    if CLASS_HEAD.match(head) or SC_MODULE.match(head):
        return "class"
    if re.search(r"=\s*$", head) or head.endswith(("]", ",")) or "(" not in head:
        return "other"
    init = split_initialisers(head)
    if init is not None:
        rest = init[1].rstrip()
        return "function" if rest.endswith((")", "}")) or not rest else "init"
    parts = last_paren_tail(head)
    if parts and QUALIFIERS.match(parts[1]):
        return "function"
    return "other"


def match_brace(text, i):
    """Index of the `}` that closes the `{` at `i`."""
    depth = 0
    for k in range(i, len(text)):
        if text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
            if depth == 0:
                return k
    return len(text) - 1


def functions(text):
    """[(first line, last line, name)] of the function definitions of a (blanked) source."""
    found = []
    line_of = [0] * (len(text) + 1)
    line = 1
    for k, c in enumerate(text):
        line_of[k] = line
        if c == "\n":
            line += 1
    line_of[len(text)] = line

    head_start = 0  # where the declaration before the next `{` begins
    parens = 0  # open parentheses of that declaration
    scopes = []  # the enclosing namespaces ("") and classes (their names)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "(":
            parens += 1
        elif c == ")":
            parens = max(0, parens - 1)
        elif c == "{" and parens > 0:  # a braced default argument: part of the declaration
            i = match_brace(text, i) + 1
            continue
        elif c == ";" or c == "}":  # a `}` here closes a namespace or a class
            if c == "}" and scopes:
                scopes.pop()
            head_start = i + 1
            parens = 0
        elif c == "{":
            head = text[head_start:i]
            kind = classify(head)
            if kind in ("namespace", "class"):
                m = CLASS_NAME.search(head) if kind == "class" else None
                scopes.append(m.group(1) if m else "")
                head_start = i + 1
                parens = 0
            elif kind == "init":
                i = match_brace(text, i) + 1
                continue
            else:
                end = match_brace(text, i)
                if kind == "function":
                    signature = ACCESS.sub("", head.strip())
                    first = head_start + head.index(signature)
                    init = split_initialisers(signature)
                    classes = [scope for scope in scopes if scope]
                    name = "::".join(classes + [function_name(init[0] if init else signature)])
                    found.append((line_of[first], line_of[end], name))
                i = end + 1
                head_start = i
                parens = 0
                continue
        i += 1
    return found


def product_sources(root, paths):
    for top in paths:
        top = os.path.join(root, top)
        if os.path.isfile(top):
            yield top
            continue
        for folder, dirs, files in os.walk(top):
            dirs.sort()
            for name in sorted(files):
                if name.endswith((".h", ".cpp")):
                    yield os.path.join(folder, name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    parser.add_argument("--limit", type=int, default=60, help="longest function allowed, in lines (default 60)")
    parser.add_argument("--file-limit", type=int, default=400,
                        help="longest file allowed, in lines (default 400; 0: no file check)")
    parser.add_argument("paths", nargs="*", help="files or folders relative to --root (default: the product layers)")
    args = parser.parse_args()
    root = os.path.normpath(args.root)
    problems = 0
    for path in product_sources(root, args.paths or LAYERS):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        shown = os.path.relpath(path, root).replace(os.sep, "/")
        lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
        if args.file_limit > 0 and lines > args.file_limit:
            print(f"{shown}: file is {lines} lines (limit {args.file_limit})")
            problems += 1
        for first, last, name in functions(blank(text)):
            length = last - first + 1
            if length > args.limit:
                print(f"{shown}:{first}: {name} is {length} lines (limit {args.limit})")
                problems += 1
    if problems:
        print(f"{problems} over the limits")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
