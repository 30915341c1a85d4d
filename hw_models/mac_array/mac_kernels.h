#pragma once
// The MAC array's steady-state inner loops over one row of PEs, in 32-bit
// arithmetic (the caller guarantees no sum leaves 32 bits). On x86-64 each is
// compiled twice, for AVX2 and for the baseline, and the loader picks the
// one the CPU runs (GCC function multiversioning); both compute the same
// integers, so results never depend on the machine.
#include <cstdint>

namespace qtsim {

// acc[j] += a[j] * b[j], j < n.
void accumulate_products(std::int32_t* acc, const std::int32_t* a, const std::int32_t* b, int n);
// acc[j] += sum over p < pack of a[j*pack + p] * b[j*pack + p], j < n.
void accumulate_dot_products(std::int32_t* acc, const std::int32_t* a, const std::int32_t* b, int n, int pack);
// out[j] = in[j] + sum over p < pack of a[j*pack + p] * w[j*pack + p], j < n
// (weight-stationary partial sums moving down a row).
void pass_partial_sums(std::int32_t* out, const std::int32_t* in, const std::int32_t* a, const std::int32_t* w, int n,
                       int pack);

}  // namespace qtsim
