#pragma once
// Strict decoding of JSON documents from untrusted bytes: JSON text, CBOR
// (RFC 8949) and MessagePack. Every qtsim reader of user input goes through
// these functions (via json_file.h), so every reader shares one set of rules:
//
//   - nesting deeper than kMaxJsonDepth arrays/objects is an error (no reader
//     recurses without bound, whatever the input);
//   - a key repeated in one object is an error naming the key (the last one
//     does not silently win);
//   - numbers must be finite doubles or integers in [-2^63, 2^64 - 1]; an
//     integer literal beyond 64 bits, 1e309, a CBOR negative integer below
//     -2^63 or a NaN/infinity in a binary document is an error;
//   - strings must be valid UTF-8 (JSON text: checked by the lexer; CBOR and
//     MessagePack: checked here); object keys must be strings;
//   - binary-only types (byte strings, tags, extension types, undefined,
//     simple values) have no JSON equivalent and are errors;
//   - the document must fill the input exactly (no trailing bytes).
//
// Errors are qtsim::Error: "<source>: <format problem> at <key path or byte
// offset>". Nothing here throws any other exception type for bad input.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/json_node.h"

namespace qtsim {

// Arrays and objects nested deeper than this are rejected (qtsim's own files
// nest at most 6 levels).
inline constexpr int kMaxJsonDepth = 128;

Json decode_json_text(std::string_view text, const std::string& source);
Json decode_cbor(std::string_view bytes, const std::string& source);
Json decode_msgpack(std::string_view bytes, const std::string& source);

// True when `text` is valid UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace qtsim
