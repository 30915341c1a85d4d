#pragma once
// CycleBreakdown: the cycles of a run (or of one job, layer or iteration) by
// cause. The precision controller spends no cycle of its own, so every cycle
// of a run is exactly one of these seven, and they add up to the total
// (docs/hardware_model.md, "Cycle accounting"). The causes, their report
// names and descriptions are defined here and nowhere else: the statistics,
// the CSV columns and the replay's sums all iterate kCauses.
#include <array>
#include <cstdint>

namespace qtsim {

struct CycleBreakdown {
  // One field per cause; what each means: kCauses.
  std::int64_t compute = 0, vector = 0, port_stall = 0, load_stall = 0, store_stall = 0, reconfig = 0, store_drain = 0;

  struct Cause {
    std::int64_t CycleBreakdown::*field;
    const char* name;         // report name ("compute" -> "compute_cycles" in statistics)
    const char* description;  // for statistics and documentation
  };
  // In report order (per_layer_phase.csv's columns, the memo's arrays).
  static constexpr std::array<Cause, 7> kCauses = {{
      {&CycleBreakdown::compute, "compute", "the array computing tiles (fold formulas)"},
      {&CycleBreakdown::vector, "vector", "the vector unit's operations"},
      {&CycleBreakdown::port_stall, "port_stall", "the array waiting for buffer banks/ports"},
      {&CycleBreakdown::load_stall, "load_stall", "the array waiting for a tile's operands from DRAM"},
      {&CycleBreakdown::store_stall, "store_stall", "the array waiting for an output half to be stored"},
      {&CycleBreakdown::reconfig, "reconfig", "switching the array between precision modes"},
      {&CycleBreakdown::store_drain, "store_drain", "waiting for the last stores after the last tile"},
  }};

  std::int64_t total() const {
    std::int64_t sum = 0;
    for (const Cause& c : kCauses) sum += this->*c.field;
    return sum;
  }
  // Adds `o`, `times` over.
  CycleBreakdown& add(const CycleBreakdown& o, std::int64_t times = 1) {
    for (const Cause& c : kCauses) this->*c.field += o.*c.field * times;
    return *this;
  }
  bool operator==(const CycleBreakdown& o) const {
    for (const Cause& c : kCauses) {
      if (this->*c.field != o.*c.field) return false;
    }
    return true;
  }
};

}  // namespace qtsim
