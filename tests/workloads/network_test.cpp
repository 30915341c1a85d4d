// Network descriptions: the shipped ResNet figures (derived by hand below),
// shape inference, the JSON round trip, and one test per validation rule of
// the parser, each checking the exact message.
#include "workloads/network/network.h"

#include <map>

#include <gtest/gtest.h>

#include "tests/unit/test_util.h"
#include "workloads/network/network_parser.h"

namespace qtsim {
namespace {

using test::error_of;
using test::source_path;

// The shipped networks as builtin_network_refs() lists them: sorted as strings.
const char* const kAllBuiltins =
    "builtin:resnet110_cifar10, builtin:resnet20_cifar10, builtin:resnet20_cifar10_option_b, "
    "builtin:resnet20_fashion_mnist, builtin:resnet32_cifar10, builtin:resnet44_cifar10, builtin:resnet56_cifar10";

const Layer& layer_named(const Network& net, const std::string& name) {
  for (const Layer& layer : net.layers) {
    if (layer.name == name) return layer;
  }
  throw std::runtime_error("no layer " + name);
}

// --- The shipped networks -------------------------------------------------
//
// Conv MACs per image = Ho*Wo*Cout*Cin*9, params = Cout*Cin*9 (3x3, no bias).
// ResNet-20, CIFAR-10, option A:
//   conv1 3->16 @32x32:          1024*16*3*9   =    442,368 MACs,     432 params
//   stage 1: 6 x 16->16 @32x32:  6*1024*2,304  = 14,155,776,        13,824
//   stage 2: 16->32 s2 @16x16:   256*4,608     =  1,179,648,         4,608
//            5 x 32->32 @16x16:  5*256*9,216   = 11,796,480,        46,080
//   stage 3: 32->64 s2 @8x8:     64*18,432     =  1,179,648,        18,432
//            5 x 64->64 @8x8:    5*64*36,864   = 11,796,480,       184,320
//   fc 64->10 (+10 bias):        640           =        640,           650
//   batch norm, 2 per channel: 2*(16 + 6*16 + 6*32 + 6*64) = 1,376 params
//   total: 40,551,040 MACs; 267,696 + 650 + 1,376 = 269,722 params.
// Option B adds two 1x1 stride-2 projections and their batch norms:
//   16->32 @16x16: 256*512 = 131,072 MACs, 512 + 64 params
//   32->64 @8x8:   64*2,048 = 131,072 MACs, 2,048 + 128 params
//   total: 40,813,184 MACs, 272,474 params.
// Fashion-MNIST (1x28x28, option A): every stage's positions scale by
// 784/1024 (28x28, 14x14, 7x7): the 18 block convs give
// (40,551,040 - 442,368 - 640) * 784/1024 = 30,707,712 MACs; conv1 1->16 is
// 784*16*9 = 112,896 MACs and 144 params; fc unchanged:
//   total: 30,707,712 + 112,896 + 640 = 30,821,248 MACs,
//          269,722 - 432 + 144 = 269,434 params.

TEST(NetworkResnet20, Cifar10OptionAMatchesHeEtAl) {
  Network net = load_network("builtin:resnet20_cifar10");
  EXPECT_EQ(net.name, "resnet20_cifar10");
  EXPECT_EQ(net.forward_macs_per_sample(), 40551040);
  EXPECT_EQ(net.parameters(), 269722);
  EXPECT_EQ(net.gemm_layer_count(), 20);  // 19 conv + 1 fc
  // 3 stem + 9 blocks x 7 (conv, bn, relu, conv, bn, add, relu) + 2 shortcut_pad + pool, fc, loss
  EXPECT_EQ(net.layers.size(), 71u);
  EXPECT_EQ(layer_named(net, "layer2.0.conv1").out.to_string(), "32x16x16");
  EXPECT_EQ(layer_named(net, "layer2.0.shortcut").out.to_string(), "32x16x16");
  EXPECT_EQ(layer_named(net, "layer3.2.relu2").out.to_string(), "64x8x8");
  EXPECT_EQ(layer_named(net, "avgpool").out.to_string(), "64x1x1");
  EXPECT_EQ(layer_named(net, "fc").parameters(), 650);
}

TEST(NetworkResnet20, Cifar10OptionBAddsTwoProjections) {
  Network net = load_network("builtin:resnet20_cifar10_option_b");
  EXPECT_EQ(net.forward_macs_per_sample(), 40813184);
  EXPECT_EQ(net.parameters(), 272474);
  EXPECT_EQ(net.gemm_layer_count(), 22);
  EXPECT_EQ(net.layers.size(), 73u);  // 71 - 2 shortcut_pad + 2 x (conv, bn)
  const Layer& projection = layer_named(net, "layer3.0.shortcut.conv");
  EXPECT_EQ(projection.in.to_string(), "32x16x16");
  EXPECT_EQ(projection.out.to_string(), "64x8x8");
  EXPECT_EQ(projection.forward_macs_per_sample(), 131072);
}

TEST(NetworkResnet20, FashionMnistRuns28x28Natively) {
  Network net = load_network("builtin:resnet20_fashion_mnist");
  EXPECT_EQ(net.input.to_string(), "1x28x28");
  EXPECT_EQ(net.forward_macs_per_sample(), 30821248);
  EXPECT_EQ(net.parameters(), 269434);
  EXPECT_EQ(layer_named(net, "layer1.2.relu2").out.to_string(), "16x28x28");
  EXPECT_EQ(layer_named(net, "layer2.0.shortcut").out.to_string(), "32x14x14");
  EXPECT_EQ(layer_named(net, "layer3.0.conv1").out.to_string(), "64x7x7");
  EXPECT_EQ(layer_named(net, "layer3.0.shortcut").out.to_string(), "64x7x7");
}

TEST(NetworkResnet20, BuiltinRefsListTheShippedFiles) { EXPECT_EQ(join(builtin_network_refs()), kAllBuiltins); }

// --- Every shipped network against closed forms ---------------------------
//
// ResNet-(6n+2) of He et al. (CVPR 2016, section 4.2) on a C0 x S x S input: the stages run at
// S1 = S, S2 = ceil(S1/2), S3 = ceil(S2/2) (a 3x3, stride-2, padding-1 conv gives
// floor((S + 2 - 3)/2) + 1 = ceil(S/2)). Every conv is 3x3 without bias (params Cout*Cin*9, MACs
// positions * params):
//   conv1 C0->16 @S1:                          params 144 C0,                   MACs S1^2 * 144 C0
//   stage 1: 2n convs 16->16 @S1:              params 2n * 2,304,               MACs S1^2 * 2n * 2,304
//   stage 2: 16->32 s2, then 2n-1 x 32->32:    params 4,608 + (2n-1) 9,216,     MACs S2^2 * (same)
//   stage 3: 32->64 s2, then 2n-1 x 64->64:    params 18,432 + (2n-1) 36,864,   MACs S3^2 * (same)
//   fc 64->10 with bias:                       params 640 + 10,                 MACs 640
//   batch norm, counted as qtsim counts it (gamma and beta per channel: 2C), after conv1 and after
//   each of the 6n block convs: 2 (16 + 2n (16 + 32 + 64)) = 32 + 448n;
//   option A shortcuts (shortcut_pad): no parameters, no MACs; option B: 1x1 16->32 @S2 (512 params,
//   BN 64) and 1x1 32->64 @S3 (2,048 params, BN 128).
// CIFAR-10 (C0 = 3, S = 32: 1,024, 256 and 64 positions), option A:
//   params = 432 + 4,608n + 4,608 + 9,216(2n-1) + 18,432 + 36,864(2n-1) + 650 + 32 + 448n
//          = 97,216n - 21,926
//   MACs   = 442,368 + 4,718,592n + 1,179,648 + 2,359,296(2n-1) + 1,179,648 + 2,359,296(2n-1) + 640
//          = 14,155,776n - 1,916,288
//   layers = 3 (stem) + 3n blocks x 7 + 2 shortcut_pad + 3 (pool, fc, loss) = 21n + 8
//   conv/FC layers L = 6n + 2, hence 3L - 1 = 18n + 5 GEMMs per precision group:
//     n = 3  ResNet-20    269,722 params    40,551,040 MACs   71 layers   59 GEMMs
//     n = 5  ResNet-32    464,154           68,862,592       113          95
//     n = 7  ResNet-44    658,586           97,174,144       155         131
//     n = 9  ResNet-56    853,018          125,485,696       197         167
//     n = 18 ResNet-110 1,727,962          252,887,680       386         329

struct ResnetShape {
  std::int64_t blocks_per_stage;  // n
  std::int64_t in_channels;       // C0
  std::int64_t size;              // S
  bool option_b;
};

std::int64_t ceil_half(std::int64_t s) { return (s + 1) / 2; }

std::int64_t closed_form_parameters(const ResnetShape& r) {
  const std::int64_t n = r.blocks_per_stage;
  const std::int64_t convs = 144 * r.in_channels + 2 * n * 2304 + 4608 + (2 * n - 1) * 9216 + 18432 +
                             (2 * n - 1) * 36864 + (r.option_b ? 512 + 2048 : 0);
  const std::int64_t batch_norm = 32 + 448 * n + (r.option_b ? 64 + 128 : 0);
  return convs + batch_norm + 650;
}

std::int64_t closed_form_macs(const ResnetShape& r) {
  const std::int64_t n = r.blocks_per_stage;
  const std::int64_t s1 = r.size * r.size, s2 = ceil_half(r.size) * ceil_half(r.size);
  const std::int64_t s3 = ceil_half(ceil_half(r.size)) * ceil_half(ceil_half(r.size));
  return s1 * (144 * r.in_channels + 2 * n * 2304) + s2 * (4608 + (2 * n - 1) * 9216 + (r.option_b ? 512 : 0)) +
         s3 * (18432 + (2 * n - 1) * 36864 + (r.option_b ? 2048 : 0)) + 640;
}

// Every shipped network, by its builtin: name; a new one without an entry fails the test below.
const std::map<std::string, ResnetShape>& shipped_shapes() {
  static const std::map<std::string, ResnetShape> shapes = {
      {"builtin:resnet20_cifar10", {3, 3, 32, false}},       {"builtin:resnet20_cifar10_option_b", {3, 3, 32, true}},
      {"builtin:resnet20_fashion_mnist", {3, 1, 28, false}}, {"builtin:resnet32_cifar10", {5, 3, 32, false}},
      {"builtin:resnet44_cifar10", {7, 3, 32, false}},       {"builtin:resnet56_cifar10", {9, 3, 32, false}},
      {"builtin:resnet110_cifar10", {18, 3, 32, false}}};
  return shapes;
}

TEST(NetworkBuiltin, EveryShippedNetworkMatchesTheClosedForm) {
  ASSERT_EQ(builtin_network_refs().size(), shipped_shapes().size());
  for (const std::string& ref : builtin_network_refs()) {
    ASSERT_EQ(shipped_shapes().count(ref), 1u) << ref << " has no closed form in this test";
    const ResnetShape& r = shipped_shapes().at(ref);
    const Network net = load_network(ref);
    EXPECT_EQ(net.parameters(), closed_form_parameters(r)) << ref;
    EXPECT_EQ(net.forward_macs_per_sample(), closed_form_macs(r)) << ref;
    // 6n + 1 convs (+ 2 option B projections) and the fc.
    EXPECT_EQ(net.gemm_layer_count(), 6 * r.blocks_per_stage + 2 + (r.option_b ? 2 : 0)) << ref;
    EXPECT_EQ(net.input.to_string(),
              std::to_string(r.in_channels) + "x" + std::to_string(r.size) + "x" + std::to_string(r.size))
        << ref;
  }
}

TEST(NetworkBuiltin, DeeperCifar10ResnetsMatchTheHandCounts) {
  // The table above (option A, CIFAR-10), with the name and the layer count of each.
  struct Expected {
    const char* name;
    std::int64_t parameters, macs;
    std::size_t layers;
    int gemm_layers;
  };
  for (const Expected& e : {Expected{"resnet32_cifar10", 464154, 68862592, 113, 32},
                            Expected{"resnet44_cifar10", 658586, 97174144, 155, 44},
                            Expected{"resnet56_cifar10", 853018, 125485696, 197, 56},
                            Expected{"resnet110_cifar10", 1727962, 252887680, 386, 110}}) {
    const Network net = load_network(std::string("builtin:") + e.name);
    EXPECT_EQ(net.name, e.name);
    EXPECT_EQ(net.parameters(), e.parameters) << e.name;
    EXPECT_EQ(net.forward_macs_per_sample(), e.macs) << e.name;
    EXPECT_EQ(net.layers.size(), e.layers) << e.name;
    EXPECT_EQ(net.gemm_layer_count(), e.gemm_layers) << e.name;
    // Stage boundaries: the last block of each stage, and the option A shortcuts.
    const int n = (e.gemm_layers - 2) / 6;
    const std::string last = "." + std::to_string(n - 1) + ".relu2";
    EXPECT_EQ(layer_named(net, "layer1" + last).out.to_string(), "16x32x32") << e.name;
    EXPECT_EQ(layer_named(net, "layer2.0.shortcut").out.to_string(), "32x16x16") << e.name;
    EXPECT_EQ(layer_named(net, "layer2" + last).out.to_string(), "32x16x16") << e.name;
    EXPECT_EQ(layer_named(net, "layer3.0.shortcut").out.to_string(), "64x8x8") << e.name;
    EXPECT_EQ(layer_named(net, "layer3" + last).out.to_string(), "64x8x8") << e.name;
  }
}

TEST(NetworkBuiltin, ParametersMatchHeEtAlToThePrecisionPublished) {
  // He et al. 2016, Table 6 (CIFAR-10): ResNet-20 0.27M, -32 0.46M, -44 0.66M, -56 0.85M (two
  // decimals of a million: units of 10^4), -110 1.7M (one decimal: units of 10^5).
  auto rounded = [](std::int64_t params, std::int64_t unit) { return (params + unit / 2) / unit; };
  EXPECT_EQ(rounded(load_network("builtin:resnet20_cifar10").parameters(), 10000), 27);
  EXPECT_EQ(rounded(load_network("builtin:resnet32_cifar10").parameters(), 10000), 46);
  EXPECT_EQ(rounded(load_network("builtin:resnet44_cifar10").parameters(), 10000), 66);
  EXPECT_EQ(rounded(load_network("builtin:resnet56_cifar10").parameters(), 10000), 85);
  EXPECT_EQ(rounded(load_network("builtin:resnet110_cifar10").parameters(), 100000), 17);
}

// --- A small network, by hand ---------------------------------------------

// input 3x8x8
//   c1 conv 3->4 k3 s1 p1: 4x8x8, 4*3*9 = 108 weights, 64*108 = 6,912 MACs
//   b1 batch_norm: 8 params;  r1 relu
//   c2 conv 4->8 k3 s2 p1: (8 + 2 - 3) / 2 + 1 = 4 -> 8x4x4, 288 weights, 16*288 = 4,608 MACs
//   s shortcut_pad 4->8, stride 2: ceil(8 / 2) = 4 -> 8x4x4
//   a add(c2, s); p global_avg_pool: 8x1x1
//   fc 8->10 with bias: 80 + 10 = 90 params, 80 MACs;  loss
// params 108 + 8 + 288 + 90 = 494; MACs 6,912 + 4,608 + 80 = 11,600.
const char* const kTiny = R"({
  "name": "tiny",
  "input": {"channels": 3, "height": 8, "width": 8},
  "num_classes": 10,
  "layers": [
    {"name": "c1", "type": "conv", "inputs": ["input"], "out_channels": 4, "kernel": 3, "padding": 1},
    {"name": "b1", "type": "batch_norm", "inputs": ["c1"]},
    {"name": "r1", "type": "relu", "inputs": ["b1"]},
    {"name": "c2", "type": "conv", "inputs": ["r1"], "out_channels": 8, "kernel": 3, "stride": 2, "padding": 1},
    {"name": "s", "type": "shortcut_pad", "inputs": ["r1"], "out_channels": 8},
    {"name": "a", "type": "add", "inputs": ["c2", "s"]},
    {"name": "p", "type": "global_avg_pool", "inputs": ["a"]},
    {"name": "fc", "type": "fully_connected", "inputs": ["p"], "out_features": 10},
    {"name": "loss", "type": "softmax_cross_entropy", "inputs": ["fc"]}
  ]
})";

Json tiny() { return Json::parse(kTiny); }
Network parse(const Json& doc) { return parse_network(JsonNode(doc, "net.json")); }
std::string parse_error(const Json& doc) {
  return error_of([&] { parse(doc); });
}

TEST(NetworkParse, InfersShapesParamsAndMacs) {
  Network net = parse(tiny());
  EXPECT_EQ(net.parameters(), 494);
  EXPECT_EQ(net.forward_macs_per_sample(), 11600);
  EXPECT_EQ(net.layers[0].out.to_string(), "4x8x8");
  EXPECT_EQ(net.layers[3].out.to_string(), "8x4x4");
  EXPECT_EQ(net.layers[4].out.to_string(), "8x4x4");
  EXPECT_EQ(net.layers[4].stride, 2);  // shortcut_pad default
  EXPECT_EQ(net.layers[6].out.to_string(), "8x1x1");
  EXPECT_EQ(net.layers[7].out.to_string(), "10x1x1");
  EXPECT_FALSE(net.layers[0].bias);  // conv default
  EXPECT_TRUE(net.layers[7].bias);   // fully_connected default
  EXPECT_EQ(net.layers[5].inputs, (std::vector<int>{3, 4}));
  EXPECT_EQ(net.layers[0].inputs, (std::vector<int>{Layer::kNetworkInput}));
  EXPECT_EQ(net.consumer_count(2), 2);  // r1 feeds c2 and s
  EXPECT_EQ(net.consumer_count(Layer::kNetworkInput), 1);
}

TEST(NetworkParse, FullyConnectedFlattensItsInput) {
  // fc straight on c2's 8x4x4 output: 128 features -> 10: 1,280 weights + 10 bias, 1,280 MACs.
  Json doc = tiny();
  doc["layers"] = {doc["layers"][0], doc["layers"][1], doc["layers"][2],
                   doc["layers"][3], doc["layers"][7], doc["layers"][8]};
  doc["layers"][4]["inputs"] = {"c2"};
  doc["layers"][4]["in_features"] = 128;
  Network net = parse(doc);
  EXPECT_EQ(net.layers[4].name, "fc");
  EXPECT_EQ(net.layers[4].in.to_string(), "8x4x4");
  EXPECT_EQ(net.layers[4].parameters(), 1290);
  EXPECT_EQ(net.layers[4].forward_macs_per_sample(), 1280);
}

// input 4x8x8
//   m1 max_pool k3 s2 p1: (8 + 2 - 3) / 2 + 1 = 4 -> 4x4x4 (channels kept)
//   m2 max_pool k2, stride defaulting to the kernel: (4 - 2) / 2 + 1 = 2 -> 4x2x2
//   fc 16 -> 10 with bias: 170 params, 160 MACs; pooling has neither.
const char* const kPools = R"({
  "name": "pools",
  "input": {"channels": 4, "height": 8, "width": 8},
  "num_classes": 10,
  "layers": [
    {"name": "m1", "type": "max_pool", "inputs": ["input"], "kernel": 3, "stride": 2, "padding": 1},
    {"name": "m2", "type": "max_pool", "inputs": ["m1"], "kernel": 2},
    {"name": "fc", "type": "fully_connected", "inputs": ["m2"], "out_features": 10},
    {"name": "loss", "type": "softmax_cross_entropy", "inputs": ["fc"]}
  ]
})";

TEST(NetworkParse, MaxPoolShapesAndDefaults) {
  Network net = parse(Json::parse(kPools));
  EXPECT_EQ(net.layers[0].out.to_string(), "4x4x4");
  EXPECT_EQ(net.layers[1].out.to_string(), "4x2x2");
  EXPECT_EQ(net.layers[1].stride, 2);
  EXPECT_EQ(net.layers[1].padding, 0);
  EXPECT_EQ(net.layers[0].parameters() + net.layers[1].parameters(), 0);
  EXPECT_EQ(net.layers[0].forward_macs_per_sample() + net.layers[1].forward_macs_per_sample(), 0);
  EXPECT_EQ(net.parameters(), 170);
  EXPECT_EQ(net.forward_macs_per_sample(), 160);
  EXPECT_EQ(net.gemm_layer_count(), 1);
  Json written = net.to_json();
  EXPECT_EQ(written["layers"][1], Json::parse(R"({"name": "m2", "type": "max_pool", "inputs": ["m1"], "kernel": 2,
                                                  "stride": 2, "padding": 0})"));
  EXPECT_EQ(parse(written).to_json(), written);
}

TEST(NetworkParse, MaxPoolRules) {
  Json doc = Json::parse(kPools);
  doc["layers"][0]["padding"] = 2;  // at most kernel / 2 = 1 (PyTorch's bound)
  EXPECT_EQ(parse_error(doc), "net.json: layers[0].padding: out of range, got 2; expected an integer in [0, 1]");
  doc = Json::parse(kPools);
  doc["layers"][1]["kernel"] = 5;  // m1's output is 4x4x4, no padding
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[1].kernel: larger than the padded input of layer `m2` (4x4x4 with padding 0), got 5; "
            "expected at most 4");
  doc = Json::parse(kPools);
  doc["layers"][1].erase("kernel");
  EXPECT_EQ(parse_error(doc), "net.json: layers[1]: missing required key `kernel` (layers[1].kernel)");
  doc = Json::parse(kPools);
  doc["layers"][1]["out_channels"] = 4;
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[1].out_channels: unknown key `out_channels`; valid keys here: inputs, kernel, name, "
            "padding, stride, type");
}

TEST(NetworkParse, JsonRoundTripWritesDefaults) {
  Network net = parse(tiny());
  Json written = net.to_json();
  EXPECT_EQ(written["layers"][0]["stride"], 1);
  EXPECT_EQ(written["layers"][0]["bias"], false);
  EXPECT_EQ(written["layers"][4]["stride"], 2);
  EXPECT_EQ(written["layers"][7]["bias"], true);
  EXPECT_FALSE(written.contains("description"));
  Network again = parse(written);
  EXPECT_EQ(again.to_json(), written);
  EXPECT_EQ(again.parameters(), 494);
}

TEST(NetworkLoad, ReadsAFile) {
  Network net = load_network(source_path("tests/fixtures/networks/valid_tiny.json"));
  EXPECT_EQ(net.name, "tiny_from_file");
  EXPECT_EQ(net.parameters(), 1 * 2 + 2);  // fc 1->2 with bias
}

// --- One test per rule: files and references ------------------------------

TEST(NetworkLoad, UnknownBuiltinListsTheAvailableOnes) {
  EXPECT_EQ(error_of([] { load_network("builtin:resnet18"); }),
            std::string("builtin:resnet18: unknown built-in network; available: ") + kAllBuiltins);
}

TEST(NetworkLoad, UnreadableFileIsNamed) {
  EXPECT_EQ(error_of([] { load_network("/nonexistent/net.json"); }),
            std::string("/nonexistent/net.json: cannot read the network file; expected the path of a readable JSON "
                        "file or one of: ") +
                kAllBuiltins);
  const std::string folder = source_path("tests/fixtures/networks");
  EXPECT_EQ(error_of([&] { load_network(folder); }).rfind(folder + ": cannot read the network file;", 0), 0u);
}

TEST(NetworkLoad, MalformedJsonGivesLineAndColumn) {
  // Line 3 is `  "num_classes": 10,,`: the second comma is column 21.
  const std::string path = source_path("tests/fixtures/networks/malformed.json");
  EXPECT_EQ(error_of([&] { load_network(path); }),
            path +
                ": not valid JSON: parse error at line 3, column 21: syntax error while parsing object key - "
                "unexpected ','; expected string literal");
}

TEST(NetworkLoad, ErrorsInAFileNameTheFile) {
  const std::string path = source_path("tests/fixtures/networks/dangling_input.json");
  EXPECT_EQ(error_of([&] { load_network(path); }),
            path +
                ": layers[1].inputs[0]: unknown layer, got \"pooll\" (a string); expected \"input\" or the name of "
                "an earlier layer");
}

// --- One test per rule: the document --------------------------------------

TEST(NetworkParse, RootMustBeAnObject) {
  EXPECT_EQ(parse_error(Json::array()), "net.json: wrong type, got an array of 0; expected an object");
}

TEST(NetworkParse, MissingKeyIsNamed) {
  Json doc = tiny();
  doc.erase("num_classes");
  EXPECT_EQ(parse_error(doc), "net.json: missing required key `num_classes` (num_classes)");
}

TEST(NetworkParse, UnknownTopLevelKeyListsValidOnes) {
  Json doc = tiny();
  doc["classes"] = 10;
  EXPECT_EQ(parse_error(doc),
            "net.json: classes: unknown key `classes`; valid keys here: description, input, layers, name, num_classes");
}

TEST(NetworkParse, NameMustNotBeEmpty) {
  Json doc = tiny();
  doc["name"] = "";
  EXPECT_EQ(parse_error(doc), "net.json: name: must not be empty, got \"\" (a string); expected a non-empty string");
}

TEST(NetworkParse, DescriptionMustBeAString) {
  Json doc = tiny();
  doc["description"] = 3;
  EXPECT_EQ(parse_error(doc), "net.json: description: wrong type, got 3; expected a string");
}

TEST(NetworkParse, InputDimensionsArePositive) {
  Json doc = tiny();
  doc["input"]["height"] = 0;
  EXPECT_EQ(parse_error(doc), "net.json: input.height: out of range, got 0; expected an integer in [1, 65536]");
}

TEST(NetworkParse, UnknownInputKeyListsValidOnes) {
  Json doc = tiny();
  doc["input"]["depth"] = 1;
  EXPECT_EQ(parse_error(doc), "net.json: input.depth: unknown key `depth`; valid keys here: channels, height, width");
}

TEST(NetworkParse, NeedsAtLeastTwoClasses) {
  Json doc = tiny();
  doc["num_classes"] = 1;
  EXPECT_EQ(parse_error(doc), "net.json: num_classes: out of range, got 1; expected an integer in [2, 1000000]");
}

TEST(NetworkParse, LayersMustBeANonEmptyArray) {
  Json doc = tiny();
  doc["layers"] = Json::object();
  EXPECT_EQ(parse_error(doc), "net.json: layers: wrong type, got an object; expected an array");
  doc["layers"] = Json::array();
  EXPECT_EQ(parse_error(doc), "net.json: layers: must not be empty, got an array of 0; expected at least one layer");
}

// --- One test per rule: a layer -------------------------------------------

TEST(NetworkParse, LayerMustBeAnObject) {
  Json doc = tiny();
  doc["layers"][2] = 5;
  EXPECT_EQ(parse_error(doc), "net.json: layers[2]: wrong type, got 5; expected an object");
}

TEST(NetworkParse, LayerNameMustNotBeEmpty) {
  Json doc = tiny();
  doc["layers"][1]["name"] = "";
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[1].name: must not be empty, got \"\" (a string); expected a non-empty string");
}

TEST(NetworkParse, LayerNameInputIsReserved) {
  Json doc = tiny();
  doc["layers"][1]["name"] = "input";
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[1].name: reserved name (it stands for the network input), got \"input\" (a string); "
            "expected another name");
}

TEST(NetworkParse, DuplicateLayerNameNamesTheFirstUse) {
  Json doc = tiny();
  doc["layers"][2]["name"] = "c1";
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[2].name: duplicate layer name (already used by layers[0]), got \"c1\" (a string); "
            "expected a unique name");
}

TEST(NetworkParse, UnknownLayerTypeListsTheValidOnes) {
  Json doc = tiny();
  doc["layers"][6]["type"] = "avg_pool";
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[6].type: unknown name, got \"avg_pool\" (a string); expected one of: conv, "
            "fully_connected, batch_norm, relu, add, shortcut_pad, global_avg_pool, max_pool, softmax_cross_entropy");
}

TEST(NetworkParse, UnknownLayerKeyListsTheKeysOfItsType) {
  Json doc = tiny();
  doc["layers"][3]["strides"] = 2;
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[3].strides: unknown key `strides`; valid keys here: bias, inputs, kernel, name, "
            "out_channels, padding, stride, type");
  doc = tiny();
  doc["layers"][2]["out_channels"] = 4;  // a relu has no parameters
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[2].out_channels: unknown key `out_channels`; valid keys here: inputs, name, type");
}

TEST(NetworkParse, WrongNumberOfInputs) {
  Json doc = tiny();
  doc["layers"][5]["inputs"] = {"c2"};
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[5].inputs: wrong number of inputs for a layer of type add, got an array of 1; expected "
            "2 names");
  doc = tiny();
  doc["layers"][2]["inputs"] = {"b1", "c1"};
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[2].inputs: wrong number of inputs for a layer of type relu, got an array of 2; expected "
            "1 name");
}

TEST(NetworkParse, InputMustBeAName) {
  Json doc = tiny();
  doc["layers"][1]["inputs"] = {0};
  EXPECT_EQ(parse_error(doc), "net.json: layers[1].inputs[0]: wrong type, got 0; expected a string");
}

TEST(NetworkParse, UnknownInputLayer) {
  Json doc = tiny();
  doc["layers"][1]["inputs"] = {"c9"};
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[1].inputs[0]: unknown layer, got \"c9\" (a string); expected \"input\" or the name of "
            "an earlier layer");
}

TEST(NetworkParse, InputFromALaterOrTheSameLayer) {
  Json doc = tiny();
  doc["layers"][1]["inputs"] = {"r1"};
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[1].inputs[0]: not an earlier layer (it is layers[2]; layers run in list order), got "
            "\"r1\" (a string); expected \"input\" or the name of an earlier layer");
  doc["layers"][1]["inputs"] = {"b1"};
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[1].inputs[0]: not an earlier layer (it is layers[1]; layers run in list order), got "
            "\"b1\" (a string); expected \"input\" or the name of an earlier layer");
}

TEST(NetworkParse, ConvRequiresOutChannelsAndKernel) {
  Json doc = tiny();
  doc["layers"][0].erase("out_channels");
  EXPECT_EQ(parse_error(doc), "net.json: layers[0]: missing required key `out_channels` (layers[0].out_channels)");
  doc = tiny();
  doc["layers"][0].erase("kernel");
  EXPECT_EQ(parse_error(doc), "net.json: layers[0]: missing required key `kernel` (layers[0].kernel)");
}

TEST(NetworkParse, ConvStrideIsPositive) {
  Json doc = tiny();
  doc["layers"][3]["stride"] = 0;
  EXPECT_EQ(parse_error(doc), "net.json: layers[3].stride: out of range, got 0; expected an integer in [1, 255]");
}

TEST(NetworkParse, ConvPaddingIsBelowTheKernel) {
  Json doc = tiny();
  doc["layers"][3]["padding"] = 3;
  EXPECT_EQ(parse_error(doc), "net.json: layers[3].padding: out of range, got 3; expected an integer in [0, 2]");
}

TEST(NetworkParse, ConvKernelMustFitThePaddedInput) {
  // r1 is 4x8x8; with padding 1 the padded input is 10 wide.
  Json doc = tiny();
  doc["layers"][3]["kernel"] = 11;
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[3].kernel: larger than the padded input of layer `c2` (4x8x8 with padding 1), got 11; "
            "expected at most 10");
}

TEST(NetworkParse, BiasIsABoolean) {
  Json doc = tiny();
  doc["layers"][0]["bias"] = 1;
  EXPECT_EQ(parse_error(doc), "net.json: layers[0].bias: wrong type, got 1; expected true or false");
}

TEST(NetworkParse, FullyConnectedInFeaturesMustMatch) {
  Json doc = tiny();
  doc["layers"][7]["in_features"] = 64;
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[7].in_features: does not match the input of layer `fc` (8x1x1 = 8 features), got 64; "
            "expected 8");
}

TEST(NetworkParse, FullyConnectedRequiresOutFeatures) {
  Json doc = tiny();
  doc["layers"][7].erase("out_features");
  EXPECT_EQ(parse_error(doc), "net.json: layers[7]: missing required key `out_features` (layers[7].out_features)");
}

TEST(NetworkParse, AddOfDifferentShapesNamesBoth) {
  Json doc = tiny();
  doc["layers"][5]["inputs"] = {"c2", "r1"};
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[5].inputs: add layer `a` reads two different shapes: `c2` is 8x4x4 and `r1` is 4x8x8; "
            "expected equal shapes");
}

TEST(NetworkParse, ShortcutPadCannotDropChannels) {
  Json doc = tiny();
  doc["layers"][4]["out_channels"] = 2;
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[4].out_channels: fewer than the 4 input channels of layer `s`, got 2; expected at "
            "least 4");
}

TEST(NetworkParse, LossMustBeLast) {
  Json doc = tiny();
  doc["layers"][7] = {{"name", "early_loss"}, {"type", "softmax_cross_entropy"}, {"inputs", {"p"}}};
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[7].type: the loss must be the last layer (this is layers[7] of 9), got "
            "\"softmax_cross_entropy\" (a string); expected another type");
}

TEST(NetworkParse, LastLayerMustBeTheLoss) {
  Json doc = tiny();
  doc["layers"].erase(8);
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[7].type: the last layer must be the loss, got \"fully_connected\" (a string); expected "
            "\"softmax_cross_entropy\"");
}

TEST(NetworkParse, LossInputMustHaveNumClassesElements) {
  Json doc = tiny();
  doc["num_classes"] = 5;
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[8].inputs[0]: input of layer `loss` has 10 elements (10x1x1) but num_classes is 5, got "
            "\"fc\" (a string); expected a tensor of 5 elements");
}

TEST(NetworkParse, EveryOutputButTheLossIsRead) {
  Json doc = tiny();
  doc["layers"][5]["inputs"] = {"c2", "c2"};  // s is now read by nobody
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[4]: output of layer `s` is never read; every layer but the loss must feed a later "
            "layer");
}

TEST(NetworkParse, AbsurdlyLargeLayerIsRejected) {
  // 65536 channels at 64x64 through a 1x1 conv to 65536 channels:
  // 4,096 positions x 65,536 x 65,536 = 2^44 = 17,592,186,044,416 MACs.
  Json doc = tiny();
  doc["input"] = {{"channels", 65536}, {"height", 64}, {"width", 64}};
  doc["layers"][0]["out_channels"] = 65536;
  doc["layers"][0]["kernel"] = 1;
  doc["layers"][0]["padding"] = 0;
  EXPECT_EQ(parse_error(doc),
            "net.json: layers[0]: layer `c1` needs 17592186044416 forward MACs per sample; at most 10^12 are "
            "supported");
}

}  // namespace
}  // namespace qtsim
