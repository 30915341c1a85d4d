#pragma once
// The hardware side of a `qtsim run` output folder (docs/outputs.md):
// cycles, time, utilisation, stalls and energy of the policy and of the
// uniform baseline, from the replay (sim/replay/replay.h). Column and key
// names are snake_case with units in their names (README "Output folder").
#include <ostream>
#include <string>

#include "base/csv_table.h"
#include "sim/energy/area_model.h"
#include "sim/energy/energy_table.h"
#include "sim/replay/replay.h"

namespace qtsim {

// summary.json's "hardware_replay" object: per side (policy, baseline):
// cycles by cause, time, utilisation, MACs, DRAM bytes, energy by component
// and by phase x precision group with pJ/MAC, TOPS/W and EDP; then speedup
// and energy saving of the policy against the baseline; the hardware's area
// per component (area_model.h), the same for both sides.
Json replay_summary_json(const RunInputs& inputs, const ReplayReport& report, const AreaBreakdown& area);
// energy.csv: energy per side x phase x precision group x component.
std::string replay_energy_csv(const ReplayReport& report);
// per_layer_phase.csv: per (layer, phase) of the lowering, both sides.
std::string per_layer_phase_csv(const LayerPhaseRows& rows, const ReplayReport& report);
// The per-epoch columns the replay adds to per_epoch.csv (after the others).
void add_replay_epoch_columns(std::vector<std::string>& columns);
void add_replay_epoch_cells(CsvTable& table, const ReplayReport& report, std::size_t epoch_index);
void print_replay_headline(const RunInputs& inputs, const ReplayReport& report, std::ostream& out);

// Speedup and energy saving of the policy against the baseline.
double speedup(const ReplayReport& report);        // baseline cycles / policy cycles
double energy_saving(const ReplayReport& report);  // 1 - policy energy / baseline energy

}  // namespace qtsim
