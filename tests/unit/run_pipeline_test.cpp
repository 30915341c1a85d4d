// The run pipeline on the shipped ResNet-20 and the CIFAR-10 reference trace:
// the compression checks of issue 2 end to end, and the cross-checks of
// load_run_inputs.
#include <gtest/gtest.h>

#include <fstream>

#include "sim/config/run_inputs.h"
#include "tests/unit/test_util.h"
#include "workloads/policy/precision_groups.h"

namespace qtsim {
namespace {

using test::error_of;
using test::source_path;

RunInputs load(const std::vector<std::string>& sets) {
  RunDocumentInputs in;
  for (const std::string& s : sets) in.overrides.push_back(parse_override(s));
  return load_run_inputs(load_run_document(in));
}

CompressionReport compress(const RunInputs& in) {
  return compute_compression(in.step, in.trace, in.plans, in.config.run.baseline, in.epochs);
}

TEST(RunPipeline, UniformBaselineAgainstItselfIsExactlyOne) {
  RunInputs in = load({"policy={\"impl\": \"uniform\"}"});
  CompressionReport r = compress(in);
  EXPECT_EQ(compression_ratio(r.baseline.bits, r.policy.bits), 1.0);
  EXPECT_EQ(compression_ratio(r.baseline.bitops, r.policy.bitops), 1.0);
}

TEST(RunPipeline, EverySampleAtHalfTheBitsIsExactlyTwoAndFour) {
  // Every operand at half its baseline width, one group per iteration as in
  // the baseline: every bit count halves (ratio 2) and every product of two
  // widths quarters (ratio 4), exactly.
  RunInputs in =
      load({R"(policy={"impl": "uniform", "precision": {"act_bits": 4, "weight_bits": 4, "grad_bits": 8}})"});
  CompressionReport r = compress(in);
  EXPECT_EQ(compression_ratio(r.baseline.bits, r.policy.bits), 2.0);
  EXPECT_EQ(compression_ratio(r.baseline.bitops, r.policy.bitops), 4.0);
  // Against FP32 (32/32/32): 8/8/16 -> 4/4/8 doubles the FP32 ratio too.
  EXPECT_EQ(compression_ratio(r.fp32.bits, r.policy.bits), 2.0 * compression_ratio(r.fp32.bits, r.baseline.bits));
}

TEST(RunPipeline, PaperLikeRunLandsNearOnePointThreeThree) {
  // top_k with k = 5 puts 5 of the 10 classes (each 5,000 samples an epoch)
  // at 4/4/8 from epoch 1 on: half of the samples at half the bits. With P
  // the per-sample operand bits at 8/8/16 and W the per-group (weight) bits:
  //   baseline = 200 * 50,000 * P + 78,200 * W
  //   policy   = 50,000 * P + 199 * (25,000 * P + 25,000 * P / 2)
  //              + G_hard * W + G_easy * W / 2
  // where G_hard / G_easy count the iterations holding a hard / easy sample
  // (counted here directly from the trace and the tags, a second
  // implementation of the grouping). Per-sample terms alone give
  // 200 / (1 + 199 * 0.75) = 1.3311.
  RunInputs in = load({R"(policy={"impl": "class_difficulty", "tagging": "top_k"})"});
  CompressionReport r = compress(in);
  const PrecisionCost hard = precision_cost(in.step, Precision{8, 8, 16});
  ASSERT_EQ(hard.bits_per_sample % 2, 0);
  ASSERT_EQ(hard.bits_fixed % 2, 0);
  std::int64_t g_hard = 0, g_easy = 0;
  for (int e = 0; e < in.trace.num_epochs(); ++e) {
    for (int i = 0; i < in.trace.iterations_per_epoch; ++i) {
      bool any_hard = false, any_easy = false;
      for (int c = 0; c < in.trace.num_classes(); ++c) {
        if (in.trace.counts(e, i)[c] == 0) continue;
        (in.plans[e].class_tier[c] == 0 ? any_hard : any_easy) = true;
      }
      g_hard += any_hard;
      g_easy += any_easy;
    }
  }
  const std::int64_t p = hard.bits_per_sample, w = hard.bits_fixed;
  const std::int64_t baseline = 200LL * 50000 * p + 78200LL * w;
  const std::int64_t policy = 50000 * p + 199LL * (25000 * p + 25000 * p / 2) + g_hard * w + g_easy * w / 2;
  EXPECT_EQ(r.baseline.bits, baseline);
  EXPECT_EQ(r.policy.bits, policy);
  const double ratio = compression_ratio(r.baseline.bits, r.policy.bits);
  EXPECT_NEAR(ratio, 1.33, 0.005);
  EXPECT_LT(ratio, 200.0 / 150.25);  // the extra weight reads of the second group cost a little
}

TEST(RunPipeline, NetworkAndTraceMustHaveTheSameClasses) {
  const std::string trace = source_path("tests/fixtures/traces/small_valid.json");
  EXPECT_EQ(error_of([&] { load({"workload.trace=" + trace}); }),
            "embedded default (with --set workload.trace=" + trace +
                "): workload.network: the network resnet20_cifar10 has 10 classes but the trace " + trace +
                " has 3; expected a network and trace of the same dataset");
}

TEST(RunPipeline, EpochRangeMustLieInTheTrace) {
  EXPECT_EQ(error_of([] {
              load({"run.first_epoch=150", "run.num_epochs=60"});
            }),
            "embedded default (with --set run.first_epoch=150, --set run.num_epochs=60): run.num_epochs: out of range, "
            "got 60; expected at most 50 from run.first_epoch 150 (the trace has 200 "
            "epochs)");
  RunInputs in = load({"run.first_epoch=150", "run.num_epochs=50"});
  EXPECT_EQ(in.epochs.first, 150);
  EXPECT_EQ(in.epochs.count, 50);
}

// small_valid.json (3 classes, 10 samples per epoch) recording `policy`, and
// a 3-class network, written to the test's temporary folder; returns the
// --set overrides that select them.
std::vector<std::string> recorded(const Json& policy, const std::string& stem) {
  std::ifstream in(source_path("tests/fixtures/traces/small_valid.json"));
  Json trace = Json::parse(in);
  trace["policy"] = policy;
  const std::string dir = ::testing::TempDir();
  std::ofstream(dir + stem + "_trace.json") << trace.dump();
  Json network = Json::parse(R"({"name": "tiny3", "input": {"channels": 1, "height": 4, "width": 4},
      "num_classes": 3, "layers": [{"name": "pool", "type": "global_avg_pool", "inputs": ["input"]},
      {"name": "fc", "type": "fully_connected", "inputs": ["pool"], "out_features": 3},
      {"name": "loss", "type": "softmax_cross_entropy", "inputs": ["fc"]}]})");
  std::ofstream(dir + stem + "_net.json") << network.dump();
  return {"workload.trace=" + dir + stem + "_trace.json", "workload.network=" + dir + stem + "_net.json"};
}

TEST(RunPipeline, TheTracesRecordedPolicyReplaysByDefault) {
  std::vector<std::string> sets =
      recorded(Json::parse(R"({"impl": "random_assignment", "low_samples_per_epoch": [5, 10]})"), "recorded");
  RunInputs in = load(sets);
  EXPECT_EQ(in.policy->impl(), "random_assignment");
  EXPECT_EQ(in.config.policy["low_samples_per_epoch"], Json::parse("[5, 10]"));
  ASSERT_TRUE(in.plans[0].sample_split.has_value());
  // The same policy given explicitly is accepted.
  sets.push_back("policy.impl=random_assignment");
  sets.push_back("policy.low_samples_per_epoch=[5, 10]");
  EXPECT_EQ(load(sets).policy->impl(), "random_assignment");
}

TEST(RunPipeline, AConflictingPolicyIsRefusedUnlessAskedFor) {
  std::vector<std::string> sets =
      recorded(Json::parse(R"({"impl": "uniform", "precision": {"act_bits": 4, "weight_bits": 4, "grad_bits": 8}})"),
               "conflict");
  sets.push_back("policy.impl=uniform");
  const std::string message = error_of([&] { load(sets); });
  EXPECT_NE(message.find("policy {\"impl\":\"uniform\",\"precision\":{\"act_bits\":8,\"grad_bits\":16,"
                         "\"weight_bits\":8}} differs from the policy the trace "),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("--set run.policy_source=config"), std::string::npos) << message;
  sets.push_back("run.policy_source=config");
  RunInputs in = load(sets);
  EXPECT_EQ(in.plans[0].tiers[0].precision, (Precision{8, 8, 16}));
  EXPECT_EQ(in.config.run.policy_source, "config");
}

TEST(RunPipeline, UnknownBuiltinTraceListsTheValidOne) {
  EXPECT_EQ(error_of([] { load({"workload.trace=builtin:cifar100"}); }),
            "embedded default (with --set workload.trace=builtin:cifar100): workload.trace: unknown built-in trace, "
            "got \"builtin:cifar100\"; expected "
            "builtin:cifar10_resnet20_synthetic or the path of a .json, .cbor or .msgpack trace");
}

}  // namespace
}  // namespace qtsim
