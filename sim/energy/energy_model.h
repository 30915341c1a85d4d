#pragma once
// The energy model: prices ActionCounts (action_counts.h) with an EnergyTable
// (energy_table.h) for one hardware configuration (docs/energy.md). It
// knows prices and nothing of timing; the timing models know counts and no
// prices. Called once per sum of counts to report (a job, a GEMM, a phase x
// precision group, a run). Every formula is in sim/energy/README.md; in short,
// with t = cycles / clock_mhz (us) and P x t in mW x us = 1000 pJ:
//
//  mac_array   per mode, E_cyc the table's per-PE-cycle dynamic energy of the
//              PE kind (bitfusion_pe_cycle, fixed_<w>b_pe_cycle,
//              bitserial_pe_cycle), (na, nb) its native widths ((8, 8),
//              (w, w), (1, 16); the kind's PeEnergyFacts, hw_models/pe/pe_kind.h),
//              g = gated_share, f = idle_pe_cycle, G = idle_clock_gating:
//                per_pe_cycle: active x E_cyc x s, with
//                  s = 1 on bitfusion (every fused mode uses the whole unit) and
//                  s = (1 - g) + g x (a_chunk x b_chunk) / (na x nb) on fixed
//                  and bitserial PEs (narrow operands save only the gated share);
//                per_product: macs x max(a_run x b_run x E_cyc / (na x nb),
//                  E_ded) (energy proportional to bA x bB, at the PE kind's
//                  full-width efficiency, never below E_ded, the narrowest
//                  fixed_<w>b_pe_cycle in the table with w >= both run widths);
//              idle: (R x C x cycles - active) x (1 - G) x f x E_cyc;
//              static: R x C x <kind>_pe_leakage x t.
//  registers   edge_register_bits x registers.bit_write;
//              static: (R x a_lane + C x b_lane) x registers.bit_leakage x t,
//              lanes (32, 32) bits on bitfusion, (w, w) fixed, (1, 16) bitserial.
//  buffer.X    reads x E_read(C, w) + writes x E_write(C, w) (sram_model.h);
//              static: leakage(C) x t.
//  dram        (read + write bytes) x 8 x dram.<dram_type>; static:
//              dram.<dram_type>_background x t (standby and refresh).
//  vector_unit per operation, elements x vector_unit.<op> (or
//              vector_unit.element_op when the table has no entry for the op);
//              static: lanes x vector_unit.lane_leakage x t.
//  controller  reconfigurations x R x C x controller.reconfiguration_per_pe;
//              static: controller.leakage x t.
#include <array>
#include <cstdint>
#include <set>
#include <string>

#include "hw_models/config/hardware_config.h"
#include "sim/energy/action_counts.h"
#include "sim/energy/energy_table.h"

namespace qtsim {

enum class EnergyComponent {
  mac_array,
  registers,
  buffer_activation,
  buffer_weight,
  buffer_gradient,
  buffer_output,
  dram,
  vector_unit,
  controller
};
inline constexpr std::size_t kEnergyComponents = 9;
const char* to_string(EnergyComponent component);  // "mac_array", "buffer.activation", ...
EnergyComponent buffer_component(Operand operand);

struct ComponentEnergy {
  double dynamic_pj = 0.0;
  double static_pj = 0.0;
  double total_pj() const { return dynamic_pj + static_pj; }
};

struct EnergyBreakdown {
  std::array<ComponentEnergy, kEnergyComponents> components{};
  std::set<std::string> entries_used;  // "<group>.<key>" of every table entry priced

  ComponentEnergy& at(EnergyComponent c) { return components[static_cast<std::size_t>(c)]; }
  const ComponentEnergy& at(EnergyComponent c) const { return components[static_cast<std::size_t>(c)]; }
  double dynamic_pj() const;
  double static_pj() const;
  double total_pj() const { return dynamic_pj() + static_pj(); }
  EnergyBreakdown& operator+=(const EnergyBreakdown& o);
};

// Throws Error naming the table entry when the table lacks one the hardware
// and the counts need.
EnergyBreakdown price(const ActionCounts& counts, const EnergyTable& table, const HardwareConfig& hardware);

// Figures derived when reported, never kept as state. Zero where the
// denominator is zero.
struct EnergyFigures {
  double time_s = 0.0;                  // cycles / clock
  double pj_per_algorithmic_mac = 0.0;  // total / MACs (M x K x N summed)
  double pj_per_executed_mac = 0.0;     // total / (PE-active cycles x pack)
  double tops_per_w = 0.0;              // 2 ops per algorithmic MAC: 2 MACs / total_pj (ops per pJ = TOPS/W)
  double edp_pj_s = 0.0;                // energy-delay product: total_pj x time_s
};
EnergyFigures energy_figures(const EnergyBreakdown& energy, const ActionCounts& counts, double clock_mhz);

}  // namespace qtsim
