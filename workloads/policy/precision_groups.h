#pragma once
// Precision groups (docs/precision_and_policies.md): the samples of one mini-batch that
// train at one Precision form one sub-batch; the precision controller runs the
// groups one after another and reconfigures the array between them.
//
// Built once per epoch from its EpochPlan (replay and the compression metrics
// call split()/count() once per iteration, so both are allocation-free apart
// from split()'s result). Rules:
//   - tiers with identical precisions merge into one group;
//   - group order: by the lowest tier index carrying the group's precision,
//     i.e. hardest first (tier 0's group is group 0);
//   - split() omits groups with no samples in the iteration;
//   - a plan with a SampleSplit (random_assignment) moves that iteration's
//     split samples from tier 0's group to the split tier's group.
#include <cstdint>
#include <vector>

#include "workloads/policy/policy.h"

namespace qtsim {

struct PrecisionGroup {
  Precision precision;
  std::int64_t samples = 0;
};

class PrecisionGrouping {
 public:
  explicit PrecisionGrouping(const EpochPlan& plan);

  // The distinct precisions of the plan, in group order.
  const std::vector<Precision>& precisions() const { return precisions_; }
  int num_groups() const { return static_cast<int>(precisions_.size()); }
  int group_of_tier(int tier) const { return tier_group_[tier]; }
  int group_of_class(int class_index) const { return class_group_[class_index]; }

  // Adds the samples per group of iteration `iteration` (of its epoch) to
  // group_samples[0 .. num_groups()), from its per-class counts (num_classes
  // of the plan; Trace::counts()).
  void count(const std::uint16_t* class_counts, int iteration, std::int64_t* group_samples) const;
  // The non-empty groups of one iteration, in group order.
  std::vector<PrecisionGroup> split(const std::uint16_t* class_counts, int iteration) const;
  // The per-sample split of the plan (if any) applied to per-group samples
  // counted by class: moves that iteration's split samples between groups.
  void apply_split(int iteration, std::int64_t* group_samples) const;

 private:
  std::vector<Precision> precisions_;
  std::vector<int> tier_group_;
  std::vector<int> class_group_;
  std::optional<SampleSplit> sample_split_;
};

}  // namespace qtsim
