#!/usr/bin/python3
"""End to end: `qtsim sweep` against `qtsim run` (a second, independent path: one process per point,
no shared costs), the same table whatever --jobs or interruption, invalid points as rows.

Usage: sweep_end_to_end.py QTSIM_BINARY   (ctest: sweep_end_to_end)
"""
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

QTSIM = None
# Three epochs of the reference trace; two array sizes x two DRAM types x two thresholds, plus a DRAM
# type that does not exist (an invalid point per array size and threshold).
SWEEP = {
    "format": "qtsim-sweep", "version": 1, "description": "end-to-end test",
    "base": {"run": {"num_epochs": 3}},
    "space": [
        {"zip": [{"axis": "hardware.mac_array.rows", "values": [8, 16]},
                 {"axis": "hardware.mac_array.cols", "values": [8, 16]}]},
        {"axis": "hardware.energy.dram_type", "values": ["lpddr4", "hbm2", "no_such_dram"]},
        {"axis": "policy.tiers.1.min_accuracy", "values": [0.6, 0.85]},
    ],
}


def qtsim(*args, cwd=None, check=True):
    done = subprocess.run([QTSIM, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"qtsim {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done


def read_table(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def line_count(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().count("\n")
    except OSError:
        return 0


def folder_bytes(folder):
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, folder)] = f.read()
    return out


class SweepEndToEnd(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="qtsim_sweep_e2e_")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.sweep = os.path.join(self.dir, "sweep.json")
        with open(self.sweep, "w", encoding="utf-8") as f:
            json.dump(SWEEP, f)

    def test_rows_equal_qtsim_run_and_invalid_points_are_rows(self):
        qtsim("sweep", self.sweep, "--out", "out", "--jobs", "2", cwd=self.dir)
        rows = read_table(os.path.join(self.dir, "out", "points.csv"))
        self.assertEqual([r["index"] for r in rows], [str(i) for i in range(12)])
        bad = [r for r in rows if r["hardware.energy.dram_type"] == "no_such_dram"]
        self.assertEqual(len(bad), 4)
        for r in bad:
            self.assertEqual(r["status"], "error")
            self.assertIn("hardware.energy.dram_type: unknown name", r["error"])
            self.assertEqual((r["speedup"], r["pareto"]), ("", ""))
        for r in (r for r in rows if r["status"] == "ok"):
            sets = [a for k in ("hardware.mac_array.rows", "hardware.mac_array.cols", "hardware.energy.dram_type",
                                "policy.tiers.1.min_accuracy") for a in ("--set", f"{k}={r[k]}")]
            folder = os.path.join(self.dir, "run" + r["index"])
            qtsim("run", "--set", "run.num_epochs=3", *sets, "--out", folder)
            with open(os.path.join(folder, "summary.json"), encoding="utf-8") as f:
                replay = json.load(f)["hardware_replay"]
            # Values printed as the shortest round-tripping text: equal floats give equal text.
            self.assertEqual(float(r["policy_energy_pj"]), replay["policy"]["energy"]["total"]["total_pj"])
            self.assertEqual(int(r["baseline_cycles"]), replay["baseline"]["cycles"]["total"])
            self.assertEqual(float(r["speedup"]), replay["speedup"])
            self.assertEqual(float(r["area_mm2"]), replay["area"]["total_mm2"])
            self.assertEqual(float(r["policy_dram_bytes_per_mac"]), replay["policy"]["dram_bytes_per_mac"])
        # Pareto (minimise policy energy and time): checked against a brute-force front.
        ok = [r for r in rows if r["status"] == "ok"]
        for r in ok:
            e, t = float(r["policy_energy_pj"]), float(r["policy_time_s"])
            dominated = any(float(o["policy_energy_pj"]) <= e and float(o["policy_time_s"]) <= t and
                            (float(o["policy_energy_pj"]), float(o["policy_time_s"])) != (e, t) for o in ok)
            self.assertEqual(r["pareto"], "0" if dominated else "1", r["index"])

    def test_same_bytes_whatever_jobs(self):
        qtsim("sweep", self.sweep, "--out", "one", "--jobs", "1", cwd=self.dir)
        qtsim("sweep", self.sweep, "--out", "two", "--jobs", "2", cwd=self.dir)
        self.assertEqual(folder_bytes(os.path.join(self.dir, "one")), folder_bytes(os.path.join(self.dir, "two")))
    def test_a_killed_sweep_resumes_to_the_same_bytes(self):
        # 60 epochs a point, so that the kill lands mid-sweep.
        with open(self.sweep, "w", encoding="utf-8") as f:
            json.dump(dict(SWEEP, base={"run": {"num_epochs": 60}}), f)
        qtsim("sweep", self.sweep, "--out", "whole", "--jobs", "2", cwd=self.dir)
        proc = subprocess.Popen([QTSIM, "sweep", self.sweep, "--out", "killed", "--jobs", "1"], cwd=self.dir,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rows = os.path.join(self.dir, ".killed.qtsim-sweep-state", "rows.jsonl")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None and line_count(rows) < 4:
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        self.assertEqual(proc.returncode, -signal.SIGKILL, "the sweep ended before the kill")
        self.assertLess(line_count(rows), 13)
        with open(rows, "a", encoding="utf-8") as f:
            f.write('{"index": 7, "sta')  # a line a kill cut short is dropped on resume
        resumed = qtsim("sweep", self.sweep, "--out", "killed", "--jobs", "2", cwd=self.dir)
        self.assertIn("already finished", resumed.stderr)
        self.assertFalse(os.path.exists(os.path.dirname(rows)))  # the state goes once the table is written
        self.assertEqual(folder_bytes(os.path.join(self.dir, "whole")), folder_bytes(os.path.join(self.dir, "killed")))

    def test_shards_and_import_give_the_same_table(self):
        qtsim("sweep", self.sweep, "--out", "whole", "--jobs", "2", cwd=self.dir)
        qtsim("sweep", self.sweep, "--only", "0:5", "--rows-out", "a.jsonl", cwd=self.dir)
        qtsim("sweep", self.sweep, "--only", "5:12", "--rows-out", "b.jsonl", cwd=self.dir)
        qtsim("sweep", self.sweep, "--out", "merged", "--import-rows", "a.jsonl", "--import-rows", "b.jsonl",
              cwd=self.dir)
        self.assertEqual(folder_bytes(os.path.join(self.dir, "whole")), folder_bytes(os.path.join(self.dir, "merged")))
        self.assertEqual(qtsim("sweep", self.sweep, "--count").stdout, "12\n")

    def test_a_state_of_another_sweep_is_an_error_not_a_loss(self):
        proc = qtsim("sweep", self.sweep, "--only", "0:2", "--rows-out", "a.jsonl", cwd=self.dir)
        edited = dict(SWEEP, description="edited")
        with open(self.sweep, "w", encoding="utf-8") as f:
            json.dump(edited, f)
        done = qtsim("sweep", self.sweep, "--out", "x", "--import-rows", "a.jsonl", cwd=self.dir, check=False)
        self.assertEqual(done.returncode, 1, proc.stderr)
        self.assertIn("a.jsonl: holds the points of another sweep", done.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "a.jsonl")))

    def test_plot_sweep_draws_from_the_table_and_names_bad_input(self):
        qtsim("sweep", self.sweep, "--out", "out", cwd=self.dir)
        plot = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                            "scripts", "plot_sweep.py")
        done = subprocess.run(["/usr/bin/python3", plot, "out", "--formats", "png"], cwd=self.dir,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(sorted(os.listdir(os.path.join(self.dir, "out", "figures"))),
                         [".qtsim_output.json", "heatmap.png", "pareto.png", "saving_by_axis.png"])
        for args, message in ((["out", "--colour", "hardware.nope"], "no axis 'hardware.nope'"),
                              (["out", "--metric", "nope"], "no column 'nope'"),
                              ([self.dir], "not a qtsim sweep output folder")):
            done = subprocess.run(["/usr/bin/python3", plot, *args, "--out", "figs"], cwd=self.dir,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            self.assertEqual(done.returncode, 1, done.stderr)
            self.assertIn(message, done.stderr)
            self.assertFalse(os.path.exists(os.path.join(self.dir, "figs")))

    def test_a_bad_sweep_file_is_exit_1_naming_the_file_and_axis(self):
        with open(self.sweep, "w", encoding="utf-8") as f:
            json.dump(dict(SWEEP, space=[{"axis": "hardware.mac_array.rowz", "values": [8]}]), f)
        done = qtsim("sweep", self.sweep, "--out", "out", cwd=self.dir, check=False)
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertIn("sweep.json: axis hardware.mac_array.rowz: no such key", done.stderr)
        self.assertEqual(sorted(os.listdir(self.dir)), ["sweep.json"])  # no output, no state

    def test_point_folders(self):
        qtsim("sweep", self.sweep, "--out", "out", "--point-folders", cwd=self.dir)
        out = os.path.join(self.dir, "out")
        self.assertEqual(sorted(os.listdir(os.path.join(out, "points"))),
                         sorted(str(i) for i in range(12) if i % 6 not in (4, 5)))
        with open(os.path.join(out, "points", "0", "summary.json"), encoding="utf-8") as f:
            summary = json.load(f)
        row = read_table(os.path.join(out, "points.csv"))[0]
        self.assertEqual(float(row["speedup"]), summary["hardware_replay"]["speedup"])


if __name__ == "__main__":
    QTSIM = os.path.abspath(sys.argv.pop(1))
    unittest.main()
