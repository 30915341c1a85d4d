#pragma once
// Content hashes for provenance (config_hash, trace_hash): 64-bit FNV-1a,
// printed as 16 hex digits. Identifies inputs; not a security measure.
#include <cstdint>
#include <string>
#include <string_view>

namespace qtsim {

std::uint64_t fnv1a64(std::string_view bytes);
std::string hash_hex(std::string_view bytes);  // "fnv1a64:0123456789abcdef"

}  // namespace qtsim
