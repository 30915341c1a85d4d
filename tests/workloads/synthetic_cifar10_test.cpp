#include "workloads/trace/synthetic_cifar10.h"

#include <gtest/gtest.h>

#include "tests/unit/test_util.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <numeric>
#include <sstream>
#include <utility>

#include "base/error.h"
#include "workloads/trace/accuracy_model.h"
#include "workloads/trace/trace_reader.h"
#include "workloads/trace/trace_writer.h"

namespace qtsim {
namespace {

const std::string kReference = std::string(QTSIM_SOURCE_DIR) + "/workloads/traces/cifar10_resnet20_synthetic.cbor";

enum Class { kAirplane, kAutomobile, kBird, kCat, kDeer, kDog, kFrog, kHorse, kShip, kTruck };

using test::error_of;

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The default trace, generated once for the whole suite.
const Trace& reference() {
  static const Trace trace = make_synthetic_cifar10_trace();
  return trace;
}

double mean(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

// Class-mean training error over epochs [first, last].
double mean_train_error(const Trace& trace, int first, int last) {
  double sum = 0.0;
  for (int e = first; e <= last; ++e) sum += 1.0 - mean(trace.epochs[e].train_accuracy);
  return sum / (last - first + 1);
}

double mean_test_error(const Trace& trace, int first, int last) {
  double sum = 0.0;
  for (int e = first; e <= last; ++e) sum += 1.0 - trace.epochs[e].test_accuracy;
  return sum / (last - first + 1);
}

// Regenerate the committed reference with
//   qtsim trace --out workloads/traces/cifar10_resnet20_synthetic.cbor
TEST(SyntheticCifar10, CommittedReferenceIsTheDefaultOutput) {
  const std::string bytes = encode_trace_document(trace_to_json(reference()), ".cbor");
  EXPECT_TRUE(file_bytes(kReference) == bytes)
      << kReference << " differs from make_synthetic_cifar10_trace() with the default options ("
      << file_bytes(kReference).size() << " vs " << bytes.size() << " bytes)";
}

TEST(SyntheticCifar10, ReaderAcceptsTheCommittedReference) {
  const auto start = std::chrono::steady_clock::now();
  const Trace trace = read_trace(kReference);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  RecordProperty("load_seconds", std::to_string(seconds));
  EXPECT_EQ(trace.num_epochs(), 200);
  EXPECT_EQ(trace.iterations_per_epoch, 391);
  EXPECT_EQ(trace_to_json(trace), trace_to_json(reference()));
}

TEST(SyntheticCifar10, SameSeedSameTraceOtherSeedOtherShuffle) {
  SyntheticCifar10Options options;
  options.epochs = 3;
  const Json a = trace_to_json(make_synthetic_cifar10_trace(options));
  EXPECT_EQ(trace_to_json(make_synthetic_cifar10_trace(options)), a);
  options.seed = 2023;
  const Trace other = make_synthetic_cifar10_trace(options);
  EXPECT_NE(other.epochs[0].class_counts, make_synthetic_cifar10_trace().epochs[0].class_counts);
  EXPECT_NE(other.epochs[0].train_accuracy, reference().epochs[0].train_accuracy);
}

TEST(SyntheticCifar10, ShapeIsCifar10InBatchesOf128) {
  const Trace& trace = reference();
  EXPECT_EQ(trace.network, "resnet20_cifar10");
  EXPECT_EQ(trace.dataset, "cifar10");
  EXPECT_EQ(trace.class_names, (std::vector<std::string>{"airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
                                                         "horse", "ship", "truck"}));
  EXPECT_EQ(trace.batch_size, 128);
  // ceil(50,000 / 128) = 391; 50,000 - 390 * 128 = 80 in the last iteration.
  EXPECT_EQ(trace.train_samples_per_epoch, 50000);
  EXPECT_EQ(trace.iterations_per_epoch, 391);
  EXPECT_EQ(trace.iteration_samples(390), 80);
  EXPECT_EQ(trace.num_epochs(), 200);
  EXPECT_TRUE(trace.policy.is_null());
  EXPECT_EQ(trace.provenance.at("kind"), "synthetic");
  EXPECT_EQ(trace.provenance.at("seed"), 2022);
  EXPECT_EQ(trace.provenance.at("generator_version"), kSyntheticCifar10GeneratorVersion);
}

TEST(SyntheticCifar10, EveryEpochHoldsEachImageOnce) {
  const Trace& trace = reference();
  for (int e = 0; e < trace.num_epochs(); ++e) {
    std::vector<int> totals(10, 0);
    for (int i = 0; i < trace.iterations_per_epoch; ++i) {
      int batch = 0;
      for (int c = 0; c < 10; ++c) {
        totals[c] += trace.counts(e, i)[c];
        batch += trace.counts(e, i)[c];
      }
      ASSERT_EQ(batch, i == 390 ? 80 : 128) << "epoch " << e << " iteration " << i;
    }
    ASSERT_EQ(totals, std::vector<int>(10, 5000)) << "epoch " << e;
  }
  // A shuffle, not a sorted order: the first batch mixes classes, and epochs differ.
  EXPECT_GT(*std::min_element(trace.counts(0, 0), trace.counts(0, 0) + 10), 0);
  EXPECT_NE(trace.epochs[0].class_counts, trace.epochs[1].class_counts);
}

TEST(SyntheticCifar10, LearningRateStepsAtHalfAndThreeQuarters) {
  EXPECT_EQ(synthetic_cifar10_lr_steps(200), (std::vector<int>{100, 150}));
  EXPECT_EQ(synthetic_cifar10_lr_steps(10), (std::vector<int>{5, 7}));
}

TEST(SyntheticCifar10, TrainErrorDropsAtEachLearningRateStep) {
  const Trace& trace = reference();
  // Noise-free class means: before step 1 the error sits at its lr-0.1 plateau
  // 0.10; epochs 105..109 (t = 105.5..109.5, tau 1) are within 0.065 e^-5.5 =
  // 0.0003 of the lr-0.01 plateau 0.035: a drop of more than half.
  EXPECT_LT(mean_train_error(trace, 105, 109), 0.5 * mean_train_error(trace, 95, 99));
  EXPECT_NEAR(mean_train_error(trace, 95, 99), 0.10, 0.01);
  // Step 2 (tau 3): from about 0.035 to 0.025 + 0.010 e^{-5.5/3} = 0.0266 at t = 155.5, lower after.
  EXPECT_LT(mean_train_error(trace, 155, 159), 0.85 * mean_train_error(trace, 145, 149));
  EXPECT_NEAR(mean_train_error(trace, 195, 199), 0.025, 0.002);
}

TEST(SyntheticCifar10, TestErrorDropsAtEachLearningRateStep) {
  const Trace& trace = reference();
  // Plateaus 1.9 x 0.0875 = 0.166, then 1.05 x 0.0875 = 0.092, then 0.0875.
  EXPECT_NEAR(mean_test_error(trace, 90, 99), 0.166, 0.01);
  EXPECT_NEAR(mean_test_error(trace, 110, 149), 0.092, 0.003);
  EXPECT_LT(mean_test_error(trace, 170, 199), mean_test_error(trace, 110, 149));
}

TEST(SyntheticCifar10, CalibrationTargetsAreHeEtAlAndTheSourceRatios) {
  const std::vector<double> target = synthetic_cifar10_target_test_accuracy();
  // Mean error 8.75% (He et al. 2016, Table 6).
  EXPECT_NEAR(mean(target), 0.9125, 1e-12);
  // Summed source errors (percent points over the three runs): cat 17+18+15 = 50,
  // automobile 3+4+4 = 11, all classes 244. Target = 1 - 0.875 * s / 244.
  EXPECT_NEAR(target[kCat], 1.0 - 0.875 * 50 / 244, 1e-12);         // 0.820697
  EXPECT_NEAR(target[kAutomobile], 1.0 - 0.875 * 11 / 244, 1e-12);  // 0.960553
  std::vector<int> order(10);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return target[a] < target[b]; });
  EXPECT_EQ(order, (std::vector<int>{kCat, kDog, kBird, kDeer, kAirplane, kHorse, kFrog, kShip, kTruck, kAutomobile}));
}

TEST(SyntheticCifar10, FinalEpochEndsNearResNet20WithHardAnimalsAndEasyVehicles) {
  const TraceEpoch& last = reference().epochs.back();
  EXPECT_NEAR(last.test_accuracy, 0.9125, 0.002);
  std::vector<int> order(10);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return last.test_accuracy_per_class[a] < last.test_accuracy_per_class[b]; });
  std::vector<int> hardest(order.begin(), order.begin() + 3), easiest(order.end() - 3, order.end());
  std::sort(hardest.begin(), hardest.end());
  std::sort(easiest.begin(), easiest.end());
  EXPECT_EQ(hardest, (std::vector<int>{kBird, kCat, kDog}));
  EXPECT_EQ(easiest, (std::vector<int>{kAutomobile, kShip, kTruck}));
  EXPECT_GT(mean(last.train_accuracy), last.test_accuracy);
}

TEST(SyntheticCifar10, EasyClassesLearnFirst) {
  // Noise-free at t = 2.5: automobile (d = 110/244, tau = 2.5 sqrt(d) = 1.679)
  // 1 - (0.0451 + 0.8549 e^{-2.5/1.679}) = 0.762; cat (d = 500/244, tau = 3.579)
  // 1 - (0.2049 + 0.6951 e^{-2.5/3.579}) = 0.449. Noise (sigma 0.04 on the error) moves each by ~2%.
  const TraceEpoch& e2 = reference().epochs[2];
  EXPECT_NEAR(e2.train_accuracy[kAutomobile], 0.762, 0.04);
  EXPECT_NEAR(e2.train_accuracy[kCat], 0.449, 0.06);
}

TEST(SyntheticCifar10, StoredValuesAreRoundedAndConsistent) {
  for (const TraceEpoch& epoch : reference().epochs) {
    double sum = 0.0;
    for (int c = 0; c < 10; ++c) {
      for (double v : {epoch.train_accuracy[c], epoch.test_accuracy_per_class[c], epoch.train_loss[c]}) {
        ASSERT_EQ(v, std::round(v * 1e4) / 1e4);
      }
      ASSERT_EQ(epoch.train_loss[c],
                std::round(synthetic_loss_from_error(1.0 - epoch.train_accuracy[c], 10) * 1e4) / 1e4);
      sum += epoch.test_accuracy_per_class[c];
    }
    ASSERT_EQ(epoch.test_accuracy, std::round(sum / 10 * 1e4) / 1e4);
    ASSERT_TRUE(epoch.tags.empty());
  }
}

TEST(SyntheticCifar10, OptionsAreChecked) {
  SyntheticCifar10Options options;
  options.epochs = 0;
  EXPECT_EQ(error_of([&] { make_synthetic_cifar10_trace(options); }),
            "synthetic CIFAR-10 trace: epochs: out of range, got 0; expected an integer >= 1");
  options = {};
  options.batch_size = 70000;
  EXPECT_EQ(error_of([&] { make_synthetic_cifar10_trace(options); }),
            "synthetic CIFAR-10 trace: batch_size: out of range, got 70000; expected an integer in [1, 65535]");
  options = {};
  options.images_per_class = 0;
  EXPECT_EQ(error_of([&] { make_synthetic_cifar10_trace(options); }),
            "synthetic CIFAR-10 trace: images_per_class: out of range, got 0; expected an integer in [1, 100000000]");
}

TEST(SyntheticCifar10, NetworkOptionCalibratesToHeEtAlTable6) {
  // He et al. 2016, Table 6, CIFAR-10 test error: ResNet-20 8.75%, -32 7.51%, -44 7.17%, -56 6.97%,
  // -110 6.61% (mean of 5 runs; best 6.43%). The cat's target scales with it: 1 - error * 10 * 50 / 244.
  const std::vector<std::pair<std::string, double>> table = {{"resnet20_cifar10", 0.0875},
                                                             {"resnet32_cifar10", 0.0751},
                                                             {"resnet44_cifar10", 0.0717},
                                                             {"resnet56_cifar10", 0.0697},
                                                             {"resnet110_cifar10", 0.0661}};
  ASSERT_EQ(synthetic_cifar10_networks().size(), table.size());
  SyntheticCifar10Options options;
  options.epochs = 8;
  options.images_per_class = 20;
  const Trace resnet20 = make_synthetic_cifar10_trace(options);
  for (const auto& [network, error] : table) {
    const std::vector<double> target = synthetic_cifar10_target_test_accuracy(network);
    EXPECT_NEAR(mean(target), 1.0 - error, 1e-12) << network;
    EXPECT_NEAR(target[kCat], 1.0 - error * 10 * 50 / 244, 1e-12) << network;
    options.network = network;
    const Trace trace = make_synthetic_cifar10_trace(options);
    EXPECT_EQ(trace.network, network);
    EXPECT_EQ(trace.provenance.at("parameters").at("final_mean_test_error"), error) << network;
    // The default writes its options as before the option existed (the committed trace is unchanged).
    EXPECT_EQ(trace.provenance.at("options").contains("network"), network != "resnet20_cifar10") << network;
    // The same seed shuffles the same way; only the accuracies depend on the network.
    EXPECT_EQ(trace.epochs[3].class_counts, resnet20.epochs[3].class_counts) << network;
    EXPECT_EQ(trace.epochs[3].train_accuracy, resnet20.epochs[3].train_accuracy) << network;
    EXPECT_NO_THROW(parse_trace(trace_to_json(trace), network));
  }
  options.network = "resnet18";
  EXPECT_EQ(error_of([&] { make_synthetic_cifar10_trace(options); }),
            "synthetic CIFAR-10 trace: network: unknown network, got \"resnet18\"; expected one of: resnet20_cifar10, "
            "resnet32_cifar10, resnet44_cifar10, resnet56_cifar10, resnet110_cifar10");
}

TEST(SyntheticCifar10, SmallRunsAreValid) {
  // 1 epoch, batch 7, 3 images per class: 30 = 4 x 7 + 2 -> 5 iterations, the last holding 2.
  SyntheticCifar10Options options;
  options.epochs = 1;
  options.batch_size = 7;
  options.images_per_class = 3;
  const Trace trace = make_synthetic_cifar10_trace(options);
  EXPECT_EQ(trace.iterations_per_epoch, 5);
  EXPECT_EQ(trace.iteration_samples(4), 2);
  EXPECT_NO_THROW(parse_trace(trace_to_json(trace), "small"));
}

}  // namespace
}  // namespace qtsim
