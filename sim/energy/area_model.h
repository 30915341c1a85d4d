#pragma once
// The area model: silicon area per on-chip component of one hardware
// configuration (docs/energy.md, sim/energy/README.md "Area"), from the same
// tables as the energy model. Plain C++, no SystemC; called once per output
// folder. In short, with R x C PEs:
//
//  mac_array    R x C x mac_array.<kind>_pe_area (the synthesis of a 4x4
//               array, per PE, registers inside the PEs included);
//  registers    (R x a_lane + C x b_lane) x registers.bit_area (edge registers);
//  buffer.X     the CACTI 7 table's area at the buffer's point (sram_model.h);
//               unknown (null) when buffers are priced from the energy table's
//               points, which give no area;
//  vector_unit  lanes x vector_unit.lane_area;
//  controller   controller.area;
//  dram         off chip: not counted.
#include <array>
#include <optional>
#include <set>
#include <string>

#include "hw_models/config/hardware_config.h"
#include "sim/energy/energy_model.h"
#include "sim/energy/energy_table.h"

namespace qtsim {

struct AreaBreakdown {
  // mm^2 per component (indexed like EnergyBreakdown); nullopt where unknown,
  // and for dram (off chip).
  std::array<std::optional<double>, kEnergyComponents> mm2{};
  std::set<std::string> entries_used;  // "<group>.<key>" of every table entry read

  // The sum of the on-chip components; nullopt when any of them is unknown.
  std::optional<double> total_mm2() const;
};

// Throws Error naming the table entry when the table lacks one the hardware
// needs (e.g. mac_array.fixed_12b_pe_area).
AreaBreakdown area(const EnergyTable& table, const HardwareConfig& hardware);

// Area-normalised figures of a run (zero where area or time is unknown or 0).
struct AreaFigures {
  double tops_per_mm2 = 0.0;   // 2 x algorithmic MACs / time / 1e12 / total area
  double edap_pj_s_mm2 = 0.0;  // energy-delay-area product: total pJ x time s x total mm^2
};
AreaFigures area_figures(const AreaBreakdown& area, const EnergyBreakdown& energy, const ActionCounts& counts,
                         double clock_mhz);

}  // namespace qtsim
