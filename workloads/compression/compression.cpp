#include "workloads/compression/compression.h"

#include <algorithm>
#include <limits>
#include <map>
#include <string>

#include "base/error.h"
#include "workloads/policy/precision_groups.h"
#include "workloads/trace/trace.h"

namespace qtsim {
namespace {

[[noreturn]] void overflow(const char* what) {
  throw Error(std::string("compression metrics: ") + what +
              " overflow 64-bit integers; the workload is too large to count exactly");
}

std::int64_t mul(std::int64_t a, std::int64_t b, const char* what) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) overflow(what);
  return r;
}

std::int64_t add(std::int64_t a, std::int64_t b, const char* what) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) overflow(what);
  return r;
}

int bits_of(Role role, const Precision& p) {
  switch (role) {
    case Role::activation:
      return p.act_bits;
    case Role::weight:
      return p.weight_bits;
    case Role::gradient:
      return p.grad_bits;
  }
  return 0;
}

// n samples in `sub_batches` groups at one precision.
void accumulate(CompressionTotals& totals, const PrecisionCost& cost, std::int64_t samples, std::int64_t sub_batches) {
  std::int64_t bits = add(mul(samples, cost.bits_per_sample, "operand bits"),
                          mul(sub_batches, cost.bits_fixed, "operand bits"), "operand bits");
  totals.bits = add(totals.bits, bits, "operand bits");
  totals.bitops = add(totals.bitops, mul(samples, cost.bitops_per_sample, "BitOPs"), "BitOPs");
}

void accumulate(CompressionTotals& totals, const CompressionTotals& more) {
  totals.bits = add(totals.bits, more.bits, "operand bits");
  totals.bitops = add(totals.bitops, more.bitops, "BitOPs");
}

// The plans must match the trace: checked here because plans may be built by
// hand (tests, tools), not only by a Policy.
void check_plan(const EpochPlan& plan, int epoch, int num_classes) {
  std::string where = "compression metrics: plan of epoch " + std::to_string(epoch);
  if (plan.tiers.empty()) throw Error(where + ": no tiers");
  if (static_cast<int>(plan.class_tier.size()) != num_classes) {
    throw Error(where + ": " + std::to_string(plan.class_tier.size()) + " class entries for a trace of " +
                std::to_string(num_classes) + " classes");
  }
  for (int tier : plan.class_tier) {
    if (tier < 0 || tier >= static_cast<int>(plan.tiers.size())) {
      throw Error(where + ": tier index " + std::to_string(tier) + " outside [0, " + std::to_string(plan.tiers.size()) +
                  ")");
    }
  }
  if (!plan.sample_split) return;
  const SampleSplit& split = *plan.sample_split;
  const bool all_tier0 = std::all_of(plan.class_tier.begin(), plan.class_tier.end(), [](int t) { return t == 0; });
  if (!all_tier0 || split.tier < 1 || split.tier >= static_cast<int>(plan.tiers.size()) || split.samples < 0 ||
      split.samples > split.samples_per_epoch) {
    throw Error(where + ": a per-sample split needs every class in tier 0, a split tier in [1, " +
                std::to_string(plan.tiers.size()) + ") and 0..samples_per_epoch split samples");
  }
}

// The end of `range`; throws unless `plans` holds one plan per epoch of the
// trace and the range lies within the trace's epochs.
int checked_range_end(const Trace& trace, const std::vector<EpochPlan>& plans, EpochRange range) {
  const int num_epochs = trace.num_epochs();
  if (static_cast<int>(plans.size()) != num_epochs) {
    throw Error("compression metrics: " + std::to_string(plans.size()) + " epoch plans for a trace of " +
                std::to_string(num_epochs) + " epochs");
  }
  const int end = range.count == 0 ? num_epochs : range.first + range.count;
  if (range.first < 0 || range.count < 0 || end > num_epochs || range.first >= end) {
    throw Error("compression metrics: epochs [" + std::to_string(range.first) + ", " + std::to_string(end) +
                ") are not within the trace's " + std::to_string(num_epochs) + " epochs");
  }
  return end;
}

// Linearity: every cost is a combination of three coefficients per
// precision, computed once per distinct precision (the baseline's and FP32's
// first, on construction).
class PrecisionCosts {
 public:
  PrecisionCosts(const TrainingStep& step, const Precision& baseline)
      : step_(step), baseline_(of(baseline)), fp32_(of(kFp32Precision)) {}

  const PrecisionCost& of(const Precision& p) {
    auto it = costs_.find(p);
    if (it == costs_.end()) it = costs_.emplace(p, precision_cost(step_, p)).first;
    return it->second;
  }
  const PrecisionCost& baseline() const { return baseline_; }
  const PrecisionCost& fp32() const { return fp32_; }

 private:
  // Declared in this order: baseline_ and fp32_ are initialised through of().
  const TrainingStep& step_;
  std::map<Precision, PrecisionCost> costs_;
  const PrecisionCost& baseline_;
  const PrecisionCost& fp32_;
};

struct EpochCounts {
  std::int64_t samples = 0;  // samples of the epoch
  std::int64_t batches = 0;  // non-empty iterations
};

// One pass over the iterations of epoch `e`: samples per class (into
// `class_samples`), and per group of `grouping` (`groups`, in group order)
// its samples and the number of iterations in which it is non-empty (its
// sub-batches).
EpochCounts count_epoch(const Trace& trace, int e, const PrecisionGrouping& grouping,
                        std::vector<std::int64_t>& class_samples, std::vector<GroupUsage>& groups) {
  const int num_classes = trace.num_classes();
  const int num_groups = grouping.num_groups();
  std::vector<std::int64_t> iteration_groups(num_groups);
  std::vector<int> class_group(num_classes);
  for (int c = 0; c < num_classes; ++c) class_group[c] = grouping.group_of_class(c);
  std::fill(class_samples.begin(), class_samples.end(), 0);
  EpochCounts counts;
  for (int i = 0; i < trace.iterations_per_epoch; ++i) {
    const std::uint16_t* iteration_counts = trace.counts(e, i);
    std::fill(iteration_groups.begin(), iteration_groups.end(), 0);
    for (int c = 0; c < num_classes; ++c) {
      class_samples[c] += iteration_counts[c];
      iteration_groups[class_group[c]] += iteration_counts[c];
    }
    grouping.apply_split(i, iteration_groups.data());
    bool any = false;
    for (int g = 0; g < num_groups; ++g) {
      groups[g].samples += iteration_groups[g];
      groups[g].sub_batches += iteration_groups[g] > 0;
      any = any || iteration_groups[g] > 0;
    }
    counts.batches += any;
  }
  for (int c = 0; c < num_classes; ++c) counts.samples += class_samples[c];
  return counts;
}

// The epoch's samples per tier, and its row per class in the report.
void add_class_epochs(const EpochPlan& plan, const std::vector<std::int64_t>& class_samples, PrecisionCosts& costs,
                      EpochCompression& epoch, CompressionReport& report) {
  epoch.tier_samples.assign(plan.tiers.size(), 0);
  std::int64_t total = 0;
  for (std::int64_t n : class_samples) total += n;
  for (std::size_t c = 0; c < class_samples.size(); ++c) {
    const int tier = plan.class_tier[c];
    epoch.tier_samples[tier] += class_samples[c];
    ClassEpochCompression ce;
    ce.tier = tier;
    ce.samples = class_samples[c];
    // A per-sample split moves samples regardless of class: a class's row
    // prices its proportional share of them (rounded down) at the split tier.
    const std::int64_t moved =
        plan.sample_split && total > 0 ? mul(class_samples[c], plan.sample_split->samples, "samples") / total : 0;
    accumulate(ce.policy, costs.of(plan.tiers[tier].precision), class_samples[c] - moved, 0);
    if (moved > 0) accumulate(ce.policy, costs.of(plan.tiers[plan.sample_split->tier].precision), moved, 0);
    accumulate(ce.baseline, costs.baseline(), class_samples[c], 0);
    accumulate(ce.fp32, costs.fp32(), class_samples[c], 0);
    report.class_epochs.push_back(ce);
  }
  if (plan.sample_split) {
    epoch.tier_samples[0] -= plan.sample_split->samples;
    epoch.tier_samples[plan.sample_split->tier] += plan.sample_split->samples;
  }
}

}  // namespace

PrecisionCost precision_cost(const TrainingStep& step, const Precision& precision) {
  PrecisionCost cost;
  for (const GemmSpec& g : step.gemms) {
    const std::int64_t bits_a = bits_of(g.a.role, precision);
    const std::int64_t bits_b = bits_of(g.b.role, precision);
    for (const auto& [operand, bits] : {std::pair{&g.a, bits_a}, std::pair{&g.b, bits_b}}) {
      cost.bits_per_sample =
          add(cost.bits_per_sample, mul(operand->elements_per_sample, bits, "operand bits"), "operand bits");
      cost.bits_fixed = add(cost.bits_fixed, mul(operand->elements_fixed, bits, "operand bits"), "operand bits");
    }
    cost.bitops_per_sample = add(cost.bitops_per_sample, mul(g.macs_per_sample(), bits_a * bits_b, "BitOPs"), "BitOPs");
  }
  return cost;
}

double compression_ratio(std::int64_t reference, std::int64_t value) {
  if (value == 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(reference) / static_cast<double>(value);
}

CompressionReport compute_compression(const TrainingStep& step, const Trace& trace, const std::vector<EpochPlan>& plans,
                                      const Precision& baseline, EpochRange range) {
  const int end = checked_range_end(trace, plans, range);
  PrecisionCosts costs(step, baseline);

  CompressionReport report;
  report.baseline_precision = baseline;
  report.num_classes = trace.num_classes();
  std::vector<std::int64_t> class_samples(report.num_classes);
  for (int e = range.first; e < end; ++e) {
    const EpochPlan& plan = plans[e];
    check_plan(plan, e, report.num_classes);
    const PrecisionGrouping grouping(plan);
    EpochCompression epoch;
    epoch.epoch = e;
    for (const Precision& p : grouping.precisions()) epoch.groups.push_back(GroupUsage{p, 0, 0});
    const EpochCounts counts = count_epoch(trace, e, grouping, class_samples, epoch.groups);

    for (const GroupUsage& g : epoch.groups) accumulate(epoch.policy, costs.of(g.precision), g.samples, g.sub_batches);
    accumulate(epoch.baseline, costs.baseline(), counts.samples, counts.batches);
    accumulate(epoch.fp32, costs.fp32(), counts.samples, counts.batches);
    add_class_epochs(plan, class_samples, costs, epoch, report);
    accumulate(report.policy, epoch.policy);
    accumulate(report.baseline, epoch.baseline);
    accumulate(report.fp32, epoch.fp32);
    report.epochs.push_back(std::move(epoch));
  }
  return report;
}

}  // namespace qtsim
