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
#include "sim/energy/area_model.h"
#include "sim/energy/energy_model.h"

namespace qtsim {

// {"<component>": {"dynamic_pj", "static_pj", "total_pj"}, ..., "total": {...},
//  "pj_per_algorithmic_mac", "pj_per_executed_mac", "tops_per_w", "edp_pj_s", "time_s", "macs", "executed_macs",
//  "tops_per_mm2", "edap_pj_s_mm2" (null when the area is unknown)}
Json energy_json(const EnergyBreakdown& energy, const ActionCounts& counts, const HardwareConfig& hardware,
                 const AreaBreakdown& area);
// The same figures as the "energy" group of stats.json (the area-normalised
// ones only when the area is known).
StatGroup energy_stat_group(const EnergyBreakdown& energy, const ActionCounts& counts, const HardwareConfig& hardware,
                            const AreaBreakdown& area);

// {"components": {"<component>": mm2 or null, ...} (on chip: every component but dram), "total_mm2": mm2 or null}
Json area_json(const AreaBreakdown& area);
// The "area" group of stats.json: <component> and total, mm^2 (known ones only).
StatGroup area_stat_group(const AreaBreakdown& area);

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
//  "assumes": {node, clock, SRAM node and corner}, "mac_convention", "dram_type", "idle_clock_gating",
//  "buffers": {<buffer>: how it was priced, with its status},
//  "entries_used": {"<group>.<key>": <the entry as written, plus "table", "status" (read | interpolated |
//  extrapolated) and, when extrapolated, "outside" (how far: clock and node of the source against the run's)>}}
// `entries_used`: the entries the energy (and area) prices read.
Json energy_provenance_json(const EnergyTable& table, const HardwareConfig& hardware,
                            const std::set<std::string>& entries_used);

}  // namespace qtsim
