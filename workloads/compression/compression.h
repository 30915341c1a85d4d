#pragma once
// Compression metrics (docs/precision_and_policies.md; exact definitions in
// workloads/compression/README.md): operand bits and BitOPs of a policy's
// plans over a trace, of the uniform baseline, and of FP32, per epoch, per
// class x epoch and in total. Called once per run, after Policy::plan(); plain
// integer arithmetic, no hardware model.
//
// For one precision p, a TrainingStep costs (sums over its GEMMs, operand
// bits by role: activation -> act_bits, weight -> weight_bits, gradient ->
// grad_bits):
//   bits_per_sample(p)   = sum (a.elements_per_sample * bits(a) + b.elements_per_sample * bits(b))
//   bits_fixed(p)        = sum (a.elements_fixed * bits(a) + b.elements_fixed * bits(b))
//   bitops_per_sample(p) = sum macs_per_sample * bits(a) * bits(b)
// and a precision group of n samples costs n * bits_per_sample + bits_fixed
// operand bits (weights are read once per group) and n * bitops_per_sample
// BitOPs. Totals are exact 64-bit integers; an overflow is an Error. Ratios
// are derived on demand (compression_ratio()), never stored.
#include <cstdint>
#include <vector>

#include "workloads/lowering/training_step.h"
#include "workloads/policy/policy.h"

namespace qtsim {

struct Trace;

// The linear cost coefficients of one TrainingStep at one precision.
struct PrecisionCost {
  std::int64_t bits_per_sample = 0;    // operand bits that scale with the samples
  std::int64_t bits_fixed = 0;         // operand bits per group (weights)
  std::int64_t bitops_per_sample = 0;  // MACs x bits(a) x bits(b) per sample
};
PrecisionCost precision_cost(const TrainingStep& step, const Precision& precision);

// The precision every operand of the FP32 reference is held at.
inline constexpr Precision kFp32Precision{32, 32, 32};

struct CompressionTotals {
  std::int64_t bits = 0;    // operand bits
  std::int64_t bitops = 0;  // bit operations
};

// reference / value as a double (e.g. baseline bits / policy bits); NaN when
// value is 0 (nothing was computed).
double compression_ratio(std::int64_t reference, std::int64_t value);

// One precision group's use over an epoch.
struct GroupUsage {
  Precision precision;
  std::int64_t samples = 0;      // samples trained at this precision
  std::int64_t sub_batches = 0;  // iterations in which the group is non-empty
};

struct EpochCompression {
  int epoch = 0;
  CompressionTotals policy, baseline, fp32;
  std::vector<std::int64_t> tier_samples;  // per tier of the epoch's plan
  std::vector<GroupUsage> groups;          // per distinct precision of the plan, group order (empty ones included)
};

// Per-sample terms only: the fixed (weight) operand bits belong to groups,
// not to classes, so per-class figures leave them out.
struct ClassEpochCompression {
  int tier = 0;
  std::int64_t samples = 0;
  CompressionTotals policy, baseline, fp32;
};

struct CompressionReport {
  Precision baseline_precision;
  int num_classes = 0;
  CompressionTotals policy, baseline, fp32;  // over every epoch of the report
  std::vector<EpochCompression> epochs;
  std::vector<ClassEpochCompression> class_epochs;  // epochs.size() x num_classes, row-major

  // `epoch_index` indexes `epochs` (trace epoch - the range's first epoch).
  const ClassEpochCompression& class_epoch(std::size_t epoch_index, int class_index) const {
    return class_epochs[epoch_index * num_classes + class_index];
  }
};

// Which epochs of the trace to count: [first, first + count), count 0 = to the
// end (as RunSettings' first_epoch/num_epochs).
struct EpochRange {
  int first = 0;
  int count = 0;
};

// `plans` must hold one plan per epoch of `trace` (Policy::plan()); the
// baseline is one group per iteration at `baseline` (the uniform policy), the
// FP32 reference one group per iteration at kFp32Precision.
CompressionReport compute_compression(const TrainingStep& step, const Trace& trace, const std::vector<EpochPlan>& plans,
                                      const Precision& baseline = Precision{}, EpochRange range = EpochRange{});

}  // namespace qtsim
