#pragma once
// Statistics: named figures with a unit and a description, grouped by the
// component that counts them (docs/conventions.md). Components declare their
// statistics beside their code (e.g. hw_models/mac_array/array_stats.cpp);
// this one writer turns groups into JSON:
//   {"<component>": {"<name>": {"value": 123, "unit": "cycles", "description": "..."}}}
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

}  // namespace qtsim
