#include "hw_models/pe/fixed_pe.h"

namespace qtsim {
namespace {

int ceil_div(int a, int b) { return (a + b - 1) / b; }

}  // namespace

void FixedPe::configure(PeMode& m) const {
  const int w = width_bits_;
  m.a_run_bits = m.a_bits;
  m.b_run_bits = m.b_bits;
  m.a_chunks = ceil_div(m.a_bits, w);
  m.a_chunk_bits = m.a_chunks == 1 ? m.a_bits : w;
  m.b_chunks = ceil_div(m.b_bits, w);
  m.b_chunk_bits = m.b_chunks == 1 ? m.b_bits : w;
}

PeEnergyFacts FixedPe::energy_facts() const {
  const std::string w = std::to_string(width_bits_);
  PeEnergyFacts f;
  f.cycle_entry = std::string(name()) + "_" + w + "b_pe_cycle";
  f.leakage_entry = std::string(name()) + "_" + w + "b_pe_leakage";
  f.area_entry = std::string(name()) + "_" + w + "b_pe_area";
  f.why = std::string("mac_array.pe_kind is ") + name() + " with fixed_width_bits " + w;
  f.native_a = f.native_b = f.lane_a = f.lane_b = width_bits_;
  f.gated = true;
  return f;
}

}  // namespace qtsim
