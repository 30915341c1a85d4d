// The cyclic (CPT) policy's schedule, checked against values worked out by
// hand from b(t) = ceil(b_min + 0.5 (b_max - b_min)(1 - cos(pi (t mod T) / T))).
#include <gtest/gtest.h>

#include <fstream>

#include "workloads/policy/cyclic_policy.h"
#include "workloads/trace/trace.h"

namespace qtsim {
namespace {

Trace empty_trace(int classes, int epochs) {
  Trace t;
  for (int c = 0; c < classes; ++c) t.class_names.push_back("c" + std::to_string(c));
  t.batch_size = classes;
  t.iterations_per_epoch = 1;
  t.train_samples_per_epoch = classes;
  t.epochs.resize(epochs);
  for (TraceEpoch& e : t.epochs) {
    e.train_accuracy.assign(classes, 0.5);
    e.class_counts.assign(classes, 1);
  }
  return t;
}

TEST(PolicyCyclic, ScheduleOfTwoCyclesOverEightEpochs) {
  // b_min 3, b_max 8, T = 8 / 2 = 4 epochs, 0.5 (b_max - b_min) = 2.5:
  //   t=0: x=0    -> 3 + 2.5 (1 - 1)        = 3      -> 3
  //   t=1: x=1/4  -> 3 + 2.5 (1 - 0.70711)  = 3.7322 -> 4
  //   t=2: x=1/2  -> 3 + 2.5 (1 - 0)        = 5.5    -> 6
  //   t=3: x=3/4  -> 3 + 2.5 (1 + 0.70711)  = 7.2678 -> 8
  //   t=4..7 repeat.
  CyclicPolicy::Config config;
  config.num_cycles = 2;
  std::vector<int> bits;
  for (int t = 0; t < 8; ++t) bits.push_back(CyclicPolicy::forward_bits(config, t, 8));
  EXPECT_EQ(bits, (std::vector<int>{3, 4, 6, 8, 3, 4, 6, 8}));
}

TEST(PolicyCyclic, PaperDefaultsOverTwoHundredEpochs) {
  // 32 cycles over 200 epochs: T = 6.25, x = (32 t mod 200) / 200.
  //   t=1:  x=0.16 cos(0.16 pi)= 0.87631 -> 3 + 2.5 * 0.12369 = 3.309 -> 4
  //   t=3:  x=0.48 cos(0.48 pi)= 0.06279 -> 3 + 2.5 * 0.93721 = 5.343 -> 6
  //   t=6:  x=0.96 cos(0.96 pi)=-0.99211 -> 3 + 2.5 * 1.99211 = 7.980 -> 8
  //   t=7:  x=0.12 cos(0.12 pi)= 0.92978 -> 3 + 2.5 * 0.07022 = 3.176 -> 4
  //   t=25: x=0 (800 mod 200)            -> 3
  CyclicPolicy::Config config;  // 3..8 bits, 8-bit gradients, 32 cycles
  EXPECT_EQ(CyclicPolicy::forward_bits(config, 1, 200), 4);
  EXPECT_EQ(CyclicPolicy::forward_bits(config, 3, 200), 6);
  EXPECT_EQ(CyclicPolicy::forward_bits(config, 6, 200), 8);
  EXPECT_EQ(CyclicPolicy::forward_bits(config, 7, 200), 4);
  EXPECT_EQ(CyclicPolicy::forward_bits(config, 25, 200), 3);
}

TEST(PolicyCyclic, WholeNumberValuesStayWhole) {
  // b_min 4, b_max 8, x = 1/2: 4 + 2 (1 - cos(pi/2)) = 6 exactly (the
  // floating-point cosine is 6.1e-17, not 0; the ceiling's tolerance keeps a
  // libm rounding upward from making it 7). x = 1/3: 4 + 2 (1 - 0.5) = 5.
  CyclicPolicy::Config config{4, 8, 8, 1};
  EXPECT_EQ(CyclicPolicy::forward_bits(config, 1, 2), 6);
  EXPECT_EQ(CyclicPolicy::forward_bits(config, 1, 3), 5);
  // b_min == b_max: constant.
  CyclicPolicy::Config flat{5, 5, 16, 1};
  EXPECT_EQ(CyclicPolicy::forward_bits(flat, 1, 2), 5);
}

TEST(PolicyCyclic, PlanAppliesForwardBitsToEveryClassWithFixedGradients) {
  Json doc = Json::parse(R"({"impl": "cyclic", "num_cycles": 2, "grad_bits": 16})");
  auto policy = make_policy(JsonNode(doc, "p.json"));
  std::vector<EpochPlan> plans = policy->plan(empty_trace(3, 8));
  ASSERT_EQ(plans.size(), 8u);
  EXPECT_EQ(plans[2].tiers.size(), 1u);
  EXPECT_EQ(plans[2].tiers[0].name, "cyclic");
  EXPECT_EQ(plans[2].tiers[0].precision, (Precision{6, 6, 16}));  // t=2 above
  EXPECT_EQ(plans[3].tiers[0].precision, (Precision{8, 8, 16}));
  EXPECT_EQ(plans[4].tiers[0].precision, (Precision{3, 3, 16}));
  EXPECT_EQ(plans[2].class_tier, (std::vector<int>{0, 0, 0}));
}

TEST(PolicyCyclic, ResolvedConfigFillsThePaperDefaults) {
  Json doc = Json::parse(R"({"impl": "cyclic"})");
  Json resolved = make_policy(JsonNode(doc, "p.json"))->resolved_config();
  EXPECT_EQ(resolved, Json::parse(R"({"impl": "cyclic", "min_bits": 3, "max_bits": 8, "grad_bits": 8,
                                      "num_cycles": 32})"));
  std::ifstream in(std::string(QTSIM_SOURCE_DIR) + "/tests/fixtures/policies/cyclic_cpt.json");
  Json fixture = Json::parse(in);
  EXPECT_EQ(make_policy(JsonNode(fixture, "f"))->resolved_config(), resolved);
}

}  // namespace
}  // namespace qtsim
