"""The paper's accuracy over seeds: read from a study analysis, carried into the table and its text."""
import json
import os
import tempfile
import unittest

import _paths  # noqa: F401

from qtsim_plots.run_folder import OutputFolderError
from qtsim_plots.study_accuracy import interval_text, load_study
from qtsim_plots.table import CSV_COLUMNS, SEED_COLUMNS, seed_cells, seeds_text


def analysis(arms):
    return {"arms": {arm: {"deploy_accuracy_pct": acc} for arm, acc in arms.items()}}


class StudyAccuracy(unittest.TestCase):
    def write(self, document):
        folder = tempfile.TemporaryDirectory(prefix="qtsim_study_accuracy_")
        self.addCleanup(folder.cleanup)
        path = os.path.join(folder.name, "analysis.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(document if isinstance(document, str) else json.dumps(document))
        return path

    def test_percentages_become_fractions(self):
        path = self.write(analysis({"class_difficulty": {"mean": 87.25, "ci95": [86.0, 88.5], "n": 3},
                                    "uniform_8_8_16": {"mean": 88.5, "ci95": None, "n": 1}}))
        study = load_study(path)
        self.assertEqual(study["class_difficulty"], {"mean": 0.8725, "low": 0.86, "high": 0.885, "n": 3})
        self.assertEqual(study["uniform_8_8_16"], {"mean": 0.885, "low": None, "high": None, "n": 1})
        self.assertEqual(interval_text(study["class_difficulty"]), "87.25% [86.00, 88.50], 3 seeds")
        self.assertEqual(interval_text(study["uniform_8_8_16"]), "88.50%, 1 seed")

    def test_a_file_that_is_not_an_analysis_names_itself(self):
        for text in ("{", json.dumps({"arms": {"x": {}}}), json.dumps({"runs": []})):
            with self.assertRaises(OutputFolderError) as caught:
                load_study(self.write(text))
            self.assertIn("analysis.json: not a study analysis", str(caught.exception))

    def test_table_cells_and_text(self):
        entry = {"mean": 0.8725, "low": 0.86, "high": 0.885, "n": 3}
        cells = seed_cells({"policy": entry, "baseline": None})
        self.assertEqual([cells[c] for c in SEED_COLUMNS["policy"]], [0.8725, 0.86, 0.885])
        self.assertEqual([cells[c] for c in SEED_COLUMNS["baseline"]], [None, None, None])
        self.assertEqual(cells["accuracy_seeds"], 3)
        self.assertTrue(set(cells) <= set(CSV_COLUMNS))
        self.assertEqual(seeds_text(cells, "policy"), "87.25% [86.00, 88.50], 3 seeds")
        self.assertEqual(seeds_text(cells, "baseline"), "-")


if __name__ == "__main__":
    unittest.main()
