#include "hw_models/pe/bitserial_pe.h"

namespace qtsim {
namespace {

constexpr int kMaxBits = 16;  // of either operand; also B's parallel width

}  // namespace

void BitSerialPe::configure(PeMode& m) const {
  require_width("A", m.a_bits, kMaxBits);
  require_width("B", m.b_bits, kMaxBits);
  m.a_run_bits = m.a_bits;
  m.b_run_bits = m.b_bits;
  m.a_chunks = m.a_bits;
  m.a_chunk_bits = 1;
  m.b_chunks = 1;
  m.b_chunk_bits = m.b_bits;
}

PeEnergyFacts BitSerialPe::energy_facts() const {
  PeEnergyFacts f;
  f.cycle_entry = std::string(name()) + "_pe_cycle";
  f.leakage_entry = std::string(name()) + "_pe_leakage";
  f.area_entry = std::string(name()) + "_pe_area";
  f.why = std::string("mac_array.pe_kind is ") + name();
  f.native_a = f.lane_a = 1;
  f.native_b = f.lane_b = kMaxBits;
  f.gated = true;
  return f;
}

}  // namespace qtsim
