"""Writer of qtsim trace format version 1 (workloads/traces/README.md), JSON encoding.

The document is checked against the format's rules before it is written (exactly the keys of
format v1, last batch rule, count sums, ranges), then written in qtsim's canonical JSON form
(keys sorted, 2-space indent, every array of scalars on one line) to a temporary file in the
target folder (.<name>.qtsim-tmp-<pid>-<hex>) and renamed into place. Floats are written by
Python's repr, the shortest text that reads back to the same double, so qtsim reads exactly the
numbers the trainer used. A file is replaced only if it is a qtsim trace (check_trace_target): the
trainer never overwrites anything it did not write.
"""
import json
import math
import os
import secrets
import stat

TOP_KEYS = {"format", "version", "network", "dataset", "class_names", "batch_size", "iterations_per_epoch",
            "train_samples_per_epoch", "epochs", "policy", "provenance"}
EPOCH_KEYS = {"epoch", "train_accuracy", "train_loss", "test_accuracy", "test_accuracy_per_class", "tags",
              "class_counts"}
REQUIRED_EPOCH_KEYS = {"epoch", "train_accuracy", "class_counts"}


class TraceError(Exception):
    pass


def _fraction(values, where):
    for i, v in enumerate(values):
        if not (isinstance(v, float) or isinstance(v, int)) or not 0.0 <= v <= 1.0:
            raise TraceError(f"{where}[{i}]: out of range, got {v!r}; expected a number in [0, 1]")


def check_trace(doc):
    """Raises TraceError on the first violation of format v1."""
    unknown = set(doc) - TOP_KEYS
    missing = TOP_KEYS - {"policy"} - set(doc)
    if unknown or missing:
        raise TraceError(f"unknown keys {sorted(unknown)} / missing keys {sorted(missing)}")
    if doc["format"] != "qtsim-trace" or doc["version"] != 1:
        raise TraceError("format must be qtsim-trace, version 1")
    if doc["provenance"].get("kind") not in ("synthetic", "recorded"):
        raise TraceError("provenance.kind must be synthetic or recorded")
    names = doc["class_names"]
    if not names or len(set(names)) != len(names) or not all(names):
        raise TraceError("class_names: expected unique non-empty names")
    n, batch, iters = doc["train_samples_per_epoch"], doc["batch_size"], doc["iterations_per_epoch"]
    if not 1 <= batch <= 65535:
        raise TraceError(f"batch_size: out of range, got {batch}; expected an integer in [1, 65535]")
    last = n - (iters - 1) * batch
    if not 1 <= last <= batch:
        raise TraceError(f"train_samples_per_epoch {n}, batch_size {batch}, iterations_per_epoch {iters} break "
                         "the last batch rule")
    if not doc["epochs"]:
        raise TraceError("epochs: expected at least one epoch")
    for e, epoch in enumerate(doc["epochs"]):
        where = f"epochs[{e}]"
        keys = set(epoch)
        if keys - EPOCH_KEYS or REQUIRED_EPOCH_KEYS - keys:
            raise TraceError(f"{where}: unknown keys {sorted(keys - EPOCH_KEYS)} / missing "
                             f"{sorted(REQUIRED_EPOCH_KEYS - keys)}")
        if epoch["epoch"] != e:
            raise TraceError(f"{where}.epoch: got {epoch['epoch']}; expected {e}")
        for key in ("train_accuracy", "train_loss", "test_accuracy_per_class", "tags"):
            if key in epoch and len(epoch[key]) != len(names):
                raise TraceError(f"{where}.{key}: {len(epoch[key])} values; expected one per class ({len(names)})")
        _fraction(epoch["train_accuracy"], f"{where}.train_accuracy")
        _fraction(epoch.get("test_accuracy_per_class", []), f"{where}.test_accuracy_per_class")
        if "test_accuracy" in epoch:
            _fraction([epoch["test_accuracy"]], f"{where}.test_accuracy")
        for i, loss in enumerate(epoch.get("train_loss", [])):
            if not (math.isfinite(loss) and loss >= 0):
                raise TraceError(f"{where}.train_loss[{i}]: got {loss!r}; expected a finite number >= 0")
        if any(t < 0 for t in epoch.get("tags", [])):
            raise TraceError(f"{where}.tags: expected integers >= 0")
        rows = epoch["class_counts"]
        if len(rows) != iters:
            raise TraceError(f"{where}.class_counts: {len(rows)} rows; expected {iters}")
        for i, row in enumerate(rows):
            expected = batch if i < iters - 1 else last
            if len(row) != len(names) or min(row) < 0 or sum(row) != expected:
                raise TraceError(f"{where}.class_counts[{i}]: got {row}; expected {len(names)} counts >= 0 "
                                 f"summing to {expected}")


def _dump(value, indent):
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f'{pad}  {json.dumps(k)}: {_dump(value[k], indent + 1)}' for k in sorted(value)]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return "[" + ", ".join(json.dumps(v, allow_nan=False) for v in value) + "]"
        items = [f"{pad}  {_dump(v, indent + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, allow_nan=False)


def dumps(doc):
    """The canonical JSON text of `doc` (trailing newline)."""
    return _dump(doc, 0) + "\n"


def _not_a_trace(path, fmt="qtsim-trace"):
    """Why the regular file `path` is not a JSON document of format `fmt`, or None when it is one."""
    try:
        with open(path, "rb") as f:
            if f.read(64).lstrip()[:1] != b"{":  # no need to read a large unrelated file
                return "not a JSON object"
            f.seek(0)
            doc = json.loads(f.read().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return f"unreadable or not JSON ({error})"
    if not isinstance(doc, dict) or doc.get("format") != fmt:
        return f'a JSON document without "format": "{fmt}"'
    return None


def check_trace_target(path, fmt="qtsim-trace"):
    """Raises TraceError unless `path` may be (re)written: a .json path that is absent or a JSON document
    of format `fmt` (a qtsim trace by default)."""
    what = "a qtsim trace" if fmt == "qtsim-trace" else f"a {fmt} file"
    if not path.endswith(".json"):
        raise TraceError(f"{path}: the trainer writes JSON files only; expected a .json path")
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise TraceError(f"{path}: cannot check it: {error.strerror}") from None
    if stat.S_ISLNK(mode):
        why = "a symbolic link"
    elif stat.S_ISDIR(mode):
        why = "a folder"
    elif not stat.S_ISREG(mode):
        why = "not a regular file"
    else:
        why = _not_a_trace(path, fmt)
        why = why and f"not {what}: {why}"
    if why:
        raise TraceError(f"{path}: not replaced: it is {why}; choose another file, or move it away yourself")


def write_trace(doc, path):
    """Checks `doc` and writes it to `path` atomically (a temporary file renamed into place), if
    check_trace_target allows."""
    check_trace_target(path)
    check_trace(doc)
    _write_atomically(dumps(doc), path)


def write_json(doc, path):
    """Writes a trainer output document (accuracy, predictions; its "format" key) atomically, in the
    canonical JSON form, replacing only a file of the same format."""
    check_trace_target(path, doc["format"])
    _write_atomically(dumps(doc), path)


def _write_atomically(text, path):
    folder, name = os.path.split(os.path.abspath(path))
    tmp = os.path.join(folder, f".{name}.qtsim-tmp-{os.getpid()}-{secrets.token_hex(8)}")
    with open(tmp, "x", encoding="utf-8") as f:  # "x": never an existing file
        try:
            os.fchmod(f.fileno(), 0o644)
            f.write(text)
            f.close()
            os.replace(tmp, path)
        except BaseException:
            if os.path.lexists(tmp):
                os.unlink(tmp)
            raise
