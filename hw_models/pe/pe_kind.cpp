#include "hw_models/pe/pe_kind.h"

#include "base/error.h"

namespace qtsim {

PeMode PeKind::mode(int a_bits, int b_bits) const {
  PeMode m;
  m.a_bits = a_bits;
  m.b_bits = b_bits;
  configure(m);
  m.slices = m.a_chunks * m.b_chunks;
  return m;
}

void PeKind::require_width(const char* operand, int bits, int max_bits, const std::string& modes) const {
  if (bits >= 1 && bits <= max_bits) return;
  throw Error(std::string("mac_array.pe_kind ") + name() + ": operand " + operand + " at " + std::to_string(bits) +
              " bits cannot be run; expected a width in [1, " + std::to_string(max_bits) + "]" + modes);
}

}  // namespace qtsim
