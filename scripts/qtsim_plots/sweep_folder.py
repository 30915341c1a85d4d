"""A `qtsim sweep` output folder, read for plots: points.csv and provenance.json, checked as read.

SweepFolder(path).axes (the axis columns, in table order), .rows (dicts of points.csv's cells),
.ok_rows(), .numbers(rows, column) and .objectives ([(column, "min" | "max")] of the Pareto front).
Every problem is an OutputFolderError naming the file and what is wrong.
"""
import csv
import json
import os

from .run_folder import OutputFolderError

FIXED_BEFORE = ("index",)
FIXED_AFTER = ("status", "error", "warnings")


class SweepFolder:
    def __init__(self, path):
        self.path = path
        self.table_path = os.path.join(path, "points.csv")
        provenance_path = os.path.join(path, "provenance.json")
        try:
            with open(self.table_path, newline="", encoding="utf-8") as f:
                reader = csv.DictReader(f)
                self.columns = list(reader.fieldnames or [])
                self.rows = list(reader)
            with open(provenance_path, encoding="utf-8") as f:
                provenance = json.load(f)
            self.objectives = [(o["column"], o["goal"]) for o in provenance["pareto_objectives"]]
        except OSError as error:
            raise OutputFolderError(f"{path}: not a qtsim sweep output folder ({error.strerror}: "
                                    f"{error.filename}); run qtsim sweep SWEEP_FILE --out {path}") from None
        except (ValueError, KeyError, TypeError) as error:
            raise OutputFolderError(f"{provenance_path}: not a qtsim sweep provenance file ({error})") from None
        if self.columns[:1] != ["index"] or "status" not in self.columns or "pareto" not in self.columns:
            raise OutputFolderError(f"{self.table_path}: expected the columns of qtsim sweep's points.csv "
                                    "(index, the axes, status, error, warnings, metrics, pareto)")
        self.axes = self.columns[1:self.columns.index("status")]

    def ok_rows(self):
        return [r for r in self.rows if r["status"] == "ok"]

    def numbers(self, rows, column):
        """The column's numbers (None for an empty cell); an OutputFolderError for any other text."""
        if column not in self.columns:
            raise OutputFolderError(f"{self.table_path}: no column {column!r}; expected one of "
                                    + ", ".join(self.columns))
        out = []
        for r in rows:
            cell = r[column]
            try:
                out.append(None if cell == "" else float(cell))
            except ValueError:
                raise OutputFolderError(f"{self.table_path}: point {r['index']}, column {column}: expected a "
                                        f"number, got {cell!r}") from None
        return out

    def varying_axes(self):
        """The axes that take more than one value among the ok rows, in table order."""
        return [a for a in self.axes if len({r[a] for r in self.ok_rows()}) > 1]
