"""Bit-width policies `uniform` and `class_difficulty`, read from the same JSON as qtsim's
(`policy` section, workloads/policy/README.md): same keys, defaults, validation and tagging rule,
so that qtsim replaying a recorded trace computes exactly the tiers the trainer trained with.
(qtsim's `cyclic` is not implemented here.) `random_assignment` is the label-independent control
(RandomAssignmentPolicy).

Tagging (class_difficulty), per epoch e, from the per-class training accuracy of epoch e - 1 as
written into the trace: epoch 0 and the warm-up epochs put every class in tier 0 (hardest);
threshold: accuracy >= min_accuracy + shift; above_mean: accuracy > (mean + mean_offset) + shift,
mean the unweighted mean summed in class order; top_k: rank < k, ties to the lower class index.
The class takes the highest tier it meets; hysteresis h: up only with shift +h, else stay while
the current tier is met with shift -h, else drop to the highest tier met with -h; sticky: never
a harder tier. Python floats are IEEE doubles evaluated in the same order as qtsim's C++.
"""
import json
import math
from collections import namedtuple

MIN_BITS, MAX_BITS = 1, 32
MAX_EPOCHS = MAX_K = 1000000
TAGGINGS = ("threshold", "top_k", "above_mean")
TIER_KEY = {"threshold": "min_accuracy", "top_k": "k", "above_mean": "mean_offset"}


class PolicyError(Exception):
    pass


class Precision(namedtuple("Precision", "act_bits weight_bits grad_bits")):
    def label(self):
        return f"{self.act_bits}/{self.weight_bits}/{self.grad_bits}"

    def to_json(self):
        return {"act_bits": self.act_bits, "weight_bits": self.weight_bits, "grad_bits": self.grad_bits}


BASELINE = Precision(8, 8, 16)
Tier = namedtuple("Tier", "name precision")


def _show(value):
    return json.dumps(value)


class Node:
    """A JSON value with its source and key path, for qtsim-style messages."""

    def __init__(self, value, source, path=""):
        self.value, self.source, self.path = value, source, path

    def at(self, key):
        if isinstance(key, int):
            return Node(self.value[key], self.source, f"{self.path}[{key}]")
        return Node(self.value[key], self.source, f"{self.path}.{key}" if self.path else key)

    def has(self, key):
        return key in self.value and self.value[key] is not None

    def fail(self, message):
        where = f"{self.path}: " if self.path else ""
        raise PolicyError(f"{self.source}: {where}{message}")

    def fail_value(self, problem, expected):
        self.fail(f"{problem}, got {_show(self.value)}; expected {expected}")

    def require_object(self):
        if not isinstance(self.value, dict):
            self.fail_value("wrong type", "an object")

    def as_int(self, lo, hi):
        v = self.value
        expected = f"an integer in [{lo}, {hi}]"
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.fail_value("wrong type", expected)
        if isinstance(v, float) and (not math.isfinite(v) or math.floor(v) != v):
            self.fail_value("not an integer", expected)
        if not lo <= v <= hi:
            self.fail_value("out of range", expected)
        return int(v)

    def as_double(self, lo, hi):
        v = self.value
        expected = f"a number in [{_show(lo)}, {_show(hi)}]"
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.fail_value("wrong type", expected)
        if not (math.isfinite(v) and lo <= v <= hi):
            self.fail_value("out of range", expected)
        return float(v)

    def as_bool(self):
        if not isinstance(self.value, bool):
            self.fail_value("wrong type", "true or false")
        return self.value

    def as_string(self):
        if not isinstance(self.value, str):
            self.fail_value("wrong type", "a string")
        return self.value

    def as_choice(self, choices):
        v = self.as_string()
        if v not in choices:
            self.fail_value(f"unknown value `{v}`", "one of " + ", ".join(sorted(choices)))
        return v

    def reject_unknown_keys(self, valid):
        for key in self.value:
            if key not in valid:
                where = f"{self.path}.{key}" if self.path else key
                raise PolicyError(f"{self.source}: {where}: unknown key `{key}`; valid keys here: "
                                  + ", ".join(sorted(valid)))


def parse_precision(node, fallback=BASELINE):
    node.require_object()
    bits = [node.at(k).as_int(MIN_BITS, MAX_BITS) if node.has(k) else getattr(fallback, k) for k in Precision._fields]
    node.reject_unknown_keys(Precision._fields)
    return Precision(*bits)


class UniformPolicy:
    impl = "uniform"

    def __init__(self, node):
        self.precision = parse_precision(node.at("precision")) if node.has("precision") else BASELINE
        self.tiers = [Tier("all", self.precision)]
        node.reject_unknown_keys(("impl", "precision"))

    def epoch_tiers(self, epoch, previous_accuracy, previous_tiers):
        return [0] * len(previous_tiers)

    def resolved_config(self):
        return {"impl": self.impl, "precision": self.precision.to_json()}


class ClassDifficultyPolicy:
    impl = "class_difficulty"
    DEFAULT_TIERS = [{"name": "hard", "precision": BASELINE, "min_accuracy": 0.0, "k": 0, "mean_offset": 0.0},
                     {"name": "easy", "precision": Precision(4, 4, 8), "min_accuracy": 0.9, "k": 5,
                      "mean_offset": 0.0}]

    def __init__(self, node):
        self.tagging = node.at("tagging").as_choice(TAGGINGS) if node.has("tagging") else "threshold"
        self.tier_configs = self._parse_tiers(node.at("tiers")) if node.has("tiers") else [
            dict(t) for t in self.DEFAULT_TIERS]
        self.warmup_epochs = node.at("warmup_epochs").as_int(0, MAX_EPOCHS) if node.has("warmup_epochs") else 0
        self.hysteresis = 0.0
        if node.has("hysteresis"):
            h = node.at("hysteresis")
            self.hysteresis = h.as_double(0.0, 1.0)
            if self.tagging == "top_k" and self.hysteresis != 0.0:
                h.fail_value("not defined for top_k tagging (an accuracy margin, but top_k ranks classes)",
                             "0 or no `hysteresis` key; use threshold or above_mean tagging for hysteresis")
        self.sticky = node.at("sticky").as_bool() if node.has("sticky") else False
        node.reject_unknown_keys(("impl", "tagging", "tiers", "warmup_epochs", "hysteresis", "sticky"))
        self.tiers = [Tier(t["name"], t["precision"]) for t in self.tier_configs]

    def _parse_tiers(self, node):
        if not isinstance(node.value, list):
            node.fail_value("wrong type", "an array")
        if len(node.value) < 2:
            node.fail_value("too few tiers", "an array of at least 2 tiers, hardest first")
        tiers, names = [], set()
        for i in range(len(node.value)):
            t = node.at(i)
            tiers.append(self._parse_tier(t, i, tiers[-1] if tiers else None))
            if tiers[-1]["name"] in names:
                t.at("name").fail_value("duplicate tier name", "a name no other tier has")
            names.add(tiers[-1]["name"])
        return tiers

    def _parse_tier(self, node, index, previous):
        node.require_object()
        if not node.has("name"):
            node.fail("missing key `name`")
        if not node.has("precision"):
            node.fail("missing key `precision`")
        tier = {"name": node.at("name").as_string(), "precision": parse_precision(node.at("precision")),
                "min_accuracy": 0.0, "k": 0, "mean_offset": 0.0}
        if not tier["name"]:
            node.at("name").fail_value("empty tier name", "a non-empty string")
        own = TIER_KEY[self.tagging]
        for other in TAGGINGS:
            key = TIER_KEY[other]
            if not node.has(key):
                continue
            if index == 0:
                node.at(key).fail("the hardest tier (tiers[0]) holds every class that reaches no other tier and "
                                  f"takes no `{key}`; remove it")
            if key != own:
                node.at(key).fail(f"`{key}` belongs to {other} tagging, but `tagging` is {self.tagging}; each "
                                  f"easier tier takes `{own}`")
        if index > 0:
            self._parse_boundary(node, index, previous, tier)
        node.reject_unknown_keys(("name", "precision", own))
        return tier

    def _parse_boundary(self, node, index, previous, tier):
        if self.tagging == "threshold":
            if not node.has("min_accuracy"):
                node.fail("missing key `min_accuracy`")
            v = node.at("min_accuracy")
            tier["min_accuracy"] = v.as_double(0.0, 1.0)
            if index > 1 and not tier["min_accuracy"] > previous["min_accuracy"]:
                v.fail_value(f"not above tiers[{index - 1}].min_accuracy {_show(previous['min_accuracy'])}",
                             f"a value > {_show(previous['min_accuracy'])} (thresholds rise toward easier tiers)")
        elif self.tagging == "top_k":
            if not node.has("k"):
                node.fail("missing key `k`")
            v = node.at("k")
            tier["k"] = v.as_int(1, MAX_K)
            if index > 1 and not tier["k"] < previous["k"]:
                v.fail_value(f"not below tiers[{index - 1}].k {previous['k']}",
                             f"a value < {previous['k']} (easier tiers take fewer classes)")
        else:
            if node.has("mean_offset"):
                tier["mean_offset"] = node.at("mean_offset").as_double(-1.0, 1.0)
            if index > 1 and not tier["mean_offset"] > previous["mean_offset"]:
                where = node.at("mean_offset") if node.has("mean_offset") else node
                where.fail(f"mean_offset {_show(tier['mean_offset'])} is not above tiers[{index - 1}].mean_offset "
                           f"{_show(previous['mean_offset'])}; expected a value > {_show(previous['mean_offset'])} "
                           "(offsets rise toward easier tiers)")

    def check_classes(self, num_classes):
        if self.tagging == "top_k" and self.tier_configs[1]["k"] > num_classes:
            raise PolicyError(f"class_difficulty policy: tiers[1].k: {self.tier_configs[1]['k']} exceeds the "
                              f"dataset's {num_classes} classes; expected at most {num_classes}")

    def _tier_reached(self, accuracy, mean, shift):
        reached = 0
        for i in range(1, len(self.tier_configs)):
            t = self.tier_configs[i]
            if self.tagging == "threshold":
                meets = accuracy >= t["min_accuracy"] + shift
            else:
                meets = accuracy > mean + t["mean_offset"] + shift
            if not meets:
                break
            reached = i
        return reached

    def tag(self, accuracy, previous):
        n = len(accuracy)
        tier = [0] * n
        if self.tagging == "top_k":
            order = sorted(range(n), key=lambda c: -accuracy[c])  # stable: ties keep the lower index first
            for rank, c in enumerate(order):
                reached = 0
                i = 1
                while i < len(self.tier_configs) and rank < self.tier_configs[i]["k"]:
                    reached = i
                    i += 1
                tier[c] = reached
        else:
            mean = 0.0
            if self.tagging == "above_mean":
                for a in accuracy:  # left to right, as the C++ loop (not math.fsum / sum)
                    mean += a
                mean /= n
            h = self.hysteresis
            for c in range(n):
                up = self._tier_reached(accuracy[c], mean, +h)
                tier[c] = up if up > previous[c] else min(previous[c], self._tier_reached(accuracy[c], mean, -h))
        if self.sticky:
            tier = [max(t, p) for t, p in zip(tier, previous)]
        return tier

    def epoch_tiers(self, epoch, previous_accuracy, previous_tiers):
        """Tiers of epoch `epoch` from the training accuracies of epoch - 1 and that epoch's tiers."""
        if epoch < max(1, self.warmup_epochs):
            return [0] * len(previous_tiers)
        return self.tag(previous_accuracy, previous_tiers)

    def resolved_config(self):
        tiers = []
        for i, t in enumerate(self.tier_configs):
            entry = {"name": t["name"], "precision": t["precision"].to_json()}
            if i > 0:
                key = TIER_KEY[self.tagging]
                entry[key] = t[key]
            tiers.append(entry)
        return {"impl": self.impl, "tagging": self.tagging, "tiers": tiers, "warmup_epochs": self.warmup_epochs,
                "hysteresis": self.hysteresis, "sticky": self.sticky}


class RandomAssignmentPolicy:
    """`random_assignment`: a label-independent control. Epoch e puts exactly low_samples_per_epoch[e]
    of its training samples at the `low` precision, the rest at `high`, whatever their classes: in
    iteration i, holding samples S_(i-1) + 1 .. S_i of the epoch (S_i cumulative), the first
    n_i = floor(L S_i / N) - floor(L S_(i-1) / N) samples of the shuffled mini-batch (L the epoch's
    low samples, N the samples per epoch). The per-epoch shuffle makes the choice random and
    independent of the labels. Every class is in tier 0 (`high`) in the tags; the split is per
    sample (qtsim computes the same n_i from the trace: workloads/policy/README.md)."""
    impl = "random_assignment"

    def __init__(self, node):
        self.high = parse_precision(node.at("high")) if node.has("high") else BASELINE
        self.low = parse_precision(node.at("low")) if node.has("low") else Precision(4, 4, 8)
        if not node.has("low_samples_per_epoch"):
            node.fail("missing key `low_samples_per_epoch` (the samples at `low` precision in each epoch, e.g. "
                      "those of a class_difficulty run: scripts/qtsim_study.py fills it in)")
        counts = node.at("low_samples_per_epoch")
        if not isinstance(counts.value, list) or not counts.value:
            counts.fail_value("wrong type", "a non-empty array of integers >= 0, one per epoch")
        self.low_samples = [counts.at(i).as_int(0, MAX_EPOCHS * 65535) for i in range(len(counts.value))]
        node.reject_unknown_keys(("impl", "high", "low", "low_samples_per_epoch"))
        self.tiers = [Tier("high", self.high), Tier("low", self.low)]

    def check_run(self, epochs, samples_per_epoch):
        if len(self.low_samples) < epochs:
            raise PolicyError(f"random_assignment policy: low_samples_per_epoch has {len(self.low_samples)} "
                              f"entries; expected at least one per epoch ({epochs})")
        for e, n in enumerate(self.low_samples[:epochs]):
            if n > samples_per_epoch:
                raise PolicyError(f"random_assignment policy: low_samples_per_epoch[{e}] = {n} exceeds the "
                                  f"{samples_per_epoch} training samples of an epoch")

    def epoch_tiers(self, epoch, previous_accuracy, previous_tiers):
        return [0] * len(previous_tiers)

    def low_counts(self, epoch, batch_sizes):
        """n_i of every iteration of `epoch` (class docstring), for iterations of `batch_sizes` samples."""
        total, low = sum(batch_sizes), self.low_samples[epoch]
        counts, done = [], 0
        for b in batch_sizes:
            counts.append((low * (done + b)) // total - (low * done) // total)
            done += b
        return counts

    def resolved_config(self):
        return {"impl": self.impl, "high": self.high.to_json(), "low": self.low.to_json(),
                "low_samples_per_epoch": list(self.low_samples)}


POLICIES = {"uniform": UniformPolicy, "class_difficulty": ClassDifficultyPolicy,
            "random_assignment": RandomAssignmentPolicy}


def make_policy(doc, source="policy"):
    node = Node(doc, source)
    node.require_object()
    impl = node.at("impl").as_choice(POLICIES) if node.has("impl") else "class_difficulty"
    return POLICIES[impl](node)


def load_policy(text_or_path, default_hysteresis=None):
    """A policy from a JSON file path, or from inline JSON text (starting with `{`). With
    `default_hysteresis`, a class_difficulty policy with threshold or above_mean tagging and no
    `hysteresis` key takes that value (the trainer's default; qtsim's own default is 0)."""
    if text_or_path.lstrip().startswith("{"):
        source = "--policy"
        text = text_or_path
    else:
        source = text_or_path
        with open(text_or_path, encoding="utf-8") as f:
            text = f.read()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise PolicyError(f"{source}: not valid JSON: {e}") from None
    if (default_hysteresis is not None and isinstance(doc, dict) and doc.get("impl", "class_difficulty") ==
            "class_difficulty" and doc.get("tagging", "threshold") != "top_k" and "hysteresis" not in doc):
        doc = dict(doc, hysteresis=default_hysteresis)
    return make_policy(doc, source)


def plan(policy, train_accuracy):
    """The class -> tier table of every epoch of a run with these per-epoch training accuracies
    (as qtsim's Policy::plan computes it from a trace)."""
    tables, previous = [], [0] * len(train_accuracy[0])
    for e in range(len(train_accuracy)):
        previous = policy.epoch_tiers(e, train_accuracy[e - 1] if e else None, previous)
        tables.append(previous)
    return tables
