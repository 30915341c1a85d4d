#pragma once
// RandomAssignmentPolicy (`impl: "random_assignment"`): a label-independent
// control for class_difficulty. Epoch e puts exactly low_samples_per_epoch[e]
// of its samples at the `low` precision and the rest at `high`, regardless of
// their classes: iteration i, holding samples S(i-1) + 1 .. S(i) of the epoch,
// has floor(L S(i) / N) - floor(L S(i-1) / N) low samples (L the epoch's low
// samples, N the samples per epoch). The trainer (scripts/qtsim_trainer) puts
// that many samples of the shuffled mini-batch at `low`, so qtsim replaying its
// trace reproduces every iteration's precision groups exactly.
//
// Plans: tiers {high, low}; every class is tagged tier 0 (the trainer's tags);
// the per-sample split is the plan's SampleSplit (precision_groups.h applies it).
//
// Configuration: {"impl": "random_assignment", "high": {8/8/16}, "low": {4/4/8},
// "low_samples_per_epoch": [L0, L1, ...]} (at least one entry per epoch of the
// trace; each at most the trace's samples per epoch); see workloads/policy/README.md.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "workloads/policy/policy.h"

namespace qtsim {

class RandomAssignmentPolicy final : public Policy {
 public:
  static constexpr const char* kImpl = "random_assignment";
  static constexpr std::int64_t kMaxSamples = std::int64_t{1} << 40;

  struct Config {
    Precision high;                         // default 8/8/16
    Precision low{4, 4, 8};                 // default 4/4/8
    std::vector<std::int64_t> low_samples;  // per epoch; required
  };
  // Reads and validates every key but `impl`; the caller rejects unknown keys.
  static Config parse(const JsonNode& node);

  explicit RandomAssignmentPolicy(Config config, std::string key_prefix = "random_assignment policy: ")
      : config_(std::move(config)), key_prefix_(std::move(key_prefix)) {}

  std::string impl() const override { return kImpl; }
  std::vector<EpochPlan> plan(const Trace& trace) const override;
  Json resolved_config() const override;
  const Config& config() const { return config_; }

 private:
  Config config_;
  std::string key_prefix_;
};

}  // namespace qtsim
