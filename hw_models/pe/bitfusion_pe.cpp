#include "hw_models/pe/bitfusion_pe.h"

#include <algorithm>

namespace qtsim {
namespace {

constexpr int kMaxBits = 16;
constexpr int kFusedBits = 8;  // the widest fused multiplier; 16 bits take 2 passes of it
constexpr int kLaneBits = 32;  // edge register bits per row and per column

}  // namespace

int BitFusionPe::run_bits(int bits, const char* operand) const {
  require_width(operand, bits, kMaxBits, " (modes 2, 4, 8, and 16 in two passes)");
  for (int mode : {2, 4, 8}) {
    if (bits <= mode) return mode;
  }
  return kMaxBits;
}

void BitFusionPe::configure(PeMode& m) const {
  m.a_run_bits = run_bits(m.a_bits, "A");
  m.b_run_bits = run_bits(m.b_bits, "B");
  const int a_fused = std::min(m.a_run_bits, kFusedBits);
  const int b_fused = std::min(m.b_run_bits, kFusedBits);
  m.pack = (kFusedBits / a_fused) * (kFusedBits / b_fused);
  m.a_chunks = m.a_run_bits / a_fused;
  m.a_chunk_bits = a_fused;
  m.b_chunks = m.b_run_bits / b_fused;
  m.b_chunk_bits = b_fused;
}

PeEnergyFacts BitFusionPe::energy_facts() const {
  PeEnergyFacts f;
  f.cycle_entry = std::string(name()) + "_pe_cycle";
  f.leakage_entry = std::string(name()) + "_pe_leakage";
  f.area_entry = std::string(name()) + "_pe_area";
  f.why = std::string("mac_array.pe_kind is ") + name();
  f.native_a = f.native_b = kFusedBits;
  f.lane_a = f.lane_b = kLaneBits;
  f.gated = false;
  return f;
}

}  // namespace qtsim
