#!/usr/bin/python3
"""The Python module `qtsim` (python/) against the command line: the same files byte for byte, the
same error messages, results as dicts and DataFrames.

Usage: python_module.py QTSIM_BINARY MODULE_DIR   (ctest: python_module; MODULE_DIR holds qtsim/)
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest
import warnings

QTSIM = None
SETS = ["run.num_epochs=2", "hardware.mac_array.rows=8", "hardware.mac_array.cols=8"]


def cli(*args):
    return subprocess.run([QTSIM, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def folder_files(folder):
    out = {}
    for name in sorted(os.listdir(folder)):
        if not name.startswith("."):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                out[name] = f.read()
    return out


def cli_error(*args):
    done = cli(*args)
    assert done.returncode == 1, (args, done.returncode, done.stderr)
    prefix = "qtsim: error: "
    assert done.stderr.startswith(prefix), done.stderr
    return done.stderr[len(prefix):].strip()


class RunMatchesTheCommandLine(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        sets = [a for s in SETS for a in ("--set", s)]
        folder = os.path.join(cls.tmp.name, "cli")
        done = cli("run", *sets, "--out", folder)
        assert done.returncode == 0, done.stderr
        cls.cli_files = folder_files(folder)
        cls.result = qtsim.run(sets=SETS)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_every_file_is_the_command_lines(self):
        self.assertEqual(set(self.result["files"]), set(self.cli_files))
        for name, text in self.result["files"].items():
            self.assertEqual(text, self.cli_files[name], name)

    def test_summary_and_tables_are_parsed(self):
        self.assertEqual(self.result["summary"], json.loads(self.cli_files["summary.json"]))
        rows = list(csv.DictReader(self.cli_files["per_epoch.csv"].splitlines()))
        self.assertEqual(len(self.result["per_epoch"]), len(rows))
        self.assertEqual(len(rows), 2)  # run.num_epochs=2
        first = self.result["per_epoch"][0]
        self.assertIsInstance(first["epoch"], int)
        self.assertEqual(first["epoch"], 0)
        self.assertEqual(self.result["config"]["hardware"]["mac_array"]["rows"], 8)
        self.assertIsNone(self.result["output_dir"])

    def test_config_is_the_resolved_configuration(self):
        resolved = qtsim.config(sets=SETS)
        written = json.loads(self.cli_files["config.json"])
        resolved["run"].pop("output_dir")
        self.assertEqual(resolved, written)

    def test_frames(self):
        frames = qtsim.frames(self.result)
        self.assertEqual(sorted(frames), ["energy", "per_class_epoch", "per_epoch", "per_layer_phase"])
        self.assertEqual(len(frames["per_epoch"]), 2)
        self.assertEqual(list(frames["per_epoch"].columns), list(self.result["per_epoch"][0].keys()))

    def test_out_writes_the_same_folder(self):
        folder = os.path.join(self.tmp.name, "py")
        result = qtsim.run(sets=SETS, out=folder)
        self.assertEqual(result["output_dir"], folder)
        written = folder_files(folder)
        self.assertIn(".qtsim_output.json", os.listdir(folder))  # the marker qtsim run writes
        self.assertEqual(written, self.cli_files)


class DefaultRun(unittest.TestCase):
    def test_the_default_run_is_qtsim_runs(self):
        with tempfile.TemporaryDirectory() as tmp:
            done = cli("run", "--out", tmp + "/d")
            self.assertEqual(done.returncode, 0, done.stderr)
            with open(tmp + "/d/summary.json", encoding="utf-8") as f:
                expected = json.load(f)
        got = qtsim.run()
        self.assertEqual(got["summary"], expected)
        self.assertEqual(len(got["per_epoch"]), 200)  # the reference trace's 200 epochs


class Errors(unittest.TestCase):
    def test_a_bad_set_is_qtsim_error_with_the_cli_message(self):
        expected = cli_error("run", "--set", "hardware.mac_array.rows=0", "--out", "/tmp/never")
        with self.assertRaises(qtsim.Error) as caught:
            qtsim.run(sets=["hardware.mac_array.rows=0"])
        self.assertEqual(str(caught.exception), expected)
        self.assertIsInstance(caught.exception, ValueError)

    def test_a_missing_run_file(self):
        expected = cli_error("run", "/no/such/run.json", "--out", "/tmp/never")
        with self.assertRaises(qtsim.Error) as caught:
            qtsim.config("/no/such/run.json")
        self.assertEqual(str(caught.exception), expected)

    def test_unknown_section_and_single_string_sets(self):
        with self.assertRaisesRegex(qtsim.Error, "sections: unknown section `hw`"):
            qtsim.config(sections={"hw": "x.json"})
        with self.assertRaisesRegex(TypeError, "sets: expected a list"):
            qtsim.config(sets="run.num_epochs=2")

    def test_validate(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "hw.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump({"mac_array": {"rows": 4, "colz": 4}}, f)
            expected = cli_error("validate", path)
            with self.assertRaises(qtsim.Error) as caught:
                qtsim.validate(path)
            self.assertEqual(str(caught.exception), expected)
            with open(path, "w", encoding="utf-8") as f:
                json.dump({"mac_array": {"rows": 4, "cols": 4}}, f)
            self.assertEqual(qtsim.validate(path), cli("validate", path).stdout.strip())


class Gemm(unittest.TestCase):
    def test_fast_gemm_is_the_command_lines(self):
        with tempfile.TemporaryDirectory() as tmp:
            done = cli("gemm", "--m", "37", "--k", "70", "--n", "19", "--a-bits", "4", "--mode", "fast", "--out", tmp + "/g")
            self.assertEqual(done.returncode, 0, done.stderr)
            with open(tmp + "/g/stats.json", encoding="utf-8") as f:
                expected = json.load(f)
        got = qtsim.gemm(37, 70, 19, a_bits=4)
        self.assertEqual(got["stats"], expected)
        # Hand-derived: 37 x 70 x 19 MACs, x 4 x 8 BitOPs; fast mode checks no values.
        self.assertEqual(got["stats"]["gemm"]["macs"]["value"], 37 * 70 * 19)
        self.assertEqual(got["stats"]["gemm"]["bitops"]["value"], 37 * 70 * 19 * 32)
        self.assertNotIn("values_match_plain_gemm", got["stats"]["gemm"])
        self.assertEqual(got["config"]["gemm"]["mode"], "fast")

    def test_reference_gemm_equals_fast(self):
        fast = qtsim.gemm(24, 40, 24, mode="fast", sets=["hardware.mac_array.rows=8", "hardware.mac_array.cols=8"])
        ref = qtsim.gemm(24, 40, 24, mode="reference", sets=["hardware.mac_array.rows=8", "hardware.mac_array.cols=8"])
        self.assertTrue(ref["stats"]["gemm"].pop("values_match_plain_gemm")["value"])
        self.assertEqual(fast["stats"], ref["stats"])

    def test_bad_gemm(self):
        with self.assertRaisesRegex(qtsim.Error, r"--a-bits: out of range, got 0"):
            qtsim.gemm(4, 4, 4, a_bits=0)
        with self.assertRaisesRegex(qtsim.Error, "mode: got `slow`"):
            qtsim.gemm(4, 4, 4, mode="slow")


class Layers(unittest.TestCase):
    def test_layers_equal_the_command_line_and_scalesim(self):
        folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "scalesim",
                              "f04_os_16x16_gemm")
        got = qtsim.layers(folder + "/topology.csv", folder + "/arch.cfg")
        with open(folder + "/COMPUTE_REPORT.csv", encoding="utf-8") as f:
            self.assertEqual(got["files"]["compute_report.csv"], f.read())
        self.assertEqual([r["Total Cycles"] for r in got["compute_report"]], [535, 233, 45, 299])  # SCALE-Sim's
        self.assertEqual([(r["m"], r["k"], r["n"]) for r in got["layer_table"]],
                         [(50, 37, 20), (17, 9, 40), (16, 16, 16), (1, 70, 33)])
        with tempfile.TemporaryDirectory() as tmp:
            done = cli("layers", folder + "/topology.csv", "--scalesim-config", folder + "/arch.cfg", "--out", tmp + "/l")
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertEqual(got["files"], folder_files(tmp + "/l"))
        self.assertEqual(got["note"], "")


class SweepPoints(unittest.TestCase):
    def test_a_point_is_qtsim_run_of_its_values(self):
        sweep = {"format": "qtsim-sweep", "version": 1, "base": {"run": {"num_epochs": 2}},
                 "space": [{"axis": "hardware.mac_array.rows", "values": [8, 16]},
                           {"axis": "hardware.energy.dram_type", "values": ["lpddr4", "hbm2"]}],
                 "filters": [{"sum": ["hardware.mac_array.rows"], "max": 8}]}
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "sweep.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(sweep, f)
            points = qtsim.sweep_points(path)
            self.assertEqual(points[1], {"index": 1, "values": {"hardware.mac_array.rows": 8,
                                                                 "hardware.energy.dram_type": "hbm2"}})
            self.assertEqual(len(points), 4)
            got = qtsim.sweep_point(path, 1)
            self.assertEqual(got["status"], "ok")
            done = cli("run", "--set", "run.num_epochs=2", "--set", "hardware.mac_array.rows=8",
                       "--set", "hardware.energy.dram_type=hbm2", "--out", tmp + "/p")
            self.assertEqual(done.returncode, 0, done.stderr)
            with open(tmp + "/p/summary.json", encoding="utf-8") as f:
                self.assertEqual(got["summary"], json.load(f))
            self.assertEqual(qtsim.sweep_point(path, 2)["status"], "filtered")  # rows 16 > 8
            with self.assertRaisesRegex(qtsim.Error, r"sweep.json: no point 4; the sweep has 4 points"):
                qtsim.sweep_point(path, 4)


if __name__ == "__main__":
    QTSIM = os.path.abspath(sys.argv[1])
    sys.path.insert(0, os.path.abspath(sys.argv[2]))
    import qtsim  # noqa: E402
    warnings.simplefilter("ignore")
    unittest.main(argv=sys.argv[:1], verbosity=2)
