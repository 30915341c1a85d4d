"""The study's statistics against closed forms, and its runner on a tiny protocol (resume keeps finished runs)."""
import json
import math
import os
import shutil
import unittest

import _paths  # noqa: F401

from qtsim_study import protocol
from qtsim_study.cli import parser
from qtsim_study.runner import REPO, StudyError, finished, run_study, study_path
from qtsim_study.stats import mcnemar, mean_ci, tost


def t2_quantile(p):
    """Student's t quantile with 2 degrees of freedom, closed form: (2p - 1) / sqrt(2 p (1 - p))."""
    return (2 * p - 1) / math.sqrt(2 * p * (1 - p))


def t2_cdf(t):
    """Student's t CDF with 2 degrees of freedom, closed form: 1/2 + t / (2 sqrt(2 + t^2))."""
    return 0.5 + t / (2 * math.sqrt(2 + t * t))


class Statistics(unittest.TestCase):
    def test_mean_ci_with_two_degrees_of_freedom(self):
        mean, low, high = mean_ci([1.0, 2.0, 3.0])  # sd 1, se 1 / sqrt(3)
        half = t2_quantile(0.975) / math.sqrt(3)  # 4.3027 / 1.7321 = 2.4841
        self.assertEqual(mean, 2.0)
        self.assertAlmostEqual(low, 2.0 - half, places=9)
        self.assertAlmostEqual(high, 2.0 + half, places=9)
        self.assertEqual(mean_ci([5.0]), (5.0, None, None))

    def test_tost_against_the_closed_form(self):
        d = [0.1, 0.2, 0.3]  # mean 0.2, sd 0.1, se 0.1 / sqrt(3)
        se = 0.1 / math.sqrt(3)
        r = tost(d, 1.0)
        self.assertAlmostEqual(r["p_upper"], t2_cdf((0.2 - 1.0) / se), places=9)  # 0.00258
        self.assertAlmostEqual(r["p_lower"], 1 - t2_cdf((0.2 + 1.0) / se), places=9)
        self.assertAlmostEqual(r["p"], t2_cdf((0.2 - 1.0) / se), places=9)
        self.assertTrue(r["equivalent"])
        half = t2_quantile(0.95) * se
        self.assertAlmostEqual(r["ci90"][0], 0.2 - half, places=9)
        # Differences around -1 pp: not equivalent (p about 1/2).
        wide = tost([-0.5, -1.0, -1.5], 1.0)
        self.assertAlmostEqual(wide["p_lower"], 1 - t2_cdf(0.0), places=9)
        self.assertFalse(wide["equivalent"])
        self.assertIsNone(tost([0.1], 1.0))

    def test_mcnemar_exact(self):
        # b = 5, c = 0: 2 * P(X <= 0) = 2 / 32.
        self.assertEqual(mcnemar([1] * 5 + [0], [0] * 6), {"b": 5, "c": 0, "p": 0.0625})
        # b = 1, c = 3: 2 * P(X <= 1) = 2 * (1 + 4) / 16 = 0.625.
        r = mcnemar([1, 0, 0, 0, 1], [0, 1, 1, 1, 1])
        self.assertEqual((r["b"], r["c"]), (1, 3))
        self.assertAlmostEqual(r["p"], 0.625, places=12)
        self.assertEqual(mcnemar([1, 0], [1, 0])["p"], 1.0)
        with self.assertRaisesRegex(ValueError, "expected the same test images"):
            mcnemar([1], [1, 0])


class Runner(unittest.TestCase):
    STUDY = "results/.test_study_tiny"

    @classmethod
    def setUpClass(cls):
        shutil.rmtree(os.path.join(REPO, cls.STUDY), ignore_errors=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(os.path.join(REPO, cls.STUDY), ignore_errors=True)

    def run_study(self):
        lines = []
        args = parser().parse_args(["run", "--study", os.path.join(REPO, self.STUDY), "--protocol", "tiny",
                                    "--seeds", "3", "--poll-s", "0.2", "--nice", "0"])
        self.assertEqual(run_study(args, out=lines.append), 0)
        return lines

    def test_runs_every_arm_then_resumes_without_rerunning(self):
        lines = self.run_study()
        self.assertEqual(lines[0], f"study {self.STUDY}: 0 runs finished, 4 to run")
        for arm in protocol.ARM_ORDER:
            self.assertTrue(finished(self.STUDY, arm, 3), arm)
        folder = os.path.join(REPO, self.STUDY)
        with open(os.path.join(folder, "class_difficulty", "seed3", "accuracy.json")) as f:
            cd = json.load(f)
        with open(os.path.join(folder, "random_assignment", "seed3", "trace.json")) as f:
            ra = json.load(f)
        # The control's budget is the class_difficulty run's, epoch by epoch.
        self.assertEqual(ra["policy"]["low_samples_per_epoch"], cd["low_precision_samples"])
        self.assertEqual(ra["provenance"]["low_precision_samples"], cd["low_precision_samples"])
        with open(os.path.join(folder, "random_assignment", "seed3", "command.txt")) as f:
            command = f.read().strip()
        self.assertEqual(command, ra["provenance"]["command"])  # the exact command, as the trace records it
        self.assertTrue(command.startswith("scripts/qtsim_train.py --dataset fashion_mnist --subset 8000"), command)
        self.assertIn("--seed 3", command)
        mtime = os.path.getmtime(os.path.join(folder, "uniform_8_8_16", "seed3", "trace.json"))
        again = self.run_study()
        self.assertEqual(again, [f"study {self.STUDY}: 4 runs finished, 0 to run"])
        self.assertEqual(os.path.getmtime(os.path.join(folder, "uniform_8_8_16", "seed3", "trace.json")), mtime)

    def test_study_outside_the_repository_is_refused(self):
        with self.assertRaisesRegex(StudyError, "expected a folder inside the repository"):
            study_path("/tmp/elsewhere")


if __name__ == "__main__":
    unittest.main()
