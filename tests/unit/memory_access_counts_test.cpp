// expected_access_counts: the closed forms of the buffer accesses of one tile,
// checked against values derived by hand and against a walk over the folds of
// the array's own FoldPlan, stream step by stream step.
#include "hw_models/memory/access_counts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "hw_models/sram/sram_buffer.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

using test::error_of;

MacArrayConfig array_config(int rows, int cols, Dataflow dataflow, PeKindId pe_kind) {
  MacArrayConfig c;
  c.rows = rows;
  c.cols = cols;
  c.dataflow = dataflow;
  c.pe_kind = pe_kind;
  return c;
}

BufferConfig words_of(int word_bits) {
  BufferConfig c;
  c.word_bits = word_bits;
  return c;
}

Tile tile(std::int64_t m, std::int64_t k, std::int64_t n, bool first_k) {
  Tile t;
  t.m_len = m;
  t.k_len = k;
  t.n_len = n;
  t.first_k = first_k;
  return t;
}

TEST(MemoryAccessCounts, OsByHand) {
  // os 4 x 4, Bit Fusion 4 x 4 bits: pack P = 4, slices 1. Tile 6 x 10 x 5, C at 32 bits.
  // A in 32-bit words (8 values), B in 64-bit words (16 values), output in 64-bit words (2 values).
  // Folds: rows 4, 2 x columns 4, 1 (4 folds); K groups of 4: 4, 4, 2 (3 stream elements per fold).
  //   A elements: 6 rows x 2 column folds x 3 = 36.
  //   A words per pass over K: 4 rows: 16, 16, 8 values -> 2 + 2 + 1 = 5; 2 rows: 8, 8, 4 -> 1 + 1 + 1 = 3;
  //     (5 + 3) x 2 column folds = 16.
  //   B elements: 5 columns x 2 row folds x 3 = 30.
  //   B words: 4 columns: 16, 16, 8 -> 1 + 1 + 1 = 3; 1 column: 4, 4, 2 -> 3; (3 + 3) x 2 row folds = 12.
  //   Output: 30 values; per output row 4 + 1 values -> 2 + 1 words; 6 rows -> 18 words.
  const PeMode mode = pe_mode(array_config(4, 4, Dataflow::os, PeKindId::bitfusion), 4, 4);
  ASSERT_EQ(mode.pack, 4);
  AccessCounts c = expected_access_counts(Dataflow::os, tile(6, 10, 5, true), mode, 32, words_of(32), words_of(64),
                                          words_of(64), 4, 4);
  EXPECT_EQ(c.a_read_elements, 36);
  EXPECT_EQ(c.a_read_words, 16);
  EXPECT_EQ(c.b_read_elements, 30);
  EXPECT_EQ(c.b_read_words, 12);
  EXPECT_EQ(c.out_write_values, 30);
  EXPECT_EQ(c.out_write_words, 18);
  EXPECT_EQ(c.out_read_values, 0);  // first K tile: partial sums start at zero
  EXPECT_EQ(c.out_read_words, 0);
  // A later K tile reads the partial sums first.
  c = expected_access_counts(Dataflow::os, tile(6, 10, 5, false), mode, 32, words_of(32), words_of(64), words_of(64), 4,
                             4);
  EXPECT_EQ(c.out_read_values, 30);
  EXPECT_EQ(c.out_read_words, 18);
  EXPECT_EQ(c.out_write_values, 30);
}

TEST(MemoryAccessCounts, OsSlicesReReadTheOperand) {
  // os 2 x 2, Bit Fusion 16 x 8 bits: pack 1, slices 2. Tile 2 x 3 x 2; A (16 bits) and B (8 bits) in 64-bit words.
  //   A elements: 2 rows x 1 column fold x 3 K groups x 2 slices = 12; words: per step 2 values = 1 word -> 3 x 2 = 6.
  //   B likewise: 12 elements, 6 words. Output: 4 values; 2 rows of 2 -> 1 word each = 2 words.
  const PeMode mode = pe_mode(array_config(2, 2, Dataflow::os, PeKindId::bitfusion), 16, 8);
  ASSERT_EQ(mode.pack, 1);
  ASSERT_EQ(mode.slices, 2);
  const AccessCounts c = expected_access_counts(Dataflow::os, tile(2, 3, 2, true), mode, 32, words_of(64), words_of(64),
                                                words_of(64), 2, 2);
  EXPECT_EQ(c.a_read_elements, 12);
  EXPECT_EQ(c.a_read_words, 6);
  EXPECT_EQ(c.b_read_elements, 12);
  EXPECT_EQ(c.b_read_words, 6);
  EXPECT_EQ(c.out_write_values, 4);
  EXPECT_EQ(c.out_write_words, 2);
}

TEST(MemoryAccessCounts, WsByHand) {
  // ws 2 x 4, Bit Fusion 4 x 8 bits: pack P = 2, slices 1; a fold holds 2 x 2 = 4 values of K.
  // Tile 3 x 10 x 6: K folds 4, 4, 2 (PE rows 2, 2, 1) x column folds 4, 2: 6 folds, stream 3.
  // A (4 bits) in 64-bit words (16 values), B (8 bits) in 32-bit words (4 values), output 64-bit (2 values).
  //   A elements: per stream step 2 + 2 + 1 = 5 PE rows over the K folds; x 3 rows of A x 2 column folds = 30.
  //   A words: one vector of k_f values per step: 4, 4, 2 values -> 1 + 1 + 1 = 3; x 3 x 2 = 18.
  //   B elements (preload, each weight once): 5 PE rows x 6 columns = 30.
  //   B words: K fold of 4: 2 PE rows of (4 cols x 2 = 8 values -> 2 words) + (2 cols x 2 = 4 -> 1 word) = 6;
  //     twice = 12; K fold of 2: 1 PE row: 2 + 1 = 3; total 15.
  //   Output: each of 3 K folds writes 3 rows x 6 values = 18: 54 values; per row 4 + 2 values -> 2 + 1 words:
  //     3 x 3 x 3 = 27 words. Reads: every fold but the first along K of the first K tile: 2 x 18 = 36 values,
  //     18 words; in a later K tile, all 3: 54 values, 27 words.
  const PeMode mode = pe_mode(array_config(2, 4, Dataflow::ws, PeKindId::bitfusion), 4, 8);
  ASSERT_EQ(mode.pack, 2);
  AccessCounts c = expected_access_counts(Dataflow::ws, tile(3, 10, 6, true), mode, 32, words_of(64), words_of(32),
                                          words_of(64), 2, 4);
  EXPECT_EQ(c.a_read_elements, 30);
  EXPECT_EQ(c.a_read_words, 18);
  EXPECT_EQ(c.b_read_elements, 30);
  EXPECT_EQ(c.b_read_words, 15);
  EXPECT_EQ(c.out_write_values, 54);
  EXPECT_EQ(c.out_write_words, 27);
  EXPECT_EQ(c.out_read_values, 36);
  EXPECT_EQ(c.out_read_words, 18);
  c = expected_access_counts(Dataflow::ws, tile(3, 10, 6, false), mode, 32, words_of(64), words_of(32), words_of(64), 2,
                             4);
  EXPECT_EQ(c.out_read_values, 54);
  EXPECT_EQ(c.out_read_words, 27);
}

// The same model walked step by step over the array's own folds.
AccessCounts walk_folds(const MacArrayConfig& array, const PeMode& mode, const Tile& t, int acc_bits, int wa, int wb,
                        int wo) {
  const FoldPlan plan(array, mode, GemmDims{t.m_len, t.k_len, t.n_len});
  const std::int64_t p = mode.pack, s = mode.slices;
  AccessCounts c;
  auto outputs = [&](const Fold& f, std::int64_t rows, bool read) {
    for (std::int64_t row = 0; row < rows; ++row) {
      const std::int64_t words = SramBuffer::words_for(f.cols, acc_bits, wo);
      c.out_write_values += f.cols;
      c.out_write_words += words;
      if (read) {
        c.out_read_values += f.cols;
        c.out_read_words += words;
      }
    }
  };
  for (const Fold& f : plan.folds()) {
    if (array.dataflow == Dataflow::os) {
      for (std::int64_t step = 0; step < f.stream; ++step) {
        const std::int64_t group = step / s, values = std::min(p, f.k_len - group * p);
        c.a_read_elements += f.rows;
        c.a_read_words += SramBuffer::words_for(f.rows * values, mode.a_bits, wa);
        c.b_read_elements += f.cols;
        c.b_read_words += SramBuffer::words_for(f.cols * values, mode.b_bits, wb);
      }
      outputs(f, f.rows, !t.first_k);
    } else {
      const std::int64_t pe_rows = (f.k_len + p - 1) / p;
      for (std::int64_t i = 0; i < pe_rows; ++i) {
        c.b_read_elements += f.cols;
        c.b_read_words += SramBuffer::words_for(f.cols * std::min(p, f.k_len - i * p), mode.b_bits, wb);
      }
      for (std::int64_t step = 0; step < f.stream; ++step) {
        c.a_read_elements += pe_rows;
        c.a_read_words += SramBuffer::words_for(f.k_len, mode.a_bits, wa);
      }
      outputs(f, f.rows, !(t.first_k && f.k0 == 0));
    }
  }
  return c;
}

TEST(MemoryAccessCounts, ClosedFormsEqualAWalkOverTheFolds) {
  std::mt19937 rng(5);
  auto draw = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const PeKindId kinds[] = {PeKindId::bitfusion, PeKindId::bitserial, PeKindId::fixed};
  for (int trial = 0; trial < 400; ++trial) {
    const MacArrayConfig array = array_config(draw(1, 6), draw(1, 6), trial % 2 ? Dataflow::ws : Dataflow::os,
                                              kinds[static_cast<std::size_t>(draw(0, 2))]);
    const PeMode mode = pe_mode(array, draw(1, 16), draw(1, 16));
    const Tile t = tile(draw(1, 30), draw(1, 60), draw(1, 30), draw(0, 1) == 1);
    const int acc_bits = draw(0, 1) ? 32 : 24;
    const int wa = 8 * draw(1, 16), wb = 8 * draw(1, 16), wo = 8 * draw(1, 16);
    SCOPED_TRACE("trial " + std::to_string(trial) + ": " + to_string(array.dataflow) + " " + to_string(array.pe_kind) +
                 " " + mode.describe());
    const AccessCounts closed = expected_access_counts(array.dataflow, t, mode, acc_bits, words_of(wa), words_of(wb),
                                                       words_of(wo), array.rows, array.cols);
    const AccessCounts walked = walk_folds(array, mode, t, acc_bits, wa, wb, wo);
    EXPECT_EQ(closed.a_read_elements, walked.a_read_elements);
    EXPECT_EQ(closed.a_read_words, walked.a_read_words);
    EXPECT_EQ(closed.b_read_elements, walked.b_read_elements);
    EXPECT_EQ(closed.b_read_words, walked.b_read_words);
    EXPECT_EQ(closed.out_read_values, walked.out_read_values);
    EXPECT_EQ(closed.out_read_words, walked.out_read_words);
    EXPECT_EQ(closed.out_write_values, walked.out_write_values);
    EXPECT_EQ(closed.out_write_words, walked.out_write_words);
    EXPECT_TRUE(closed == walked);
  }
}

}  // namespace
}  // namespace qtsim
