#!/usr/bin/python3
"""`qtsim layers` against SCALE-Sim v2 itself: the reports SCALE-Sim wrote for its own configuration
and topology files (tests/fixtures/scalesim/, README there) must equal qtsim's compute_report.csv
byte for byte, and the SRAM columns of its DETAILED_ACCESS_REPORT.csv qtsim's sram_report.csv;
plus the input errors and layers.csv.

Usage: scalesim_layers.py QTSIM_BINARY   (ctest: scalesim_layers)
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest

QTSIM = None
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "scalesim")
STALLED = "f13_os_8x8_gemm_user_stall"


def layers(*args):
    return subprocess.run([QTSIM, "layers", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def sram_columns(detailed_report):
    """SCALE-Sim's DETAILED_ACCESS_REPORT.csv cut to its first ten columns (the SRAM ones), in its layout."""
    return "".join(", ".join(line.split(", ")[:10]) + ",\n" for line in detailed_report.splitlines())


def run_fixture(name, out):
    folder = os.path.join(FIXTURES, name)
    gemm = "-i gemm" in read(os.path.join(folder, "command.txt"))
    done = layers(os.path.join(folder, "topology.csv"), "--scalesim-config", os.path.join(folder, "arch.cfg"),
                  "--topology-format", "gemm" if gemm else "conv", "--out", out)
    assert done.returncode == 0, (name, done.stderr)
    return folder


class SameAsScaleSim(unittest.TestCase):
    def test_every_stall_free_fixture(self):
        names = sorted(n for n in os.listdir(FIXTURES) if n.startswith("f") and n != STALLED)
        self.assertEqual(len(names), 14)
        for name in names:
            with self.subTest(fixture=name), tempfile.TemporaryDirectory() as tmp:
                folder = run_fixture(name, tmp + "/out")
                self.assertEqual(read(tmp + "/out/compute_report.csv"), read(folder + "/COMPUTE_REPORT.csv"))
                self.assertEqual(read(tmp + "/out/sram_report.csv"),
                                 sram_columns(read(folder + "/DETAILED_ACCESS_REPORT.csv")))

    def test_where_scalesim_stalls_everything_else_agrees(self):
        with tempfile.TemporaryDirectory() as tmp:
            folder = run_fixture(STALLED, tmp + "/out")
            ours = [line.split(", ") for line in read(tmp + "/out/compute_report.csv").splitlines()]
            theirs = [line.split(", ") for line in read(folder + "/COMPUTE_REPORT.csv").splitlines()]
            total, stalls = int(theirs[1][1]), int(theirs[1][2])
            self.assertEqual((total, stalls), (13920, 11329))
            self.assertEqual(int(ours[1][1]), total - stalls)  # 48 folds x 54 cycles - 1
            self.assertEqual(int(ours[1][1]), 48 * 54 - 1)
            self.assertEqual(ours[1][4:], theirs[1][4:])  # mapping efficiency and compute utilisation
            ours_sram = read(tmp + "/out/sram_report.csv").splitlines()[1].split(", ")
            theirs_sram = sram_columns(read(folder + "/DETAILED_ACCESS_REPORT.csv")).splitlines()[1].split(", ")
            for column in (3, 6, 9):  # reads and writes do not depend on stalls
                self.assertEqual(ours_sram[column], theirs_sram[column])


class LayerTable(unittest.TestCase):
    def test_rows_shapes_and_fast_equals_reference(self):
        folder = os.path.join(FIXTURES, "f11_os_8x8_conv_quirks")
        with tempfile.TemporaryDirectory() as tmp:
            args = [folder + "/topology.csv", "--scalesim-config", folder + "/arch.cfg"]
            self.assertEqual(layers(*args, "--out", tmp + "/fast").returncode, 0)
            done = layers(*args, "--mode", "reference", "--out", tmp + "/ref")
            self.assertEqual(done.returncode, 0, done.stderr)
            with open(tmp + "/fast/layers.csv", newline="", encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
            # rect_sh2_sw1 (12x10, 3x2 window, 3 channels, 7 filters, strides 2 and 1): ceil((12-3+2)/2) = 6
            # rows and 10-2+1 = 9 columns of output, K = 3*2*3 = 18; DPdw3x3 is 3 layers of one channel:
            # 5x5 outputs, K = 9, N = 1.
            self.assertEqual([r["name"] for r in rows],
                             ["rect_sh2_sw1", "DPdw3x3Channel_0", "DPdw3x3Channel_1", "DPdw3x3Channel_2"])
            self.assertEqual([(int(r["m"]), int(r["k"]), int(r["n"])) for r in rows],
                             [(54, 18, 7), (25, 9, 1), (25, 9, 1), (25, 9, 1)])
            self.assertEqual(int(rows[0]["macs"]), 54 * 18 * 7)
            self.assertEqual(rows[0]["operands"], "matrices")  # a 3x2 window: SCALE-Sim's GEMM
            self.assertEqual(rows[1]["operands"], "tensors")   # a 3x3 convolution over its tensors
            for r in rows:  # qtsim's cycles split exactly by cause (no vector work in a layer)
                causes = ("compute", "port_stall", "load_stall", "store_stall", "store_drain", "reconfig")
                self.assertEqual(int(r["controller.cycles"]), sum(int(r[f"controller.{c}_cycles"]) for c in causes))
                self.assertGreater(int(r["controller.load_stall_cycles"]), 0)  # DRAM: unlike SCALE-Sim's report
            fast = json.loads(read(tmp + "/fast/layers.json"))
            ref = json.loads(read(tmp + "/ref/layers.json"))
            self.assertEqual(fast, ref)  # fast mode's contract: reference mode's statistics exactly

    def test_other_widths_have_no_scalesim_files(self):
        folder = os.path.join(FIXTURES, "f04_os_16x16_gemm")
        with tempfile.TemporaryDirectory() as tmp:
            done = layers(folder + "/topology.csv", "--scalesim-config", folder + "/arch.cfg", "--a-bits", "4",
                          "--out", tmp + "/o")
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertIn("note: compute_report.csv and sram_report.csv not written: at 4 x 8 bits", done.stdout)
            self.assertFalse(os.path.exists(tmp + "/o/compute_report.csv"))
            self.assertTrue(os.path.exists(tmp + "/o/layers.csv"))


class NetworkToTopology(unittest.TestCase):
    def test_resnet20_training_step(self):
        repo = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        with tempfile.TemporaryDirectory() as tmp:
            topology = os.path.join(tmp, "r20.csv")
            subprocess.run([sys.executable, os.path.join(repo, "scripts", "network_to_topology.py"),
                            os.path.join(repo, "workloads", "networks", "resnet20_cifar10.json"), "-o", topology],
                           check=True)
            with open(topology, encoding="utf-8") as f:
                rows = [line.rstrip(",\n").split(", ") for line in f.readlines()[1:]]
            # 19 convolutions and the classifier: 20 forward and 20 weight-gradient GEMMs, 19 backward-data
            # ones (not into the input); the forward MACs are ResNet-20's 40,551,040 (README "Networks").
            self.assertEqual(len(rows), 59)
            macs = {phase: sum(int(m) * int(n) * int(k) for name, m, n, k in rows if name.endswith(phase))
                    for phase in ("_fwd", "_wgrad", "_bwd_data")}
            self.assertEqual(macs["_fwd"], 40551040)
            self.assertEqual(macs["_wgrad"], 40551040)
            self.assertNotIn("conv1_bwd_data", [r[0] for r in rows])
            done = layers(topology, "--out", os.path.join(tmp, "out"))
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertTrue(done.stdout.startswith("59 layers of "))


class BadInputs(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.topology = self.write("t.csv", "Layer, M, N, K,\nfc, 4, 5, 6,\n")
        self.cfg_text = read(os.path.join(FIXTURES, "f04_os_16x16_gemm", "arch.cfg"))

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def error(self, *args):
        out = os.path.join(self.tmp.name, "out")
        done = layers(*args, "--out", out)
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertFalse(os.path.exists(out))
        return done.stderr

    def test_config_keys(self):
        cfg = self.write("a.cfg", self.cfg_text.replace("MemoryBanks:   1", "MemoryBanks:   1\nSparsity: 2"))
        self.assertIn("a.cfg: line 16: [architecture_presets] Sparsity: not a SCALE-Sim v2 key qtsim can honour",
                      self.error(self.topology, "--scalesim-config", cfg))
        cfg = self.write("b.cfg", self.cfg_text.replace("Dataflow : os", "Dataflow : rs"))
        self.assertIn("[architecture_presets] Dataflow `rs`: expected os, ws or is",
                      self.error(self.topology, "--scalesim-config", cfg))
        cfg = self.write("c.cfg", self.cfg_text.replace("ArrayHeight:    16\n", ""))
        self.assertIn("c.cfg: [architecture_presets] ArrayHeight is missing",
                      self.error(self.topology, "--scalesim-config", cfg))
        cfg = self.write("d.cfg", self.cfg_text.replace("InterfaceBandwidth: CALC", "InterfaceBandwidth: calc"))
        self.assertIn("InterfaceBandwidth `calc`: expected CALC or USER", self.error(self.topology, "--scalesim-config", cfg))
        cfg = self.write("e.cfg", self.cfg_text + "[network_presets]\nTopologyCsvLoc: x.csv\n")
        self.assertIn("section [network_presets] is not one qtsim reads", self.error(self.topology, "--scalesim-config", cfg))

    def test_topology_rows(self):
        bad = self.write("u.csv", "Layer, M, N, K,\nfc, 4, 5, 6\n")
        self.assertIn("u.csv: line 2: expected the row to end in a comma", self.error(bad))
        bad = self.write("v.csv", "Layer, M, N, K,\nfc, 4, x, 6,\n")
        self.assertIn("v.csv: line 2: N `x`: expected an integer", self.error(bad))
        bad = self.write("w.csv", "something else\nfc, 4, 5, 6,\n")
        self.assertIn("w.csv: line 1: not a SCALE-Sim topology header", self.error(bad))
        bad = self.write("x.csv", "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
                                  "Num Filter, Strides,\nc, 4, 4, 5, 5, 1, 1, 1,\n")
        self.assertIn("x.csv: line 2: the filter (5 x 5) is larger than the IFMAP (4 x 4)", self.error(bad))
        self.assertIn("no/such.csv: cannot open the topology file", self.error(self.tmp.name + "/no/such.csv"))

    def test_bits(self):
        self.assertIn("--a-bits: out of range, got 0", self.error(self.topology, "--a-bits", "0"))


if __name__ == "__main__":
    QTSIM = os.path.abspath(sys.argv[1])
    unittest.main(argv=sys.argv[:1], verbosity=2)
