#pragma once
// `qtsim validate FILE`: checks one input file completely and says exactly
// what is wrong (the first problem, as an Error naming file, key path or
// record, value and expectation), or returns a one-line description of it.
//
// Kinds: run_file (a run: every section, and what it references, is loaded
// and cross-checked as `qtsim run` would), hardware, workload, policy, run
// (the run-settings section), network, trace. `auto` tells them apart by
// contents: .cbor/.msgpack files and documents with "format": "qtsim-trace"
// are traces; "layers" marks a network; a key of a run file (hardware,
// workload, policy, run, description) a run file; "impl" a policy;
// "mac_array", "clock_mhz", "buffers", "dram", "controller" or "vector_unit"
// hardware; "network" or "trace" a workload;
// "output_dir", "first_epoch", "num_epochs" or "baseline" run settings.
// `--set` overrides apply to the document being checked.
#include <string>
#include <vector>

#include "sim/config/overrides.h"

namespace qtsim {

const std::vector<std::string>& validate_kinds();  // "auto" first
std::string validate_file(const std::string& path, const std::string& kind, const std::vector<Override>& overrides);

}  // namespace qtsim
