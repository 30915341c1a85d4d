// Tagging rules of the class_difficulty policy: each expected tier table is
// derived by hand from the rules in class_difficulty_policy.h (derivations in
// comments). Accuracies are dyadic where a boundary is tested, so that sums
// such as threshold + hysteresis are exact in binary floating point.
#include <gtest/gtest.h>

#include <fstream>

#include "base/error.h"
#include "workloads/policy/class_difficulty_policy.h"
#include "workloads/trace/trace.h"

namespace qtsim {
namespace {

// A trace with the given per-epoch, per-class training accuracies (one
// iteration of one sample per class: the policies read only accuracies).
Trace accuracy_trace(const std::vector<std::vector<double>>& accuracy) {
  Trace t;
  const std::size_t classes = accuracy.at(0).size();
  for (std::size_t c = 0; c < classes; ++c) t.class_names.push_back("c" + std::to_string(c));
  t.batch_size = static_cast<int>(classes);
  t.iterations_per_epoch = 1;
  t.train_samples_per_epoch = static_cast<std::int64_t>(classes);
  for (const auto& a : accuracy) {
    TraceEpoch e;
    e.train_accuracy = a;
    e.class_counts.assign(classes, 1);
    t.epochs.push_back(e);
  }
  return t;
}

std::unique_ptr<Policy> policy_from(const std::string& text) {
  Json doc = Json::parse(text);
  return make_policy(JsonNode(doc, "p.json"));
}

// The class -> tier tables of every epoch.
std::vector<std::vector<int>> tables(const Policy& policy, const Trace& trace) {
  std::vector<std::vector<int>> out;
  for (const EpochPlan& p : policy.plan(trace)) out.push_back(p.class_tier);
  return out;
}

// Tier of class `c` in every epoch.
std::vector<int> column(const std::vector<std::vector<int>>& t, int c) {
  std::vector<int> out;
  for (const auto& row : t) out.push_back(row[c]);
  return out;
}

TEST(PolicyClassDifficulty, DefaultIsThePaperLikeTwoTierThreshold) {
  auto policy = policy_from("{}");
  EXPECT_EQ(policy->impl(), "class_difficulty");
  Json expected = Json::parse(R"({
    "impl": "class_difficulty", "tagging": "threshold",
    "tiers": [
      {"name": "hard", "precision": {"act_bits": 8, "weight_bits": 8, "grad_bits": 16}},
      {"name": "easy", "precision": {"act_bits": 4, "weight_bits": 4, "grad_bits": 8}, "min_accuracy": 0.9}],
    "warmup_epochs": 0, "hysteresis": 0.0, "sticky": false})");
  EXPECT_EQ(policy->resolved_config(), expected);
}

TEST(PolicyClassDifficulty, ThresholdTagsFromThePreviousEpoch) {
  // Default threshold 0.9, inclusive. Epoch 0: no previous data -> all hard.
  // Epoch 1 from epoch 0: 0.95 >= 0.9 easy, 0.5 hard, 0.9 >= 0.9 easy.
  // Epoch 2 from epoch 1: 0.85 hard, 0.95 easy, 0.8999 hard.
  Trace trace = accuracy_trace({{0.95, 0.5, 0.9}, {0.85, 0.95, 0.8999}, {0.0, 0.0, 0.0}});
  auto policy = policy_from("{}");
  std::vector<EpochPlan> plans = policy->plan(trace);
  ASSERT_EQ(plans.size(), 3u);
  EXPECT_EQ(plans[0].class_tier, (std::vector<int>{0, 0, 0}));
  EXPECT_EQ(plans[1].class_tier, (std::vector<int>{1, 0, 1}));
  EXPECT_EQ(plans[2].class_tier, (std::vector<int>{0, 1, 0}));
  EXPECT_EQ(plans[1].tiers[1].name, "easy");
  EXPECT_EQ(plans[1].class_precision(0), (Precision{4, 4, 8}));
  EXPECT_EQ(plans[1].class_precision(1), (Precision{8, 8, 16}));
}

TEST(PolicyClassDifficulty, WarmupKeepsEveryClassHard) {
  // warmup_epochs 2: epochs 0 and 1 all hard although epoch 0 is at 1.0;
  // epoch 2 is tagged from epoch 1 (class 1 only), epoch 3 from epoch 2.
  Trace trace = accuracy_trace({{1.0, 1.0}, {0.5, 1.0}, {1.0, 0.5}, {0.0, 0.0}});
  auto policy = policy_from(R"({"warmup_epochs": 2})");
  EXPECT_EQ(tables(*policy, trace), (std::vector<std::vector<int>>{{0, 0}, {0, 0}, {0, 1}, {1, 0}}));
}

TEST(PolicyClassDifficulty, HysteresisDampsAClassOscillatingAroundTheThreshold) {
  // threshold 0.75, h 0.125: up only at >= 0.875, down only below 0.625.
  // class 0 accuracies 0.8, 0.875, 0.7, 0.625, 0.6, 0.8 (epochs 0..5):
  //   no h:   tiers of epochs 1..6 = 1, 1, 0, 0, 0, 1
  //   with h: e1 (0.8 < 0.875) 0; e2 (0.875) up 1; e3 (0.7 >= 0.625) stays 1;
  //           e4 (0.625, not below) stays 1; e5 (0.6 < 0.625) 0; e6 (0.8) 0.
  // class 1 flips 0.7 / 0.8 around 0.75: every epoch without h, never with h.
  // class 2 flips 0.9 / 0.7: easy from epoch 1 on with h (0.7 >= 0.625).
  Trace trace = accuracy_trace({{0.8, 0.7, 0.9},
                                {0.875, 0.8, 0.7},
                                {0.7, 0.7, 0.9},
                                {0.625, 0.8, 0.7},
                                {0.6, 0.7, 0.9},
                                {0.8, 0.8, 0.7},
                                {0.0, 0.0, 0.0}});
  const std::string tiers = R"("tiers": [{"name": "hard", "precision": {}},
      {"name": "easy", "precision": {"act_bits": 4}, "min_accuracy": 0.75}])";
  auto plain = tables(*policy_from("{" + tiers + "}"), trace);
  auto damped = tables(*policy_from("{" + tiers + R"(, "hysteresis": 0.125})"), trace);
  EXPECT_EQ(column(plain, 0), (std::vector<int>{0, 1, 1, 0, 0, 0, 1}));
  EXPECT_EQ(column(damped, 0), (std::vector<int>{0, 0, 1, 1, 1, 0, 0}));
  EXPECT_EQ(column(plain, 1), (std::vector<int>{0, 0, 1, 0, 1, 0, 1}));
  EXPECT_EQ(column(damped, 1), (std::vector<int>{0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(column(plain, 2), (std::vector<int>{0, 1, 0, 1, 0, 1, 0}));
  EXPECT_EQ(column(damped, 2), (std::vector<int>{0, 1, 1, 1, 1, 1, 1}));
}

TEST(PolicyClassDifficulty, StickyNeverMovesAClassToAHarderTier) {
  // Class 0: 0.95 then 0.5: easy at epoch 1; epoch 2 would be hard, sticky keeps it easy.
  // Class 1 is never easy: sticky changes nothing for it.
  Trace trace = accuracy_trace({{0.95, 0.5}, {0.5, 0.5}, {0.0, 0.0}});
  EXPECT_EQ(tables(*policy_from("{}"), trace), (std::vector<std::vector<int>>{{0, 0}, {1, 0}, {0, 0}}));
  EXPECT_EQ(tables(*policy_from(R"({"sticky": true})"), trace),
            (std::vector<std::vector<int>>{{0, 0}, {1, 0}, {1, 0}}));
}

TEST(PolicyClassDifficulty, ThreeThresholdTiers) {
  // medium from 0.8, easy from 0.95: 0.5 -> 0, 0.8 -> 1, 0.94 -> 1, 0.95 -> 2, 1.0 -> 2.
  Trace trace = accuracy_trace({{0.5, 0.8, 0.94, 0.95, 1.0}, {0, 0, 0, 0, 0}});
  auto policy = policy_from(R"({"tiers": [
      {"name": "hard", "precision": {}},
      {"name": "medium", "precision": {"act_bits": 6, "weight_bits": 6, "grad_bits": 12}, "min_accuracy": 0.8},
      {"name": "easy", "precision": {"act_bits": 4, "weight_bits": 4, "grad_bits": 8}, "min_accuracy": 0.95}]})");
  std::vector<EpochPlan> plans = policy->plan(trace);
  EXPECT_EQ(plans[1].class_tier, (std::vector<int>{0, 1, 1, 2, 2}));
  EXPECT_EQ(plans[1].class_precision(1), (Precision{6, 6, 12}));
  EXPECT_EQ(plans[1].tiers.size(), 3u);
}

TEST(PolicyClassDifficulty, TopKBreaksTiesByLowerClassIndex) {
  // Accuracies 0.5, 0.9, 0.9, 0.9: ranks (descending, ties -> lower index
  // first) class 1 -> 0, class 2 -> 1, class 3 -> 2, class 0 -> 3.
  // k = 2: ranks 0, 1 easy -> tiers 0, 1, 1, 0.
  // Three tiers k = 3, 1: rank 0 -> tier 2, ranks 1, 2 -> tier 1, rank 3 -> 0.
  Trace trace = accuracy_trace({{0.5, 0.9, 0.9, 0.9}, {0, 0, 0, 0}});
  auto two = policy_from(R"({"tagging": "top_k", "tiers": [{"name": "hard", "precision": {}},
      {"name": "easy", "precision": {"act_bits": 4}, "k": 2}]})");
  EXPECT_EQ(two->plan(trace)[1].class_tier, (std::vector<int>{0, 1, 1, 0}));
  auto three = policy_from(R"({"tagging": "top_k", "tiers": [{"name": "hard", "precision": {}},
      {"name": "medium", "precision": {"act_bits": 6}, "k": 3},
      {"name": "easy", "precision": {"act_bits": 4}, "k": 1}]})");
  EXPECT_EQ(three->plan(trace)[1].class_tier, (std::vector<int>{0, 2, 1, 1}));
}

TEST(PolicyClassDifficulty, TopKAllowsKEqualToTheClassCount) {
  Trace trace = accuracy_trace({{0.1, 0.2}, {0, 0}});
  auto policy = policy_from(R"({"tagging": "top_k", "tiers": [{"name": "hard", "precision": {}},
      {"name": "easy", "precision": {"act_bits": 4}, "k": 2}]})");
  EXPECT_EQ(policy->plan(trace)[1].class_tier, (std::vector<int>{1, 1}));
}

TEST(PolicyClassDifficulty, AboveMeanIsStrict) {
  // mean(0.5, 0.75, 1.0, 0.75) = 0.75; strictly above: class 2 only.
  Trace trace = accuracy_trace({{0.5, 0.75, 1.0, 0.75}, {0, 0, 0, 0}});
  auto policy = policy_from(R"({"tagging": "above_mean"})");
  EXPECT_EQ(policy->plan(trace)[1].class_tier, (std::vector<int>{0, 0, 1, 0}));
}

TEST(PolicyClassDifficulty, AboveMeanGeneralisesToTiersWithOffsets) {
  // mean(0.5, 0.875, 1.0, 0.625) = 0.75. Tier 1: > 0.75 (classes 1, 2);
  // tier 2: > 0.75 + 0.125 = 0.875 (class 2; class 1 at exactly 0.875 is not above).
  Trace trace = accuracy_trace({{0.5, 0.875, 1.0, 0.625}, {0, 0, 0, 0}});
  auto policy = policy_from(R"({"tagging": "above_mean", "tiers": [{"name": "hard", "precision": {}},
      {"name": "medium", "precision": {"act_bits": 6}},
      {"name": "easy", "precision": {"act_bits": 4}, "mean_offset": 0.125}]})");
  EXPECT_EQ(policy->plan(trace)[1].class_tier, (std::vector<int>{0, 1, 2, 0}));
}

TEST(PolicyClassDifficulty, AboveMeanHysteresis) {
  // h = 0.125, every epoch's mean is 0.75: up at > 0.875, down at <= 0.625.
  // e1 from (0.5, 1.0, 0.75, 0.75):   class 1 up (1.0)                 -> 0 1 0 0
  // e2 from (0.5, 0.75, 0.75, 1.0):   class 1 stays (0.75 > 0.625), class 3 up -> 0 1 0 1
  // e3 from (0.625, 0.625, 1.0, 0.75): class 1 drops (0.625 not > 0.625),
  //                                   class 2 up, class 3 stays        -> 0 0 1 1
  Trace trace =
      accuracy_trace({{0.5, 1.0, 0.75, 0.75}, {0.5, 0.75, 0.75, 1.0}, {0.625, 0.625, 1.0, 0.75}, {0, 0, 0, 0}});
  auto policy = policy_from(R"({"tagging": "above_mean", "hysteresis": 0.125})");
  EXPECT_EQ(tables(*policy, trace),
            (std::vector<std::vector<int>>{{0, 0, 0, 0}, {0, 1, 0, 0}, {0, 1, 0, 1}, {0, 0, 1, 1}}));
}

TEST(PolicyClassDifficulty, ResolvedConfigRoundTrips) {
  for (const char* name : {"paper_class_difficulty", "three_tier_threshold", "top_k", "above_mean"}) {
    SCOPED_TRACE(name);
    std::ifstream in(std::string(QTSIM_SOURCE_DIR) + "/tests/fixtures/policies/" + name + ".json");
    ASSERT_TRUE(in) << name;
    Json doc = Json::parse(in);
    auto first = make_policy(JsonNode(doc, name));
    Json resolved = first->resolved_config();
    auto second = make_policy(JsonNode(resolved, "resolved"));
    EXPECT_EQ(second->resolved_config(), resolved);
  }
}

TEST(PolicyClassDifficulty, FixtureThreeTierResolvesEveryKey) {
  std::ifstream in(std::string(QTSIM_SOURCE_DIR) + "/tests/fixtures/policies/three_tier_threshold.json");
  Json doc = Json::parse(in);
  Json resolved = make_policy(JsonNode(doc, "f"))->resolved_config();
  EXPECT_EQ(resolved["tagging"], "threshold");  // the default, filled in
  EXPECT_EQ(resolved["tiers"][2]["min_accuracy"], 0.95);
  EXPECT_EQ(resolved["warmup_epochs"], 5);
  EXPECT_EQ(resolved["hysteresis"], 0.02);
  EXPECT_EQ(resolved["sticky"], true);
}

}  // namespace
}  // namespace qtsim
