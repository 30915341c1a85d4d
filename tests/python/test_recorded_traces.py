"""The committed Fashion-MNIST traces (workloads/traces/fashion_mnist_resnet20_*.json): valid,
recorded by the trainer with the command their provenance names, tags consistent with the policy
they record. (rerun_first_epoch.py reruns that command and compares epoch 0.)"""
import json
import os
import shlex
import unittest

import _paths
from qtsim_trainer.cli import parser
from qtsim_trainer.policies import load_policy, make_policy, plan
from qtsim_trainer.trace import check_trace

TRACES = {name: os.path.join(_paths.REPO, "workloads", "traces", f"fashion_mnist_resnet20_{name}.json")
          for name in ("uniform", "class_difficulty")}


def load(name):
    with open(TRACES[name]) as f:
        return json.load(f)


class RecordedTraces(unittest.TestCase):
    def test_valid_complete_and_recorded_by_the_trainer(self):
        for name in TRACES:
            with self.subTest(trace=name):
                doc = load(name)
                check_trace(doc)
                prov = doc["provenance"]
                self.assertEqual((prov["kind"], prov["tool"]), ("recorded", "qtsim_train.py"))
                argv = shlex.split(prov["command"])
                self.assertEqual(argv[0], "scripts/qtsim_train.py")
                args = parser().parse_args(argv[1:])
                self.assertEqual(args.out, os.path.relpath(TRACES[name], _paths.REPO))
                self.assertEqual(len(doc["epochs"]), args.epochs)  # complete
                self.assertEqual(prov["epochs_completed"], args.epochs)
                self.assertEqual((prov["seed"], prov["train_subset"], prov["test_subset"]),
                                 (args.seed, args.subset, args.test_subset))
                self.assertEqual(doc["train_samples_per_epoch"], args.subset)
                # The recorded policy is the command's, resolved.
                self.assertEqual(doc["policy"], load_policy(args.policy).resolved_config())

    def test_same_settings_apart_from_the_policy(self):
        a, b = (parser().parse_args(shlex.split(load(n)["provenance"]["command"])[1:]) for n in TRACES)
        for key in ("dataset", "subset", "test_subset", "epochs", "batch_size", "seed", "lr", "momentum",
                    "weight_decay", "lr_milestones", "grad_rounding", "threads", "device"):
            self.assertEqual(getattr(a, key), getattr(b, key), key)

    def test_tags_are_the_policy_applied_to_the_recorded_accuracies(self):
        for name in TRACES:
            with self.subTest(trace=name):
                doc = load(name)
                tags = [e["tags"] for e in doc["epochs"]]
                self.assertEqual(tags, plan(make_policy(doc["policy"]), [e["train_accuracy"] for e in doc["epochs"]]))

    def test_epoch_zero_is_identical(self):
        # Epoch 0 is all tier 0 = 8/8/16 under both policies, with the same seed: the same computation.
        self.assertEqual(load("uniform")["epochs"][0], load("class_difficulty")["epochs"][0])


if __name__ == "__main__":
    unittest.main()
