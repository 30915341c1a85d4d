#include "hw_models/memory/tiler.h"

#include <algorithm>
#include <cassert>

#include "base/error.h"
#include "hw_models/sram/sram_buffer.h"

namespace qtsim {
namespace {

std::int64_t packed_bytes(std::int64_t values, int bits) { return (values * bits + 7) / 8; }

// Values of `bits` that fit in half of the buffer.
std::int64_t half_capacity_values(const BufferConfig& buffer, int bits) {
  return SramBuffer::values_in(buffer.capacity_words() / 2, bits, buffer.word_bits);
}

// The largest x <= limit that is `dim` or a multiple of `unit` below it; limit >= unit.
std::int64_t largest(std::int64_t dim, std::int64_t unit, std::int64_t limit) {
  assert(limit >= unit);
  return limit >= dim ? dim : limit / unit * unit;
}

void require_fits(const NamedBuffer& buffer, const char* operand, std::int64_t rows, std::int64_t cols, int bits) {
  const std::int64_t words = SramBuffer::words_for(rows * cols, bits, buffer.config.word_bits);
  if (words <= buffer.config.capacity_words() / 2) return;
  throw Error(buffer.key + ".capacity_bytes: too small for one tile of " + operand + " (" + std::to_string(rows) +
              " x " + std::to_string(cols) + " values at " + std::to_string(bits) + " bits; needs at least " +
              std::to_string(2 * words * buffer.config.word_bytes()) + " bytes for 2 halves), got " +
              std::to_string(buffer.config.capacity_bytes));
}

}  // namespace

NamedBuffer named_buffer(const BuffersConfig& buffers, Operand operand) {
  return NamedBuffer{std::string("buffers.") + to_string(operand), buffers.at(operand)};
}

TilePlan plan_tiles(Dataflow dataflow, const GemmDims& gemm, int a_bits, int b_bits, int accumulator_bits,
                    const NamedBuffer& a_buffer, const NamedBuffer& b_buffer, const NamedBuffer& out_buffer,
                    int array_rows, int array_cols, int pack) {
  assert(gemm.m >= 1 && gemm.k >= 1 && gemm.n >= 1 && array_rows >= 1 && array_cols >= 1 && pack >= 1);
  assert(a_bits >= 1 && b_bits >= 1 && accumulator_bits >= 1);
  const bool os = dataflow == Dataflow::os;
  const std::int64_t mu = std::min<std::int64_t>(gemm.m, os ? array_rows : 1);
  const std::int64_t ku = std::min<std::int64_t>(gemm.k, os ? pack : std::int64_t{array_rows} * pack);
  const std::int64_t nu = std::min<std::int64_t>(gemm.n, array_cols);
  require_fits(a_buffer, "A", mu, ku, a_bits);
  require_fits(b_buffer, "B", ku, nu, b_bits);
  require_fits(out_buffer, "C", mu, nu, accumulator_bits);

  const std::int64_t cap_a = half_capacity_values(a_buffer.config, a_bits);
  const std::int64_t cap_b = half_capacity_values(b_buffer.config, b_bits);
  const std::int64_t cap_c = half_capacity_values(out_buffer.config, accumulator_bits);
  TilePlan plan;
  plan.tile_k = largest(gemm.k, ku, std::min(cap_a / mu, cap_b / nu));
  plan.tile_n = largest(gemm.n, nu, std::min(cap_b / plan.tile_k, cap_c / mu));
  plan.tile_m = largest(gemm.m, mu, std::min(cap_a / plan.tile_k, cap_c / plan.tile_n));
  plan.m_tiles = (gemm.m + plan.tile_m - 1) / plan.tile_m;
  plan.k_tiles = (gemm.k + plan.tile_k - 1) / plan.tile_k;
  plan.n_tiles = (gemm.n + plan.tile_n - 1) / plan.tile_n;

  plan.tiles.reserve(static_cast<std::size_t>(plan.m_tiles * plan.k_tiles * plan.n_tiles));
  for (std::int64_t n0 = 0; n0 < gemm.n; n0 += plan.tile_n) {
    for (std::int64_t m0 = 0; m0 < gemm.m; m0 += plan.tile_m) {
      for (std::int64_t k0 = 0; k0 < gemm.k; k0 += plan.tile_k) {
        Tile t;
        t.m0 = m0;
        t.m_len = std::min(plan.tile_m, gemm.m - m0);
        t.k0 = k0;
        t.k_len = std::min(plan.tile_k, gemm.k - k0);
        t.n0 = n0;
        t.n_len = std::min(plan.tile_n, gemm.n - n0);
        t.first_k = k0 == 0;
        t.last_k = k0 + t.k_len == gemm.k;
        if (!plan.tiles.empty()) {
          const Tile& p = plan.tiles.back();
          t.load_a = !(p.m0 == t.m0 && p.k0 == t.k0 && p.m_len == t.m_len && p.k_len == t.k_len);
          t.load_b = !(p.k0 == t.k0 && p.n0 == t.n0 && p.k_len == t.k_len && p.n_len == t.n_len);
        }
        t.a_bytes = packed_bytes(t.m_len * t.k_len, a_bits);
        t.b_bytes = packed_bytes(t.k_len * t.n_len, b_bits);
        t.c_bytes = packed_bytes(t.m_len * t.n_len, accumulator_bits);
        t.a_words = SramBuffer::words_for(t.m_len * t.k_len, a_bits, a_buffer.config.word_bits);
        t.b_words = SramBuffer::words_for(t.k_len * t.n_len, b_bits, b_buffer.config.word_bits);
        t.c_words = SramBuffer::words_for(t.m_len * t.n_len, accumulator_bits, out_buffer.config.word_bits);
        plan.tiles.push_back(t);
      }
    }
  }
  return plan;
}

}  // namespace qtsim
