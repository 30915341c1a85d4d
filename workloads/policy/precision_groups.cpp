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
  sample_split_ = plan.sample_split;
}

void PrecisionGrouping::apply_split(int iteration, std::int64_t* group_samples) const {
  if (!sample_split_) return;
  const std::int64_t moved = sample_split_->in_iteration(iteration);
  group_samples[tier_group_[0]] -= moved;
  group_samples[tier_group_[sample_split_->tier]] += moved;
}

void PrecisionGrouping::count(const std::uint16_t* class_counts, int iteration, std::int64_t* group_samples) const {
  std::vector<std::int64_t> samples(precisions_.size(), 0);
  for (std::size_t c = 0; c < class_group_.size(); ++c) samples[class_group_[c]] += class_counts[c];
  apply_split(iteration, samples.data());
  for (std::size_t g = 0; g < samples.size(); ++g) group_samples[g] += samples[g];
}

std::vector<PrecisionGroup> PrecisionGrouping::split(const std::uint16_t* class_counts, int iteration) const {
  std::vector<std::int64_t> samples(precisions_.size(), 0);
  count(class_counts, iteration, samples.data());
  std::vector<PrecisionGroup> groups;
  for (std::size_t g = 0; g < precisions_.size(); ++g) {
    if (samples[g] > 0) groups.push_back(PrecisionGroup{precisions_[g], samples[g]});
  }
  return groups;
}

}  // namespace qtsim
