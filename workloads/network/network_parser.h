#pragma once
// Reading network descriptions (schema: workloads/network/README.md).
//
// Called by the configuration loader (the workload's `network` reference) and
// by tests. Every problem in the input is a qtsim::Error whose message names
// the file (or "builtin:<stem>"), the key path (e.g. `layers[12].stride`), the
// value found and what is expected; a returned Network is valid (network.h).
#include <string>
#include <vector>

#include "base/json_node.h"
#include "workloads/network/network.h"

namespace qtsim {

// Prefix of references to the network files compiled into the program.
inline constexpr char kBuiltinNetworkPrefix[] = "builtin:";

// Validates `node` (a whole network document) and infers every layer's shapes.
Network parse_network(const JsonNode& node);

// `ref` is "builtin:<stem>" (a file of workloads/networks/ embedded in the
// program) or the path of a JSON file.
Network load_network(const std::string& ref);

// The references load_network() accepts for the embedded networks, sorted:
// "builtin:resnet20_cifar10", ...
std::vector<std::string> builtin_network_refs();

}  // namespace qtsim
