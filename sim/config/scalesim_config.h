#pragma once
// SCALE-Sim architecture files (v2 `.cfg`), read for `qtsim layers
// --scalesim-config` and mapped onto qtsim's hardware section as overrides
// (README "Coming from SCALE-Sim" has the table). Plain C++, no SystemC.
//
// Sections [general], [architecture_presets], [run_presets]; `key: value` or
// `key = value`; keys case-insensitive; whole-line `#` or `;` comments. Every
// key is honoured or refused, never ignored: an unknown section or key, a
// missing required key or a value qtsim cannot honour is an Error naming the
// file, section and key.
//   ArrayHeight, ArrayWidth       -> mac_array.rows, mac_array.cols
//   IfmapSramSzkB, FilterSramSzkB, OfmapSramSzkB (kB of SCALE-Sim's 1-byte words)
//                                 -> buffers.{activation,weight,output}.capacity_bytes (x 1024)
//   MemoryBanks                   -> buffers.{activation,weight,output}.banks
//   Dataflow os | ws              -> mac_array.dataflow; `is` runs as ws on the
//                                    transposed GEMM (C^T = B^T A^T), which is
//                                    SCALE-Sim's input-stationary mapping
//   InterfaceBandwidth USER, Bandwidth B -> dram.bandwidth_bytes_per_cycle = B
//   InterfaceBandwidth CALC       -> SCALE-Sim sizes the bandwidth so that it
//                                    never stalls; Bandwidth is not read (as in
//                                    SCALE-Sim) and qtsim's DRAM stays as configured
//   IfmapOffset, FilterOffset, OfmapOffset, run_name -> no effect on any figure
//                                    (addresses of SCALE-Sim's traces; a name)
#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/overrides.h"

namespace qtsim {

struct ScaleSimConfig {
  std::string path;
  std::string run_name;
  std::int64_t rows = 0, cols = 0;
  std::string dataflow;              // "os", "ws" or "is"
  bool user_bandwidth = false;       // InterfaceBandwidth USER (else CALC)
  std::int64_t bandwidth_words = 0;  // USER: words (bytes) per cycle
  std::int64_t ifmap_kb = 0, filter_kb = 0, ofmap_kb = 0;
  std::vector<Override> overrides;  // onto the run document's hardware section
};

ScaleSimConfig load_scalesim_config(const std::string& path);
ScaleSimConfig parse_scalesim_config(const std::string& text, const std::string& path);

}  // namespace qtsim
