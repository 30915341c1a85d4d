#include "hw_models/config/vector_unit_config.h"

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

}  // namespace qtsim
