"""The study's analysis: qtsim replays of every finished run, paired statistics, a table and a figure.

Per finished run (runner.finished): qtsim replays its trace with the policy the trace records (no
policy passed by hand) and the per_class_epoch.csv rows are checked: qtsim's tier equals the
trainer's in every row. The run's summary.json is kept as qtsim_summary.json in the run folder.
Per arm: mean and 95% t interval over seeds of the final test accuracy at the deployment bits (8/8,
the full test set) and in FP32, of qtsim's compression and energy saving. Against the baseline arm,
per seed: paired differences (pp) with a 95% t interval, TOST at the margin fixed in
protocol.EQUIVALENCE_MARGIN_PP, and McNemar's exact test on the per-image predictions of the final
models; and class_difficulty against random_assignment (same bit budget, samples chosen
regardless of class) in the same way. Outputs (in the study folder): analysis.json, analysis.md, accuracy_vs_energy.png."""
import csv
import json
import os
import shutil
import subprocess
import tempfile

from . import protocol
from .runner import REPO, StudyError, finished, read_json
from .stats import mcnemar, mean_ci, tost


def replay(qtsim, study, arm, seed):
    """qtsim run on the run's trace (its recorded policy); returns its summary. Raises StudyError
    unless qtsim's tier equals the trainer's tag in every row of per_class_epoch.csv."""
    folder = protocol.run_folder(study, arm, seed)
    trace = read_json(f"{folder}/trace.json")
    with tempfile.TemporaryDirectory(prefix="qtsim_study_") as tmp:
        out = os.path.join(tmp, "out")
        cmd = [qtsim, "run", "--set", f"workload.trace={os.path.join(REPO, folder, 'trace.json')}",
               "--set", f"workload.network=builtin:{trace['network']}", "--out", out]
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if done.returncode != 0:
            raise StudyError(f"{folder}: qtsim run failed (exit {done.returncode}): {done.stdout.strip()}")
        with open(os.path.join(out, "per_class_epoch.csv"), encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        bad = [r for r in rows if r["tier"] != r["trainer_tier"]]
        if bad or len(rows) != len(trace["epochs"]) * len(trace["class_names"]):
            raise StudyError(f"{folder}: qtsim's tier differs from the trainer's in {len(bad)} of {len(rows)} rows")
        shutil.copyfile(os.path.join(out, "summary.json"), os.path.join(REPO, folder, "qtsim_summary.json"))
        with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
            return json.load(f), len(rows)


def run_record(qtsim, study, arm, seed):
    folder = protocol.run_folder(study, arm, seed)
    acc = read_json(f"{folder}/accuracy.json")
    pred = read_json(f"{folder}/predictions.json")
    summary, rows = replay(qtsim, study, arm, seed)
    hw, comp = summary["hardware_replay"], summary["compression"]
    # Samples at 4/4/8 as qtsim counts them from the trace and the recorded policy (uniform 4/4/8: all).
    low = sum(m["sample_fraction"] for m in summary["precision_mix"] if m["precision"] == "4/4/8")
    return {"arm": arm, "seed": seed, "command": acc["command"],
            "deploy_accuracy_pct": 100.0 * acc["final"]["deploy"]["accuracy"],
            "fp32_accuracy_pct": 100.0 * acc["final"]["fp32"]["accuracy"], "test_images": acc["final"]["images"],
            "low_precision_fraction": low, "bits_ratio": comp["bits_ratio"], "bitops_ratio": comp["bitops_ratio"],
            "energy_pj": hw["policy"]["energy"]["total"]["total_pj"],
            "baseline_energy_pj": hw["baseline"]["energy"]["total"]["total_pj"],
            "energy_saving_fraction": hw["energy_saving_fraction"], "qtsim_rows_checked": rows,
            "_correct": [p == y for p, y in zip(pred["final"]["deploy"], pred["final_labels"])]}


def interval(values):
    mean, low, high = mean_ci(values)
    return {"mean": mean, "ci95": None if low is None else [low, high], "n": len(values)}


def compare(records, arm, baseline):
    """Paired comparison of `arm` against `baseline` over the seeds both have finished."""
    mine = {r["seed"]: r for r in records if r["arm"] == arm}
    base = {r["seed"]: r for r in records if r["arm"] == baseline}
    seeds = sorted(set(mine) & set(base))
    if not seeds:
        return None
    diffs = [mine[s]["deploy_accuracy_pct"] - base[s]["deploy_accuracy_pct"] for s in seeds]
    test = tost(diffs, protocol.EQUIVALENCE_MARGIN_PP)
    return {"seeds": seeds, "differences_pp": diffs, "difference_pp": interval(diffs),
            "tost": test, "mcnemar": [dict(mcnemar(base[s]["_correct"], mine[s]["_correct"]), seed=s) for s in seeds]}


def analyse(study, qtsim, seeds=None):
    records = []
    for arm in protocol.ARM_ORDER:
        folder = os.path.join(REPO, study, arm)
        found = sorted(int(n[4:]) for n in os.listdir(folder) if n.startswith("seed")) if os.path.isdir(folder) else []
        for seed in found:
            if (seeds is None or seed in seeds) and finished(study, arm, seed):
                records.append(run_record(qtsim, study, arm, seed))
    if not records:
        raise StudyError(f"{study}: no finished runs to analyse")
    arms = {}
    for arm in protocol.ARM_ORDER:
        rs = [r for r in records if r["arm"] == arm]
        if not rs:
            continue
        arms[arm] = {k: interval([r[k] for r in rs]) for k in (
            "deploy_accuracy_pct", "fp32_accuracy_pct", "low_precision_fraction", "bits_ratio", "bitops_ratio",
            "energy_saving_fraction", "energy_pj")}
        arms[arm]["seeds"] = [r["seed"] for r in rs]
        arms[arm]["description"] = protocol.ARMS[arm][2]
        if arm != protocol.BASELINE_ARM:
            arms[arm]["against_baseline"] = compare(records, arm, protocol.BASELINE_ARM)
    if "class_difficulty" in arms and "random_assignment" in arms:
        # The control: the same bits per epoch, samples chosen regardless of class.
        arms["class_difficulty"]["against_random_assignment"] = compare(records, "class_difficulty",
                                                                        "random_assignment")
    runs = [{k: v for k, v in r.items() if not k.startswith("_")} for r in records]
    return {"study": study, "baseline_arm": protocol.BASELINE_ARM,
            "equivalence_margin_pp": protocol.EQUIVALENCE_MARGIN_PP, "arms": arms, "runs": runs}
