#!/usr/bin/python3
"""Tests of the plot scripts and the paper table (scripts/plot_run.py, plot_compare.py,
make_paper_results.py, scripts/qtsim_plots/).

  tests/python/plots_and_paper.py QTSIM_BINARY [--check-committed]

Runs qtsim on the small fixture (tests/fixtures/configs/run_small.json) and checks that every plot
script writes its files, that a missing or malformed output folder fails with a message naming the
file, and that the table's numbers are the summary's. With --check-committed it also regenerates
results/paper into a temporary folder and checks that its tables and README equal the committed ones.
Not named test_*.py: it needs the qtsim binary, so `unittest discover` must not pick it up.
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import _paths  # noqa: F401  (puts scripts/ on sys.path)
from _paths import REPO, SCRIPTS

from qtsim_plots.atomic import MARKER, read_marker  # noqa: E402
from qtsim_plots.run_folder import OutputFolderError, RunFolder  # noqa: E402
from qtsim_plots.sensitivity import bitserial_table  # noqa: E402
from qtsim_plots.table import CSV_COLUMNS, table_row, to_csv, to_markdown  # noqa: E402

QTSIM = None
CHECK_COMMITTED = False
PY = "/usr/bin/python3"
RUN_FIGURES = ("energy_breakdown", "precision_mix_energy", "tier_timeline", "cycles_layer_phase")


def script(name, *args):
    return subprocess.run([PY, os.path.join(SCRIPTS, name), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))


class PlotScripts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="qtsim_plots_test_")
        cls.run_dir = os.path.join(cls.tmp, "small")
        subprocess.run([QTSIM, "run", os.path.join(REPO, "tests/fixtures/configs/run_small.json"), "--out",
                        cls.run_dir], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def broken_copy(self, name):
        """A copy of the small run folder to break."""
        path = os.path.join(self.tmp, name)
        shutil.copytree(self.run_dir, path)
        return path

    def assert_fails(self, result, *fragments):
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        for fragment in fragments:
            self.assertIn(fragment, result.stderr)

    # (a) every script produces its files
    def test_plot_run_writes_every_figure_as_png_and_pdf(self):
        out = os.path.join(self.tmp, "figs")
        result = script("plot_run.py", self.run_dir, "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        expected = sorted(f"{stem}.{fmt}" for stem in RUN_FIGURES for fmt in ("pdf", "png"))
        self.assertEqual(sorted(os.listdir(out)), sorted(expected + [MARKER]))
        self.assertEqual(read_marker(out), set(expected))
        for name in expected:
            with open(os.path.join(out, name), "rb") as f:
                head = f.read(8)
            self.assertTrue(head.startswith(b"%PDF") if name.endswith(".pdf") else head == b"\x89PNG\r\n\x1a\n", name)

    def test_plot_compare_writes_its_figures(self):
        out = os.path.join(self.tmp, "compare")
        result = script("plot_compare.py", "--out", out, f"small:a={self.run_dir}", f"small:b={self.run_dir}")
        self.assertEqual(result.returncode, 0, result.stderr)
        # The fixture's hand-written trace has no trainer tags: no accuracy figure, and a note says why.
        self.assertIn("accuracy_vs_cost not drawn", result.stderr)
        self.assertEqual(sorted(os.listdir(out)), sorted([MARKER] + [f"{s}.{f}" for s in ("energy_breakdown",
                                                                                          "speedup_energy_saving")
                                                                    for f in ("pdf", "png")]))

    def test_plot_run_replaces_only_its_own_folder(self):
        out = os.path.join(self.tmp, "replaced")
        self.assertEqual(script("plot_run.py", self.run_dir, "--out", out).returncode, 0)
        self.assertEqual(script("plot_run.py", self.run_dir, "--out", out, "--formats", "png").returncode, 0)
        self.assertFalse([n for n in os.listdir(out) if n.endswith(".pdf")])  # replaced as a whole, not merged
        with open(os.path.join(out, "notes.txt"), "w") as f:
            f.write("mine")
        self.assert_fails(script("plot_run.py", self.run_dir, "--out", out), out, "notes.txt", "no qtsim tool wrote")
        with open(os.path.join(out, "notes.txt")) as f:
            self.assertEqual(f.read(), "mine")
        default = script("plot_run.py", self.run_dir)  # RUN_DIR/figures: a marked folder inside a marked one
        self.assertEqual(default.returncode, 0, default.stderr)
        self.assertEqual(script("plot_run.py", self.run_dir).returncode, 0)

    def test_figures_are_byte_identical_when_redrawn(self):
        outs = [os.path.join(self.tmp, f"again{i}") for i in range(2)]
        for out in outs:
            self.assertEqual(script("plot_run.py", self.run_dir, "--out", out, "--formats", "png,pdf").returncode, 0)
        for name in os.listdir(outs[0]):
            with open(os.path.join(outs[0], name), "rb") as a, open(os.path.join(outs[1], name), "rb") as b:
                self.assertEqual(a.read(), b.read(), name)

    # (b) clear errors
    def test_missing_folder(self):
        missing = os.path.join(self.tmp, "no_such_run")
        self.assert_fails(script("plot_run.py", missing), missing, "not a folder")
        self.assert_fails(script("plot_compare.py", f"x={missing}"), missing, "not a folder")

    def test_summary_without_hardware_replay(self):
        path = self.broken_copy("no_replay")
        with open(os.path.join(path, "summary.json")) as f:
            summary = json.load(f)
        del summary["hardware_replay"]
        with open(os.path.join(path, "summary.json"), "w") as f:
            json.dump(summary, f)
        self.assert_fails(script("plot_run.py", path, "--out", os.path.join(self.tmp, "x1")),
                          os.path.join(path, "summary.json"), "missing key hardware_replay")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "x1", "energy_breakdown.png")))

    def test_summary_not_json(self):
        path = self.broken_copy("bad_json")
        with open(os.path.join(path, "summary.json"), "w") as f:
            f.write("{\"compression\": ")
        self.assert_fails(script("plot_run.py", path), "summary.json", "not valid JSON")

    def test_malformed_csv_row(self):
        path = self.broken_copy("bad_csv")
        csv_path = os.path.join(path, "per_epoch.csv")
        with open(csv_path) as f:
            lines = f.read().splitlines()
        lines[1] = ",".join(lines[1].split(",")[:-2])
        with open(csv_path, "w") as f:
            f.write("\n".join(lines) + "\n")
        out = os.path.join(self.tmp, "x2")
        self.assert_fails(script("plot_run.py", path, "--out", out), csv_path, "line 2", "fields")
        self.assertFalse(os.path.exists(out))  # nothing half-written

    def test_non_numeric_and_missing_csv(self):
        path = self.broken_copy("bad_value")
        table_path = os.path.join(path, "per_layer_phase.csv")
        with open(table_path) as f:
            text = f.read().splitlines()
        header = text[0].split(",")
        row = text[1].split(",")
        row[header.index("policy_cycles")] = "many"
        text[1] = ",".join(row)
        with open(table_path, "w") as f:
            f.write("\n".join(text) + "\n")
        self.assert_fails(script("plot_run.py", path), table_path, "column policy_cycles", "not a number")
        os.remove(os.path.join(path, "per_class_epoch.csv"))
        self.assert_fails(script("plot_run.py", path), "per_class_epoch.csv: missing")

    def test_missing_qtsim_binary(self):
        result = script("make_paper_results.py", "--qtsim", os.path.join(self.tmp, "nothing"), "--out",
                        os.path.join(self.tmp, "paper"))
        self.assert_fails(result, os.path.join(self.tmp, "nothing"), "no qtsim program")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "paper")))

    # (c) table numbers are the summary's
    def test_table_row_recomputes_the_summary(self):
        run = RunFolder(self.run_dir)
        with open(os.path.join(self.run_dir, "summary.json")) as f:
            s = json.load(f)
        replay = s["hardware_replay"]
        row = table_row("small", "fixture", run)
        self.assertEqual(row["policy_cycles"], replay["policy"]["cycles"]["total"])
        self.assertEqual(row["baseline_cycles"], replay["baseline"]["cycles"]["total"])
        self.assertAlmostEqual(row["speedup"], replay["baseline"]["cycles"]["total"] / replay["policy"]["cycles"]["total"],
                               places=12)
        self.assertAlmostEqual(row["speedup"], replay["speedup"], places=9)
        self.assertAlmostEqual(row["energy_saving_fraction"], replay["energy_saving_fraction"], places=9)
        self.assertAlmostEqual(row["policy_energy_j"], replay["policy"]["energy"]["total"]["total_pj"] * 1e-12)
        self.assertAlmostEqual(row["bits_ratio"], s["compression"]["bits_ratio"], places=9)
        self.assertAlmostEqual(row["bitops_ratio"], s["compression"]["bitops_ratio"], places=9)
        low = sum(e["sample_fraction"] for e in s["precision_mix"] if e["precision"] != s["baseline_precision"])
        self.assertAlmostEqual(row["low_precision_sample_fraction"], low)
        self.assertIsNone(row["policy_test_accuracy_fraction"])  # the fixture's trace has no trainer tags
        for side in ("policy", "baseline"):
            energy = replay[side]["energy"]["total"]
            self.assertAlmostEqual(row[f"{side}_static_energy_fraction"], energy["static_pj"] / energy["total_pj"])
        self.assertEqual(row["area_mm2"], replay["area"]["total_mm2"])
        self.assertAlmostEqual(row["area_mm2"], sum(replay["area"]["components_mm2"].values()), places=12)
        parsed = list(csv.DictReader(io.StringIO(to_csv([row]))))
        self.assertEqual(tuple(parsed[0].keys()), CSV_COLUMNS)
        self.assertEqual(int(parsed[0]["policy_cycles"]), row["policy_cycles"])
        self.assertAlmostEqual(float(parsed[0]["speedup"]), row["speedup"], places=6)
        self.assertIn(f"{row['speedup']:.3f}x", to_markdown([row]))

    def test_table_rejects_an_inconsistent_summary(self):
        path = self.broken_copy("inconsistent")
        with open(os.path.join(path, "summary.json")) as f:
            summary = json.load(f)
        summary["hardware_replay"]["speedup"] *= 1.01
        with open(os.path.join(path, "summary.json"), "w") as f:
            json.dump(summary, f)
        with self.assertRaisesRegex(OutputFolderError, "hardware_replay.speedup"):
            table_row("small", "fixture", RunFolder(path))


class SensitivityTables(unittest.TestCase):
    def test_bitserial_table_scales_the_builtin_figure(self):
        # The study's tables extend builtin:45nm; their base must be that table's own bit-serial figure.
        with open(os.path.join(REPO, "sim", "energy", "tables", "45nm.json")) as f:
            builtin = json.load(f)["entries"]["mac_array"]["bitserial_pe_cycle"]
        self.assertEqual(builtin["unit"], "fJ")
        for scale in (0.5, 2.0):
            table = json.loads(bitserial_table(scale))
            entry = table["entries"]["mac_array"]["bitserial_pe_cycle"]
            self.assertEqual(table["extends"], "builtin:45nm")
            self.assertAlmostEqual(entry["energy"], builtin["energy"] * scale, places=9)


@unittest.skipUnless(CHECK_COMMITTED or "--check-committed" in sys.argv, "needs --check-committed")
class CommittedPaperResults(unittest.TestCase):
    def test_regenerated_tables_equal_the_committed_ones(self):
        committed = os.path.join(REPO, "results", "paper")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "paper")
            result = script("make_paper_results.py", "--qtsim", QTSIM, "--out", out)
            self.assertEqual(result.returncode, 0, result.stderr)
            for name in ("table.csv", "table.md", "sensitivity.csv", "README.md", MARKER):
                with open(os.path.join(out, name)) as a, open(os.path.join(committed, name)) as b:
                    self.assertEqual(a.read(), b.read(), f"results/paper/{name} is not what "
                                     "scripts/make_paper_results.py writes: rerun it and commit the result")
            self.assertEqual(sorted(os.listdir(os.path.join(out, "figures"))),
                             sorted(os.listdir(os.path.join(committed, "figures"))))
            # Issue 16: the recorded uniform run measured Fashion-MNIST; a CIFAR-10 (synthetic) row has no
            # measured accuracy on either side.
            with open(os.path.join(out, "table.csv")) as f:
                rows = list(csv.DictReader(f))
            cifar = [r for r in rows if r["trace"].startswith("CIFAR-10")]
            self.assertTrue(cifar)
            for r in cifar:
                self.assertEqual((r["policy_test_accuracy_fraction"], r["baseline_test_accuracy_fraction"]), ("", ""))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: plots_and_paper.py QTSIM_BINARY [--check-committed]")
    QTSIM = os.path.abspath(sys.argv[1])
    CHECK_COMMITTED = "--check-committed" in sys.argv
    unittest.main(argv=[sys.argv[0]] + [a for a in sys.argv[2:] if a != "--check-committed"])
