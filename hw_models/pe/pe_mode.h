#pragma once
// PeMode: how one processing element runs products of an a-bit by a b-bit
// operand (docs/hardware_model.md), for the MAC array and its closed forms.
//
// A PE consumes one *stream element* per cycle. An element carries `pack`
// products of one dot product (Bit Fusion fuses its 2-bit BitBricks into
// (8/a)*(8/b) narrower multipliers), and one product may take `slices`
// successive elements (temporal bit slices: Bit Fusion's 16-bit passes,
// the bits of a bit-serial operand, a fixed PE's passes over wide operands).
// So a dot product of length K takes ceil(K / pack) * slices stream elements.
//
// Widths a kind cannot run natively are promoted to the next mode it
// supports (`a_run_bits`, `b_run_bits`, and `promoted`); widths no mode
// reaches are configuration errors. Each kind's rules are in its class
// (pe_kind.h): bitfusion_pe.h, bitserial_pe.h, fixed_pe.h.
#include <string>

#include "hw_models/config/hardware_config.h"

namespace qtsim {

struct PeMode {
  int a_bits = 8, b_bits = 8;          // as requested
  int a_run_bits = 8, b_run_bits = 8;  // as run by the PE (after promotion)
  int pack = 1;                        // products per stream element
  int slices = 1;                      // stream elements per product = a_chunks * b_chunks
  // Temporal slicing of the operands: A is split into a_chunks chunks of
  // a_chunk_bits (the top chunk signed, the others unsigned), B likewise; slice
  // (i, j) multiplies chunk i of A by chunk j of B and is shifted by
  // i * a_chunk_bits + j * b_chunk_bits, so the slices sum to the full product.
  int a_chunks = 1, a_chunk_bits = 8;
  int b_chunks = 1, b_chunk_bits = 8;
  bool promoted() const { return a_run_bits != a_bits || b_run_bits != b_bits; }
  // Stream elements for a dot product of length k.
  long long stream_length(long long k) const { return (k + pack - 1) / pack * slices; }
  std::string describe() const;  // e.g. "4x4 bits: 4 products per cycle" or "3x8 promoted to 4x8: ..."
};

// The mode of the PE kind `array` names (PeKind::mode): throws Error naming
// the PE kind, the width and the supported range when a width cannot be run
// (e.g. 17 bits on bitfusion).
PeMode pe_mode(const MacArrayConfig& array, int a_bits, int b_bits);

// Whether the controller reconfigures the array between two GEMMs run in
// these modes: the one reconfiguration rule (the run widths differ).
inline bool reconfigures(const PeMode& previous, const PeMode& next) {
  return previous.a_run_bits != next.a_run_bits || previous.b_run_bits != next.b_run_bits;
}

}  // namespace qtsim
