"""The study's protocol and arms: the exact trainer command of every (arm, seed).

The protocol (Fashion-MNIST, 8,000 training images x 15 epochs, batch 128, a 2,000-image test after
every epoch, the full 10,000-image test after the last) is fixed here, before any run, together
with the equivalence margin of the analysis (EQUIVALENCE_MARGIN_PP)."""
import json

EQUIVALENCE_MARGIN_PP = 1.0  # fixed in advance (issue 16): |difference| < 1 percentage point
BASELINE_ARM = "uniform_8_8_16"
HIGH = {"act_bits": 8, "weight_bits": 8, "grad_bits": 16}
LOW = {"act_bits": 4, "weight_bits": 4, "grad_bits": 8}

PROTOCOL = ["--dataset", "fashion_mnist", "--subset", "8000", "--test-subset", "2000", "--final-test-subset", "0",
            "--epochs", "15", "--batch-size", "128", "--threads", "1"]

# name -> (policy JSON or None when it is derived, the arm it depends on, description)
ARMS = {
    "uniform_8_8_16": ({"impl": "uniform", "precision": HIGH}, None, "uniform 8/8/16 (the baseline)"),
    "class_difficulty": ({"impl": "class_difficulty", "tagging": "threshold", "hysteresis": 0.02,
                          "tiers": [{"name": "hard", "precision": HIGH},
                                    {"name": "easy", "precision": LOW, "min_accuracy": 0.9}]},
                         None, "class_difficulty: easy (tagging accuracy >= 0.9) at 4/4/8, hard at 8/8/16"),
    "random_assignment": (None, "class_difficulty",
                          "random_assignment: per epoch the class_difficulty run's number of 4/4/8 samples "
                          "(same seed), chosen at random regardless of class"),
    "uniform_4_4_8": ({"impl": "uniform", "precision": LOW}, None, "uniform 4/4/8 (the lower bound)"),
}
ARM_ORDER = list(ARMS)


def run_folder(study, arm, seed):
    return f"{study}/{arm}/seed{seed}"


def policy_of(arm, seed, study, read_json):
    """The policy of (arm, seed); random_assignment reads the low-precision samples per epoch of the
    same seed's class_difficulty run (its accuracy file)."""
    policy, depends, _ = ARMS[arm]
    if depends is None:
        return policy
    acc = read_json(f"{run_folder(study, depends, seed)}/accuracy.json")
    return {"impl": "random_assignment", "high": HIGH, "low": LOW,
            "low_samples_per_epoch": list(acc["low_precision_samples"])}


def command(arm, seed, study, read_json, extra=()):
    """The trainer command line (argv, relative to the repository root) of (arm, seed)."""
    folder = run_folder(study, arm, seed)
    policy = json.dumps(policy_of(arm, seed, study, read_json), sort_keys=True, separators=(",", ":"))
    return (["scripts/qtsim_train.py"] + PROTOCOL + list(extra) +
            ["--seed", str(seed), "--policy", policy, "--out", f"{folder}/trace.json",
             "--accuracy-out", f"{folder}/accuracy.json", "--predictions-out", f"{folder}/predictions.json"])

# Named protocols: extra trainer arguments appended to PROTOCOL (later flags win). "tiny" is for tests.
PROTOCOL_EXTRA = {
    "fashion_mnist_8k_15": [],
    # The larger protocol for a machine with a GPU: all 60,000 training images, the same 15 epochs,
    # batch, test schedule and final full test. Its runs reproduce on a CUDA machine with the same
    # torch and GPU (deterministic kernels), not bit for bit on a CPU.
    "fashion_mnist_60k_15_cuda": ["--subset", "0", "--device", "cuda"],
    "tiny": ["--subset", "60", "--test-subset", "20", "--final-test-subset", "40", "--epochs", "2",
             "--batch-size", "16", "--tag-subset", "60", "--bn-calibration", "20"],
}
PROTOCOL_EXTRA["tiny_cuda"] = PROTOCOL_EXTRA["tiny"] + ["--device", "cuda"]
