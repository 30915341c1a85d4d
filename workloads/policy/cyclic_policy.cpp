#include "workloads/policy/cyclic_policy.h"

#include <cassert>
#include <cmath>

#include "base/error.h"
#include "workloads/trace/trace.h"

namespace qtsim {

CyclicPolicy::Config CyclicPolicy::parse(const JsonNode& node) {
  Config c;
  c.min_bits = static_cast<int>(node.get_int("min_bits", c.min_bits, Precision::kMinBits, Precision::kMaxBits));
  auto max_bits = node.find("max_bits");
  if (max_bits) {
    c.max_bits = static_cast<int>(max_bits->as_int(c.min_bits, Precision::kMaxBits));
  } else if (c.min_bits > c.max_bits) {
    node.at("min_bits")
        .fail_value("above the default max_bits " + std::to_string(c.max_bits),
                    "an integer in [1, " + std::to_string(c.max_bits) + "], or a larger `max_bits`");
  }
  c.grad_bits = static_cast<int>(node.get_int("grad_bits", c.grad_bits, Precision::kMinBits, Precision::kMaxBits));
  c.num_cycles = static_cast<int>(node.get_int("num_cycles", c.num_cycles, 1, kMaxCycles));
  return c;
}

int CyclicPolicy::forward_bits(const Config& config, int epoch, int num_epochs) {
  assert(num_epochs > 0 && epoch >= 0);
  const double pi = std::acos(-1.0);
  // (t mod T) / T with T = num_epochs / num_cycles, in exact integers.
  const long long phase = static_cast<long long>(epoch) * config.num_cycles % num_epochs;
  const double fraction = static_cast<double>(phase) / num_epochs;
  const double bits = config.min_bits + 0.5 * (config.max_bits - config.min_bits) * (1.0 - std::cos(pi * fraction));
  return static_cast<int>(std::ceil(bits - kCeilTolerance));
}

std::vector<EpochPlan> CyclicPolicy::plan(const Trace& trace) const {
  const int num_epochs = trace.num_epochs();
  if (config_.num_cycles > num_epochs) {
    throw Error(key_prefix_ + "num_cycles: " + std::to_string(config_.num_cycles) + " cycles do not fit the trace's " +
                std::to_string(num_epochs) + " epochs (the precision changes once per epoch); expected at most " +
                std::to_string(num_epochs));
  }
  std::vector<EpochPlan> plans(num_epochs);
  for (int e = 0; e < num_epochs; ++e) {
    const int bits = forward_bits(config_, e, num_epochs);
    plans[e].tiers = {Tier{kTierName, Precision{bits, bits, config_.grad_bits}}};
    plans[e].class_tier.assign(trace.num_classes(), 0);
  }
  return plans;
}

Json CyclicPolicy::resolved_config() const {
  return Json{{"impl", kImpl},
              {"min_bits", config_.min_bits},
              {"max_bits", config_.max_bits},
              {"grad_bits", config_.grad_bits},
              {"num_cycles", config_.num_cycles}};
}

}  // namespace qtsim
