#pragma once
// FixedPe (`pe_kind: "fixed"`): a plain multiplier of native width w
// (`mac_array.fixed_width_bits`).
//   Modes: operands up to w bits run in one element (narrower ones gain no
//     speed); wider ones take ceil(a/w) * ceil(b/w) passes of w-bit chunks;
//     pack 1, no promotion.
//   Energy: fixed_<w>b_pe_cycle and fixed_<w>b_pe_leakage, native width w x w;
//     narrow operands save the gated share; w-bit edge lanes per row and per
//     column.
#include "hw_models/pe/pe_kind.h"

namespace qtsim {

class FixedPe final : public PeKind {
 public:
  explicit FixedPe(int width_bits) : width_bits_(width_bits) {}

  PeKindId id() const override { return PeKindId::fixed; }
  PeEnergyFacts energy_facts() const override;

 protected:
  void configure(PeMode& mode) const override;

 private:
  int width_bits_;  // w
};

}  // namespace qtsim
