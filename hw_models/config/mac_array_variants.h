#pragma once
// The typed variants of the MAC array: its dataflow (`mac_array.dataflow`) and
// the kind of its processing elements (`mac_array.pe_kind`). The JSON values
// are the names below, each spelled once. What a PE kind does (its modes, what
// the energy model prices for it) is its class in hw_models/pe/ (pe_kind.h);
// the names live here because the configuration parser, which may not see
// that folder, turns them into these values.
#include <string>
#include <vector>

#include "base/json_node.h"

namespace qtsim {

enum class Dataflow { os, ws };                       // output stationary, weight stationary
enum class PeKindId { bitfusion, bitserial, fixed };  // hw_models/pe/bitfusion_pe.h, ...

const char* to_string(Dataflow dataflow);  // "os", "ws"
const char* to_string(PeKindId kind);      // "bitfusion", "bitserial", "fixed"

// The valid names, in the order of the enums (and so of error messages).
const std::vector<std::string>& dataflow_names();
const std::vector<std::string>& pe_kind_names();

// The value a configuration node names. A name that is none of the valid ones
// fails as JsonNode::as_choice does, listing them, e.g.
//   hw.json: mac_array.dataflow: unknown name, got "is" (a string); expected one of: os, ws
Dataflow parse_dataflow(const JsonNode& value);
PeKindId parse_pe_kind(const JsonNode& value);

}  // namespace qtsim
