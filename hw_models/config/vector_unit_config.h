#pragma once
// VectorUnitConfig: the `hardware.vector_unit` section (hw_models/vector_unit/
// vector_unit.h runs it). Every default is a member initialiser below.
#include "base/json_node.h"

namespace qtsim {

struct VectorUnitConfig {
  int lanes = 16;  // elements per cycle
};

VectorUnitConfig parse_vector_unit_config(const JsonNode& node);
Json to_json(const VectorUnitConfig& config);

}  // namespace qtsim
