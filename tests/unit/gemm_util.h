#pragma once
// Random GEMM operands and the plain integer GEMM they are checked against,
// shared by the MAC array tests, the reference-mode tests and the benchmark.
#include <cstdint>
#include <random>
#include <vector>

#include <string>

#include "hw_models/config/hardware_config.h"
#include "hw_models/mac_array/systolic_array.h"

namespace qtsim::test {

// The default hardware with an R x C array of the given dataflow (the
// reference-mode and fast-mode tests' hand-worked cases).
inline HardwareConfig small_array(int rows, int cols, Dataflow dataflow) {
  HardwareConfig hw;
  hw.mac_array.rows = rows;
  hw.mac_array.cols = cols;
  hw.mac_array.dataflow = dataflow;
  return hw;
}

// Uniform over the full two's-complement range of each width (std::mt19937
// with std::uniform_int_distribution: fine for tests, not for shipped data).
inline GemmOperands random_operands(std::int64_t m, std::int64_t k, std::int64_t n, int a_bits, int b_bits,
                                    unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::int32_t> a(-(1 << (a_bits - 1)), (1 << (a_bits - 1)) - 1);
  std::uniform_int_distribution<std::int32_t> b(-(1 << (b_bits - 1)), (1 << (b_bits - 1)) - 1);
  GemmOperands g;
  g.dims = {m, k, n};
  g.a_bits = a_bits;
  g.b_bits = b_bits;
  for (std::int64_t i = 0; i < m * k; ++i) g.a.push_back(a(rng));
  for (std::int64_t i = 0; i < k * n; ++i) g.b.push_back(b(rng));
  return g;
}

// C = A B in 64-bit integers, wrapped to `bits` like the array's accumulators.
inline std::vector<std::int64_t> plain_gemm(const GemmOperands& g, int bits = 32) {
  std::vector<std::int64_t> c(static_cast<std::size_t>(g.dims.m * g.dims.n), 0);
  const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
  for (std::int64_t i = 0; i < g.dims.m; ++i) {
    for (std::int64_t j = 0; j < g.dims.n; ++j) {
      std::int64_t sum = 0;
      for (std::int64_t k = 0; k < g.dims.k; ++k) sum += std::int64_t{g.a[i * g.dims.k + k]} * g.b[k * g.dims.n + j];
      const std::uint64_t low = static_cast<std::uint64_t>(sum) & mask;
      c[i * g.dims.n + j] = low >> (bits - 1) ? static_cast<std::int64_t>(low) - (std::int64_t{1} << bits)
                                              : static_cast<std::int64_t>(low);
    }
  }
  return c;
}

}  // namespace qtsim::test
