#pragma once
// Statistics: named figures with a unit and a description, grouped by the
// component that counts them (docs/conventions.md). Components declare their
// statistics beside their code (e.g. hw_models/mac_array/array_stats.cpp);
// this one writer renders groups, in either of two forms:
//   stats_json (a statistics file such as qtsim gemm's stats.json):
//     {"<component>": {"<name>": {"value": 123, "unit": "cycles", "description": "..."}}}
//   values_json (figures nested in a larger document, such as the per-side
//   figures of qtsim run's summary.json, whose units and descriptions
//   docs/outputs.md lists from the same declarations):
//     {"<name>": 123, ...}
// Ratios are derived when written, never kept as state.
#include <cstdint>
#include <string>
#include <vector>

#include "base/json_node.h"

namespace qtsim {

struct Stat {
  std::string name;
  Json value;  // an integer or a number
  std::string unit;
  std::string description;
};

struct StatGroup {
  std::string component;
  std::vector<Stat> stats;
  StatGroup& add(std::string name, Json value, std::string unit, std::string description) {
    stats.push_back(Stat{std::move(name), std::move(value), std::move(unit), std::move(description)});
    return *this;
  }
};

Json stats_json(const std::vector<StatGroup>& groups);
Json values_json(const StatGroup& group);

}  // namespace qtsim
