#pragma once
// Reading and writing whole JSON documents with errors that name the file.
//   read_json_file: .json as text; .cbor / .msgpack as CBOR / MessagePack
//   encodings of the same document, all decoded strictly (strict_json.h:
//   depth limit, unique keys, 64-bit integers, finite numbers, UTF-8).
//   read_text_file: errors give the OS's reason; files over
//   kMaxInputFileBytes are refused (so /dev/zero or a huge file cannot
//   exhaust memory).
//   write_text_file_atomic: writes a uniquely named temporary beside the
//   target and renames it into place, so a reader never sees half a file and
//   concurrent writers never share a temporary.
#include <cstddef>
#include <string>

#include "base/json_node.h"

namespace qtsim {

// 256 MiB: a decoded document takes up to ~20x its bytes in memory (a
// 1-byte CBOR integer becomes a 16-byte value); the 200-epoch reference
// trace is under 1 MiB.
inline constexpr std::size_t kMaxInputFileBytes = std::size_t{256} << 20;

Json read_json_file(const std::string& path);
Json parse_json_text(const std::string& text, const std::string& source);
std::string read_text_file(const std::string& path);
void write_text_file_atomic(const std::string& path, const std::string& contents);
// Canonical text form written by every qtsim JSON writer: sorted keys,
// 2-space indent, trailing newline.
std::string dump_json(const Json& value);

}  // namespace qtsim
