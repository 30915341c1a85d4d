#pragma once
// Trace: one recorded (or synthetic) training run, format version 1
// (docs/traces.md; schema in workloads/traces/README.md, "Format, version 1").
//
// Produced by read_trace()/parse_trace() (workloads/trace/trace_reader.h), which
// validate everything, and by the synthetic generator
// (workloads/trace/synthetic_cifar10.h). Consumed by the policies (per-epoch,
// per-class accuracy) and by replay (per-iteration class counts). Plain data:
// a Trace that exists is valid.
#include <cstdint>
#include <string>
#include <vector>

#include "base/json_node.h"

namespace qtsim {

struct TraceEpoch {
  std::vector<double> train_accuracy;           // per class, in [0, 1]
  std::vector<double> train_loss;               // per class, >= 0; empty when not recorded
  double test_accuracy = -1.0;                  // in [0, 1]; -1 when not recorded
  std::vector<double> test_accuracy_per_class;  // per class; empty when not recorded
  std::vector<int> tags;                        // trainer's tier per class (0 = hardest); empty when none
  std::vector<std::uint16_t> class_counts;      // iterations x classes, row-major
};

struct Trace {
  static constexpr int kFormatVersion = 1;

  std::string network;  // network name, e.g. "resnet20_cifar10"
  std::string dataset;  // e.g. "cifar10"
  std::vector<std::string> class_names;
  int batch_size = 0;
  int iterations_per_epoch = 0;
  std::int64_t train_samples_per_epoch = 0;  // the last iteration holds the remainder
  std::vector<TraceEpoch> epochs;
  Json policy = nullptr;  // the trainer's policy configuration, null when none
  Json provenance = Json::object();

  int num_classes() const { return static_cast<int>(class_names.size()); }
  int num_epochs() const { return static_cast<int>(epochs.size()); }
  // Samples in iteration `iteration` of any epoch: batch_size, except the last
  // iteration, which holds train_samples_per_epoch - (iterations - 1) * batch_size.
  int iteration_samples(int iteration) const;
  // Pointer to the num_classes() counts of one iteration.
  const std::uint16_t* counts(int epoch, int iteration) const {
    return epochs[epoch].class_counts.data() + static_cast<std::size_t>(iteration) * class_names.size();
  }
};

}  // namespace qtsim
