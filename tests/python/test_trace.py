"""The trace writer: format v1 keys and rules, canonical JSON text, atomic writing."""
import copy
import json
import os
import stat
import tempfile
import unittest

import _paths  # noqa: F401
from qtsim_trainer.trace import TraceError, check_trace, dumps, write_trace


def small():
    return {
        "format": "qtsim-trace", "version": 1, "network": "n", "dataset": "d", "class_names": ["a", "b"],
        "batch_size": 2, "iterations_per_epoch": 2, "train_samples_per_epoch": 3,
        "epochs": [{"epoch": 0, "train_accuracy": [0.5, 1.0], "train_loss": [0.25, 0.0], "tags": [0, 1],
                    "class_counts": [[1, 1], [0, 1]]}],
        "policy": None, "provenance": {"kind": "recorded"},
    }


class Check(unittest.TestCase):
    def bad(self, change, message):
        doc = small()
        change(doc)
        with self.assertRaisesRegex(TraceError, message):
            check_trace(doc)

    def test_valid(self):
        check_trace(small())

    def test_rules(self):
        self.bad(lambda d: d.update(notes="x"), "unknown keys \\['notes'\\]")
        self.bad(lambda d: d["epochs"][0].update(wall_time_s=1.0), "unknown keys \\['wall_time_s'\\]")
        # 3 samples, batch 2: the last of 2 iterations holds 3 - 2 = 1.
        self.bad(lambda d: d["epochs"][0]["class_counts"][1].__setitem__(1, 2), "class_counts\\[1\\]")
        self.bad(lambda d: d.update(iterations_per_epoch=3), "last batch rule")
        self.bad(lambda d: d["epochs"][0]["train_accuracy"].__setitem__(0, 1.5), "train_accuracy\\[0\\]: out of range")
        self.bad(lambda d: d["epochs"][0].update(epoch=1), "epochs\\[0\\].epoch")
        self.bad(lambda d: d["provenance"].update(kind="made up"), "provenance.kind")
        self.bad(lambda d: d["epochs"][0].update(tags=[0]), "tags: 1 values; expected one per class")


class Text(unittest.TestCase):
    def test_canonical_form(self):
        doc = {"b": [1, 2.5], "a": {"z": None, "y": [[1, 2], [3, 4]]}, "c": "s"}
        self.assertEqual(dumps(doc), '{\n  "a": {\n    "y": [\n      [1, 2],\n      [3, 4]\n    ],\n'
                                     '    "z": null\n  },\n  "b": [1, 2.5],\n  "c": "s"\n}\n')

    def test_floats_read_back_exactly(self):
        doc = small()
        doc["epochs"][0]["train_accuracy"] = [1 / 3, 2 / 7]
        back = json.loads(dumps(doc))
        self.assertEqual(back["epochs"][0]["train_accuracy"], [1 / 3, 2 / 7])

    def test_atomic_write_and_extension(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "t.json")
            write_trace(small(), path)
            with open(path) as f:
                self.assertEqual(json.load(f), small())
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o644)
            self.assertEqual(os.listdir(d), ["t.json"])  # no temporary file left
            broken = copy.deepcopy(small())
            broken["epochs"] = []
            with self.assertRaises(TraceError):
                write_trace(broken, path)
            with open(path) as f:
                self.assertEqual(json.load(f), small())  # the old file is untouched
            with self.assertRaisesRegex(TraceError, "JSON files only"):
                write_trace(small(), os.path.join(d, "t.cbor"))


if __name__ == "__main__":
    unittest.main()
