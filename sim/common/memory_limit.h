#pragma once
// The memory a job may plan to use. Jobs whose allocations grow with the
// input (a GEMM's operands in `qtsim gemm`, an iteration's operands in
// reference mode) estimate their peak before allocating and stop with an
// Error giving the estimate when it exceeds the limit: never an
// out-of-memory abort. The limit is --memory-limit-mib on the command line;
// by default the machine's physical memory.
#include <cstdint>
#include <string>

namespace qtsim {

std::int64_t physical_memory_bytes();

// Throws Error("<what>: needs about X MiB (<how>); the memory limit is Y MiB
// (--memory-limit-mib)") when `estimate_bytes` exceeds `limit_bytes`.
void check_memory_estimate(const std::string& what, double estimate_bytes, std::int64_t limit_bytes,
                           const std::string& how);

}  // namespace qtsim
