#include "hw_models/pe/pe_mode.h"

#include <sstream>

#include "hw_models/pe/pe_kind.h"

namespace qtsim {

std::string PeMode::describe() const {
  std::ostringstream out;
  out << a_bits << "x" << b_bits << " bits";
  if (promoted()) out << " promoted to " << a_run_bits << "x" << b_run_bits;
  out << ": " << pack << (pack == 1 ? " product" : " products") << " per element, " << slices
      << (slices == 1 ? " element" : " elements") << " per product";
  return out.str();
}

PeMode pe_mode(const MacArrayConfig& array, int a_bits, int b_bits) {
  return make_pe_kind(array)->mode(a_bits, b_bits);
}

}  // namespace qtsim
