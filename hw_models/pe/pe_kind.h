#pragma once
// PeKind: one kind of processing element (`mac_array.pe_kind`), everything
// that depends on the kind in one class: how it runs products of an a-bit by
// a b-bit operand (its PeMode: promotion, pack, chunks and slices, and the
// widths it cannot run) and what the energy model prices for it
// (PeEnergyFacts; the formulas are in sim/energy/README.md).
//
// One subclass per kind, each in its own file: bitfusion_pe.h, bitserial_pe.h,
// fixed_pe.h. make_pe_kind() (pe_kind_registry.cpp) builds the one a
// configuration names. Adding a kind = its name in
// hw_models/config/mac_array_variants.h (the parser needs it, and may not see
// this folder), its class in this folder, one case in the registry, and its
// entries in the energy tables (sim/energy/tables/).
#include <memory>
#include <string>

#include "hw_models/config/hardware_config.h"
#include "hw_models/pe/pe_mode.h"

namespace qtsim {

// What the energy model prices for a PE kind, and at which widths.
struct PeEnergyFacts {
  std::string cycle_entry;         // mac_array.<entry>: dynamic energy of one full-width PE-cycle
  std::string leakage_entry;       // mac_array.<entry>: leakage power of one PE
  std::string area_entry;          // mac_array.<entry>: area of one PE
  std::string why;                 // why the hardware needs the two (in a missing entry's message)
  int native_a = 0, native_b = 0;  // operand widths of one full-width PE-cycle
  int lane_a = 0, lane_b = 0;      // edge register bits per array row (A) and per column (B)
  bool gated = false;              // narrow operands save the table's gated share
};

class PeKind {
 public:
  virtual ~PeKind() = default;

  virtual PeKindId id() const = 0;
  const char* name() const { return to_string(id()); }
  // How this kind runs a-bit by b-bit products. Throws Error naming the kind,
  // the operand, its width and the supported range when a width cannot be
  // run (e.g. 17 bits on bitfusion).
  PeMode mode(int a_bits, int b_bits) const;
  virtual PeEnergyFacts energy_facts() const = 0;

 protected:
  // Sets, for mode.a_bits x mode.b_bits, the run widths, pack and chunks;
  // mode() derives the slices (a_chunks x b_chunks).
  virtual void configure(PeMode& mode) const = 0;
  // Throws the width Error unless 1 <= bits <= max_bits; `modes` ends its
  // message (e.g. " (modes 2, 4, 8, and 16 in two passes)").
  void require_width(const char* operand, int bits, int max_bits, const std::string& modes = "") const;
};

// The PE kind `array` names, built with the array's parameters of that kind
// (fixed_width_bits).
std::unique_ptr<PeKind> make_pe_kind(const MacArrayConfig& array);

}  // namespace qtsim
