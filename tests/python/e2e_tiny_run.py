#!/usr/bin/python3
"""End to end: the trainer records a tiny Fashion-MNIST run, qtsim validates and replays it, and
qtsim's per-epoch class tiers equal the trainer's own tags in every row.

Usage: e2e_tiny_run.py QTSIM_BINARY   (ctest: python_trainer_e2e_tiny_run)
       e2e_tiny_run.py QTSIM_BINARY TRACE.json...   replays recorded traces only, with the same checks
                                                    (ctest: python_trainer_replay_recorded)

Two epochs of 300 images (tags of epoch 0 are all tier 0 by rule; epoch 1 is tagged from epoch
0's training accuracies). The policy is three-tier top_k (k = 6 and 3), which puts classes in
every tier in epoch 1 whatever the accuracies are, so the comparison covers all three tiers.
qtsim replays with the policy the trace records (the trainer's resolved configuration) without
being given one: `qtsim run` reads it from the trace."""
import csv
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
POLICY = {"impl": "class_difficulty", "tagging": "top_k", "tiers": [
    {"name": "hard", "precision": {"act_bits": 8, "weight_bits": 8, "grad_bits": 16}},
    {"name": "mid", "precision": {"act_bits": 6, "weight_bits": 6, "grad_bits": 12}, "k": 6},
    {"name": "easy", "precision": {"act_bits": 4, "weight_bits": 4, "grad_bits": 8}, "k": 3}]}


def run(cmd):
    print("+ " + " ".join(cmd), flush=True)
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(done.stdout, flush=True)
    if done.returncode != 0:
        sys.exit(f"FAILED (exit {done.returncode}): {' '.join(cmd)}")
    return done.stdout


def check(condition, message):
    if not condition:
        sys.exit("FAILED: " + message)


def replay_and_compare(qtsim, trace_path, tmp):
    """qtsim validate, then qtsim run with no policy given (it replays the trace's); returns (trace, the rows of
    per_class_epoch.csv) after checking tier = trainer_tier = the trace's tag in every row."""
    out = run([qtsim, "validate", trace_path])
    check(out.startswith("ok:") and "(recorded)" in out, f"qtsim validate did not accept the trace: {out}")
    with open(trace_path) as f:
        trace = json.load(f)
    out_dir = os.path.join(tmp, "out")
    # No policy passed: qtsim replays the one the trace records (run.policy_source "trace").
    run([qtsim, "run", "--set", "workload.trace=" + trace_path,
         "--set", "workload.network=builtin:" + trace["network"], "--out", out_dir])
    with open(os.path.join(out_dir, "config.json")) as f:
        check(json.load(f)["policy"] == trace["policy"], "qtsim did not replay the policy the trace records")
    with open(os.path.join(out_dir, "per_class_epoch.csv")) as f:
        rows = list(csv.DictReader(f))
    classes = len(trace["class_names"])
    check(len(rows) == len(trace["epochs"]) * classes,
          f"expected {len(trace['epochs'])} epochs x {classes} classes rows, got {len(rows)}")
    for row in rows:
        e, c = int(row["epoch"]), int(row["class_index"])
        check(row["trainer_tier"] != "", f"epoch {e} class {c}: no trainer_tier")
        check(row["tier"] == row["trainer_tier"],
              f"epoch {e} class {c}: qtsim tier {row['tier']} != trainer tier {row['trainer_tier']}")
        check(int(row["tier"]) == trace["epochs"][e]["tags"][c], f"epoch {e} class {c}: tier is not the trace's tag")
        check(float(row["train_accuracy_fraction"]) == trace["epochs"][e]["train_accuracy"][c],
              f"epoch {e} class {c}: accuracy {row['train_accuracy_fraction']} is not the trace's")
    return trace, rows


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: e2e_tiny_run.py QTSIM_BINARY [RECORDED_TRACE.json ...]")
    qtsim = sys.argv[1]
    for trace_path in sys.argv[2:]:  # replay mode: committed traces
        with tempfile.TemporaryDirectory(prefix="qtsim_replay_") as tmp:
            trace, rows = replay_and_compare(qtsim, trace_path, tmp)
            print(f"ok: {trace_path}: qtsim's tiers equal the trainer's tags in all {len(rows)} rows")
    if len(sys.argv) > 2:
        return
    with tempfile.TemporaryDirectory(prefix="qtsim_e2e_") as tmp:
        policy_in = os.path.join(tmp, "policy_in.json")
        with open(policy_in, "w") as f:
            json.dump(POLICY, f)
        trace_path = os.path.join(tmp, "tiny.json")
        run(["/usr/bin/python3", os.path.join(REPO, "scripts", "qtsim_train.py"), "--dataset", "fashion_mnist",
             "--subset", "300", "--test-subset", "200", "--epochs", "2", "--batch-size", "64", "--seed", "1",
             "--policy", policy_in, "--out", trace_path])
        trace, rows = replay_and_compare(qtsim, trace_path, tmp)
        check(len(rows) == 2 * 10, f"expected 20 rows (2 epochs x 10 classes), got {len(rows)}")
        tiers = {e: sorted({int(r["tier"]) for r in rows if int(r["epoch"]) == e}) for e in (0, 1)}
        check(tiers == {0: [0], 1: [0, 1, 2]}, f"expected tier 0 only in epoch 0 and all three tiers in epoch 1, "
                                               f"got {tiers}")
        print("ok: qtsim's tiers equal the trainer's tags in all 20 rows (epoch 1 uses tiers 0, 1, 2)")


if __name__ == "__main__":
    main()
