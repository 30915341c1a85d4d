// Configuration validation of every policy: one test per rule, each feeding
// the bad input and checking the exact message (JsonNode's form:
// "<source>: <key.path>: <problem>, got <value>; expected <what>").
#include <gtest/gtest.h>

#include "tests/unit/test_util.h"

#include <functional>

#include "base/error.h"
#include "workloads/policy/policy.h"
#include "workloads/trace/trace.h"

namespace qtsim {
namespace {

using test::error_of;

std::string parse_error(const std::string& text) {
  Json doc = Json::parse(text);
  return error_of([&] { make_policy(JsonNode(doc, "p.json")); });
}

// A class_difficulty document with the given tier list.
std::string with_tiers(const std::string& tiers, const std::string& extra = "") {
  return R"({"impl": "class_difficulty", )" + extra + R"("tiers": [)" + tiers + "]}";
}

const char* kHard = R"({"name": "hard", "precision": {}})";

Trace small_trace(int classes, int epochs) {
  Trace t;
  for (int c = 0; c < classes; ++c) t.class_names.push_back("c" + std::to_string(c));
  t.batch_size = classes;
  t.iterations_per_epoch = 1;
  t.train_samples_per_epoch = classes;
  for (int e = 0; e < epochs; ++e) {
    TraceEpoch epoch;
    epoch.train_accuracy.assign(classes, 0.5);
    epoch.class_counts.assign(classes, 1);
    t.epochs.push_back(epoch);
  }
  return t;
}

// --- registry ---------------------------------------------------------------

TEST(PolicyConfig, UnknownImplListsTheValidOnes) {
  EXPECT_EQ(policy_impls(), (std::vector<std::string>{"class_difficulty", "cyclic", "random_assignment", "uniform"}));
  EXPECT_EQ(parse_error(R"({"impl": "cpt"})"),
            "p.json: impl: unknown name, got \"cpt\" (a string); expected one of: class_difficulty, cyclic, "
            "random_assignment, uniform");
}

TEST(PolicyConfig, PolicyMustBeAnObject) {
  EXPECT_EQ(parse_error("[]"), "p.json: wrong type, got an array of 0; expected an object");
}

TEST(PolicyConfig, UnknownTopLevelKeyListsTheValidOnes) {
  EXPECT_EQ(parse_error(R"({"impl": "uniform", "precison": {}})"),
            "p.json: precison: unknown key `precison`; valid keys here: impl, precision");
  EXPECT_EQ(parse_error(R"({"treshold": 0.9})"),
            "p.json: treshold: unknown key `treshold`; valid keys here: hysteresis, impl, sticky, tagging, tiers, "
            "warmup_epochs");
  EXPECT_EQ(parse_error(R"({"impl": "cyclic", "cycles": 4})"),
            "p.json: cycles: unknown key `cycles`; valid keys here: grad_bits, impl, max_bits, min_bits, num_cycles");
}

TEST(PolicyConfig, NestedPolicyErrorsCarryTheSectionPath) {
  Json doc = Json::parse(R"({"policy": {"impl": "uniform", "precision": {"act_bits": 0}}})");
  JsonNode root(doc, "run.json");
  EXPECT_EQ(error_of([&] { make_policy(root.at("policy")); }),
            "run.json: policy.precision.act_bits: out of range, got 0; expected an integer in [1, 32]");
}

// --- uniform ----------------------------------------------------------------

TEST(PolicyConfig, UniformPrecisionIsValidated) {
  EXPECT_EQ(parse_error(R"({"impl": "uniform", "precision": {"grad_bits": 33}})"),
            "p.json: precision.grad_bits: out of range, got 33; expected an integer in [1, 32]");
  EXPECT_EQ(parse_error(R"({"impl": "uniform", "precision": {"bits": 4}})"),
            "p.json: precision.bits: unknown key `bits`; valid keys here: act_bits, grad_bits, weight_bits");
}

// --- class_difficulty -----------------------------------------------------------

TEST(PolicyConfig, TaggingMustBeKnown) {
  EXPECT_EQ(parse_error(R"({"tagging": "median"})"),
            "p.json: tagging: unknown name, got \"median\" (a string); expected one of: threshold, top_k, above_mean");
}

TEST(PolicyConfig, TiersMustBeAnArrayOfAtLeastTwo) {
  EXPECT_EQ(parse_error(R"({"tiers": {}})"), "p.json: tiers: wrong type, got an object; expected an array");
  EXPECT_EQ(parse_error(with_tiers(kHard)),
            "p.json: tiers: too few tiers, got an array of 1; expected an array of at least 2 tiers, hardest first");
  EXPECT_EQ(parse_error(with_tiers(std::string(kHard) + ", 3")),
            "p.json: tiers[1]: wrong type, got 3; expected an object");
}

TEST(PolicyConfig, TierNeedsAUniqueNonEmptyNameAndAPrecision) {
  EXPECT_EQ(parse_error(with_tiers(std::string(kHard) + R"(, {"precision": {}, "min_accuracy": 0.9})")),
            "p.json: tiers[1]: missing required key `name` (tiers[1].name)");
  EXPECT_EQ(parse_error(with_tiers(std::string(kHard) + R"(, {"name": "", "precision": {}, "min_accuracy": 0.9})")),
            "p.json: tiers[1].name: empty tier name, got \"\" (a string); expected a non-empty string");
  EXPECT_EQ(parse_error(with_tiers(std::string(kHard) + R"(, {"name": "hard", "precision": {}, "min_accuracy": 0.9})")),
            "p.json: tiers[1].name: duplicate tier name, got \"hard\" (a string); expected a name no other tier has");
  EXPECT_EQ(parse_error(with_tiers(std::string(kHard) + R"(, {"name": "easy", "min_accuracy": 0.9})")),
            "p.json: tiers[1]: missing required key `precision` (tiers[1].precision)");
  EXPECT_EQ(parse_error(with_tiers(std::string(kHard) +
                                   R"(, {"name": "easy", "precision": {"act_bits": 0}, "min_accuracy": 0.9})")),
            "p.json: tiers[1].precision.act_bits: out of range, got 0; expected an integer in [1, 32]");
}

TEST(PolicyConfig, UnknownTierKeyIsAnError) {
  EXPECT_EQ(parse_error(with_tiers(std::string(kHard) +
                                   R"(, {"name": "easy", "precision": {}, "min_accuracy": 0.9, "bits": 4})")),
            "p.json: tiers[1].bits: unknown key `bits`; valid keys here: min_accuracy, name, precision");
}

TEST(PolicyConfig, HardestTierTakesNoBoundary) {
  EXPECT_EQ(parse_error(with_tiers(R"({"name": "hard", "precision": {}, "min_accuracy": 0.1},
                                      {"name": "easy", "precision": {}, "min_accuracy": 0.9})")),
            "p.json: tiers[0].min_accuracy: the hardest tier (tiers[0]) holds every class that reaches no other tier "
            "and takes no `min_accuracy`; remove it");
}

TEST(PolicyConfig, EasierTierTakesTheKeyOfItsTagging) {
  EXPECT_EQ(parse_error(with_tiers(std::string(kHard) + R"(, {"name": "easy", "precision": {}, "k": 3})")),
            "p.json: tiers[1].k: `k` belongs to top_k tagging, but `tagging` is threshold; each easier tier takes "
            "`min_accuracy`");
  EXPECT_EQ(parse_error(with_tiers(std::string(kHard) + R"(, {"name": "easy", "precision": {}})")),
            "p.json: tiers[1]: missing required key `min_accuracy` (tiers[1].min_accuracy)");
  EXPECT_EQ(
      parse_error(with_tiers(std::string(kHard) + R"(, {"name": "easy", "precision": {}})", R"("tagging": "top_k", )")),
      "p.json: tiers[1]: missing required key `k` (tiers[1].k)");
}

TEST(PolicyConfig, ThresholdsAreAccuraciesRisingTowardEasierTiers) {
  EXPECT_EQ(parse_error(with_tiers(std::string(kHard) + R"(, {"name": "easy", "precision": {}, "min_accuracy": 1.5})")),
            "p.json: tiers[1].min_accuracy: out of range, got 1.5; expected a number in [0, 1]");
  EXPECT_EQ(parse_error(with_tiers(std::string(kHard) + R"(, {"name": "mid", "precision": {}, "min_accuracy": 0.9},
                                                         {"name": "easy", "precision": {}, "min_accuracy": 0.9})")),
            "p.json: tiers[2].min_accuracy: not above tiers[1].min_accuracy 0.9, got 0.9; expected a value > 0.9 "
            "(thresholds rise toward easier tiers)");
}

TEST(PolicyConfig, TopKFallsTowardEasierTiers) {
  const std::string top_k = R"("tagging": "top_k", )";
  EXPECT_EQ(parse_error(with_tiers(std::string(kHard) + R"(, {"name": "easy", "precision": {}, "k": 0})", top_k)),
            "p.json: tiers[1].k: out of range, got 0; expected an integer in [1, 1000000]");
  EXPECT_EQ(
      parse_error(with_tiers(std::string(kHard) + R"(, {"name": "mid", "precision": {}, "k": 3},
                                                         {"name": "easy", "precision": {}, "k": 4})",
                             top_k)),
      "p.json: tiers[2].k: not below tiers[1].k 3, got 4; expected a value < 3 (easier tiers take fewer classes)");
}

TEST(PolicyConfig, TopKCannotExceedTheTraceClasses) {
  Json doc = Json::parse(
      with_tiers(std::string(kHard) + R"(, {"name": "easy", "precision": {}, "k": 4})", R"("tagging": "top_k", )"));
  auto policy = make_policy(JsonNode(doc, "p.json"));
  EXPECT_EQ(error_of([&] { policy->plan(small_trace(3, 2)); }),
            "p.json: tiers[1].k: 4 exceeds the trace's 3 classes; expected at most 3");
}

TEST(PolicyConfig, MeanOffsetsRiseTowardEasierTiers) {
  const std::string above = R"("tagging": "above_mean", )";
  // The second tier's offset defaults to 0, like the first's.
  EXPECT_EQ(parse_error(with_tiers(std::string(kHard) + R"(, {"name": "mid", "precision": {}},
                                                         {"name": "easy", "precision": {}})",
                                   above)),
            "p.json: tiers[2]: mean_offset 0.0 is not above tiers[1].mean_offset 0.0; expected a value > 0.0 "
            "(offsets rise toward easier tiers)");
  EXPECT_EQ(parse_error(with_tiers(std::string(kHard) + R"(, {"name": "mid", "precision": {}, "mean_offset": 0.1},
                                                         {"name": "easy", "precision": {}, "mean_offset": -0.1})",
                                   above)),
            "p.json: tiers[2].mean_offset: mean_offset -0.1 is not above tiers[1].mean_offset 0.1; expected a value > "
            "0.1 (offsets rise toward easier tiers)");
  EXPECT_EQ(
      parse_error(with_tiers(std::string(kHard) + R"(, {"name": "easy", "precision": {}, "mean_offset": 2})", above)),
      "p.json: tiers[1].mean_offset: out of range, got 2; expected a number in [-1, 1]");
}

TEST(PolicyConfig, WarmupHysteresisAndStickyAreValidated) {
  EXPECT_EQ(parse_error(R"({"warmup_epochs": -1})"),
            "p.json: warmup_epochs: out of range, got -1; expected an integer in [0, 1000000]");
  EXPECT_EQ(parse_error(R"({"hysteresis": -0.1})"),
            "p.json: hysteresis: out of range, got -0.1; expected a number in [0, 1]");
  EXPECT_EQ(parse_error(R"({"sticky": "yes"})"),
            "p.json: sticky: wrong type, got \"yes\" (a string); expected true or false");
}

TEST(PolicyConfig, HysteresisIsRejectedForTopK) {
  EXPECT_EQ(parse_error(R"({"tagging": "top_k", "hysteresis": 0.05})"),
            "p.json: hysteresis: not defined for top_k tagging (an accuracy margin, but top_k ranks classes), got "
            "0.05; expected 0 or no `hysteresis` key; use threshold or above_mean tagging for hysteresis");
  Json doc = Json::parse(R"({"tagging": "top_k", "hysteresis": 0})");
  EXPECT_NO_THROW(make_policy(JsonNode(doc, "p.json")));
}

// --- cyclic -----------------------------------------------------------------

TEST(PolicyConfig, CyclicBitRangeIsValidated) {
  EXPECT_EQ(parse_error(R"({"impl": "cyclic", "min_bits": 6, "max_bits": 4})"),
            "p.json: max_bits: out of range, got 4; expected an integer in [6, 32]");
  EXPECT_EQ(parse_error(R"({"impl": "cyclic", "min_bits": 10})"),
            "p.json: min_bits: above the default max_bits 8, got 10; expected an integer in [1, 8], or a larger "
            "`max_bits`");
  EXPECT_EQ(parse_error(R"({"impl": "cyclic", "min_bits": 0})"),
            "p.json: min_bits: out of range, got 0; expected an integer in [1, 32]");
  EXPECT_EQ(parse_error(R"({"impl": "cyclic", "grad_bits": 40})"),
            "p.json: grad_bits: out of range, got 40; expected an integer in [1, 32]");
}

TEST(PolicyConfig, CyclicCyclesMustFitTheTrace) {
  EXPECT_EQ(parse_error(R"({"impl": "cyclic", "num_cycles": 0})"),
            "p.json: num_cycles: out of range, got 0; expected an integer in [1, 1000000]");
  Json doc = Json::parse(R"({"policy": {"impl": "cyclic", "num_cycles": 5}})");
  auto policy = make_policy(JsonNode(doc, "run.json").at("policy"));
  EXPECT_EQ(error_of([&] { policy->plan(small_trace(2, 4)); }),
            "run.json: policy.num_cycles: 5 cycles do not fit the trace's 4 epochs (the precision changes once per "
            "epoch); expected at most 4");
  EXPECT_NO_THROW(policy->plan(small_trace(2, 5)));
}

}  // namespace
}  // namespace qtsim
