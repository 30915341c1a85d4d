#pragma once
// Writing traces (format version 1; schema in workloads/traces/README.md).
//
// Called by the synthetic generators' command (`qtsim trace`) and by tools
// that convert or trim traces. Promises: what is written is a valid trace
// (the document is checked with the reader's rules first, so an invalid Trace
// throws Error and writes nothing), the same Trace always gives the same
// bytes (keys sorted, numbers in nlohmann's shortest round-trip form), and the
// target file is replaced atomically (written beside it, then renamed).
#include <string>

#include "base/json_node.h"
#include "workloads/trace/trace.h"

namespace qtsim {

// The trace as a format-v1 document. Optional per-epoch fields are written
// only when recorded (non-empty vectors, test_accuracy >= 0); `policy` is
// always written (null when none).
Json trace_to_json(const Trace& trace);

// The bytes of `document` in the encoding named by `extension` (".json",
// ".cbor" or ".msgpack"; anything else is an Error naming `extension`). JSON
// text: 2-space indent, sorted keys, every array of scalars on one line (so a
// class_counts row is one line), trailing newline.
std::string encode_trace_document(const Json& document, const std::string& extension);

// Validates, encodes by the extension of `path` and writes atomically.
void write_trace(const Trace& trace, const std::string& path);

}  // namespace qtsim
