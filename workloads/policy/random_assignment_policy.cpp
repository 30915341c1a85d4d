#include "workloads/policy/random_assignment_policy.h"

#include "base/error.h"
#include "workloads/trace/trace.h"

namespace qtsim {

RandomAssignmentPolicy::Config RandomAssignmentPolicy::parse(const JsonNode& node) {
  Config c;
  if (auto high = node.find("high")) c.high = parse_precision(*high, c.high);
  if (auto low = node.find("low")) c.low = parse_precision(*low, c.low);
  if (!node.has("low_samples_per_epoch")) {
    node.fail(
        "missing key `low_samples_per_epoch` (the samples at `low` precision in each epoch; the trainer's trace "
        "records it)");
  }
  const JsonNode counts = node.at("low_samples_per_epoch");
  counts.require_array();
  if (counts.size() == 0) counts.fail_value("empty", "an array of integers >= 0, one per epoch");
  for (std::size_t e = 0; e < counts.size(); ++e) c.low_samples.push_back(counts.at(e).as_int(0, kMaxSamples));
  return c;
}

std::vector<EpochPlan> RandomAssignmentPolicy::plan(const Trace& trace) const {
  const int num_epochs = trace.num_epochs();
  if (static_cast<int>(config_.low_samples.size()) < num_epochs) {
    throw Error(key_prefix_ + "low_samples_per_epoch: " + std::to_string(config_.low_samples.size()) +
                " entries for a trace of " + std::to_string(num_epochs) + " epochs; expected at least one per epoch");
  }
  std::vector<EpochPlan> plans(num_epochs);
  for (int e = 0; e < num_epochs; ++e) {
    const std::int64_t low = config_.low_samples[e];
    if (low > trace.train_samples_per_epoch) {
      throw Error(key_prefix_ + "low_samples_per_epoch." + std::to_string(e) + ": " + std::to_string(low) +
                  " exceeds the trace's " + std::to_string(trace.train_samples_per_epoch) +
                  " samples per epoch; expected at most that");
    }
    plans[e].tiers = {Tier{"high", config_.high}, Tier{"low", config_.low}};
    plans[e].class_tier.assign(trace.num_classes(), 0);
    plans[e].sample_split = SampleSplit{1, low, trace.batch_size, trace.train_samples_per_epoch};
  }
  return plans;
}

Json RandomAssignmentPolicy::resolved_config() const {
  return Json{{"impl", kImpl},
              {"high", config_.high.to_json()},
              {"low", config_.low.to_json()},
              {"low_samples_per_epoch", config_.low_samples}};
}

}  // namespace qtsim
