#pragma once
// Policy: a bit-width policy (docs/precision_and_policies.md) maps (epoch, class, the
// trace's difficulty data) to a Precision.
//
// Built once per run from the `policy` configuration section by make_policy()
// (an `impl` name chooses the variant; an unknown name is an error listing the
// valid ones). plan() is called once per trace, before replay and before the
// compression metrics; it returns one EpochPlan per epoch of the trace,
// computed in epoch order (stateful options such as hysteresis and sticky
// tiers depend on the previous epoch's plan). Policies are plain C++ objects:
// no SystemC, no global state; plan() is const and may be called repeatedly.
//
// Tier convention: tier 0 is the *hardest* tier, the one every class starts in
// and, by convention, the one with the highest precision; higher indices are
// easier tiers. The convention is not enforced on the precisions (an inverted
// ablation is allowed), only on the tagging rules.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/json_node.h"
#include "workloads/precision.h"

namespace qtsim {

struct Trace;

struct Tier {
  std::string name;     // e.g. "hard", "easy"; unique within a plan
  Precision precision;  // the bit widths its samples train at
};

// A per-sample split of an epoch (random_assignment): `samples` of the
// epoch's samples_per_epoch samples leave tier 0 for tier `tier`, spread over
// the iterations as floor(samples S(i) / N) - floor(samples S(i-1) / N) in
// iteration i, S(i) = min((i + 1) batch_size, N) the samples up to its end.
struct SampleSplit {
  int tier = 1;
  std::int64_t samples = 0;
  std::int64_t batch_size = 1;
  std::int64_t samples_per_epoch = 1;

  std::int64_t in_iteration(int iteration) const {
    const auto upto = [&](std::int64_t i) { return std::min(i * batch_size, samples_per_epoch); };
    return samples * upto(iteration + 1) / samples_per_epoch - samples * upto(iteration) / samples_per_epoch;
  }
};

// The class -> tier table of one epoch (what the precision controller holds).
struct EpochPlan {
  std::vector<Tier> tiers;      // tier 0 = hardest
  std::vector<int> class_tier;  // per class of the trace: an index into `tiers`
  // Set by per-sample policies: every class is tagged tier 0 in class_tier,
  // and each iteration moves sample_split->in_iteration(i) samples to its tier.
  std::optional<SampleSplit> sample_split;

  const Precision& class_precision(int class_index) const { return tiers[class_tier[class_index]].precision; }
};

class Policy {
 public:
  virtual ~Policy() = default;

  // The registry name of this variant ("uniform", "class_difficulty", ...).
  virtual std::string impl() const = 0;
  // One plan per epoch of `trace`, in epoch order. Throws Error when the trace
  // does not fit the configuration (e.g. top_k asks for more classes than the
  // trace has); the message names the configuration source and key.
  virtual std::vector<EpochPlan> plan(const Trace& trace) const = 0;
  // The fully resolved configuration: {"impl": ..., every key with its default
  // filled in}. Parsing it again gives an identical policy.
  virtual Json resolved_config() const = 0;
};

// Builds the policy named by `impl` (default: the one in kDefaultPolicyImpl)
// from a configuration object; every other key is validated by that variant,
// and unknown keys are errors.
inline constexpr const char* kDefaultPolicyImpl = "class_difficulty";
std::unique_ptr<Policy> make_policy(const JsonNode& node);
// The valid `impl` names, sorted.
std::vector<std::string> policy_impls();

// "<source>: <path>." (or "<source>: " at a document root): prepended to a key
// path, it gives the JsonNode error form for errors a policy raises in plan().
std::string key_prefix(const JsonNode& node);

}  // namespace qtsim
