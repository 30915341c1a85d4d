#pragma once
// BitSerialPe (`pe_kind: "bitserial"`): A (the M x K operand) enters bit-serially.
//   Modes: one bit of A per element, so slices = a (1 to 16 bits); B in
//     parallel, 1 to 16 bits; one product per element (pack 1); no promotion.
//   Energy: bitserial_pe_cycle and bitserial_pe_leakage, native width 1x16;
//     narrow B operands save the gated share; edge lanes of 1 bit per row (A)
//     and 16 per column (B).
#include "hw_models/pe/pe_kind.h"

namespace qtsim {

class BitSerialPe final : public PeKind {
 public:
  PeKindId id() const override { return PeKindId::bitserial; }
  PeEnergyFacts energy_facts() const override;

 protected:
  void configure(PeMode& mode) const override;
};

}  // namespace qtsim
