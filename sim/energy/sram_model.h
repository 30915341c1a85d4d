#pragma once
// SRAM prices by capacity and word width, interpolated between the points of
// an energy table's `sram` group (sim/energy/README.md, "SRAM
// interpolation"). Called by the energy model once per buffer it prices.
//
// Rule, for an access kind (read or write) and a buffer of C bytes and w-bit
// words: each point i (capacity C_i, word width w_i, energy E_i per access)
// gives an energy per bit e_i = E_i / w_i (at a fixed capacity, the energy of
// an access grows linearly with the bits it moves). Between the two points
// that bracket C, log e is linear in log C (a power law through both points);
// below the smallest or above the largest capacity, the nearest segment is
// extended; at a point's capacity, that point. The access costs e(C) x w.
// Leakage points (power P_i) are interpolated the same way over capacity,
// without the per-bit step. At least two points of the kind are required.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "hw_models/config/hardware_config.h"
#include "sim/energy/cacti_table.h"
#include "sim/energy/energy_table.h"

namespace qtsim {

// pJ per access of `access` ("read" or "write"); `used` receives the paths of
// the points it interpolated between.
double sram_access_pj(const EnergyTable& table, const std::string& access, std::int64_t capacity_bytes, int word_bits,
                      const std::string& why, std::set<std::string>* used);
// mW of leakage of a buffer of `capacity_bytes`.
double sram_leakage_mw(const EnergyTable& table, std::int64_t capacity_bytes, const std::string& why,
                       std::set<std::string>* used);

// The prices of one of the hardware's buffers under hardware.energy.sram:
// from the CACTI 7 table (cacti_table.h; a buffer of one port per bank is the
// single read/write-port SRAM, of two or more the two-port 1R + 1W one), or
// from the energy table's points (above; `used` receives them). Area and
// cycle time are known from CACTI only (0 otherwise).
struct BufferPrice {
  double read_pj = 0, write_pj = 0, leakage_mw = 0, area_mm2 = 0, cycle_ns = 0;
  bool from_cacti = false;
  // read: every value is a point's own; interpolated: between points;
  // extrapolated: outside them (the table's points: capacity outside their
  // range, or a word width no point of that capacity has... see buffer_price).
  SramStatus status = SramStatus::read;
  SramQuery query;  // CACTI only
  SramPrice cacti;  // CACTI only
};
BufferPrice buffer_price(const EnergyTable& table, const HardwareConfig& hardware, Operand buffer,
                         std::set<std::string>* used);
// Whether a CACTI-priced buffer's cycle time fits one clock period (buffers
// priced from the table's points have no cycle time: true).
bool meets_clock(const BufferPrice& price, double clock_mhz);
// Warnings, not errors, one line each, for CACTI-priced buffers: one that does
// not meet the clock ("buffers.weight: CACTI cycle time 1.25 ns exceeds the
// 1000 MHz clock's 1 ns period (...)"; qtsim prices it and times it at one
// access per cycle), and one whose bank count lies between the table's (1, 4,
// 16) at a corner other than a, where CACTI's choice of organisation makes
// interpolated leakage unreliable (measured against CACTI at corner b: median
// 42%, up to 2.4x; sim/energy/README.md).
std::vector<std::string> sram_warnings(const EnergyTable& table, const HardwareConfig& hardware);

}  // namespace qtsim
