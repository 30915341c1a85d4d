"""Reads one `qtsim run` output folder and checks what the figures and tables need.

Callers: the plot scripts and the table builder. Every problem raises OutputFolderError with a
message that names the folder or file, the record and what is expected; nothing is guessed.
Files are read lazily, so a figure needs only the files it uses.
"""
import csv
import json
import math
import os

SIDES = ("policy", "baseline")


class OutputFolderError(Exception):
    """A missing or malformed qtsim output folder (the message says which file and what)."""


def _number(text, where):
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise OutputFolderError(f"{where}: not a number, got {text!r}") from None
    if not math.isfinite(value):
        raise OutputFolderError(f"{where}: not a finite number, got {text!r}")
    return value


class CsvTable:
    """A CSV file as a header and rows of strings; `column`/`numbers` check what they read."""

    def __init__(self, path, required_columns):
        self.path = path
        try:
            with open(path, newline="", encoding="utf-8") as f:
                reader = csv.reader(f)
                self.header = next(reader, None)
                if not self.header:
                    raise OutputFolderError(f"{path}: empty file; expected a header line")
                self.rows = []
                for line_number, row in enumerate(reader, start=2):
                    if len(row) != len(self.header):
                        raise OutputFolderError(
                            f"{path}: line {line_number}: {len(row)} fields; expected {len(self.header)} "
                            f"(one per header column)")
                    self.rows.append(row)
        except FileNotFoundError:
            raise OutputFolderError(f"{path}: missing; expected a qtsim run output folder "
                                    "(run `qtsim run --out DIR` first)") from None
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise OutputFolderError(f"{path}: unreadable: {error}") from None
        missing = [c for c in required_columns if c not in self.header]
        if missing:
            raise OutputFolderError(f"{path}: missing column(s) {', '.join(missing)}; "
                                    f"found {', '.join(self.header)}")
        if not self.rows:
            raise OutputFolderError(f"{path}: no data rows")
        self._index = {name: i for i, name in enumerate(self.header)}

    def has(self, column):
        return column in self._index

    def strings(self, column):
        i = self._index[column]
        return [row[i] for row in self.rows]

    def numbers(self, column, allow_empty=False):
        """Column as floats (None for an empty cell when allow_empty)."""
        i = self._index[column]
        values = []
        for line_number, row in enumerate(self.rows, start=2):
            if allow_empty and row[i] == "":
                values.append(None)
            else:
                values.append(_number(row[i], f"{self.path}: line {line_number}, column {column}"))
        return values


def _get(node, path, where, kind=None):
    """node[path[0]][path[1]]... with an error naming the missing key path."""
    for depth, key in enumerate(path):
        if not isinstance(node, dict) or key not in node:
            raise OutputFolderError(f"{where}: missing key {'.'.join(path[:depth + 1])}")
        node = node[key]
    if kind == "number":
        if isinstance(node, bool) or not isinstance(node, (int, float)) or not math.isfinite(node):
            raise OutputFolderError(f"{where}: {'.'.join(path)}: expected a finite number, got {node!r}")
    elif kind is not None and not isinstance(node, kind):
        raise OutputFolderError(f"{where}: {'.'.join(path)}: expected {kind.__name__}, got {node!r}")
    return node


class RunFolder:
    """One output folder of `qtsim run`, read lazily and validated."""

    def __init__(self, path):
        self.path = os.path.normpath(path)
        if not os.path.isdir(self.path):
            raise OutputFolderError(f"{self.path}: not a folder; expected a qtsim run output folder "
                                    "(run `qtsim run --out DIR` first)")
        self._summary = None
        self._tables = {}

    def file(self, name):
        return os.path.join(self.path, name)

    # --- summary.json
    @property
    def summary(self):
        if self._summary is None:
            path = self.file("summary.json")
            try:
                with open(path, encoding="utf-8") as f:
                    self._summary = json.load(f)
            except FileNotFoundError:
                raise OutputFolderError(f"{path}: missing; expected a qtsim run output folder "
                                        "(run `qtsim run --out DIR` first)") from None
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
                raise OutputFolderError(f"{path}: not valid JSON: {error}") from None
            if not isinstance(self._summary, dict):
                raise OutputFolderError(f"{path}: expected a JSON object at the top level")
            self._check_summary(path)
        return self._summary

    def _check_summary(self, path):
        s = self._summary
        if "hardware_replay" not in s:
            raise OutputFolderError(f"{path}: missing key hardware_replay (cycles and energy); "
                                    "this folder was written by a qtsim without the fast hardware replay")
        for side in SIDES:
            _get(s, ("hardware_replay", side, "cycles", "total"), path, "number")
            _get(s, ("hardware_replay", side, "cycles"), path, dict)
            _get(s, ("hardware_replay", side, "time_s"), path, "number")
            _get(s, ("hardware_replay", side, "energy", "total", "total_pj"), path, "number")
            components = _get(s, ("hardware_replay", side, "energy", "components"), path, dict)
            for name in components:
                _get(components, (name, "total_pj"), f"{path}: hardware_replay.{side}.energy.components", "number")
            groups = _get(s, ("hardware_replay", side, "energy_by_phase_group"), path, list)
            for i, group in enumerate(groups):
                where = f"{path}: hardware_replay.{side}.energy_by_phase_group[{i}]"
                _get(group, ("phase",), where, str)
                _get(group, ("precision_group",), where, str)
                _get(group, ("total_pj",), where, "number")
            _get(s, ("compression", side, "operand_bits"), path, "number")
        for key in ("speedup", "energy_saving_fraction"):
            _get(s, ("hardware_replay", key), path, "number")
        for key in ("bits_ratio", "bitops_ratio"):
            _get(s, ("compression", key), path, "number")
        _get(s, ("baseline_precision",), path, str)
        _get(s, ("trace", "kind"), path, str)
        _get(s, ("trace", "dataset"), path, str)
        mix = _get(s, ("precision_mix",), path, list)
        for i, entry in enumerate(mix):
            _get(entry, ("precision",), f"{path}: precision_mix[{i}]", str)
            _get(entry, ("sample_fraction",), f"{path}: precision_mix[{i}]", "number")

    def side(self, side):
        return self.summary["hardware_replay"][side]

    def total_energy_pj(self, side):
        return float(self.side(side)["energy"]["total"]["total_pj"])

    def total_cycles(self, side):
        return int(self.side(side)["cycles"]["total"])

    def low_precision_sample_fraction(self):
        """Fraction of the samples not at the baseline's precision."""
        baseline = self.summary["baseline_precision"]
        return sum(float(e["sample_fraction"]) for e in self.summary["precision_mix"] if e["precision"] != baseline)

    # --- CSV tables
    def table(self, name, required_columns):
        if name not in self._tables:
            self._tables[name] = CsvTable(self.file(name), required_columns)
        table = self._tables[name]
        missing = [c for c in required_columns if not table.has(c)]
        if missing:
            raise OutputFolderError(f"{table.path}: missing column(s) {', '.join(missing)}")
        return table

    def per_epoch(self, extra=()):
        return self.table("per_epoch.csv", ("epoch", "tier_precisions", "samples") + tuple(extra))

    def per_class_epoch(self):
        return self.table("per_class_epoch.csv", ("epoch", "class_index", "class_name", "tier", "tier_name",
                                                  "act_bits", "weight_bits", "grad_bits", "trainer_tier"))

    def per_layer_phase(self):
        return self.table("per_layer_phase.csv", ("layer", "phase", "policy_cycles", "baseline_cycles",
                                                  "policy_macs"))
