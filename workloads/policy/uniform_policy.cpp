#include "workloads/policy/uniform_policy.h"

#include "workloads/trace/trace.h"

namespace qtsim {

UniformPolicy::Config UniformPolicy::parse(const JsonNode& node) {
  Config c;
  if (auto precision = node.find("precision")) c.precision = parse_precision(*precision, c.precision);
  return c;
}

std::vector<EpochPlan> UniformPolicy::plan(const Trace& trace) const {
  EpochPlan plan;
  plan.tiers = {Tier{kTierName, config_.precision}};
  plan.class_tier.assign(trace.num_classes(), 0);
  return std::vector<EpochPlan>(trace.num_epochs(), plan);
}

Json UniformPolicy::resolved_config() const {
  return Json{{"impl", kImpl}, {"precision", config_.precision.to_json()}};
}

}  // namespace qtsim
