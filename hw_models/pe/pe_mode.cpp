#include "hw_models/pe/pe_mode.h"

#include <sstream>

#include "base/error.h"

namespace qtsim {
namespace {

constexpr int kBitFusionMaxBits = 16;
constexpr int kBitSerialMaxBits = 16;

int bitfusion_mode_bits(int bits, const char* operand) {
  if (bits < 1 || bits > kBitFusionMaxBits) {
    throw Error(std::string("mac_array.pe_kind bitfusion: operand ") + operand + " at " + std::to_string(bits) +
                " bits cannot be run; expected a width in [1, 16] (modes 2, 4, 8, and 16 in two passes)");
  }
  for (int mode : {2, 4, 8, 16}) {
    if (bits <= mode) return mode;
  }
  return kBitFusionMaxBits;
}

int ceil_div(int a, int b) { return (a + b - 1) / b; }

}  // namespace

std::string PeMode::describe() const {
  std::ostringstream out;
  out << a_bits << "x" << b_bits << " bits";
  if (promoted()) out << " promoted to " << a_run_bits << "x" << b_run_bits;
  out << ": " << pack << (pack == 1 ? " product" : " products") << " per element, " << slices
      << (slices == 1 ? " element" : " elements") << " per product";
  return out.str();
}

PeMode pe_mode(const MacArrayConfig& array, int a_bits, int b_bits) {
  PeMode m;
  m.a_bits = a_bits;
  m.b_bits = b_bits;
  if (array.pe_kind == "bitfusion") {
    m.a_run_bits = bitfusion_mode_bits(a_bits, "A");
    m.b_run_bits = bitfusion_mode_bits(b_bits, "B");
    const int a_fused = m.a_run_bits > 8 ? 8 : m.a_run_bits;
    const int b_fused = m.b_run_bits > 8 ? 8 : m.b_run_bits;
    m.pack = (8 / a_fused) * (8 / b_fused);
    m.a_chunks = m.a_run_bits > 8 ? 2 : 1;
    m.a_chunk_bits = a_fused;
    m.b_chunks = m.b_run_bits > 8 ? 2 : 1;
    m.b_chunk_bits = b_fused;
  } else if (array.pe_kind == "bitserial") {
    for (auto [bits, operand] : {std::pair{a_bits, "A"}, std::pair{b_bits, "B"}}) {
      if (bits < 1 || bits > kBitSerialMaxBits) {
        throw Error(std::string("mac_array.pe_kind bitserial: operand ") + operand + " at " + std::to_string(bits) +
                    " bits cannot be run; expected a width in [1, 16]");
      }
    }
    m.a_run_bits = a_bits;
    m.b_run_bits = b_bits;
    m.a_chunks = a_bits;
    m.a_chunk_bits = 1;
    m.b_chunks = 1;
    m.b_chunk_bits = b_bits;
  } else {  // fixed
    const int w = array.fixed_width_bits;
    m.a_run_bits = a_bits;
    m.b_run_bits = b_bits;
    m.a_chunks = ceil_div(a_bits, w);
    m.a_chunk_bits = m.a_chunks == 1 ? a_bits : w;
    m.b_chunks = ceil_div(b_bits, w);
    m.b_chunk_bits = m.b_chunks == 1 ? b_bits : w;
  }
  m.slices = m.a_chunks * m.b_chunks;
  return m;
}

}  // namespace qtsim
