#pragma once
// ClassDifficultyPolicy (`impl: "class_difficulty"`): the paper's idea (Jo &
// Park, ISOCC 2022; docs/precision_and_policies.md). At epoch e every class is tagged
// into a tier from the trace's per-class training accuracy of epoch e - 1;
// epoch 0 (no previous data) and the warm-up epochs put every class in tier 0.
//
// Tiers are listed hardest first (tier 0 = hardest, highest precision by
// convention). A class's tier under each `tagging`, for tiers i >= 1:
//   threshold   accuracy >= tiers[i].min_accuracy   (thresholds strictly rise with i)
//   top_k       rank < tiers[i].k, rank 0 = highest accuracy, ties broken by
//               the lower class index                (k strictly falls with i)
//   above_mean  accuracy > mean + tiers[i].mean_offset, mean = unweighted mean
//               of the classes' accuracies           (offsets strictly rise with i)
// and the class takes the highest tier whose rule it meets (tier 0 if none).
// `hysteresis` h (threshold and above_mean only) shifts the rules: a class
// moves to an easier tier only when it meets that tier's rule with h added to
// the boundary, and leaves its current tier only when it fails that tier's
// rule with h subtracted (then it drops to the highest tier whose rule it
// meets with h subtracted). `sticky` keeps a class from ever moving to a
// harder tier. Full key reference: workloads/policy/README.md.
#include <string>
#include <utility>
#include <vector>

#include "workloads/policy/policy.h"

namespace qtsim {

class ClassDifficultyPolicy final : public Policy {
 public:
  static constexpr const char* kImpl = "class_difficulty";
  static constexpr int kMaxEpochs = 1000000;
  static constexpr int kMaxK = 1000000;

  enum class Tagging { threshold, top_k, above_mean };
  static const char* to_string(Tagging tagging);  // "threshold", "top_k", "above_mean"
  // The tier key each tagging reads: "min_accuracy", "k", "mean_offset".
  static const char* tier_key(Tagging tagging);

  struct TierConfig {
    std::string name;
    Precision precision;
    double min_accuracy = 0.0;  // threshold tagging (tiers >= 1; required there)
    int k = 0;                  // top_k tagging (tiers >= 1; required there)
    double mean_offset = 0.0;   // above_mean tagging (tiers >= 1; optional there)
  };

  struct Config {
    Tagging tagging = Tagging::threshold;
    // The paper-like default: hard at the 8/8/16 baseline, easy at 4/4/8 from
    // 90% training accuracy (or the 5 most accurate classes, or above the mean;
    // README explains the choice).
    std::vector<TierConfig> tiers = {
        {"hard", Precision{}, 0.0, 0, 0.0},
        {"easy", Precision{4, 4, 8}, 0.9, 5, 0.0},
    };
    int warmup_epochs = 0;    // epochs [0, warmup_epochs) are all tier 0 (epoch 0 always is)
    double hysteresis = 0.0;  // accuracy margin, in [0, 1]
    bool sticky = false;      // a class never moves to a harder tier
  };

  // Reads and validates every key but `impl`; the caller rejects unknown keys.
  static Config parse(const JsonNode& node);

  // `key_prefix` (see key_prefix()) locates the configuration in plan-time errors.
  explicit ClassDifficultyPolicy(Config config, std::string key_prefix = "class_difficulty policy: ")
      : config_(std::move(config)), key_prefix_(std::move(key_prefix)) {}

  std::string impl() const override { return kImpl; }
  std::vector<EpochPlan> plan(const Trace& trace) const override;
  Json resolved_config() const override;
  const Config& config() const { return config_; }

 private:
  // The highest tier whose rule `accuracy` meets with every boundary moved by
  // `shift` (threshold and above_mean; `mean` is used by above_mean only).
  int tier_reached(double accuracy, double mean, double shift) const;
  std::vector<int> tag(const std::vector<double>& accuracy, const std::vector<int>& previous) const;

  Config config_;
  std::string key_prefix_;
};

}  // namespace qtsim
