// The random_assignment policy: per-sample splits computed by hand from the
// rule floor(L S(i) / N) - floor(L S(i-1) / N) (workloads/policy/README.md).
#include <gtest/gtest.h>

#include "tests/unit/test_util.h"
#include "workloads/policy/precision_groups.h"
#include "workloads/policy/random_assignment_policy.h"
#include "workloads/trace/trace.h"

namespace qtsim {
namespace {

using test::error_of;

// 2 classes, `epochs` epochs of 10 samples in iterations of 4, 4 and 2.
Trace ten_sample_trace(int epochs) {
  Trace t;
  t.class_names = {"a", "b"};
  t.batch_size = 4;
  t.iterations_per_epoch = 3;
  t.train_samples_per_epoch = 10;
  t.epochs.resize(epochs);
  for (TraceEpoch& e : t.epochs) {
    e.train_accuracy = {0.5, 0.5};
    e.class_counts = {3, 1, 2, 2, 0, 2};
  }
  return t;
}

std::unique_ptr<Policy> policy_of(const std::string& text) {
  static Json doc;
  doc = Json::parse(text);
  return make_policy(JsonNode(doc, "p.json"));
}

TEST(PolicyRandomAssignment, PlansSplitEveryIterationBySamples) {
  auto policy = policy_of(R"({"impl": "random_assignment", "low_samples_per_epoch": [5, 0, 10]})");
  std::vector<EpochPlan> plans = policy->plan(ten_sample_trace(3));
  ASSERT_EQ(plans.size(), 3u);
  EXPECT_EQ(plans[0].class_tier, (std::vector<int>{0, 0}));
  EXPECT_EQ(plans[0].tiers[1].precision, (Precision{4, 4, 8}));
  ASSERT_TRUE(plans[0].sample_split.has_value());
  // L = 5 of N = 10: floor(5 * 4 / 10) = 2, floor(5 * 8 / 10) - 2 = 2, 5 - 4 = 1.
  EXPECT_EQ(plans[0].sample_split->in_iteration(0), 2);
  EXPECT_EQ(plans[0].sample_split->in_iteration(1), 2);
  EXPECT_EQ(plans[0].sample_split->in_iteration(2), 1);
  PrecisionGrouping grouping(plans[0]);
  const std::uint16_t counts[] = {3, 1};  // iteration 0: 4 samples, 2 of them low whatever their class
  std::vector<PrecisionGroup> groups = grouping.split(counts, 0);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].samples, 2);
  EXPECT_EQ(groups[1].precision, (Precision{4, 4, 8}));
  EXPECT_EQ(groups[1].samples, 2);
  // Epoch 1 (L = 0): one group; epoch 2 (L = N): every sample low.
  EXPECT_EQ(PrecisionGrouping(plans[1]).split(counts, 0).size(), 1u);
  std::vector<PrecisionGroup> all_low = PrecisionGrouping(plans[2]).split(counts, 0);
  ASSERT_EQ(all_low.size(), 1u);
  EXPECT_EQ(all_low[0].precision, (Precision{4, 4, 8}));
  EXPECT_EQ(all_low[0].samples, 4);
}

TEST(PolicyRandomAssignment, EqualPrecisionsMergeIntoOneGroup) {
  auto policy = policy_of(
      R"({"impl": "random_assignment", "low": {"act_bits": 8, "weight_bits": 8, "grad_bits": 16},
          "low_samples_per_epoch": [5]})");
  std::vector<EpochPlan> plans = policy->plan(ten_sample_trace(1));
  const std::uint16_t counts[] = {3, 1};
  std::vector<PrecisionGroup> groups = PrecisionGrouping(plans[0]).split(counts, 0);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].samples, 4);
}

TEST(PolicyRandomAssignment, ResolvedConfigAndErrors) {
  auto policy = policy_of(R"({"impl": "random_assignment", "low_samples_per_epoch": [1, 2]})");
  EXPECT_EQ(policy->resolved_config(), Json::parse(R"({"impl": "random_assignment",
      "high": {"act_bits": 8, "weight_bits": 8, "grad_bits": 16}, "low": {"act_bits": 4, "weight_bits": 4,
      "grad_bits": 8}, "low_samples_per_epoch": [1, 2]})"));
  EXPECT_EQ(error_of([&] { policy->plan(ten_sample_trace(3)); }),
            "p.json: low_samples_per_epoch: 2 entries for a trace of 3 epochs; expected at least one per epoch");
  auto too_many = policy_of(R"({"impl": "random_assignment", "low_samples_per_epoch": [11]})");
  EXPECT_EQ(error_of([&] { too_many->plan(ten_sample_trace(1)); }),
            "p.json: low_samples_per_epoch.0: 11 exceeds the trace's 10 samples per epoch; expected at most that");
  EXPECT_NE(error_of([] { policy_of(R"({"impl": "random_assignment"})"); }).find("missing key `low_samples_per_epoch`"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              policy_of(R"({"impl": "random_assignment", "low_samples_per_epoch": [-1]})");
            }).find("low_samples_per_epoch[0]: out of range"),
            std::string::npos);
}

}  // namespace
}  // namespace qtsim
