// The lowering of a training step: GEMM shapes, order and counts for the
// shipped ResNet-20s, and every vector op and stash entry of a small network,
// all derived by hand in the comments.
#include "workloads/lowering/training_step.h"

#include <map>

#include <gtest/gtest.h>

#include "workloads/network/network_parser.h"

namespace qtsim {
namespace {

Network parse(const char* text) {
  Json doc = Json::parse(text);
  return parse_network(JsonNode(doc, "net.json"));
}

const GemmSpec& gemm_of(const TrainingStep& step, const std::string& layer, Phase phase) {
  for (const GemmSpec& g : step.gemms) {
    if (g.layer == layer && g.phase == phase) return g;
  }
  throw std::runtime_error("no gemm " + layer + " " + to_string(phase));
}

std::string shape_of(const GemmSpec& g, std::int64_t samples) {
  GemmShape s = g.shape(samples);
  return std::to_string(s.m) + "x" + std::to_string(s.k) + "x" + std::to_string(s.n);
}

std::int64_t total(const TrainingStep& step, VectorOp op, bool fixed = false) {
  std::int64_t sum = 0;
  for (const VectorSpec& v : step.vector_ops) {
    if (v.op == op) sum += fixed ? v.elements_fixed : v.elements_per_sample;
  }
  return sum;
}

// --- ResNet-20 -----------------------------------------------------------

TEST(LoweringResnet20, GemmCountIsThreePerLayerLessOne) {
  // L conv/fc layers give L fwd + L wgrad + (L - 1) bwd_data (not conv1): 3L - 1.
  TrainingStep a = lower_training_step(load_network("builtin:resnet20_cifar10"));
  EXPECT_EQ(a.gemms.size(), 59u);  // L = 20
  TrainingStep b = lower_training_step(load_network("builtin:resnet20_cifar10_option_b"));
  EXPECT_EQ(b.gemms.size(), 65u);  // L = 22
  for (const GemmSpec& g : a.gemms) EXPECT_FALSE(g.layer == "conv1" && g.phase == Phase::bwd_data);
}

TEST(LoweringResnet20, DeeperResnetsLowerToEighteenNPlusFiveGemms) {
  // ResNet-(6n+2) option A has L = 6n + 1 convs + 1 fc, hence 3L - 1 = 18n + 5 GEMMs per group; the
  // lowering's parameters are the network's: 97,216n - 21,926 (network_test.cpp, "closed forms").
  for (const auto& [ref, n] : std::map<std::string, std::int64_t>{{"builtin:resnet32_cifar10", 5},
                                                                  {"builtin:resnet44_cifar10", 7},
                                                                  {"builtin:resnet56_cifar10", 9},
                                                                  {"builtin:resnet110_cifar10", 18}}) {
    TrainingStep step = lower_training_step(load_network(ref));
    EXPECT_EQ(static_cast<std::int64_t>(step.gemms.size()), 18 * n + 5) << ref;
    EXPECT_EQ(step.parameters, 97216 * n - 21926) << ref;
  }
}

TEST(LoweringResnet20, BwdDataMacsEqualFwdMacsForEveryLayer) {
  for (const std::string& ref : builtin_network_refs()) {
    Network net = load_network(ref);
    TrainingStep step = lower_training_step(net);
    int col2im = 0;
    for (const GemmSpec& g : step.gemms) {
      if (g.phase != Phase::bwd_data) continue;
      EXPECT_EQ(g.macs_per_sample(), gemm_of(step, g.layer, Phase::fwd).macs_per_sample()) << ref << " " << g.layer;
      EXPECT_EQ(g.macs_per_sample(), gemm_of(step, g.layer, Phase::wgrad).macs_per_sample()) << ref << " " << g.layer;
      col2im += g.col2im ? 1 : 0;
    }
    // The strided convs: layer2.0.conv1 and layer3.0.conv1, plus option B's two 1x1 projections.
    EXPECT_EQ(col2im, ref == "builtin:resnet20_cifar10_option_b" ? 4 : 2) << ref;
    EXPECT_EQ(step.macs_per_sample(Phase::fwd), net.forward_macs_per_sample()) << ref;
  }
}

TEST(LoweringResnet20, TotalMacsPerImage) {
  // fwd and wgrad 40,551,040 each; bwd_data the same less conv1's 442,368:
  // 3 * 40,551,040 - 442,368 = 121,210,752.
  TrainingStep step = lower_training_step(load_network("builtin:resnet20_cifar10"));
  EXPECT_EQ(step.macs_per_sample(Phase::bwd_data), 40551040 - 442368);
  EXPECT_EQ(step.macs_per_sample(), 121210752);
  EXPECT_EQ(step.parameters, 269722);
}

TEST(LoweringResnet20, StrideTwoConvOfStageTwoAtFourSamples) {
  // layer2.0.conv1: 16x32x32 -> 32x16x16, 3x3, stride 2; n = 4:
  //   fwd      M = 4*16*16 = 1024, K = 16*9 = 144, N = 32
  //   bwd_data col2im: M = 1024, K = Cout = 32, N = Cin*9 = 144
  //   wgrad    M = 32, K = 1024, N = 144
  // operands: input 16*32*32 = 16,384, output 32*16*16 = 8,192 per sample,
  // weights 32*16*9 = 4,608; col2im scatters 256*144 = 36,864 per sample.
  TrainingStep step = lower_training_step(load_network("builtin:resnet20_cifar10"));
  const GemmSpec& fwd = gemm_of(step, "layer2.0.conv1", Phase::fwd);
  const GemmSpec& data = gemm_of(step, "layer2.0.conv1", Phase::bwd_data);
  const GemmSpec& wgrad = gemm_of(step, "layer2.0.conv1", Phase::wgrad);
  EXPECT_EQ(shape_of(fwd, 4), "1024x144x32");
  EXPECT_EQ(shape_of(data, 4), "1024x32x144");
  EXPECT_TRUE(data.col2im);
  EXPECT_EQ(shape_of(wgrad, 4), "32x1024x144");
  EXPECT_EQ(wgrad.batch_dim, GemmSpec::BatchDim::k);
  EXPECT_EQ(fwd.a.role, Role::activation);
  EXPECT_EQ(fwd.a.elements(4), 4 * 16384);
  EXPECT_EQ(fwd.b.role, Role::weight);
  EXPECT_EQ(fwd.b.elements(4), 4608);
  EXPECT_EQ(data.a.role, Role::gradient);
  EXPECT_EQ(data.a.elements(4), 4 * 8192);
  EXPECT_EQ(data.b.role, Role::weight);
  EXPECT_EQ(wgrad.a.role, Role::gradient);
  EXPECT_EQ(wgrad.a.elements_per_sample, 8192);
  EXPECT_EQ(wgrad.b.role, Role::activation);
  EXPECT_EQ(wgrad.b.elements_per_sample, 16384);
  std::int64_t col2im = 0;
  for (const VectorSpec& v : step.vector_ops) {
    if (v.op == VectorOp::col2im && v.layer == "layer2.0.conv1") col2im += v.elements(4);
  }
  EXPECT_EQ(col2im, 4 * 36864);
}

TEST(LoweringResnet20, StrideOneConvAndFcAtFourSamples) {
  // layer2.1.conv1: 32x16x16 -> 32x16x16, stride 1, direct bwd_data:
  //   M = 4*256 = 1024, K = Cout*9 = 288, N = Cin = 32.
  // fc 64 -> 10: fwd 4x64x10, bwd_data 4x10x64, wgrad 10x4x64.
  TrainingStep step = lower_training_step(load_network("builtin:resnet20_cifar10"));
  EXPECT_EQ(shape_of(gemm_of(step, "layer2.1.conv1", Phase::fwd), 4), "1024x288x32");
  EXPECT_EQ(shape_of(gemm_of(step, "layer2.1.conv1", Phase::bwd_data), 4), "1024x288x32");
  EXPECT_FALSE(gemm_of(step, "layer2.1.conv1", Phase::bwd_data).col2im);
  EXPECT_EQ(shape_of(gemm_of(step, "fc", Phase::fwd), 4), "4x64x10");
  EXPECT_EQ(shape_of(gemm_of(step, "fc", Phase::bwd_data), 4), "4x10x64");
  EXPECT_EQ(shape_of(gemm_of(step, "fc", Phase::wgrad), 4), "10x4x64");
}

TEST(LoweringResnet20, OptionBProjectionAtFourSamples) {
  // layer2.0.shortcut.conv: 1x1, 16x32x32 -> 32x16x16, stride 2:
  //   fwd M = 1024, K = 16, N = 32; bwd_data (col2im) M = 1024, K = 32, N = 16.
  // It reads the same tensor as layer2.0.conv1 (layer1.2.relu2): quantized
  // and stashed once, by layer2.0.conv1.
  TrainingStep step = lower_training_step(load_network("builtin:resnet20_cifar10_option_b"));
  EXPECT_EQ(shape_of(gemm_of(step, "layer2.0.shortcut.conv", Phase::fwd), 4), "1024x16x32");
  EXPECT_EQ(shape_of(gemm_of(step, "layer2.0.shortcut.conv", Phase::bwd_data), 4), "1024x32x16");
  int activation_quantizes = 0, weight_quantizes = 0;
  for (const VectorSpec& v : step.vector_ops) {
    if (v.layer != "layer2.0.shortcut.conv" || v.op != VectorOp::quantize) continue;
    activation_quantizes += v.role == Role::activation ? 1 : 0;
    weight_quantizes += v.role == Role::weight ? 1 : 0;
  }
  EXPECT_EQ(activation_quantizes, 0);
  EXPECT_EQ(weight_quantizes, 1);
  for (const StashSpec& s : step.stash) EXPECT_NE(s.layer, "layer2.0.shortcut.conv");
}

TEST(LoweringResnet20, OrderIsForwardThenBackwardInReverse) {
  // 20 fwd GEMMs in layer order, then fc (bwd_data, wgrad), ..., conv1 wgrad.
  TrainingStep step = lower_training_step(load_network("builtin:resnet20_cifar10"));
  EXPECT_EQ(step.gemms[0].layer, "conv1");
  EXPECT_EQ(step.gemms[19].layer, "fc");
  EXPECT_EQ(step.gemms[19].phase, Phase::fwd);
  EXPECT_EQ(step.gemms[20].layer, "fc");
  EXPECT_EQ(step.gemms[20].phase, Phase::bwd_data);
  EXPECT_EQ(step.gemms[21].phase, Phase::wgrad);
  EXPECT_EQ(step.gemms[22].layer, "layer3.2.conv2");
  EXPECT_EQ(step.gemms[57].layer, "layer1.0.conv1");
  EXPECT_EQ(step.gemms[57].phase, Phase::wgrad);
  EXPECT_EQ(step.gemms[58].layer, "conv1");
  EXPECT_EQ(step.gemms[58].phase, Phase::wgrad);
}

TEST(LoweringResnet20, GradientFanInAndParameterWork) {
  // The 9 block inputs each feed conv1 and the add (or shortcut_pad): one
  // add_bwd of the block input's size each:
  //   stage 1 and layer2.0: 4 x 16*32*32 = 65,536; layer2.1, 2.2, 3.0: 3 x 8,192 = 24,576;
  //   layer3.1, 3.2: 2 x 4,096 = 8,192; total 98,304 per sample.
  // grad_accumulate covers every parameter once; sgd_momentum all of them.
  TrainingStep step = lower_training_step(load_network("builtin:resnet20_cifar10"));
  EXPECT_EQ(total(step, VectorOp::add_bwd), 98304);
  EXPECT_EQ(total(step, VectorOp::grad_accumulate, true), 269722);
  EXPECT_EQ(total(step, VectorOp::sgd_momentum, true), 269722);
  EXPECT_EQ(total(step, VectorOp::bias_grad), 10);  // only the fc has a bias
}

// --- A small network: every vector op and stash entry --------------------

// input 2x6x6 (72)
//  0 c1 conv 2->4 k3 s1 p1      4x6x6 (144)  weights 72           (reads the input: no bwd_data)
//  1 r1 relu                    4x6x6        read by c2 and a1: fan-in 2
//  2 c2 conv 4->4 k3 s1 p1 bias 4x6x6        weights 144, params 148 (direct bwd_data)
//  3 b2 batch_norm              4x6x6        params 8
//  4 a1 add(b2, r1)             4x6x6        read by c3 and s: fan-in 2
//  5 c3 conv 4->8 k3 s2 p1      8x3x3 (72)   weights 288           (col2im bwd_data)
//  6 s  shortcut_pad -> 8       8x3x3
//  7 a2 add(c3, s)              8x3x3
//  8 p  global_avg_pool         8x1x1
//  9 fc 8->3 bias               3x1x1        weights 24, params 27
// 10 loss
// params 72 + 148 + 8 + 288 + 27 = 543; fwd MACs 36*72 + 36*144 + 9*288 + 24 = 10,392.
const char* const kSmall = R"({
  "name": "small", "input": {"channels": 2, "height": 6, "width": 6}, "num_classes": 3,
  "layers": [
    {"name": "c1", "type": "conv", "inputs": ["input"], "out_channels": 4, "kernel": 3, "padding": 1},
    {"name": "r1", "type": "relu", "inputs": ["c1"]},
    {"name": "c2", "type": "conv", "inputs": ["r1"], "out_channels": 4, "kernel": 3, "padding": 1, "bias": true},
    {"name": "b2", "type": "batch_norm", "inputs": ["c2"]},
    {"name": "a1", "type": "add", "inputs": ["b2", "r1"]},
    {"name": "c3", "type": "conv", "inputs": ["a1"], "out_channels": 8, "kernel": 3, "stride": 2, "padding": 1},
    {"name": "s", "type": "shortcut_pad", "inputs": ["a1"], "out_channels": 8},
    {"name": "a2", "type": "add", "inputs": ["c3", "s"]},
    {"name": "p", "type": "global_avg_pool", "inputs": ["a2"]},
    {"name": "fc", "type": "fully_connected", "inputs": ["p"], "out_features": 3},
    {"name": "loss", "type": "softmax_cross_entropy", "inputs": ["fc"]}
  ]
})";

std::string describe(const GemmSpec& g) {
  return g.layer + " " + to_string(g.phase) + " " + std::to_string(g.m) + "x" + std::to_string(g.k) + "x" +
         std::to_string(g.n) + (g.batch_dim == GemmSpec::BatchDim::m ? " m" : " k") + (g.col2im ? " col2im" : "") +
         " a=" + to_string(g.a.role) + ":" + std::to_string(g.a.elements_per_sample) + "/" +
         std::to_string(g.a.elements_fixed) + " b=" + to_string(g.b.role) + ":" +
         std::to_string(g.b.elements_per_sample) + "/" + std::to_string(g.b.elements_fixed);
}

std::string describe(const VectorSpec& v) {
  std::string s = v.layer + " " + to_string(v.phase) + " " + to_string(v.op);
  if (v.op == VectorOp::quantize) s += std::string(" ") + to_string(v.role);
  return s + " " + std::to_string(v.elements_per_sample) + "/" + std::to_string(v.elements_fixed);
}

TEST(LoweringSmall, GemmsByHand) {
  // Per sample (batch dimension given for n = 1); a/b = role:per_sample/fixed.
  // fc bwd_data M=1 K=3 N=8; c3 bwd_data col2im M=9 K=8 N=36 (9*8*36 = 2,592 = fwd);
  // c2 bwd_data direct M=36 K=36 N=4 (5,184 = fwd); wgrad M=Cout K=Ho*Wo N=Cin*9.
  TrainingStep step = lower_training_step(parse(kSmall));
  std::vector<std::string> got;
  for (const GemmSpec& g : step.gemms) got.push_back(describe(g));
  EXPECT_EQ(got, (std::vector<std::string>{
                     "c1 fwd 36x18x4 m a=activation:72/0 b=weight:0/72",
                     "c2 fwd 36x36x4 m a=activation:144/0 b=weight:0/144",
                     "c3 fwd 9x36x8 m a=activation:144/0 b=weight:0/288",
                     "fc fwd 1x8x3 m a=activation:8/0 b=weight:0/24",
                     "fc bwd_data 1x3x8 m a=gradient:3/0 b=weight:0/24",
                     "fc wgrad 3x1x8 k a=gradient:3/0 b=activation:8/0",
                     "c3 bwd_data 9x8x36 m col2im a=gradient:72/0 b=weight:0/288",
                     "c3 wgrad 8x9x36 k a=gradient:72/0 b=activation:144/0",
                     "c2 bwd_data 36x36x4 m a=gradient:144/0 b=weight:0/144",
                     "c2 wgrad 4x36x36 k a=gradient:144/0 b=activation:144/0",
                     "c1 wgrad 4x36x18 k a=gradient:144/0 b=activation:72/0",
                 }));
  EXPECT_EQ(step.parameters, 543);
  EXPECT_EQ(step.macs_per_sample(Phase::fwd), 10392);
  EXPECT_EQ(shape_of(step.gemms[7], 5), "8x45x36");  // c3 wgrad: K = 5 * 9
}

TEST(LoweringSmall, VectorOpsByHand) {
  // elements per sample / fixed. Forward, layer order: quantize each GEMM
  // input once and its weights; element-wise ops on their input (add,
  // shortcut_pad: output). Backward, reverse order: fan-in sums
  // ((readers - 1) x output) first, the gradient quantize (c1 has no
  // bwd_data, so its quantize is in wgrad), col2im = Ho*Wo*Cin*9 = 9*36 = 324,
  // bias_grad over the output, grad_accumulate of the layer's parameters;
  // no relu/pool/pad backward into a tensor that needs no gradient (none
  // here: c1 has parameters). Then one sgd_momentum over all 543.
  TrainingStep step = lower_training_step(parse(kSmall));
  std::vector<std::string> got;
  for (const VectorSpec& v : step.vector_ops) got.push_back(describe(v));
  EXPECT_EQ(got, (std::vector<std::string>{
                     "c1 fwd quantize activation 72/0",
                     "c1 fwd quantize weight 0/72",
                     "r1 fwd relu_fwd 144/0",
                     "c2 fwd quantize activation 144/0",
                     "c2 fwd quantize weight 0/144",
                     "b2 fwd batch_norm_fwd 144/0",
                     "a1 fwd add_fwd 144/0",
                     "c3 fwd quantize activation 144/0",
                     "c3 fwd quantize weight 0/288",
                     "s fwd shortcut_pad_fwd 72/0",
                     "a2 fwd add_fwd 72/0",
                     "p fwd pool_fwd 72/0",
                     "fc fwd quantize activation 8/0",
                     "fc fwd quantize weight 0/24",
                     "loss fwd softmax_ce_fwd 3/0",
                     "loss bwd_data softmax_ce_bwd 3/0",
                     "fc bwd_data quantize gradient 3/0",
                     "fc wgrad bias_grad 3/0",
                     "fc wgrad grad_accumulate 0/27",
                     "p bwd_data pool_bwd 72/0",
                     "s bwd_data shortcut_pad_bwd 144/0",
                     "c3 bwd_data quantize gradient 72/0",
                     "c3 bwd_data col2im 324/0",
                     "c3 wgrad grad_accumulate 0/288",
                     "a1 bwd_data add_bwd 144/0",
                     "b2 bwd_data batch_norm_bwd 144/0",
                     "b2 wgrad grad_accumulate 0/8",
                     "c2 bwd_data quantize gradient 144/0",
                     "c2 wgrad bias_grad 144/0",
                     "c2 wgrad grad_accumulate 0/148",
                     "r1 bwd_data add_bwd 144/0",
                     "r1 bwd_data relu_bwd 144/0",
                     "c1 wgrad quantize gradient 144/0",
                     "c1 wgrad grad_accumulate 0/72",
                     " update sgd_momentum 0/543",
                 }));
  EXPECT_EQ(step.vector_ops[0].elements(5), 360);
  EXPECT_EQ(step.vector_ops.back().elements(5), 543);  // once per iteration, whatever the samples
}

TEST(LoweringSmall, StashByHand) {
  // Saved in forward for backward: each GEMM input at bA (c1: the network
  // input, 72; c2: r1, 144; c3: a1, 144; fc: p, 8), the batch norm input at
  // bA (c2's output, 144), relu masks at 1 bit (144), the softmax output in
  // FP32 (3). At bA = 4: 4*(72+144+144+144+8) + 144 + 32*3 = 2,048 + 144 + 96 = 2,288 bits.
  TrainingStep step = lower_training_step(parse(kSmall));
  std::vector<std::string> got;
  std::int64_t bits = 0;
  const std::map<StashSpec::Format, std::string> names = {{StashSpec::Format::activation_bits, "act"},
                                                          {StashSpec::Format::mask_1bit, "mask"},
                                                          {StashSpec::Format::fp32, "fp32"}};
  for (const StashSpec& s : step.stash) {
    got.push_back(s.layer + " " + names.at(s.format) + " " + std::to_string(s.elements_per_sample));
    bits += s.bits_per_sample(4);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"c1 act 72", "r1 mask 144", "c2 act 144", "b2 act 144", "c3 act 144",
                                           "fc act 8", "loss fp32 3"}));
  EXPECT_EQ(bits, 2288);
}

TEST(LoweringSmall, NoGradientForParameterFreeTensors) {
  // relu on the input, then a 1x1 conv 1->2 (4x4), pool, fc 2->2, loss: the
  // relu output depends on no parameter, so neither the conv's bwd_data nor
  // relu_bwd (nor its mask) exists: 3 * 2 - 1 = 5 GEMMs.
  TrainingStep step = lower_training_step(parse(R"({
    "name": "n", "input": {"channels": 1, "height": 4, "width": 4}, "num_classes": 2,
    "layers": [
      {"name": "r", "type": "relu", "inputs": ["input"]},
      {"name": "c", "type": "conv", "inputs": ["r"], "out_channels": 2, "kernel": 1},
      {"name": "p", "type": "global_avg_pool", "inputs": ["c"]},
      {"name": "fc", "type": "fully_connected", "inputs": ["p"], "out_features": 2},
      {"name": "loss", "type": "softmax_cross_entropy", "inputs": ["fc"]}
    ]})"));
  EXPECT_EQ(step.gemms.size(), 5u);
  for (const GemmSpec& g : step.gemms) EXPECT_FALSE(g.layer == "c" && g.phase == Phase::bwd_data);
  EXPECT_EQ(total(step, VectorOp::relu_fwd), 16);
  EXPECT_EQ(total(step, VectorOp::relu_bwd), 0);
  for (const StashSpec& s : step.stash) EXPECT_NE(s.format, StashSpec::Format::mask_1bit);
}

// --- Max pooling -----------------------------------------------------------

// input 2x6x6 (72)
//   c1 conv 2->4 k3 p1  4x6x6 (144)   r1 relu
//   m  max_pool k3 s2 p1: (6 + 2 - 3) / 2 + 1 = 3 -> 4x3x3 (36); 9-element windows
//   c2 conv 4->4 k1     4x3x3 (36)    p global_avg_pool 4    fc 4->3    loss
TEST(LoweringMaxPool, ReadsEveryWindowAndStashesTheArgmax) {
  TrainingStep step = lower_training_step(parse(R"({
    "name": "mp", "input": {"channels": 2, "height": 6, "width": 6}, "num_classes": 3,
    "layers": [
      {"name": "c1", "type": "conv", "inputs": ["input"], "out_channels": 4, "kernel": 3, "padding": 1},
      {"name": "r1", "type": "relu", "inputs": ["c1"]},
      {"name": "m", "type": "max_pool", "inputs": ["r1"], "kernel": 3, "stride": 2, "padding": 1},
      {"name": "c2", "type": "conv", "inputs": ["m"], "out_channels": 4, "kernel": 1},
      {"name": "p", "type": "global_avg_pool", "inputs": ["c2"]},
      {"name": "fc", "type": "fully_connected", "inputs": ["p"], "out_features": 3},
      {"name": "loss", "type": "softmax_cross_entropy", "inputs": ["fc"]}
    ]})"));
  EXPECT_EQ(step.gemms.size(), 8u);  // L = 3 GEMM layers: 3L - 1, pooling adds none
  // Forward: 36 outputs x 9 window elements = 324; backward writes the 144-element input gradient.
  std::int64_t fwd = 0, bwd = 0;
  for (const VectorSpec& v : step.vector_ops) {
    if (v.layer != "m") continue;
    fwd += v.op == VectorOp::pool_fwd && v.phase == Phase::fwd ? v.elements_per_sample : 0;
    bwd += v.op == VectorOp::pool_bwd && v.phase == Phase::bwd_data ? v.elements_per_sample : 0;
  }
  EXPECT_EQ(fwd, 324);
  EXPECT_EQ(bwd, 144);
  // Stash: c1's input at bA (72), r1's mask (144), m's argmax at ceil(log2 9) = 4 bits (36), c2's
  // input at bA (36), fc's (4), the softmax in FP32 (3). At bA = 4:
  // 4*72 + 144 + 4*36 + 4*36 + 4*4 + 32*3 = 288 + 144 + 144 + 144 + 16 + 96 = 832 bits.
  std::vector<std::string> got;
  std::int64_t bits = 0;
  for (const StashSpec& s : step.stash) {
    got.push_back(s.layer + " " + std::to_string(s.elements_per_sample) + "x" + std::to_string(s.bits_per_sample(4)));
    bits += s.bits_per_sample(4);
  }
  EXPECT_EQ(got,
            (std::vector<std::string>{"c1 72x288", "r1 144x144", "m 36x144", "c2 36x144", "fc 4x16", "loss 3x96"}));
  EXPECT_EQ(step.stash[2].format, StashSpec::Format::pool_index);
  EXPECT_EQ(step.stash[2].index_bits, 4);
  EXPECT_EQ(bits, 832);
}

TEST(LoweringMaxPool, NoBackwardIntoTheNetworkInput) {
  // max_pool k2 (stride 2) on the 1x4x4 input: 1x2x2, 4 outputs x 4 window elements = 16 read; its
  // input needs no gradient, so no pool_bwd and no argmax stash (2 bits each would be 8 bits).
  TrainingStep step = lower_training_step(parse(R"({
    "name": "n", "input": {"channels": 1, "height": 4, "width": 4}, "num_classes": 2,
    "layers": [
      {"name": "m", "type": "max_pool", "inputs": ["input"], "kernel": 2},
      {"name": "c", "type": "conv", "inputs": ["m"], "out_channels": 2, "kernel": 1},
      {"name": "p", "type": "global_avg_pool", "inputs": ["c"]},
      {"name": "fc", "type": "fully_connected", "inputs": ["p"], "out_features": 2},
      {"name": "loss", "type": "softmax_cross_entropy", "inputs": ["fc"]}
    ]})"));
  std::int64_t fwd = 0, bwd = 0;
  for (const VectorSpec& v : step.vector_ops) {
    if (v.layer != "m") continue;
    fwd += v.op == VectorOp::pool_fwd ? v.elements_per_sample : 0;
    bwd += v.op == VectorOp::pool_bwd ? v.elements_per_sample : 0;
  }
  EXPECT_EQ(fwd, 16);
  EXPECT_EQ(bwd, 0);
  for (const StashSpec& s : step.stash) EXPECT_NE(s.format, StashSpec::Format::pool_index);
}

TEST(Lowering, NamesAndBits) {
  EXPECT_STREQ(to_string(Phase::bwd_data), "bwd_data");
  EXPECT_STREQ(to_string(Phase::update), "update");
  EXPECT_STREQ(to_string(Role::gradient), "gradient");
  EXPECT_STREQ(to_string(VectorOp::shortcut_pad_bwd), "shortcut_pad_bwd");
  EXPECT_STREQ(to_string(VectorOp::sgd_momentum), "sgd_momentum");
  StashSpec s;
  s.elements_per_sample = 10;
  s.format = StashSpec::Format::activation_bits;
  EXPECT_EQ(s.bits_per_sample(6), 60);
  s.format = StashSpec::Format::mask_1bit;
  EXPECT_EQ(s.bits_per_sample(6), 10);
  s.format = StashSpec::Format::fp32;
  EXPECT_EQ(s.bits_per_sample(6), 320);
  s.format = StashSpec::Format::pool_index;
  s.index_bits = 3;
  EXPECT_EQ(s.bits_per_sample(6), 30);
  GemmSpec g;
  g.m = 2;
  g.k = 3;
  g.n = 5;
  g.batch_dim = GemmSpec::BatchDim::m;
  EXPECT_EQ(g.shape(7).macs(), 14 * 3 * 5);
  g.batch_dim = GemmSpec::BatchDim::k;
  EXPECT_EQ(g.shape(7).k, 21);
  EXPECT_EQ(g.shape(7).m, 2);
}

}  // namespace
}  // namespace qtsim
