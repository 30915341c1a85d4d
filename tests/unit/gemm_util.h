#pragma once
// Random GEMM operands and the plain integer GEMM they are checked against,
// shared by the MAC array tests, the reference-mode tests and the benchmark.
#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include <string>

#include "hw_models/config/hardware_config.h"
#include "hw_models/mac_array/systolic_array.h"
#include "hw_models/memory/tensor_gemm.h"

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

// A small convolution in a random form, its in_h x in_w consistent with its
// output, kernel, stride and padding (the forward convolution's geometry):
// up to `samples` samples, 5 x 5 (`positions` x `positions`) outputs, `channels`
// channels of each kind, kernels 1-3, strides 1-2. `between(lo, hi)` draws
// an integer uniformly from [lo, hi].
template <typename Between>
TensorGemm random_tensor_gemm(Between between, std::int64_t samples, std::int64_t positions, std::int64_t channels) {
  TensorGemm t;
  t.form = static_cast<GemmForm>(between(0, 2));
  t.samples = between(1, samples);
  t.kernel = between(1, 3);
  t.stride = between(1, 2);
  t.pad = between(0, t.kernel - 1);
  t.out_h = between(1, positions);
  t.out_w = between(1, positions);
  t.in_h = std::max<std::int64_t>(1, (t.out_h - 1) * t.stride + t.kernel - 2 * t.pad);
  t.in_w = std::max<std::int64_t>(1, (t.out_w - 1) * t.stride + t.kernel - 2 * t.pad);
  t.p = between(1, channels);
  t.q = between(1, channels);
  return t;
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
