#pragma once
// UniformPolicy (`impl: "uniform"`): one precision for every class of every
// epoch, in a single tier named "all". The baseline of every comparison is
// this policy at 8/8/16 (docs/precision_and_policies.md).
//
// Configuration: {"impl": "uniform", "precision": {"act_bits": 8,
// "weight_bits": 8, "grad_bits": 16}}; see workloads/policy/README.md.
#include "workloads/policy/policy.h"

namespace qtsim {

class UniformPolicy final : public Policy {
 public:
  static constexpr const char* kImpl = "uniform";
  static constexpr const char* kTierName = "all";

  struct Config {
    Precision precision;  // default 8/8/16 (Precision's initialisers)
  };
  // Reads every key but `impl`; the caller rejects unknown keys.
  static Config parse(const JsonNode& node);

  explicit UniformPolicy(Config config) : config_(config) {}

  std::string impl() const override { return kImpl; }
  std::vector<EpochPlan> plan(const Trace& trace) const override;
  Json resolved_config() const override;
  const Config& config() const { return config_; }

 private:
  Config config_;
};

}  // namespace qtsim
