"""Which side of a replay (policy or baseline) a trace's recorded test accuracy belongs to.

A trace's test accuracy measures the training run that recorded it, under the trainer's policy.
It is the policy side's accuracy when the replay reproduces the trainer's tiers (per_class_epoch.csv:
`tier` equals `trainer_tier` in every row) and the baseline's too when every tier the replay used
runs at the baseline's precision. Attribution assumes the replay's tier precisions are the trainer's
(the output folder does not hold the trainer's precisions; for the committed Fashion-MNIST traces and
qtsim's default policy they are). Synthetic traces carry modelled, not measured, accuracies.
"""
from .run_folder import OutputFolderError

SYNTHETIC_NOTE = "synthetic (not measured)"


def final_test_accuracy(run):
    """(fraction, None) for the last epoch's recorded test accuracy, or (None, why not)."""
    if run.summary["trace"]["kind"] == "synthetic":
        return None, SYNTHETIC_NOTE
    per_epoch = run.per_epoch()
    if not per_epoch.has("test_accuracy_fraction"):
        return None, "not recorded"
    values = per_epoch.numbers("test_accuracy_fraction", allow_empty=True)
    if values[-1] is None:
        return None, "not recorded in the final epoch"
    if not 0.0 <= values[-1] <= 1.0:
        raise OutputFolderError(f"{per_epoch.path}: last row, column test_accuracy_fraction: "
                                f"expected a fraction in [0, 1], got {values[-1]}")
    return values[-1], None


def attributed_accuracy(run):
    """{'policy': fraction or None, 'baseline': fraction or None, 'note': text}."""
    accuracy, why_not = final_test_accuracy(run)
    if accuracy is None:
        return {"policy": None, "baseline": None, "note": why_not}
    table = run.per_class_epoch()
    tiers = table.strings("tier")
    trainer = table.strings("trainer_tier")
    if any(t == "" for t in trainer):
        return {"policy": None, "baseline": None, "note": "trace has no trainer tags: policy unknown"}
    if tiers != trainer:
        return {"policy": None, "baseline": None,
                "note": "not measured (the replay's tiers differ from the trainer's)"}
    baseline = run.summary["baseline_precision"]
    precisions = {"/".join(bits) for bits in zip(table.strings("act_bits"), table.strings("weight_bits"),
                                                table.strings("grad_bits"))}
    at_baseline = precisions == {baseline}
    return {"policy": accuracy, "baseline": accuracy if at_baseline else None,
            "note": "recorded (replay tiers equal the trainer's)"}
