#pragma once
// BitFusionPe (`pe_kind: "bitfusion"`): Bit Fusion's fusible PE, a grid of
// 2-bit BitBricks.
//   Modes: a and b are promoted to 2, 4, 8 or 16 bits (1 to 16 bits can be
//     run). At a, b <= 8 the bricks fuse into pack = (8/a)(8/b) multipliers,
//     one element per product; a 16-bit operand takes 2 passes of 8 bits
//     (16x8: 2 elements per product, 16x16: 4), the other operand's fusion
//     kept (16x4: pack 2, slices 2).
//   Energy: bitfusion_pe_cycle and bitfusion_pe_leakage, native width 8x8;
//     every fused mode uses the whole unit, so narrow operands are not gated;
//     32-bit edge lanes per row and per column.
#include "hw_models/pe/pe_kind.h"

namespace qtsim {

class BitFusionPe final : public PeKind {
 public:
  PeKindId id() const override { return PeKindId::bitfusion; }
  PeEnergyFacts energy_facts() const override;

 protected:
  void configure(PeMode& mode) const override;

 private:
  int run_bits(int bits, const char* operand) const;  // the mode an operand is promoted to
};

}  // namespace qtsim
