// The tagging rules of ClassDifficultyPolicy (configuration reading is in
// class_difficulty_config.cpp).
#include "workloads/policy/class_difficulty_policy.h"

#include <algorithm>
#include <numeric>

#include "base/error.h"
#include "workloads/trace/trace.h"

namespace qtsim {

int ClassDifficultyPolicy::tier_reached(double accuracy, double mean, double shift) const {
  int reached = 0;
  for (std::size_t i = 1; i < config_.tiers.size(); ++i) {
    const TierConfig& t = config_.tiers[i];
    bool meets = config_.tagging == Tagging::threshold ? accuracy >= t.min_accuracy + shift
                                                       : accuracy > mean + t.mean_offset + shift;
    if (!meets) break;  // boundaries rise with i: no easier tier is met either
    reached = static_cast<int>(i);
  }
  return reached;
}

std::vector<int> ClassDifficultyPolicy::tag(const std::vector<double>& accuracy,
                                            const std::vector<int>& previous) const {
  const int num_classes = static_cast<int>(accuracy.size());
  std::vector<int> tier(num_classes, 0);
  if (config_.tagging == Tagging::top_k) {
    std::vector<int> order(num_classes);
    std::iota(order.begin(), order.end(), 0);
    // Highest accuracy first; stable, so ties keep the lower class index first.
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return accuracy[a] > accuracy[b]; });
    for (int rank = 0; rank < num_classes; ++rank) {
      int reached = 0;
      for (std::size_t i = 1; i < config_.tiers.size() && rank < config_.tiers[i].k; ++i) reached = static_cast<int>(i);
      tier[order[rank]] = reached;
    }
  } else {
    double mean = 0.0;
    if (config_.tagging == Tagging::above_mean) {
      for (double a : accuracy) mean += a;
      mean /= num_classes;
    }
    const double h = config_.hysteresis;
    for (int c = 0; c < num_classes; ++c) {
      int up = tier_reached(accuracy[c], mean, +h);
      // With h = 0 both branches give tier_reached(accuracy, mean, 0).
      tier[c] = up > previous[c] ? up : std::min(previous[c], tier_reached(accuracy[c], mean, -h));
    }
  }
  if (config_.sticky) {
    for (int c = 0; c < num_classes; ++c) tier[c] = std::max(tier[c], previous[c]);
  }
  return tier;
}

std::vector<EpochPlan> ClassDifficultyPolicy::plan(const Trace& trace) const {
  const int num_classes = trace.num_classes();
  if (config_.tagging == Tagging::top_k && config_.tiers[1].k > num_classes) {
    throw Error(key_prefix_ + "tiers[1].k: " + std::to_string(config_.tiers[1].k) + " exceeds the trace's " +
                std::to_string(num_classes) + " classes; expected at most " + std::to_string(num_classes));
  }
  std::vector<Tier> tiers;
  for (const TierConfig& t : config_.tiers) tiers.push_back(Tier{t.name, t.precision});

  std::vector<EpochPlan> plans(trace.num_epochs());
  std::vector<int> previous(num_classes, 0);
  const int first_tagged_epoch = std::max(1, config_.warmup_epochs);
  for (int e = 0; e < trace.num_epochs(); ++e) {
    plans[e].tiers = tiers;
    plans[e].class_tier =
        e < first_tagged_epoch ? std::vector<int>(num_classes, 0) : tag(trace.epochs[e - 1].train_accuracy, previous);
    previous = plans[e].class_tier;
  }
  return plans;
}

}  // namespace qtsim
