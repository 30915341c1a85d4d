#include "hw_models/memory/access_counts.h"

#include <cassert>

#include "hw_models/sram/sram_buffer.h"

namespace qtsim {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// Sum of f(length) over the blocks of `dim` cut by `unit`: the full blocks, then the remainder.
template <class F>
std::int64_t sum_blocks(std::int64_t dim, std::int64_t unit, F f) {
  const std::int64_t rem = dim % unit;
  return dim / unit * f(unit) + (rem ? f(rem) : 0);
}

// Words read by `lanes` lanes over one pass of `k` values in groups of `pack`
// (one vector request per group: lanes x group values).
std::int64_t pass_words(std::int64_t lanes, std::int64_t k, int pack, int bits, int word_bits) {
  const std::int64_t groups = ceil_div(k, pack), last = k - (groups - 1) * pack;
  return (groups - 1) * SramBuffer::words_for(lanes * pack, bits, word_bits) +
         SramBuffer::words_for(lanes * last, bits, word_bits);
}

}  // namespace

bool AccessCounts::operator==(const AccessCounts& o) const {
  return a_read_elements == o.a_read_elements && a_read_words == o.a_read_words &&
         b_read_elements == o.b_read_elements && b_read_words == o.b_read_words &&
         out_read_values == o.out_read_values && out_read_words == o.out_read_words &&
         out_write_values == o.out_write_values && out_write_words == o.out_write_words;
}

AccessCounts expected_access_counts(Dataflow dataflow, const Tile& tile, const PeMode& mode, int accumulator_bits,
                                    const BufferConfig& a_buffer, const BufferConfig& b_buffer,
                                    const BufferConfig& out_buffer, int array_rows, int array_cols) {
  const std::int64_t m = tile.m_len, k = tile.k_len, n = tile.n_len, r = array_rows, c = array_cols;
  const int p = mode.pack, s = mode.slices;
  const int wa = a_buffer.word_bits, wb = b_buffer.word_bits, wo = out_buffer.word_bits;
  assert(m >= 1 && k >= 1 && n >= 1 && r >= 1 && c >= 1 && p >= 1 && s >= 1);
  const std::int64_t groups = ceil_div(k, p);  // stream elements per lane per slice pass
  // One output row of a fold: a vector of cols_f values; summed over the column blocks.
  const std::int64_t out_row_words =
      sum_blocks(n, c, [&](std::int64_t cols) { return SramBuffer::words_for(cols, accumulator_bits, wo); });

  AccessCounts a;
  std::int64_t out_passes = 0, out_read_passes = 0;  // how often every output is written / read
  if (dataflow == Dataflow::os) {
    const std::int64_t row_folds = ceil_div(m, r), col_folds = ceil_div(n, c);
    a.a_read_elements = m * col_folds * groups * s;
    a.a_read_words =
        col_folds * s * sum_blocks(m, r, [&](std::int64_t rows) { return pass_words(rows, k, p, mode.a_bits, wa); });
    a.b_read_elements = n * row_folds * groups * s;
    a.b_read_words =
        row_folds * s * sum_blocks(n, c, [&](std::int64_t cols) { return pass_words(cols, k, p, mode.b_bits, wb); });
    out_passes = 1;
    out_read_passes = tile.first_k ? 0 : 1;
  } else {
    const std::int64_t k_fold = r * p, k_folds = ceil_div(k, k_fold), col_folds = ceil_div(n, c);
    a.a_read_elements = col_folds * m * s * groups;
    a.a_read_words = col_folds * m * s *
                     sum_blocks(k, k_fold, [&](std::int64_t kf) { return SramBuffer::words_for(kf, mode.a_bits, wa); });
    a.b_read_elements = groups * n;
    a.b_read_words = sum_blocks(k, k_fold, [&](std::int64_t kf) {
      return sum_blocks(n, c, [&](std::int64_t cols) { return pass_words(cols, kf, p, mode.b_bits, wb); });
    });
    out_passes = k_folds;
    out_read_passes = k_folds - (tile.first_k ? 1 : 0);
  }
  a.out_write_values = out_passes * m * n;
  a.out_write_words = out_passes * m * out_row_words;
  a.out_read_values = out_read_passes * m * n;
  a.out_read_words = out_read_passes * m * out_row_words;
  return a;
}

}  // namespace qtsim
