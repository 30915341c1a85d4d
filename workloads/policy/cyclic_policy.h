#pragma once
// CyclicPolicy (`impl: "cyclic"`): cyclic precision training (CPT; Fu et al.,
// "CPT: Efficient Deep Neural Network Training via Cyclic Precision",
// ICLR 2021), a published alternative to class difficulty. The forward
// precision (act_bits = weight_bits) follows the paper's cosine schedule
//     b(t) = ceil(b_min + 0.5 (b_max - b_min) (1 - cos(pi (t mod T) / T)))
// with T = num_epochs / num_cycles, while grad_bits stays fixed; every class
// shares one tier, "cyclic".
//
// Granularity: t is the *epoch* index (the precision changes once per epoch),
// not the iteration as in the paper, because plans are per epoch. (t mod T)/T
// is computed exactly as ((t * num_cycles) mod num_epochs) / num_epochs, and
// the ceiling ignores a rounding excess below kCeilTolerance, so values that
// are whole numbers in exact arithmetic stay whole.
#include <string>
#include <utility>

#include "workloads/policy/policy.h"

namespace qtsim {

class CyclicPolicy final : public Policy {
 public:
  static constexpr const char* kImpl = "cyclic";
  static constexpr const char* kTierName = "cyclic";
  static constexpr double kCeilTolerance = 1e-9;
  static constexpr int kMaxCycles = 1000000;

  // Defaults: the paper's CIFAR setting (forward 3..8 bits, 8-bit gradients,
  // 32 cycles over the run).
  struct Config {
    int min_bits = 3;     // b_min, forward (act and weight)
    int max_bits = 8;     // b_max, forward; >= min_bits
    int grad_bits = 8;    // fixed gradient width
    int num_cycles = 32;  // cycles over the whole trace; at most its number of epochs
  };
  // Reads and validates every key but `impl`; the caller rejects unknown keys.
  static Config parse(const JsonNode& node);
  // b(t) above, for epoch `epoch` of a run of `num_epochs` epochs.
  static int forward_bits(const Config& config, int epoch, int num_epochs);

  // `key_prefix` (see key_prefix()) locates the configuration in plan-time errors.
  explicit CyclicPolicy(Config config, std::string key_prefix = "cyclic policy: ")
      : config_(config), key_prefix_(std::move(key_prefix)) {}

  std::string impl() const override { return kImpl; }
  std::vector<EpochPlan> plan(const Trace& trace) const override;
  Json resolved_config() const override;
  const Config& config() const { return config_; }

 private:
  Config config_;
  std::string key_prefix_;
};

}  // namespace qtsim
