"""The trainer's policies: the cases of qtsim's tests/unit/policy_class_difficulty_test.cpp (the
README's documented rules), each expected table derived by hand, plus configuration validation.
Accuracies are dyadic where a boundary is tested, so that sums such as threshold + hysteresis are
exact in binary floating point."""
import glob
import json
import os
import unittest

import _paths
from qtsim_trainer.grouping import PrecisionGrouping
from qtsim_trainer.policies import BASELINE, PolicyError, Precision, Tier, load_policy, make_policy, plan


def policy(text):
    return make_policy(json.loads(text), "p.json")


def column(tables, c):
    return [row[c] for row in tables]


TWO_TIERS_075 = '''"tiers": [{"name": "hard", "precision": {}},
    {"name": "easy", "precision": {"act_bits": 4}, "min_accuracy": 0.75}]'''


class Tagging(unittest.TestCase):
    def test_default_is_the_paper_like_two_tier_threshold(self):
        p = policy("{}")
        self.assertEqual(p.impl, "class_difficulty")
        self.assertEqual(p.resolved_config(), {
            "impl": "class_difficulty", "tagging": "threshold",
            "tiers": [{"name": "hard", "precision": {"act_bits": 8, "weight_bits": 8, "grad_bits": 16}},
                      {"name": "easy", "precision": {"act_bits": 4, "weight_bits": 4, "grad_bits": 8},
                       "min_accuracy": 0.9}],
            "warmup_epochs": 0, "hysteresis": 0.0, "sticky": False})

    def test_threshold_tags_from_the_previous_epoch(self):
        # Threshold 0.9 inclusive. Epoch 0 all hard; epoch 1 from epoch 0: 0.95 easy, 0.5 hard, 0.9 easy;
        # epoch 2 from epoch 1: 0.85 hard, 0.95 easy, 0.8999 hard.
        tables = plan(policy("{}"), [[0.95, 0.5, 0.9], [0.85, 0.95, 0.8999], [0.0, 0.0, 0.0]])
        self.assertEqual(tables, [[0, 0, 0], [1, 0, 1], [0, 1, 0]])
        self.assertEqual(policy("{}").tiers[1], Tier("easy", Precision(4, 4, 8)))

    def test_warmup_keeps_every_class_hard(self):
        tables = plan(policy('{"warmup_epochs": 2}'), [[1.0, 1.0], [0.5, 1.0], [1.0, 0.5], [0.0, 0.0]])
        self.assertEqual(tables, [[0, 0], [0, 0], [0, 1], [1, 0]])

    def test_hysteresis_damps_a_class_oscillating_around_the_threshold(self):
        # threshold 0.75, h 0.125: up only at >= 0.875, down only below 0.625 (derivation in the C++ test).
        acc = [[0.8, 0.7, 0.9], [0.875, 0.8, 0.7], [0.7, 0.7, 0.9], [0.625, 0.8, 0.7], [0.6, 0.7, 0.9],
               [0.8, 0.8, 0.7], [0.0, 0.0, 0.0]]
        plain = plan(policy("{" + TWO_TIERS_075 + "}"), acc)
        damped = plan(policy("{" + TWO_TIERS_075 + ', "hysteresis": 0.125}'), acc)
        self.assertEqual(column(plain, 0), [0, 1, 1, 0, 0, 0, 1])
        self.assertEqual(column(damped, 0), [0, 0, 1, 1, 1, 0, 0])
        self.assertEqual(column(plain, 1), [0, 0, 1, 0, 1, 0, 1])
        self.assertEqual(column(damped, 1), [0] * 7)
        self.assertEqual(column(plain, 2), [0, 1, 0, 1, 0, 1, 0])
        self.assertEqual(column(damped, 2), [0, 1, 1, 1, 1, 1, 1])

    def test_sticky_never_moves_a_class_to_a_harder_tier(self):
        acc = [[0.95, 0.5], [0.5, 0.5], [0.0, 0.0]]
        self.assertEqual(plan(policy("{}"), acc), [[0, 0], [1, 0], [0, 0]])
        self.assertEqual(plan(policy('{"sticky": true}'), acc), [[0, 0], [1, 0], [1, 0]])

    def test_three_threshold_tiers(self):
        p = policy('''{"tiers": [{"name": "hard", "precision": {}},
            {"name": "medium", "precision": {"act_bits": 6, "weight_bits": 6, "grad_bits": 12}, "min_accuracy": 0.8},
            {"name": "easy", "precision": {"act_bits": 4, "weight_bits": 4, "grad_bits": 8}, "min_accuracy": 0.95}]}''')
        # medium from 0.8, easy from 0.95: 0.5 -> 0, 0.8 -> 1, 0.94 -> 1, 0.95 -> 2, 1.0 -> 2.
        self.assertEqual(plan(p, [[0.5, 0.8, 0.94, 0.95, 1.0], [0] * 5])[1], [0, 1, 1, 2, 2])
        self.assertEqual(p.tiers[1].precision, Precision(6, 6, 12))

    def test_top_k_breaks_ties_by_lower_class_index(self):
        # 0.5, 0.9, 0.9, 0.9: ranks class 1 -> 0, 2 -> 1, 3 -> 2, 0 -> 3.
        acc = [[0.5, 0.9, 0.9, 0.9], [0] * 4]
        two = policy('''{"tagging": "top_k", "tiers": [{"name": "hard", "precision": {}},
            {"name": "easy", "precision": {"act_bits": 4}, "k": 2}]}''')
        self.assertEqual(plan(two, acc)[1], [0, 1, 1, 0])
        three = policy('''{"tagging": "top_k", "tiers": [{"name": "hard", "precision": {}},
            {"name": "medium", "precision": {"act_bits": 6}, "k": 3},
            {"name": "easy", "precision": {"act_bits": 4}, "k": 1}]}''')
        self.assertEqual(plan(three, acc)[1], [0, 2, 1, 1])

    def test_top_k_allows_k_equal_to_the_class_count(self):
        p = policy('''{"tagging": "top_k", "tiers": [{"name": "hard", "precision": {}},
            {"name": "easy", "precision": {"act_bits": 4}, "k": 2}]}''')
        self.assertEqual(plan(p, [[0.1, 0.2], [0, 0]])[1], [1, 1])
        p.check_classes(2)
        with self.assertRaisesRegex(PolicyError, "tiers\\[1\\].k: 2 exceeds the dataset's 1 classes"):
            p.check_classes(1)

    def test_above_mean_is_strict(self):
        # mean(0.5, 0.75, 1.0, 0.75) = 0.75: strictly above is class 2 only.
        self.assertEqual(plan(policy('{"tagging": "above_mean"}'), [[0.5, 0.75, 1.0, 0.75], [0] * 4])[1],
                         [0, 0, 1, 0])

    def test_above_mean_generalises_to_tiers_with_offsets(self):
        # mean 0.75; tier 1 > 0.75 (classes 1, 2), tier 2 > 0.875 (class 2; 0.875 itself is not above).
        p = policy('''{"tagging": "above_mean", "tiers": [{"name": "hard", "precision": {}},
            {"name": "medium", "precision": {"act_bits": 6}},
            {"name": "easy", "precision": {"act_bits": 4}, "mean_offset": 0.125}]}''')
        self.assertEqual(plan(p, [[0.5, 0.875, 1.0, 0.625], [0] * 4])[1], [0, 1, 2, 0])

    def test_above_mean_hysteresis(self):
        acc = [[0.5, 1.0, 0.75, 0.75], [0.5, 0.75, 0.75, 1.0], [0.625, 0.625, 1.0, 0.75], [0] * 4]
        self.assertEqual(plan(policy('{"tagging": "above_mean", "hysteresis": 0.125}'), acc),
                         [[0, 0, 0, 0], [0, 1, 0, 0], [0, 1, 0, 1], [0, 0, 1, 1]])

    def test_uniform_is_one_tier(self):
        p = policy('{"impl": "uniform"}')
        self.assertEqual(p.tiers, [Tier("all", BASELINE)])
        self.assertEqual(plan(p, [[1.0, 0.0], [1.0, 1.0]]), [[0, 0], [0, 0]])
        self.assertEqual(p.resolved_config(),
                         {"impl": "uniform", "precision": {"act_bits": 8, "weight_bits": 8, "grad_bits": 16}})


class Validation(unittest.TestCase):
    def check(self, text, message):
        with self.assertRaises(PolicyError) as caught:
            policy(text)
        self.assertIn(message, str(caught.exception))

    def test_unknown_impl_lists_the_trainers_policies(self):
        self.check('{"impl": "cyclic"}', "impl: unknown value `cyclic`, got \"cyclic\"; expected one of "
                                         "class_difficulty, random_assignment, uniform")

    def test_unknown_keys(self):
        self.check('{"treshold": 0.8}', "p.json: treshold: unknown key `treshold`; valid keys here: hysteresis, impl, "
                                        "sticky, tagging, tiers, warmup_epochs")
        self.check('{"impl": "uniform", "precision": {"act_bit": 4}}', "precision.act_bit: unknown key `act_bit`")
        self.check('{"tiers": [{"name": "h", "precision": {}}, {"name": "e", "precision": {}, "min_accuracy": 0.5, '
                   '"x": 1}]}', "tiers[1].x: unknown key `x`")

    def test_precision_ranges_and_fallback(self):
        self.check('{"impl": "uniform", "precision": {"grad_bits": 33}}',
                   "precision.grad_bits: out of range, got 33; expected an integer in [1, 32]")
        self.check('{"impl": "uniform", "precision": {"grad_bits": 8.5}}', "not an integer")
        self.check('{"impl": "uniform", "precision": {"grad_bits": true}}', "wrong type")
        self.assertEqual(policy('{"impl": "uniform", "precision": {"act_bits": 4.0}}').precision, Precision(4, 8, 16))

    def test_tiers(self):
        self.check('{"tiers": [{"name": "h", "precision": {}}]}', "tiers: too few tiers")
        self.check('{"tiers": [{"name": "h", "precision": {}, "min_accuracy": 0.1}, {"name": "e", "precision": {}, '
                   '"min_accuracy": 0.5}]}', "tiers[0].min_accuracy: the hardest tier (tiers[0])")
        self.check('{"tiers": [{"name": "h", "precision": {}}, {"name": "e", "precision": {}, "k": 3}]}',
                   "tiers[1].k: `k` belongs to top_k tagging, but `tagging` is threshold")
        self.check('{"tiers": [{"name": "h", "precision": {}}, {"name": "h", "precision": {}, "min_accuracy": 0.5}]}',
                   "tiers[1].name: duplicate tier name")
        self.check('{"tiers": [{"name": "", "precision": {}}, {"name": "e", "precision": {}, "min_accuracy": 0.5}]}',
                   "tiers[0].name: empty tier name")
        self.check('{"tiers": [{"name": "h", "precision": {}}, {"name": "e", "precision": {}}]}',
                   "tiers[1]: missing key `min_accuracy`")

    def test_boundaries_move_toward_easier_tiers(self):
        self.check('{"tiers": [{"name": "h", "precision": {}}, {"name": "m", "precision": {}, "min_accuracy": 0.8}, '
                   '{"name": "e", "precision": {}, "min_accuracy": 0.8}]}',
                   "tiers[2].min_accuracy: not above tiers[1].min_accuracy 0.8, got 0.8")
        self.check('{"tagging": "top_k", "tiers": [{"name": "h", "precision": {}}, {"name": "m", "precision": {}, '
                   '"k": 3}, {"name": "e", "precision": {}, "k": 3}]}', "tiers[2].k: not below tiers[1].k 3")
        self.check('{"tagging": "above_mean", "tiers": [{"name": "h", "precision": {}}, {"name": "m", '
                   '"precision": {}}, {"name": "e", "precision": {}}]}', "mean_offset 0.0 is not above")

    def test_warmup_hysteresis_sticky(self):
        self.check('{"warmup_epochs": -1}', "warmup_epochs: out of range")
        self.check('{"hysteresis": 1.5}', "hysteresis: out of range")
        self.check('{"sticky": 1}', "sticky: wrong type")
        self.check('{"tagging": "top_k", "hysteresis": 0.1}', "not defined for top_k tagging")
        self.check('{"tagging": "median"}', "tagging: unknown value `median`")

    def test_inline_text_and_files(self):
        self.assertEqual(load_policy('{"impl": "uniform"}').impl, "uniform")
        with self.assertRaisesRegex(PolicyError, "--policy: not valid JSON"):
            load_policy("{impl")

    def test_qtsim_policy_fixtures_round_trip(self):
        # Every class_difficulty / uniform fixture qtsim's own tests read parses here too, and its
        # resolved configuration parses back to itself.
        files = sorted(glob.glob(os.path.join(_paths.REPO, "tests", "fixtures", "policies", "*.json")))
        checked = 0
        for path in files:
            with open(path) as f:
                doc = json.load(f)
            if doc.get("impl", "class_difficulty") not in ("class_difficulty", "uniform"):
                continue
            with self.subTest(path=os.path.basename(path)):
                p = load_policy(path)
                self.assertEqual(make_policy(p.resolved_config()).resolved_config(), p.resolved_config())
                checked += 1
        self.assertGreaterEqual(checked, 3)


class Grouping(unittest.TestCase):
    def test_tiers_with_identical_precision_merge_in_tier_order(self):
        # qtsim's PolicyGroups test: tiers 8/8/16, 4/4/8, 8/8/16 -> groups 8/8/16 (tiers 0, 2), 4/4/8.
        tiers = [Tier("hard", Precision(8, 8, 16)), Tier("easy", Precision(4, 4, 8)),
                 Tier("also_hard", Precision(8, 8, 16))]
        g = PrecisionGrouping(tiers, [0, 1, 2, 1])
        self.assertEqual(g.precisions, [Precision(8, 8, 16), Precision(4, 4, 8)])
        self.assertEqual(g.class_group, [0, 1, 0, 1])

    def test_hardest_first_even_when_an_easier_tier_is_listed_with_the_same_bits_first(self):
        tiers = [Tier("a", Precision(4, 4, 8)), Tier("b", Precision(8, 8, 16))]
        self.assertEqual(PrecisionGrouping(tiers, [1, 0]).class_group, [1, 0])


class TrainerDefaultHysteresis(unittest.TestCase):
    def test_applied_only_where_the_policy_sets_none_and_hysteresis_is_defined(self):
        self.assertEqual(load_policy("{}", 0.02).hysteresis, 0.02)
        self.assertEqual(load_policy('{"hysteresis": 0}', 0.02).hysteresis, 0.0)
        self.assertEqual(load_policy('{"tagging": "top_k"}', 0.02).hysteresis, 0.0)
        self.assertEqual(load_policy("{}").hysteresis, 0.0)  # qtsim's default without the trainer's
        self.assertEqual(load_policy("{}", 0.02).resolved_config()["hysteresis"], 0.02)  # recorded in the trace


class RandomAssignment(unittest.TestCase):
    P = '{"impl": "random_assignment", "low_samples_per_epoch": [0, 150, 300]}'

    def test_low_counts_split_each_epoch_exactly(self):
        p = load_policy(self.P)
        # 300 samples in batches 128, 128, 44; L = 150: floor(150 * 128 / 300) = 64, floor(150 * 256 / 300) = 128,
        # 150 -> 64, 64, 22.
        self.assertEqual(p.low_counts(1, [128, 128, 44]), [64, 64, 22])
        self.assertEqual(p.low_counts(0, [128, 128, 44]), [0, 0, 0])
        self.assertEqual(p.low_counts(2, [128, 128, 44]), [128, 128, 44])
        # L = 1 of 10 samples in batches of 4, 4, 2: floor(4 / 10) = 0, floor(8 / 10) = 0, 1 -> 0, 0, 1.
        self.assertEqual(load_policy('{"impl": "random_assignment", "low_samples_per_epoch": [1]}').low_counts(
            0, [4, 4, 2]), [0, 0, 1])

    def test_tiers_tags_and_resolved_config(self):
        p = load_policy(self.P)
        self.assertEqual([t.precision for t in p.tiers], [Precision(8, 8, 16), Precision(4, 4, 8)])
        self.assertEqual(p.epoch_tiers(1, [1.0] * 3, [0] * 3), [0, 0, 0])
        self.assertEqual(p.resolved_config(), {
            "impl": "random_assignment", "high": {"act_bits": 8, "weight_bits": 8, "grad_bits": 16},
            "low": {"act_bits": 4, "weight_bits": 4, "grad_bits": 8}, "low_samples_per_epoch": [0, 150, 300]})

    def test_errors(self):
        with self.assertRaisesRegex(PolicyError, "missing key `low_samples_per_epoch`"):
            load_policy('{"impl": "random_assignment"}')
        with self.assertRaisesRegex(PolicyError, r"low_samples_per_epoch\[1\]: out of range, got -1"):
            load_policy('{"impl": "random_assignment", "low_samples_per_epoch": [0, -1]}')
        p = load_policy(self.P)
        with self.assertRaisesRegex(PolicyError, r"3 entries; expected at least one per epoch \(4\)"):
            p.check_run(4, 300)
        with self.assertRaisesRegex(PolicyError, r"low_samples_per_epoch\[2\] = 300 exceeds the 200 training"):
            p.check_run(3, 200)


if __name__ == "__main__":
    unittest.main()
