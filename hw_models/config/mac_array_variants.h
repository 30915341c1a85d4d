#pragma once
// The typed variants of the MAC array: its dataflow (`mac_array.dataflow`).
// The JSON values are the names below, each spelled once.
#include <string>
#include <vector>

#include "base/json_node.h"

namespace qtsim {

enum class Dataflow { os, ws };  // output stationary, weight stationary

const char* to_string(Dataflow dataflow);  // "os", "ws"

// The valid names, in the order of the enum (and so of error messages).
const std::vector<std::string>& dataflow_names();

// The value a configuration node names. A name that is none of the valid ones
// fails as JsonNode::as_choice does, listing them, e.g.
//   hw.json: mac_array.dataflow: unknown name, got "is" (a string); expected one of: os, ws
Dataflow parse_dataflow(const JsonNode& value);

}  // namespace qtsim
