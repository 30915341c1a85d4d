#include "hw_models/vector_unit/vector_unit.h"

namespace qtsim {

std::int64_t VectorUnit::run(const std::string& op, std::int64_t elements) {
  const std::int64_t cycles = cycles_for(elements);
  VectorOpStats& s = stats_[op];
  ++s.operations;
  s.elements += elements;
  s.cycles += cycles;
  return cycles;
}

}  // namespace qtsim
