"""Accuracy over seeds from the Fashion-MNIST study (results/fashion_mnist_study/analysis.json,
written by scripts/qtsim_study.py analyze): per arm, the mean final test accuracy at 8/8 on the
full test set and its 95% t interval over seeds, as fractions.
"""
import json

from .run_folder import OutputFolderError

STUDY = "results/fashion_mnist_study"
STUDY_ANALYSIS = f"{STUDY}/analysis.json"


def load_study(path):
    """{arm: {"mean": fraction, "low": fraction or None, "high": fraction or None, "n": seeds}}."""
    try:
        with open(path, encoding="utf-8") as f:
            analysis = json.load(f)
        arms = analysis["arms"]
        out = {}
        for arm, data in arms.items():
            acc = data["deploy_accuracy_pct"]
            ci = acc["ci95"]
            out[arm] = {"mean": acc["mean"] / 100.0, "low": None if ci is None else ci[0] / 100.0,
                        "high": None if ci is None else ci[1] / 100.0, "n": int(acc["n"])}
        return out
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise OutputFolderError(f"{path}: not a study analysis ({error}); run scripts/qtsim_study.py analyze") from None


def interval_text(entry):
    """'87.27% [86.10, 88.44], 3 seeds' (no interval for one seed)."""
    if entry is None:
        return "-"
    text = f"{100.0 * entry['mean']:.2f}%"
    if entry["low"] is not None:
        text += f" [{100.0 * entry['low']:.2f}, {100.0 * entry['high']:.2f}]"
    return text + f", {entry['n']} seed" + ("" if entry["n"] == 1 else "s")
