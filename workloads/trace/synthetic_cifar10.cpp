#include "workloads/trace/synthetic_cifar10.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <random>

#include "base/error.h"
#include "workloads/trace/accuracy_model.h"
#include "workloads/trace/rng.h"

namespace qtsim {
namespace {

constexpr int kClasses = 10;
constexpr int kPhases = 3;  // lr 0.1, 0.01, 0.001

// Calibration (workloads/traces/README.md, "Accuracy model"). Per-class test accuracy in
// percent of three public CIFAR-10 runs of residual networks at about 92%
// overall (airplane..truck). Only the ratios of the class errors are used.
constexpr std::array<std::array<double, kClasses>, 3> kPerClassSourceAccuracyPercent = {{
    {93, 97, 89, 83, 92, 88, 95, 93, 95, 95},  // jai-mr/Assignment-10 README, ResNet-18, 92.51%
    {94, 96, 86, 82, 94, 87, 94, 95, 95, 95},  // amitkml/ERA-V1 Session10/readme.md, ResNet-9-like, 92.25%
    {94, 96, 88, 85, 93, 86, 94, 94, 94, 94},  // tengshaofeng/ResidualAttentionNetwork-pytorch README, 92.31%
}};
// The default network, ResNet-20 (its options and calibration text are written as before networks were added).
const char* const kDefaultNetwork = "resnet20_cifar10";

// Learning-curve parameters (assumptions that give the usual shape of a
// ResNet-20 run; not fitted to a recording). Errors are class-mean values: a
// class's value is multiplied by its difficulty d_c (mean 1 over classes).
constexpr double kInitialError = 0.9;  // chance level, 1 - 1/10
constexpr std::array<double, kPhases> kTrainPlateau = {0.10, 0.035, 0.025};
constexpr std::array<double, kPhases> kTestPlateauOverFinal = {1.9, 1.05, 1.0};  // x final test error
constexpr double kFirstPhaseTauEpochs = 2.5;                                     // x sqrt(d_c)
constexpr std::array<double, kPhases> kLaterTauEpochs = {0.0, 1.0, 3.0};         // phases 1, 2
constexpr std::array<double, kPhases> kTrainNoiseSigma = {0.04, 0.02, 0.01};
constexpr std::array<double, kPhases> kTestNoiseSigma = {0.12, 0.03, 0.015};
constexpr double kRoundScale = 1e4;  // stored accuracies and losses: 4 decimals

double round4(double x) { return std::round(x * kRoundScale) / kRoundScale; }

// Error of each class relative to the mean (d_c), from the source table.
std::array<double, kClasses> class_difficulty() {
  std::array<double, kClasses> error{};
  double total = 0.0;
  for (int c = 0; c < kClasses; ++c) {
    for (const auto& row : kPerClassSourceAccuracyPercent)
      error[c] += (100.0 - row[c]) / kPerClassSourceAccuracyPercent.size();
    total += error[c];
  }
  for (double& e : error) e /= total / kClasses;
  return error;
}

// The network's entry of synthetic_cifar10_networks(); Error naming the valid ones for another name.
const SyntheticCifar10Network& network_entry(const std::string& network) {
  std::vector<std::string> names;
  for (const SyntheticCifar10Network& n : synthetic_cifar10_networks()) {
    if (network == n.name) return n;
    names.push_back(n.name);
  }
  throw Error("synthetic CIFAR-10 trace: network: unknown network, got \"" + network +
              "\"; expected one of: " + join(names));
}

double final_test_error(const std::string& network) { return network_entry(network).final_test_error; }

void check_options(const SyntheticCifar10Options& options) {
  auto fail = [](const std::string& key, long long value, const std::string& expected) {
    throw Error("synthetic CIFAR-10 trace: " + key + ": out of range, got " + std::to_string(value) + "; expected " +
                expected);
  };
  if (options.epochs < 1) fail("epochs", options.epochs, "an integer >= 1");
  if (options.batch_size < 1 || options.batch_size > 65535)
    fail("batch_size", options.batch_size, "an integer in [1, 65535]");
  if (options.images_per_class < 1 || options.images_per_class > 100000000) {
    fail("images_per_class", options.images_per_class, "an integer in [1, 100000000]");
  }
  final_test_error(options.network);
}

// One curve per class for training error (t = epoch + 0.5: the running mean
// over the epoch) or test error (t = epoch + 1: evaluated after the epoch,
// toward the network's final test error).
std::vector<PiecewiseExponentialCurve> class_curves(const std::vector<int>& starts, bool test, double final_error) {
  const std::array<double, kClasses> d = class_difficulty();
  std::vector<PiecewiseExponentialCurve> curves;
  for (int c = 0; c < kClasses; ++c) {
    std::vector<PiecewiseExponentialCurve::Phase> phases;
    for (int k = 0; k < kPhases; ++k) {
      const double plateau = test ? kTestPlateauOverFinal[k] * final_error * d[c] : kTrainPlateau[k] * d[c];
      const double tau = k == 0 ? kFirstPhaseTauEpochs * std::sqrt(d[c]) : kLaterTauEpochs[k];
      PiecewiseExponentialCurve::Phase phase{static_cast<double>(starts[k]), plateau, tau};
      // Steps that coincide (very short runs) act together: the later phase wins.
      if (!phases.empty() && phases.back().start_epoch == phase.start_epoch) {
        phases.back() = phase;
      } else {
        phases.push_back(phase);
      }
    }
    curves.emplace_back(kInitialError, std::move(phases));
  }
  return curves;
}

int phase_of(const std::vector<int>& starts, double t) {
  int k = 0;
  while (k + 1 < kPhases && t >= starts[k + 1]) ++k;
  return k;
}

// Observed error: the curve times exp(sigma * z), clamped to [0, 1].
double noisy(double error, double sigma, double z) { return std::clamp(error * std::exp(sigma * z), 0.0, 1.0); }

// The sources of the calibration, with the network's final test error (4 decimals: "0.0875").
Json calibration_json(const SyntheticCifar10Network& network) {
  char error[16];
  std::snprintf(error, sizeof error, "%.4f", network.final_test_error);
  return Json::array(
      {std::string("He, Zhang, Ren, Sun, Deep Residual Learning for Image Recognition, CVPR 2016, Table 6: ") +
           network.source + " -> mean final test error " + error,
       "Relative per-class difficulty: mean per-class test error of three public (not peer-reviewed) CIFAR-10 "
       "training logs of residual networks at about 92% accuracy (github.com/jai-mr/Assignment-10 README, ResNet-18, "
       "92.51%; github.com/amitkml/ERA-V1 Session10/readme.md, ResNet-9-like, 92.25%; "
       "github.com/tengshaofeng/ResidualAttentionNetwork-pytorch README, Attention-92, 92.31%), scaled so that "
       "the class mean is " +
           std::string(error),
       "Ordering (cat hardest, also for normally trained models): Benz, Zhang, Karjauv, Kweon, Robustness May Be "
       "at Odds with Fairness: An Empirical Study on Class-wise Accuracy, arXiv:2010.13365, 2020 (qualitative)"});
}

Json provenance_json(const SyntheticCifar10Options& options, const std::vector<int>& steps) {
  Json p = Json::object();
  p["kind"] = "synthetic";
  p["generator"] = kSyntheticCifar10Generator;
  p["generator_version"] = kSyntheticCifar10GeneratorVersion;
  p["seed"] = options.seed;
  p["options"] = {
      {"epochs", options.epochs}, {"batch_size", options.batch_size}, {"images_per_class", options.images_per_class}};
  if (options.network != kDefaultNetwork) p["options"]["network"] = options.network;
  p["model"] =
      "Synthetic, not recorded: no CIFAR-10 image was used. Class counts: per epoch a Fisher-Yates shuffle "
      "(mt19937_64, rejection-sampled bounded integers) of the sorted training labels, cut into batches. "
      "Per-class error E_c(t) = P_ck + (E_c(start_k) - P_ck) exp(-(t - start_k) / tau_ck) in learning-rate "
      "phase k, E_c(0) = 0.9; train accuracy at t = epoch + 0.5, test at t = epoch + 1; observed error = "
      "E_c(t) exp(sigma_k z), z standard normal (Box-Muller); train_loss = ln(10) (1 - train_accuracy) / 0.9; "
      "test_accuracy = mean of the per-class values (1,000 test images per class). See "
      "workloads/traces/README.md.";
  p["parameters"] = {{"lr_schedule", "0.1, divided by 10 at each step epoch"},
                     {"lr_step_epochs", steps},
                     {"class_difficulty", class_difficulty()},
                     {"initial_error", kInitialError},
                     {"train_plateau_error_per_phase", kTrainPlateau},
                     {"test_plateau_per_phase_over_final_error", kTestPlateauOverFinal},
                     {"final_mean_test_error", final_test_error(options.network)},
                     {"tau_epochs_phase0", "2.5 * sqrt(class_difficulty)"},
                     {"tau_epochs_phase1", kLaterTauEpochs[1]},
                     {"tau_epochs_phase2", kLaterTauEpochs[2]},
                     {"train_noise_sigma_per_phase", kTrainNoiseSigma},
                     {"test_noise_sigma_per_phase", kTestNoiseSigma},
                     {"rounding_decimals", 4}};
  p["calibration"] = calibration_json(network_entry(options.network));
  return p;
}

}  // namespace

const std::vector<std::string>& cifar10_class_names() {
  static const std::vector<std::string> kNames = {"airplane", "automobile", "bird",  "cat",  "deer",
                                                  "dog",      "frog",       "horse", "ship", "truck"};
  return kNames;
}

const std::vector<SyntheticCifar10Network>& synthetic_cifar10_networks() {
  static const std::vector<SyntheticCifar10Network> kNetworks = {
      {kDefaultNetwork, 0.0875, "ResNet-20 on CIFAR-10, 8.75% test error"},
      {"resnet32_cifar10", 0.0751, "ResNet-32 on CIFAR-10, 7.51% test error"},
      {"resnet44_cifar10", 0.0717, "ResNet-44 on CIFAR-10, 7.17% test error"},
      {"resnet56_cifar10", 0.0697, "ResNet-56 on CIFAR-10, 6.97% test error"},
      {"resnet110_cifar10", 0.0661, "ResNet-110 on CIFAR-10, 6.61% mean test error of 5 runs (best 6.43%)"}};
  return kNetworks;
}

std::vector<double> synthetic_cifar10_target_test_accuracy(const std::string& network) {
  const double error = final_test_error(network);
  std::vector<double> out;
  for (double d : class_difficulty()) out.push_back(1.0 - error * d);
  return out;
}

std::vector<int> synthetic_cifar10_lr_steps(int epochs) { return {epochs / 2, 3 * epochs / 4}; }

Trace make_synthetic_cifar10_trace(const SyntheticCifar10Options& options) {
  check_options(options);
  Trace trace;
  trace.network = options.network;
  trace.dataset = "cifar10";
  trace.class_names = cifar10_class_names();
  trace.batch_size = options.batch_size;
  const std::int64_t samples = static_cast<std::int64_t>(kClasses) * options.images_per_class;
  trace.train_samples_per_epoch = samples;
  trace.iterations_per_epoch = static_cast<int>((samples + options.batch_size - 1) / options.batch_size);

  const std::vector<int> steps = synthetic_cifar10_lr_steps(options.epochs);
  const std::vector<int> starts = {0, steps[0], steps[1]};
  const double final_error = final_test_error(options.network);
  const std::vector<PiecewiseExponentialCurve> train_curves = class_curves(starts, false, final_error);
  const std::vector<PiecewiseExponentialCurve> test_curves = class_curves(starts, true, final_error);

  // Two independent streams from one seed: shuffles, then noise.
  SplitMix64 seeds(options.seed);
  std::mt19937_64 shuffle_rng(seeds.next());
  std::mt19937_64 noise_rng(seeds.next());

  std::vector<std::uint8_t> sorted_labels(static_cast<std::size_t>(samples));
  for (std::int64_t i = 0; i < samples; ++i) sorted_labels[i] = static_cast<std::uint8_t>(i / options.images_per_class);

  for (int e = 0; e < options.epochs; ++e) {
    TraceEpoch epoch;
    std::vector<std::uint8_t> labels = sorted_labels;
    fisher_yates(labels, shuffle_rng);
    epoch.class_counts.assign(static_cast<std::size_t>(trace.iterations_per_epoch) * kClasses, 0);
    for (std::int64_t i = 0; i < samples; ++i) {
      ++epoch.class_counts[static_cast<std::size_t>(i / options.batch_size) * kClasses + labels[i]];
    }

    const double t_train = e + 0.5;
    const double t_test = e + 1.0;
    const int k = phase_of(starts, t_train);  // the learning rate epoch e trains at sets both noise levels
    double test_sum = 0.0;
    for (int c = 0; c < kClasses; ++c) {
      const double z_train = standard_normal(noise_rng);
      const double z_test = standard_normal(noise_rng);
      const double train_acc = round4(1.0 - noisy(train_curves[c].at(t_train), kTrainNoiseSigma[k], z_train));
      const double test_acc = round4(1.0 - noisy(test_curves[c].at(t_test), kTestNoiseSigma[k], z_test));
      epoch.train_accuracy.push_back(train_acc);
      epoch.train_loss.push_back(round4(synthetic_loss_from_error(1.0 - train_acc, kClasses)));
      epoch.test_accuracy_per_class.push_back(test_acc);
      test_sum += test_acc;
    }
    epoch.test_accuracy = round4(test_sum / kClasses);
    trace.epochs.push_back(std::move(epoch));
  }
  trace.policy = nullptr;
  trace.provenance = provenance_json(options, steps);
  return trace;
}

}  // namespace qtsim
