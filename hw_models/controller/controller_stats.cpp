#include "hw_models/controller/controller_stats.h"

namespace qtsim {

StatGroup controller_stat_group(const ControllerStats& stats) {
  StatGroup g{"controller", {}};
  g.add("cycles", stats.cycles, "cycles", "from the first load to the last store");
  for (const CycleBreakdown::Cause& c : CycleBreakdown::kCauses) {
    // Like the buffers and DMA operands without traffic, vector cycles are
    // listed only for a run that had vector work.
    if (c.field == &CycleBreakdown::vector && stats.vector_ops.empty()) continue;
    g.add(std::string(c.name) + "_cycles", stats.causes.*c.field, "cycles", c.description);
  }
  g.add("reconfigurations", stats.reconfigurations, "switches", "precision-mode switches")
      .add("tiles", stats.tiles, "tiles", "tiles the GEMM was split into for the buffers");
  return g;
}

StatGroup cycle_stat_group(const CycleBreakdown& cycles, std::string component) {
  StatGroup g{std::move(component), {}};
  g.add("total", cycles.total(), "cycles", "every cause");
  for (const CycleBreakdown::Cause& c : CycleBreakdown::kCauses) {
    g.add(c.name, cycles.*c.field, "cycles", c.description);
  }
  return g;
}

}  // namespace qtsim
