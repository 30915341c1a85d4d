#include "hw_models/vector_unit/vector_unit.h"

namespace qtsim {

VectorUnitConfig parse_vector_unit_config(const JsonNode& node) {
  node.require_object();
  const VectorUnitConfig fallback;
  VectorUnitConfig c;
  c.lanes = static_cast<int>(node.get_int("lanes", fallback.lanes, 1, 65536));
  node.reject_unknown_keys();
  return c;
}

Json to_json(const VectorUnitConfig& config) { return Json{{"lanes", config.lanes}}; }

std::int64_t VectorUnit::run(const std::string& op, std::int64_t elements) {
  const std::int64_t cycles = cycles_for(elements);
  VectorOpStats& s = stats_[op];
  ++s.operations;
  s.elements += elements;
  s.cycles += cycles;
  return cycles;
}

}  // namespace qtsim
