// Configuration reading and validation of ClassDifficultyPolicy
// (the tagging rules themselves are in class_difficulty_policy.cpp).
#include <set>

#include "workloads/policy/class_difficulty_policy.h"

namespace qtsim {
namespace {

using Tagging = ClassDifficultyPolicy::Tagging;
using TierConfig = ClassDifficultyPolicy::TierConfig;

const std::vector<Tagging> kTaggings = {Tagging::threshold, Tagging::top_k, Tagging::above_mean};

std::string number(double value) { return Json(value).dump(); }

// Reads the key that places a class in easier tier `index`, strictly beyond
// the harder tier `previous`.
void parse_boundary(const JsonNode& node, std::size_t index, Tagging tagging, const TierConfig& previous,
                    TierConfig& tier) {
  switch (tagging) {
    case Tagging::threshold: {
      JsonNode value = node.at("min_accuracy");
      tier.min_accuracy = value.as_double(0.0, 1.0);
      if (index > 1 && !(tier.min_accuracy > previous.min_accuracy)) {
        value.fail_value(
            "not above tiers[" + std::to_string(index - 1) + "].min_accuracy " + number(previous.min_accuracy),
            "a value > " + number(previous.min_accuracy) + " (thresholds rise toward easier tiers)");
      }
      break;
    }
    case Tagging::top_k: {
      JsonNode value = node.at("k");
      tier.k = static_cast<int>(value.as_int(1, ClassDifficultyPolicy::kMaxK));
      if (index > 1 && !(tier.k < previous.k)) {
        value.fail_value("not below tiers[" + std::to_string(index - 1) + "].k " + std::to_string(previous.k),
                         "a value < " + std::to_string(previous.k) + " (easier tiers take fewer classes)");
      }
      break;
    }
    case Tagging::above_mean: {
      tier.mean_offset = node.get_double("mean_offset", tier.mean_offset, -1.0, 1.0);
      if (index > 1 && !(tier.mean_offset > previous.mean_offset)) {
        // The offset may be implicit (default 0): point at the tier then.
        JsonNode where = node.has("mean_offset") ? node.at("mean_offset") : node;
        where.fail("mean_offset " + number(tier.mean_offset) + " is not above tiers[" + std::to_string(index - 1) +
                   "].mean_offset " + number(previous.mean_offset) + "; expected a value > " +
                   number(previous.mean_offset) + " (offsets rise toward easier tiers)");
      }
      break;
    }
  }
}

// Reads one tier. `previous` is the harder tier just before it (null for
// tier 0), whose boundary this one must exceed.
TierConfig parse_tier(const JsonNode& node, std::size_t index, Tagging tagging, const TierConfig* previous) {
  node.require_object();
  TierConfig tier;
  JsonNode name = node.at("name");
  tier.name = name.as_string();
  if (tier.name.empty()) name.fail_value("empty tier name", "a non-empty string");
  tier.precision = parse_precision(node.at("precision"), tier.precision);

  const std::string own_key = ClassDifficultyPolicy::tier_key(tagging);
  for (Tagging other : kTaggings) {
    const std::string key = ClassDifficultyPolicy::tier_key(other);
    if (!node.has(key)) continue;
    if (index == 0) {
      node.at(key).fail("the hardest tier (tiers[0]) holds every class that reaches no other tier and takes no `" +
                        key + "`; remove it");
    }
    if (key != own_key) {
      node.at(key).fail("`" + key + "` belongs to " + ClassDifficultyPolicy::to_string(other) +
                        " tagging, but `tagging` is " + ClassDifficultyPolicy::to_string(tagging) +
                        "; each easier tier takes `" + own_key + "`");
    }
  }
  if (index > 0) parse_boundary(node, index, tagging, *previous, tier);
  node.reject_unknown_keys();
  return tier;
}

std::vector<TierConfig> parse_tiers(const JsonNode& node, Tagging tagging) {
  node.require_array();
  if (node.size() < 2) node.fail_value("too few tiers", "an array of at least 2 tiers, hardest first");
  std::vector<TierConfig> tiers;
  std::set<std::string> names;
  for (std::size_t i = 0; i < node.size(); ++i) {
    JsonNode tier_node = node.at(i);
    tiers.push_back(parse_tier(tier_node, i, tagging, i ? &tiers.back() : nullptr));
    if (!names.insert(tiers.back().name).second) {
      tier_node.at("name").fail_value("duplicate tier name", "a name no other tier has");
    }
  }
  return tiers;
}

}  // namespace

const char* ClassDifficultyPolicy::to_string(Tagging tagging) {
  switch (tagging) {
    case Tagging::threshold:
      return "threshold";
    case Tagging::top_k:
      return "top_k";
    case Tagging::above_mean:
      return "above_mean";
  }
  return "?";
}

const char* ClassDifficultyPolicy::tier_key(Tagging tagging) {
  switch (tagging) {
    case Tagging::threshold:
      return "min_accuracy";
    case Tagging::top_k:
      return "k";
    case Tagging::above_mean:
      return "mean_offset";
  }
  return "?";
}

ClassDifficultyPolicy::Config ClassDifficultyPolicy::parse(const JsonNode& node) {
  Config c;
  std::vector<std::string> names;
  for (Tagging t : kTaggings) names.push_back(to_string(t));
  const std::string tagging = node.get_choice("tagging", to_string(c.tagging), names);
  for (Tagging t : kTaggings) {
    if (tagging == to_string(t)) c.tagging = t;
  }
  if (auto tiers = node.find("tiers")) c.tiers = parse_tiers(*tiers, c.tagging);
  c.warmup_epochs = static_cast<int>(node.get_int("warmup_epochs", c.warmup_epochs, 0, kMaxEpochs));
  if (auto hysteresis = node.find("hysteresis")) {
    c.hysteresis = hysteresis->as_double(0.0, 1.0);
    if (c.tagging == Tagging::top_k && c.hysteresis != 0.0) {
      hysteresis->fail_value("not defined for top_k tagging (an accuracy margin, but top_k ranks classes)",
                             "0 or no `hysteresis` key; use threshold or above_mean tagging for hysteresis");
    }
  }
  c.sticky = node.get_bool("sticky", c.sticky);
  return c;
}

Json ClassDifficultyPolicy::resolved_config() const {
  Json tiers = Json::array();
  for (std::size_t i = 0; i < config_.tiers.size(); ++i) {
    const TierConfig& t = config_.tiers[i];
    Json tier{{"name", t.name}, {"precision", t.precision.to_json()}};
    if (i > 0) {
      switch (config_.tagging) {
        case Tagging::threshold:
          tier["min_accuracy"] = t.min_accuracy;
          break;
        case Tagging::top_k:
          tier["k"] = t.k;
          break;
        case Tagging::above_mean:
          tier["mean_offset"] = t.mean_offset;
          break;
      }
    }
    tiers.push_back(tier);
  }
  return Json{{"impl", kImpl},
              {"tagging", to_string(config_.tagging)},
              {"tiers", tiers},
              {"warmup_epochs", config_.warmup_epochs},
              {"hysteresis", config_.hysteresis},
              {"sticky", config_.sticky}};
}

}  // namespace qtsim
