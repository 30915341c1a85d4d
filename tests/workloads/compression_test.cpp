// Compression metrics against values computed by hand (derivations in the
// comments) from the definitions in workloads/compression/README.md.
#include "workloads/compression/compression.h"

#include <gtest/gtest.h>

#include "tests/unit/test_util.h"

#include <chrono>
#include <cmath>
#include <functional>
#include <iostream>

#include "base/error.h"
#include "workloads/trace/trace.h"

namespace qtsim {
namespace {

using test::error_of;

GemmSpec gemm(Phase phase, std::int64_t m, std::int64_t k, std::int64_t n, OperandSpec a, OperandSpec b) {
  GemmSpec g;
  g.layer = "conv";
  g.phase = phase;
  g.m = m;
  g.k = k;
  g.n = n;
  g.batch_dim = phase == Phase::wgrad ? GemmSpec::BatchDim::k : GemmSpec::BatchDim::m;
  g.a = a;
  g.b = b;
  return g;
}

// One conv-like layer (not the first one, so it has a bwd_data GEMM):
// 3x3 conv, Cin 2 -> Cout 4, 4x4 input and output (stride 1, padding 1).
//   fwd      M = n*16, K = 18, N = 4: a = input activation, 2*16 = 32 per sample;
//                                     b = weights, 4*2*9 = 72 fixed
//   bwd_data M = n*16, K = 36, N = 2: a = output gradient, 4*16 = 64 per sample;
//                                     b = weights, 72 fixed
//   wgrad    M = 4, K = n*16, N = 18: a = output gradient, 64 per sample;
//                                     b = input activation, 32 per sample
// MACs per sample: 16*18*4 = 16*36*2 = 4*16*18 = 1152 for each GEMM.
// At (A, W, G):
//   bits_per_sample   = 32A + 64G + 64G + 32A = 64A + 128G
//   bits_fixed        = 72W + 72W = 144W
//   bitops_per_sample = 1152 (AW + GW + GA)
// so 8/8/16: 2560, 1152, 1152*320 = 368640; 4/4/8: 1280, 576, 1152*80 = 92160;
//    32/32/32: 6144, 4608, 1152*3*1024 = 3538944.
TrainingStep conv_step() {
  TrainingStep step;
  step.gemms.push_back(gemm(Phase::fwd, 16, 18, 4, {Role::activation, 32, 0}, {Role::weight, 0, 72}));
  step.gemms.push_back(gemm(Phase::bwd_data, 16, 36, 2, {Role::gradient, 64, 0}, {Role::weight, 0, 72}));
  step.gemms.push_back(gemm(Phase::wgrad, 4, 16, 18, {Role::gradient, 64, 0}, {Role::activation, 32, 0}));
  step.parameters = 72;
  return step;
}

// counts[epoch][iteration][class]; accuracies[epoch][class].
Trace make_trace(const std::vector<std::vector<std::vector<int>>>& counts,
                 const std::vector<std::vector<double>>& accuracy) {
  Trace t;
  const std::size_t classes = accuracy.at(0).size();
  for (std::size_t c = 0; c < classes; ++c) t.class_names.push_back("c" + std::to_string(c));
  t.iterations_per_epoch = static_cast<int>(counts.at(0).size());
  for (std::size_t e = 0; e < counts.size(); ++e) {
    TraceEpoch epoch;
    epoch.train_accuracy = accuracy.at(e);
    for (const auto& iteration : counts[e]) {
      for (int n : iteration) epoch.class_counts.push_back(static_cast<std::uint16_t>(n));
    }
    t.epochs.push_back(epoch);
  }
  return t;
}

// 3 classes, 2 epochs of 2 iterations (batch 4, the last iteration 3 samples).
Trace small_trace() {
  Trace t = make_trace({{{2, 1, 1}, {1, 1, 1}}, {{1, 2, 1}, {1, 0, 2}}}, {{0.95, 0.5, 0.9}, {1.0, 0.6, 0.95}});
  t.batch_size = 4;
  t.train_samples_per_epoch = 7;
  return t;
}

std::vector<EpochPlan> plans_of(const std::string& config, const Trace& trace) {
  Json doc = Json::parse(config);
  return make_policy(JsonNode(doc, "p.json"))->plan(trace);
}

TEST(Compression, PrecisionCostIsTheSumOverGemms) {
  PrecisionCost c = precision_cost(conv_step(), Precision{8, 8, 16});
  EXPECT_EQ(c.bits_per_sample, 2560);
  EXPECT_EQ(c.bits_fixed, 1152);
  EXPECT_EQ(c.bitops_per_sample, 368640);
  // Roles are read per operand: (A, W, G) = (2, 3, 5):
  // 64*2 + 128*5 = 768; 144*3 = 432; 1152 (6 + 15 + 10) = 35712.
  PrecisionCost odd = precision_cost(conv_step(), Precision{2, 3, 5});
  EXPECT_EQ(odd.bits_per_sample, 768);
  EXPECT_EQ(odd.bits_fixed, 432);
  EXPECT_EQ(odd.bitops_per_sample, 35712);
}

TEST(Compression, UniformBaselineAgainstItselfIsExactlyOne) {
  Trace trace = small_trace();
  CompressionReport r = compute_compression(conv_step(), trace, plans_of(R"({"impl": "uniform"})", trace));
  EXPECT_EQ(r.policy.bits, r.baseline.bits);
  EXPECT_EQ(r.policy.bitops, r.baseline.bitops);
  EXPECT_EQ(compression_ratio(r.baseline.bits, r.policy.bits), 1.0);
  EXPECT_EQ(compression_ratio(r.baseline.bitops, r.policy.bitops), 1.0);
}

TEST(Compression, EverythingAtHalfTheBitsIsExactlyTwoAndFour) {
  // Every width halves: bits halve (linear), BitOPs quarter (bilinear), the
  // fixed weight terms included.
  Trace trace = small_trace();
  CompressionReport r = compute_compression(
      conv_step(), trace,
      plans_of(R"({"impl": "uniform", "precision": {"act_bits": 4, "weight_bits": 4, "grad_bits": 8}})", trace));
  EXPECT_EQ(compression_ratio(r.baseline.bits, r.policy.bits), 2.0);
  EXPECT_EQ(compression_ratio(r.baseline.bitops, r.policy.bitops), 4.0);
  for (const EpochCompression& e : r.epochs) EXPECT_EQ(compression_ratio(e.baseline.bits, e.policy.bits), 2.0);
}

// random_assignment on small_trace() (7 samples per epoch in iterations of 4
// and 3), L = 0 then 3: epoch 1 moves floor(3 * 4 / 7) = 1 sample of
// iteration 0 and 3 - 1 = 2 of iteration 1 to 4/4/8, whatever their classes.
// Epoch 1: 8/8/16 holds 3 + 1 = 4 samples in 2 sub-batches, 4/4/8 1 + 2 = 3 in 2:
//   bits   4 * 2560 + 2 * 1152 + 3 * 1280 + 2 * 576 = 17536
//   BitOPs 4 * 368640 + 3 * 92160 = 1751040
// Epoch 0 (all 8/8/16) is the baseline's: 7 * 2560 + 2 * 1152 = 20224 bits,
// 7 * 368640 = 2580480 BitOPs.
TEST(Compression, RandomAssignmentSplitsEachIterationBySamples) {
  Trace trace = small_trace();
  CompressionReport r = compute_compression(
      conv_step(), trace, plans_of(R"({"impl": "random_assignment", "low_samples_per_epoch": [0, 3]})", trace));
  EXPECT_EQ(r.epochs[0].policy.bits, 20224);
  EXPECT_EQ(r.epochs[1].policy.bits, 17536);
  EXPECT_EQ(r.epochs[1].policy.bitops, 1751040);
  EXPECT_EQ(r.policy.bits, 20224 + 17536);
  EXPECT_EQ(r.policy.bitops, 2580480 + 1751040);
  EXPECT_EQ(r.epochs[1].tier_samples, (std::vector<std::int64_t>{4, 3}));
  ASSERT_EQ(r.epochs[1].groups.size(), 2u);
  EXPECT_EQ(r.epochs[1].groups[1].samples, 3);
  EXPECT_EQ(r.epochs[1].groups[1].sub_batches, 2);
  // Class rows (tier 0, the trainer's tags) price their proportional share,
  // rounded down: class 2 has 3 samples in epoch 1, floor(3 * 3 / 7) = 1 at
  // 4/4/8: 2 * 2560 + 1280 = 6400; class 0 (2 samples) floor(6 / 7) = 0.
  EXPECT_EQ(r.class_epoch(1, 2).tier, 0);
  EXPECT_EQ(r.class_epoch(1, 2).policy.bits, 6400);
  EXPECT_EQ(r.class_epoch(1, 0).policy.bits, 2 * 2560);
}

TEST(Compression, TiersOfIdenticalPrecisionCountWeightsOnce) {
  // Both tiers at 8/8/16: one group per iteration, so exactly the baseline.
  Trace trace = small_trace();
  CompressionReport r = compute_compression(conv_step(), trace,
                                            plans_of(R"({"tiers": [
      {"name": "hard", "precision": {}}, {"name": "easy", "precision": {}, "min_accuracy": 0.9}]})",
                                                     trace));
  EXPECT_EQ(r.policy.bits, r.baseline.bits);
  EXPECT_EQ(r.epochs[1].groups.size(), 1u);
  EXPECT_EQ(r.epochs[1].tier_samples, (std::vector<std::int64_t>{2, 5}));
}

// The default class_difficulty policy (threshold 0.9) on small_trace():
// epoch 0 all hard; epoch 1 from epoch 0's accuracies 0.95, 0.5, 0.9 ->
// classes 0 and 2 easy (4/4/8), class 1 hard (8/8/16).
//
// Operand bits (n * bits_per_sample + bits_fixed per non-empty group):
//   epoch 0: it0 one group of 4: 4*2560 + 1152 = 11392
//            it1 one group of 3: 3*2560 + 1152 =  8832         -> 20224
//   epoch 1: it0 (1,2,1): hard 2: 2*2560 + 1152 = 6272
//                         easy 2: 2*1280 +  576 = 3136
//            it1 (1,0,2): hard empty (no group), easy 3: 3*1280 + 576 = 4416
//                                                              -> 13824
//   policy 34048; baseline 2 * 20224 = 40448;
//   FP32 per epoch (4*6144 + 4608) + (3*6144 + 4608) = 52224, total 104448.
// BitOPs: policy 7*368640 + (2*368640 + 5*92160) = 2580480 + 1198080 = 3778560;
//   baseline 14*368640 = 5160960; FP32 14*3538944 = 49545216.
// Ratios: bits 40448/34048 = 158/133 = 1.18797; BitOPs 5160960/3778560 = 56/41 = 1.36585.
TEST(Compression, HandComputedMixedPolicy) {
  Trace trace = small_trace();
  CompressionReport r = compute_compression(conv_step(), trace, plans_of("{}", trace));
  EXPECT_EQ(r.policy.bits, 34048);
  EXPECT_EQ(r.baseline.bits, 40448);
  EXPECT_EQ(r.fp32.bits, 104448);
  EXPECT_EQ(r.policy.bitops, 3778560);
  EXPECT_EQ(r.baseline.bitops, 5160960);
  EXPECT_EQ(r.fp32.bitops, 49545216);
  EXPECT_EQ(compression_ratio(r.baseline.bits, r.policy.bits), 158.0 / 133.0);
  EXPECT_EQ(compression_ratio(r.baseline.bitops, r.policy.bitops), 56.0 / 41.0);
  EXPECT_EQ(compression_ratio(r.fp32.bits, r.policy.bits), 104448.0 / 34048.0);
  EXPECT_EQ(compression_ratio(r.fp32.bits, r.baseline.bits), 204.0 / 79.0);  // 104448/40448

  ASSERT_EQ(r.epochs.size(), 2u);
  EXPECT_EQ(r.epochs[0].policy.bits, 20224);
  EXPECT_EQ(r.epochs[1].policy.bits, 13824);
  EXPECT_EQ(r.epochs[1].baseline.bits, 20224);
  EXPECT_EQ(r.epochs[1].policy.bitops, 1198080);
  EXPECT_EQ(r.epochs[1].fp32.bits, 52224);
}

TEST(Compression, SamplesPerTierAndPrecisionGroup) {
  // Epoch 0: every class in tier 0 (7 samples); the 4/4/8 group exists in the
  // plan but is empty. Epoch 1: hard = class 1 (2 samples, non-empty in it0
  // only), easy = classes 0 and 2 (2 + 3 = 5 samples, both iterations).
  Trace trace = small_trace();
  CompressionReport r = compute_compression(conv_step(), trace, plans_of("{}", trace));
  EXPECT_EQ(r.epochs[0].tier_samples, (std::vector<std::int64_t>{7, 0}));
  ASSERT_EQ(r.epochs[0].groups.size(), 2u);
  EXPECT_EQ(r.epochs[0].groups[0].samples, 7);
  EXPECT_EQ(r.epochs[0].groups[0].sub_batches, 2);
  EXPECT_EQ(r.epochs[0].groups[1].samples, 0);
  EXPECT_EQ(r.epochs[0].groups[1].sub_batches, 0);
  EXPECT_EQ(r.epochs[1].tier_samples, (std::vector<std::int64_t>{2, 5}));
  EXPECT_EQ(r.epochs[1].groups[0].precision, (Precision{8, 8, 16}));
  EXPECT_EQ(r.epochs[1].groups[0].samples, 2);
  EXPECT_EQ(r.epochs[1].groups[0].sub_batches, 1);
  EXPECT_EQ(r.epochs[1].groups[1].precision, (Precision{4, 4, 8}));
  EXPECT_EQ(r.epochs[1].groups[1].samples, 5);
  EXPECT_EQ(r.epochs[1].groups[1].sub_batches, 2);
}

TEST(Compression, PerClassFiguresCountPerSampleTermsOnly) {
  // Epoch 1: class 0 has 1 + 1 = 2 samples at 4/4/8: 2*1280 = 2560 bits,
  // 2*92160 = 184320 BitOPs; baseline 2*2560 = 5120 bits, 2*368640 = 737280.
  // Class 2: 1 + 2 = 3 samples: 3*1280 = 3840 bits. Class 1: 2 at 8/8/16: 5120.
  // Epoch 1's per-class policy bits 2560 + 5120 + 3840 = 11520 plus the fixed
  // terms 1152 (one hard group) + 2*576 (two easy groups) = 13824 = its total.
  Trace trace = small_trace();
  CompressionReport r = compute_compression(conv_step(), trace, plans_of("{}", trace));
  ASSERT_EQ(r.class_epochs.size(), 6u);
  const ClassEpochCompression& c0 = r.class_epoch(1, 0);
  EXPECT_EQ(c0.tier, 1);
  EXPECT_EQ(c0.samples, 2);
  EXPECT_EQ(c0.policy.bits, 2560);
  EXPECT_EQ(c0.policy.bitops, 184320);
  EXPECT_EQ(c0.baseline.bits, 5120);
  EXPECT_EQ(c0.baseline.bitops, 737280);
  EXPECT_EQ(c0.fp32.bits, 2 * 6144);
  EXPECT_EQ(r.class_epoch(1, 1).tier, 0);
  EXPECT_EQ(r.class_epoch(1, 1).policy.bits, 5120);
  EXPECT_EQ(r.class_epoch(1, 2).samples, 3);
  EXPECT_EQ(r.class_epoch(1, 2).policy.bits, 3840);
  EXPECT_EQ(r.class_epoch(0, 0).samples, 3);  // epoch 0: 2 + 1
  EXPECT_EQ(r.class_epoch(0, 0).policy.bits, 3 * 2560);
}

TEST(Compression, EpochRangeCountsOnlyThoseEpochs) {
  Trace trace = small_trace();
  CompressionReport r = compute_compression(conv_step(), trace, plans_of("{}", trace), Precision{}, EpochRange{1, 1});
  ASSERT_EQ(r.epochs.size(), 1u);
  EXPECT_EQ(r.epochs[0].epoch, 1);
  EXPECT_EQ(r.policy.bits, 13824);
  EXPECT_EQ(r.baseline.bits, 20224);
  EXPECT_EQ(r.class_epoch(0, 2).policy.bits, 3840);
}

TEST(Compression, OtherBaselinePrecision) {
  // Baseline 4/4/8 against the uniform 8/8/16 policy: ratios 0.5 and 0.25.
  Trace trace = small_trace();
  CompressionReport r =
      compute_compression(conv_step(), trace, plans_of(R"({"impl": "uniform"})", trace), Precision{4, 4, 8});
  EXPECT_EQ(r.baseline_precision, (Precision{4, 4, 8}));
  EXPECT_EQ(compression_ratio(r.baseline.bits, r.policy.bits), 0.5);
  EXPECT_EQ(compression_ratio(r.baseline.bitops, r.policy.bitops), 0.25);
}

TEST(Compression, RatioOfNothingIsNaN) { EXPECT_TRUE(std::isnan(compression_ratio(5, 0))); }

TEST(Compression, PlansMustMatchTheTrace) {
  Trace trace = small_trace();
  std::vector<EpochPlan> plans = plans_of("{}", trace);
  std::vector<EpochPlan> short_plans(plans.begin(), plans.begin() + 1);
  EXPECT_EQ(error_of([&] { compute_compression(conv_step(), trace, short_plans); }),
            "compression metrics: 1 epoch plans for a trace of 2 epochs");
  std::vector<EpochPlan> bad = plans;
  bad[1].class_tier.pop_back();
  EXPECT_EQ(error_of([&] { compute_compression(conv_step(), trace, bad); }),
            "compression metrics: plan of epoch 1: 2 class entries for a trace of 3 classes");
  bad = plans;
  bad[1].class_tier[0] = 2;
  EXPECT_EQ(error_of([&] { compute_compression(conv_step(), trace, bad); }),
            "compression metrics: plan of epoch 1: tier index 2 outside [0, 2)");
  bad = plans;
  bad[0].tiers.clear();
  EXPECT_EQ(error_of([&] { compute_compression(conv_step(), trace, bad); }),
            "compression metrics: plan of epoch 0: no tiers");
  EXPECT_EQ(error_of([&] {
              compute_compression(conv_step(), trace, plans, Precision{}, EpochRange{1, 2});
            }),
            "compression metrics: epochs [1, 3) are not within the trace's 2 epochs");
}

TEST(Compression, OverflowIsAnError) {
  // 2^62 elements per sample x 8 bits overflows the per-sample coefficient.
  TrainingStep step = conv_step();
  step.gemms[0].a.elements_per_sample = std::int64_t{1} << 62;
  EXPECT_EQ(error_of([&] { precision_cost(step, Precision{}); }),
            "compression metrics: operand bits overflow 64-bit integers; the workload is too large to count exactly");
  // 2^56 MACs per sample of bwd_data (gradient x weight: 16 x 8 = 2^7) = 2^63 BitOPs.
  TrainingStep big = conv_step();
  big.gemms[1].m = std::int64_t{1} << 56;
  big.gemms[1].k = 1;
  big.gemms[1].n = 1;
  EXPECT_EQ(error_of([&] { precision_cost(big, Precision{}); }),
            "compression metrics: BitOPs overflow 64-bit integers; the workload is too large to count exactly");
}

// A CIFAR-10-sized run: 200 epochs x 391 iterations (390 of 128 = 13 x 8
// classes + 12 x 2 classes, the last of 80 = 8 x 10) of 10 classes, a 59-GEMM
// step. Classes 0..4 reach 0.95 and 5..9 stay at 0.5, so from epoch 1 on the
// hard tier holds classes 5..9: per epoch 390*(13*3 + 12*2) + 80/10*5 = 24610
// samples, the easy one 50000 - 24610 = 25390; both groups are non-empty in
// all 391 iterations. Closed form per epoch >= 1:
//   24610 bps(H) + 391 bfx(H) + 25390 bps(E) + 391 bfx(E),  epoch 0 = baseline epoch.
TEST(Compression, FullTraceMatchesTheClosedFormInMilliseconds) {
  Trace trace;
  for (int c = 0; c < 10; ++c) trace.class_names.push_back("c" + std::to_string(c));
  trace.batch_size = 128;
  trace.iterations_per_epoch = 391;
  trace.train_samples_per_epoch = 50000;
  TraceEpoch epoch;
  epoch.train_accuracy = {0.95, 0.95, 0.95, 0.95, 0.95, 0.5, 0.5, 0.5, 0.5, 0.5};
  for (int i = 0; i < 390; ++i) {
    for (int c = 0; c < 10; ++c) epoch.class_counts.push_back(c < 8 ? 13 : 12);
  }
  for (int c = 0; c < 10; ++c) epoch.class_counts.push_back(8);
  trace.epochs.assign(200, epoch);

  TrainingStep step;
  for (int layer = 0; layer < 20; ++layer) {
    step.gemms.push_back(gemm(Phase::fwd, 1024, 144, 16, {Role::activation, 16384, 0}, {Role::weight, 0, 2304}));
    if (layer > 0) {
      step.gemms.push_back(gemm(Phase::bwd_data, 1024, 144, 16, {Role::gradient, 16384, 0}, {Role::weight, 0, 2304}));
    }
    step.gemms.push_back(gemm(Phase::wgrad, 16, 1024, 144, {Role::gradient, 16384, 0}, {Role::activation, 16384, 0}));
  }
  ASSERT_EQ(step.gemms.size(), 59u);

  std::vector<EpochPlan> plans = plans_of("{}", trace);
  auto start = std::chrono::steady_clock::now();
  CompressionReport r = compute_compression(step, trace, plans);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ timing   ] 200 epochs x 391 iterations x 10 classes: " << ms << " ms\n";

  PrecisionCost h = precision_cost(step, Precision{8, 8, 16});
  PrecisionCost e = precision_cost(step, Precision{4, 4, 8});
  const std::int64_t baseline_epoch = 50000 * h.bits_per_sample + 391 * h.bits_fixed;
  const std::int64_t mixed_epoch =
      24610 * h.bits_per_sample + 391 * h.bits_fixed + 25390 * e.bits_per_sample + 391 * e.bits_fixed;
  EXPECT_EQ(r.baseline.bits, 200 * baseline_epoch);
  EXPECT_EQ(r.policy.bits, baseline_epoch + 199 * mixed_epoch);
  EXPECT_EQ(r.policy.bitops,
            50000 * h.bitops_per_sample + 199 * (24610 * h.bitops_per_sample + 25390 * e.bitops_per_sample));
  EXPECT_EQ(r.epochs[7].tier_samples, (std::vector<std::int64_t>{24610, 25390}));
  EXPECT_EQ(r.class_epoch(7, 9).samples, 390 * 12 + 8);
  EXPECT_LT(ms, 1000.0);  // a few ms in Release; generous for sanitizer builds
}

}  // namespace
}  // namespace qtsim
