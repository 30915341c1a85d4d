#pragma once
// MapperConfig: the `hardware.mapper` section (hw_models/memory/mapper.h
// chooses mappings; docs/hardware_model.md, "Mapper"). Every default is a
// member initialiser below.
//
//   objective: what the mapper minimises per GEMM: "dram_bytes" (default,
//     closed form), "cycles", "energy" or "edp" (energy x cycles), the last
//     three by running each candidate mapping of the GEMM alone in fast mode;
//   pins: mappings fixed by hand for one layer and phase, each
//     {"layer", "phase" (fwd | bwd_data | wgrad), "order" (m,n,k | n,m,k),
//      "samples", "rows", "cols", "p", "q"}: tile sizes, 0 (the default) for
//     the whole loop, larger values than the loop taken as the whole loop.
#include <cstdint>
#include <string>
#include <vector>

#include "base/json_node.h"

namespace qtsim {

struct MapperPin {
  std::string layer;
  std::string phase = "fwd";
  std::string order = "m,n,k";
  std::int64_t samples = 0, rows = 0, cols = 0, p = 0, q = 0;  // 0: the whole loop
  std::string key;                                             // "mapper.pins[<i>]", for messages
};

struct MapperConfig {
  static inline const std::vector<std::string> kObjectives = {"dram_bytes", "cycles", "energy", "edp"};
  static inline const std::vector<std::string> kPhases = {"fwd", "bwd_data", "wgrad"};
  static inline const std::vector<std::string> kOrders = {"m,n,k", "n,m,k"};
  std::string objective = "dram_bytes";
  std::vector<MapperPin> pins;
};

MapperConfig parse_mapper_config(const JsonNode& node);
Json to_json(const MapperConfig& config);

}  // namespace qtsim
