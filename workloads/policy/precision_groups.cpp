#include "workloads/policy/precision_groups.h"

#include <algorithm>

namespace qtsim {

PrecisionGrouping::PrecisionGrouping(const EpochPlan& plan) {
  for (const Tier& tier : plan.tiers) {
    auto it = std::find(precisions_.begin(), precisions_.end(), tier.precision);
    tier_group_.push_back(static_cast<int>(it - precisions_.begin()));
    if (it == precisions_.end()) precisions_.push_back(tier.precision);
  }
  for (int tier : plan.class_tier) class_group_.push_back(tier_group_[tier]);
}

void PrecisionGrouping::count(const std::uint16_t* class_counts, std::int64_t* group_samples) const {
  for (std::size_t c = 0; c < class_group_.size(); ++c) group_samples[class_group_[c]] += class_counts[c];
}

std::vector<PrecisionGroup> PrecisionGrouping::split(const std::uint16_t* class_counts) const {
  std::vector<std::int64_t> samples(precisions_.size(), 0);
  count(class_counts, samples.data());
  std::vector<PrecisionGroup> groups;
  for (std::size_t g = 0; g < precisions_.size(); ++g) {
    if (samples[g] > 0) groups.push_back(PrecisionGroup{precisions_[g], samples[g]});
  }
  return groups;
}

}  // namespace qtsim
