#pragma once
// Reading traces (format version 1; schema in workloads/traces/README.md).
//
// Called by the command-line program and the replay set-up, once per run,
// before any simulation. Promises: the returned Trace is complete and
// consistent (every rule of the schema holds), or an Error is thrown whose
// message names the file, the record (e.g. `epochs[3].class_counts[390]`),
// the value found and what was expected. Nothing is silently ignored: an
// unknown key is an error.
#include <string>
#include <vector>

#include "base/json_node.h"
#include "workloads/trace/trace.h"

namespace qtsim {

// The value of the top-level `format` key.
inline constexpr const char* kTraceFormatName = "qtsim-trace";

// File name extensions a trace may have, each naming one encoding of the same
// document: ".json" (text), ".cbor" (RFC 8949), ".msgpack" (MessagePack).
const std::vector<std::string>& trace_file_extensions();

// Reads and validates the trace at `path`, choosing the decoder by extension.
Trace read_trace(const std::string& path);

// Validates an already decoded document; `source` names it in messages.
Trace parse_trace(const Json& document, const std::string& source);

}  // namespace qtsim
