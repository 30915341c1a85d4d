// The uniform policy and precision groups (tiers -> sub-batches).
#include <gtest/gtest.h>

#include <fstream>

#include "workloads/policy/precision_groups.h"
#include "workloads/policy/uniform_policy.h"
#include "workloads/trace/trace.h"

namespace qtsim {
namespace {

Trace two_class_trace(int epochs) {
  Trace t;
  t.class_names = {"a", "b"};
  t.batch_size = 2;
  t.iterations_per_epoch = 1;
  t.train_samples_per_epoch = 2;
  t.epochs.resize(epochs);
  for (TraceEpoch& e : t.epochs) {
    e.train_accuracy = {1.0, 1.0};
    e.class_counts = {1, 1};
  }
  return t;
}

TEST(PolicyUniform, OneTierForEveryClassAndEpoch) {
  Json doc = Json::parse(R"({"impl": "uniform", "precision": {"act_bits": 4, "weight_bits": 2}})");
  auto policy = make_policy(JsonNode(doc, "p.json"));
  EXPECT_EQ(policy->impl(), "uniform");
  std::vector<EpochPlan> plans = policy->plan(two_class_trace(3));
  ASSERT_EQ(plans.size(), 3u);
  for (const EpochPlan& p : plans) {
    ASSERT_EQ(p.tiers.size(), 1u);
    EXPECT_EQ(p.tiers[0].name, "all");
    EXPECT_EQ(p.tiers[0].precision, (Precision{4, 2, 16}));  // grad_bits from Precision's default
    EXPECT_EQ(p.class_tier, (std::vector<int>{0, 0}));
  }
  EXPECT_EQ(policy->resolved_config(),
            Json::parse(R"({"impl": "uniform", "precision": {"act_bits": 4, "weight_bits": 2, "grad_bits": 16}})"));
}

TEST(PolicyUniform, DefaultIsTheBaseline) {
  Json doc = Json::parse(R"({"impl": "uniform"})");
  EXPECT_EQ(make_policy(JsonNode(doc, "p.json"))->plan(two_class_trace(1))[0].tiers[0].precision,
            (Precision{8, 8, 16}));
  std::ifstream in(std::string(QTSIM_SOURCE_DIR) + "/tests/fixtures/policies/uniform_4_4_8.json");
  Json fixture = Json::parse(in);
  EXPECT_EQ(make_policy(JsonNode(fixture, "f"))->plan(two_class_trace(1))[0].tiers[0].precision, (Precision{4, 4, 8}));
}

// Tiers 0 and 2 share 8/8/16 (an inverted ablation may do this), tier 1 is 4/4/8.
EpochPlan mixed_plan() {
  EpochPlan plan;
  plan.tiers = {{"hard", Precision{8, 8, 16}}, {"easy", Precision{4, 4, 8}}, {"also_hard", Precision{8, 8, 16}}};
  plan.class_tier = {0, 1, 2, 1};
  return plan;
}

TEST(PolicyGroups, TiersWithIdenticalPrecisionMergeInTierOrder) {
  PrecisionGrouping grouping(mixed_plan());
  // Group order = first tier carrying the precision: 8/8/16 (tier 0), 4/4/8 (tier 1).
  EXPECT_EQ(grouping.precisions(), (std::vector<Precision>{{8, 8, 16}, {4, 4, 8}}));
  EXPECT_EQ(grouping.group_of_tier(2), 0);
  EXPECT_EQ(grouping.group_of_class(3), 1);
  // Counts 3, 0, 2, 5: 8/8/16 = classes 0 + 2 = 5, 4/4/8 = classes 1 + 3 = 5.
  const std::uint16_t counts[] = {3, 0, 2, 5};
  std::vector<PrecisionGroup> groups = grouping.split(counts, 0);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].precision, (Precision{8, 8, 16}));
  EXPECT_EQ(groups[0].samples, 5);
  EXPECT_EQ(groups[1].precision, (Precision{4, 4, 8}));
  EXPECT_EQ(groups[1].samples, 5);
}

TEST(PolicyGroups, EmptyGroupsAreOmitted) {
  PrecisionGrouping grouping(mixed_plan());
  const std::uint16_t counts[] = {0, 1, 0, 2};  // only easy classes: one 4/4/8 group of 3
  std::vector<PrecisionGroup> groups = grouping.split(counts, 0);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].precision, (Precision{4, 4, 8}));
  EXPECT_EQ(groups[0].samples, 3);
}

TEST(PolicyGroups, CountAccumulates) {
  PrecisionGrouping grouping(mixed_plan());
  std::int64_t samples[2] = {10, 20};
  const std::uint16_t counts[] = {1, 2, 3, 4};
  grouping.count(counts, 0, samples);
  EXPECT_EQ(samples[0], 10 + 1 + 3);
  EXPECT_EQ(samples[1], 20 + 2 + 4);
}

}  // namespace
}  // namespace qtsim
