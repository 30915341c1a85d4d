#pragma once
// Energy in output folders (docs/outputs.md): the figures of a priced
// sum of action counts as a statistics group (stats.json) or plain JSON
// (summary.json), a CSV of energy per component x phase x precision group, and
// the provenance of the prices (which table, its node, every entry used with
// its source). Called by the jobs that write output folders (`qtsim gemm`;
// the trace replay). Numbers are written in the shortest form that reads back
// to the same double, so identical inputs give identical bytes.
#include <string>
#include <vector>

#include "base/stats.h"
#include "sim/energy/energy_model.h"

namespace qtsim {

// {"<component>": {"dynamic_pj", "static_pj", "total_pj"}, ..., "total": {...},
//  "pj_per_algorithmic_mac", "pj_per_executed_mac", "tops_per_w", "edp_pj_s", "time_s", "macs", "executed_macs"}
Json energy_json(const EnergyBreakdown& energy, const ActionCounts& counts, const HardwareConfig& hardware);
// The same figures as the "energy" group of stats.json.
StatGroup energy_stat_group(const EnergyBreakdown& energy, const ActionCounts& counts, const HardwareConfig& hardware);

// One row group of the energy CSV: a phase and a precision group, priced.
struct EnergyRow {
  std::string phase;            // e.g. fwd, bwd_data, wgrad; `gemm` for qtsim gemm
  std::string precision_group;  // e.g. 8/8/16, or the PE mode label of a single GEMM
  EnergyBreakdown energy;
};
// Columns: phase, precision_group, component, dynamic_pj, static_pj, total_pj;
// one line per row x component, in row order then component order.
std::string energy_csv(const std::vector<EnergyRow>& rows);

// {"table": reference, "tables": [{reference, name, technology_node_nm, voltage_v, clock_mhz, description}...],
//  "mac_convention", "dram_type", "entries_used": {"<group>.<key>": <the entry as written, plus "table">}}
Json energy_provenance_json(const EnergyTable& table, const HardwareConfig& hardware, const EnergyBreakdown& energy);

}  // namespace qtsim
