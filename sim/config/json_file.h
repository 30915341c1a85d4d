#pragma once
// Reading and writing whole JSON documents with errors that name the file.
//   read_json_file: .json as text; .cbor / .msgpack as nlohmann's binary
//   encodings of the same document. Parse errors carry nlohmann's position.
//   write_text_file_atomic: writes beside the target and renames, so a reader
//   never sees half a file.
#include <string>

#include "sim/config/json_node.h"

namespace qtsim {

Json read_json_file(const std::string& path);
Json parse_json_text(const std::string& text, const std::string& source);
std::string read_text_file(const std::string& path);
void write_text_file_atomic(const std::string& path, const std::string& contents);
// Canonical text form written by every qtsim JSON writer: sorted keys,
// 2-space indent, trailing newline.
std::string dump_json(const Json& value);

}  // namespace qtsim
