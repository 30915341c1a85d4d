#pragma once
// The synthetic CIFAR-10 / ResNet-20 reference trace (docs/traces.md).
//
// No CIFAR-10 images are reachable here, so this trace is generated, and says
// so in its provenance (kind "synthetic"). Called by `qtsim trace` and by the
// test that keeps workloads/traces/cifar10_resnet20_synthetic.cbor equal to
// the defaults' output. Promises: the same options give the same Trace, hence
// the same file bytes, on every platform (portable RNG helpers in rng.h);
// the Trace is valid (every epoch holds images_per_class samples of each class).
//   class counts   per epoch, a seeded Fisher-Yates shuffle of the sorted
//                  training labels, cut into iterations of batch_size (the
//                  last holds the remainder: 50,000 = 390 x 128 + 80);
//   accuracies     a per-class PiecewiseExponentialCurve (accuracy_model.h)
//                  under lr 0.1 / 0.01 / 0.001 with steps at 50% and 75% of
//                  the epochs, plus seeded log-normal noise on the error,
//                  rounded to 4 decimals; final mean test accuracy
//                  calibrated to He et al. 2016, Table 6, for the chosen
//                  network (ResNet-20: 8.75% error; -32, -44, -56, -110),
//                  class difficulty to public per-class results.
// Equations, parameter values and sources: workloads/traces/README.md.
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/trace/trace.h"

namespace qtsim {

inline constexpr const char* kSyntheticCifar10Generator = "qtsim synthetic_cifar10";
// Bumped whenever the model or the RNG use changes what a seed produces.
inline constexpr int kSyntheticCifar10GeneratorVersion = 1;

// A network the trace can be made for (its name is the trace's `network`),
// and its CIFAR-10 test error in He et al. 2016, Table 6 (ResNet-110: the
// mean of their 5 runs, 6.61%; the best was 6.43%).
struct SyntheticCifar10Network {
  const char* name;
  double final_test_error;
  const char* source;  // what Table 6 reports, in words
};
const std::vector<SyntheticCifar10Network>& synthetic_cifar10_networks();

struct SyntheticCifar10Options {
  std::uint64_t seed = 2022;
  std::string network = "resnet20_cifar10";  // one of synthetic_cifar10_networks()
  int epochs = 200;                          // >= 1
  int batch_size = 128;                      // in [1, 65535]
  int images_per_class = 5000;               // >= 1; 10 classes
};

// Throws Error naming the option when one is out of range.
Trace make_synthetic_cifar10_trace(const SyntheticCifar10Options& options = {});

// CIFAR-10's class names, in label order.
const std::vector<std::string>& cifar10_class_names();

// The model's noise-free final test accuracy per class (the calibration
// targets): their mean is exactly 1 - the network's final_test_error (0.0875
// for the default, ResNet-20). Throws Error for an unknown network.
std::vector<double> synthetic_cifar10_target_test_accuracy(const std::string& network = "resnet20_cifar10");

// Learning-rate step epochs for a run of `epochs` epochs: {epochs / 2,
// 3 * epochs / 4} (integer division), i.e. {100, 150} for 200 epochs.
std::vector<int> synthetic_cifar10_lr_steps(int epochs);

}  // namespace qtsim
