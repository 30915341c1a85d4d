// The cycle-level MAC array (plain C++, no kernel): timing against the closed
// forms of docs/hardware_model.md computed here by hand, values against a plain
// integer GEMM, throughput per PE kind and precision.
#include <gtest/gtest.h>

#include <random>

#include "hw_models/mac_array/systolic_array.h"
#include "hw_models/memory/access_counts.h"
#include "tests/unit/gemm_util.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

using test::error_of;
using test::plain_gemm;
using test::random_operands;

MacArrayConfig array_config(int rows, int cols, Dataflow dataflow, PeKindId pe_kind, bool pipelined = false) {
  MacArrayConfig c;
  c.rows = rows;
  c.cols = cols;
  c.dataflow = dataflow;
  c.pe_kind = pe_kind;
  c.pipelined_folds = pipelined;
  return c;
}

ArrayStats run(SystolicArray& array, const GemmOperands& g) {
  array.start(g);
  while (array.step()) {
  }
  return array.stats();
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

struct TimingCase {
  int rows, cols;
  Dataflow dataflow;
  PeKindId pe_kind;
  std::int64_t m, k, n;
  int a_bits, b_bits;
  int pack, slices;  // derived by hand from docs/hardware_model.md for the kind and widths
};

// os: ceil(M/R) ceil(N/C) folds of T + R + C - 2, T = ceil(K/pack) slices.
// ws: ceil(K/(R pack)) ceil(N/C) folds of T + 2R + C - 2, T = M slices.
std::int64_t expected_cycles(const TimingCase& c) {
  if (c.dataflow == Dataflow::os) {
    return ceil_div(c.m, c.rows) * ceil_div(c.n, c.cols) * (ceil_div(c.k, c.pack) * c.slices + c.rows + c.cols - 2);
  }
  return ceil_div(c.k, c.rows * c.pack) * ceil_div(c.n, c.cols) * (c.m * c.slices + 2 * c.rows + c.cols - 2);
}

TEST(MacArray, CyclesMatchTheFoldFormulasAndValuesMatchAPlainGemm) {
  const std::vector<TimingCase> cases = {
      // Stall-free, partial folds in every dimension, 8x8 / 16x16 / 32x32.
      {8, 8, Dataflow::os, PeKindId::bitfusion, 20, 37, 13, 8, 8, 1, 1},
      {8, 8, Dataflow::ws, PeKindId::bitfusion, 20, 37, 13, 8, 8, 1, 1},
      {16, 16, Dataflow::os, PeKindId::bitfusion, 33, 50, 17, 8, 8, 1, 1},
      {16, 16, Dataflow::ws, PeKindId::bitfusion, 33, 50, 17, 8, 8, 1, 1},
      {32, 32, Dataflow::os, PeKindId::bitfusion, 40, 70, 35, 8, 8, 1, 1},
      {32, 32, Dataflow::ws, PeKindId::bitfusion, 40, 70, 35, 8, 8, 1, 1},
      // Bit Fusion: (8/a)(8/b) products per element at <= 8 bits; 16 bits in passes.
      {8, 8, Dataflow::os, PeKindId::bitfusion, 9, 30, 11, 4, 4, 4, 1},
      {8, 8, Dataflow::ws, PeKindId::bitfusion, 9, 70, 11, 4, 4, 4, 1},
      {8, 8, Dataflow::os, PeKindId::bitfusion, 9, 30, 11, 2, 2, 16, 1},
      {8, 8, Dataflow::os, PeKindId::bitfusion, 9, 30, 11, 2, 8, 4, 1},
      {8, 8, Dataflow::os, PeKindId::bitfusion, 9, 30, 11, 16, 8, 1, 2},
      {8, 8, Dataflow::ws, PeKindId::bitfusion, 9, 30, 11, 16, 8, 1, 2},
      {8, 8, Dataflow::os, PeKindId::bitfusion, 9, 30, 11, 16, 16, 1, 4},
      {8, 8, Dataflow::os, PeKindId::bitfusion, 9, 30, 11, 16, 4, 2, 2},
      {8, 8, Dataflow::os, PeKindId::bitfusion, 9, 30, 11, 3, 5, 2, 1},  // promoted to 4 x 8
      // Bit-serial A: one element per bit of A.
      {8, 8, Dataflow::os, PeKindId::bitserial, 9, 30, 11, 4, 8, 1, 4},
      {8, 8, Dataflow::ws, PeKindId::bitserial, 9, 30, 11, 16, 16, 1, 16},
      // Fixed 8-bit PE: narrow operands gain nothing, wide ones take passes.
      {8, 8, Dataflow::os, PeKindId::fixed, 9, 30, 11, 4, 4, 1, 1},
      {8, 8, Dataflow::os, PeKindId::fixed, 9, 30, 11, 16, 8, 1, 2},
      {8, 8, Dataflow::ws, PeKindId::fixed, 9, 30, 11, 16, 16, 1, 4},
  };
  unsigned seed = 1;
  for (const TimingCase& c : cases) {
    SCOPED_TRACE(std::string(to_string(c.dataflow)) + " " + to_string(c.pe_kind) + " " + std::to_string(c.rows) + "x" +
                 std::to_string(c.cols) + " " + std::to_string(c.a_bits) + "x" + std::to_string(c.b_bits));
    const MacArrayConfig config = array_config(c.rows, c.cols, c.dataflow, c.pe_kind);
    const PeMode mode = pe_mode(config, c.a_bits, c.b_bits);
    ASSERT_EQ(mode.pack, c.pack);
    ASSERT_EQ(mode.slices, c.slices);
    SystolicArray array(config, mode, 32);
    const GemmOperands g = random_operands(c.m, c.k, c.n, c.a_bits, c.b_bits, seed++);
    const ArrayStats stats = run(array, g);
    EXPECT_EQ(stats.cycles, expected_cycles(c));
    EXPECT_EQ(array.plan().total_cycles(), expected_cycles(c));
    EXPECT_EQ(stats.macs, c.m * c.k * c.n);
    // Random 16x16-bit products (up to 2^30) summed 30 at a time may leave a
    // 32-bit accumulator; narrower ones cannot (30 x 2^23 < 2^31).
    if (c.a_bits + c.b_bits <= 24) {
      EXPECT_EQ(stats.overflows, 0);
    }
    EXPECT_EQ(array.result(), plain_gemm(g, 32));
  }
}

TEST(MacArray, NotDoneOneCycleBeforeTheFormulaDoneAtIt) {
  // One os fold on 8x8, K = 10: T + R + C - 2 = 10 + 14 = 24 cycles.
  SystolicArray array(array_config(8, 8, Dataflow::os, PeKindId::bitfusion),
                      pe_mode(array_config(8, 8, Dataflow::os, PeKindId::bitfusion), 8, 8), 32);
  const GemmOperands g = random_operands(8, 10, 8, 8, 8, 7);
  array.start(g);
  for (int cycle = 1; cycle < 24; ++cycle) ASSERT_TRUE(array.step()) << "done early at cycle " << cycle;
  EXPECT_FALSE(array.step());  // the 24th cycle completes it
  EXPECT_EQ(array.stats().cycles, 24);
}

TEST(MacArray, PipelinedFolds) {
  // os, 4x4, M = 8, N = 4, K = 6: two folds of T = 6: 6 + 6 + 4 + 4 - 2 = 18
  // (not pipelined: 2 x (6 + 6) = 24).
  // ws, 4x4, K = 8, N = 4, M = 20: two K-folds of T = 20 >= 2R + C - 1 = 11:
  // R + 20 + 20 + R + C - 2 = 50 (not pipelined: 2 x (20 + 8 + 4 - 2) = 60).
  // ws, 4x4, K = 8, N = 4, M = 5: T = 5 < 11: R + 11 + 5 + R + C - 2 = 26
  // (not pipelined: 2 x (5 + 8 + 4 - 2) = 30).
  struct Case {
    Dataflow dataflow;
    std::int64_t m, k, n, pipelined, plain;
  };
  for (const Case& c : {Case{Dataflow::os, 8, 6, 4, 18, 24}, Case{Dataflow::ws, 20, 8, 4, 50, 60},
                        Case{Dataflow::ws, 5, 8, 4, 26, 30}}) {
    for (bool pipelined : {true, false}) {
      const MacArrayConfig config = array_config(4, 4, c.dataflow, PeKindId::bitfusion, pipelined);
      SystolicArray array(config, pe_mode(config, 8, 8), 32);
      const GemmOperands g = random_operands(c.m, c.k, c.n, 8, 8, 3);
      const ArrayStats stats = run(array, g);
      EXPECT_EQ(stats.cycles, pipelined ? c.pipelined : c.plain) << to_string(c.dataflow) << " pipelined " << pipelined;
      EXPECT_EQ(array.result(), plain_gemm(g, 32)) << to_string(c.dataflow);
    }
  }
}

TEST(MacArray, ThroughputPerPrecision) {
  // Products per PE-cycle over a long os stream (K = 4096 on one fold):
  // bitfusion 4x4 completes 4x as many as 8x8, 16x8 half as many.
  auto stream = [](PeKindId kind, int a, int b) {
    const MacArrayConfig config = array_config(4, 4, Dataflow::os, kind);
    return FoldPlan(config, pe_mode(config, a, b), GemmDims{4, 4096, 4}).folds().front().stream;
  };
  EXPECT_EQ(stream(PeKindId::bitfusion, 8, 8), 4096);
  EXPECT_EQ(stream(PeKindId::bitfusion, 4, 4), 1024);
  EXPECT_EQ(stream(PeKindId::bitfusion, 16, 8), 8192);
  EXPECT_EQ(stream(PeKindId::bitserial, 4, 8), 4 * 4096);
  EXPECT_EQ(stream(PeKindId::fixed, 4, 4), 4096);
  EXPECT_EQ(stream(PeKindId::fixed, 16, 16), 4 * 4096);
}

TEST(MacArray, AccumulatorOverflowIsDetectedAndWraps) {
  // 16-bit operands at their extremes: K = 4 products of (-32768)(-32768) =
  // 2^30 each sum to 2^32, which a 32-bit accumulator cannot hold.
  const MacArrayConfig config = array_config(4, 4, Dataflow::os, PeKindId::bitfusion);
  GemmOperands g;
  g.dims = {1, 4, 1};
  g.a_bits = g.b_bits = 16;
  g.a.assign(4, -32768);
  g.b.assign(4, -32768);
  SystolicArray array(config, pe_mode(config, 16, 16), 32);
  const ArrayStats stats = run(array, g);
  EXPECT_GT(stats.overflows, 0);
  EXPECT_EQ(array.result(), plain_gemm(g, 32));
  SystolicArray wide(config, pe_mode(config, 16, 16), 48);
  run(wide, g);
  EXPECT_EQ(wide.stats().overflows, 0);
  EXPECT_EQ(wide.result().front(), std::int64_t{1} << 32);
}

TEST(MacArray, WidthsThatCannotBeRunAreErrors) {
  EXPECT_EQ(error_of([] { pe_mode(array_config(4, 4, Dataflow::os, PeKindId::bitfusion), 17, 8); }),
            "mac_array.pe_kind bitfusion: operand A at 17 bits cannot be run; expected a width in [1, 16] (modes 2, "
            "4, 8, and 16 in two passes)");
  EXPECT_EQ(error_of([] { pe_mode(array_config(4, 4, Dataflow::os, PeKindId::bitserial), 8, 20); }),
            "mac_array.pe_kind bitserial: operand B at 20 bits cannot be run; expected a width in [1, 16]");
  const PeMode promoted = pe_mode(array_config(4, 4, Dataflow::os, PeKindId::bitfusion), 3, 5);
  EXPECT_TRUE(promoted.promoted());
  EXPECT_EQ(promoted.describe(), "3x5 bits promoted to 4x8: 2 products per element, 1 element per product");
}

}  // namespace
}  // namespace qtsim

namespace qtsim {
namespace {

// Buffer traffic counted by the cycle-level array equals the closed forms of
// hw_models/memory/access_counts.h, derived independently per dataflow.
TEST(MacArray, EdgeTrafficMatchesTheAccessCountClosedForms) {
  std::mt19937 rng(11);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const std::vector<std::pair<int, int>> widths = {{8, 8}, {4, 4}, {2, 8}, {16, 8}, {4, 16}};
  for (int trial = 0; trial < 60; ++trial) {
    const Dataflow dataflow = trial % 2 ? Dataflow::ws : Dataflow::os;
    const auto [a_bits, b_bits] = widths[trial % widths.size()];
    const MacArrayConfig config = array_config(pick(2, 8), pick(2, 8), dataflow, PeKindId::bitfusion, trial % 3 == 0);
    const PeMode mode = pe_mode(config, a_bits, b_bits);
    BufferConfig a_buf, b_buf, out_buf;
    a_buf.word_bits = 8 * pick(1, 8);
    b_buf.word_bits = 8 * pick(1, 8);
    out_buf.word_bits = 32 * pick(1, 4);
    Tile tile;
    tile.m_len = pick(1, 20);
    tile.k_len = pick(1, 40);
    tile.n_len = pick(1, 20);
    tile.first_k = trial % 4 != 1;
    SystolicArray array(config, mode, 32, EdgeBuffers{a_buf.word_bits, b_buf.word_bits, out_buf.word_bits});
    const GemmOperands g = random_operands(tile.m_len, tile.k_len, tile.n_len, a_bits, b_bits, 100 + trial);
    array.start(g, !tile.first_k);
    while (array.step()) {
    }
    const ArrayStats& s = array.stats();
    const AccessCounts expected =
        expected_access_counts(dataflow, tile, mode, 32, a_buf, b_buf, out_buf, config.rows, config.cols);
    SCOPED_TRACE(std::string(to_string(dataflow)) + " trial " + std::to_string(trial));
    EXPECT_EQ(s.a_read_elements, expected.a_read_elements);
    EXPECT_EQ(s.a_read_words, expected.a_read_words);
    EXPECT_EQ(s.b_read_elements, expected.b_read_elements);
    EXPECT_EQ(s.b_read_words, expected.b_read_words);
    EXPECT_EQ(s.out_write_values, expected.out_write_values);
    EXPECT_EQ(s.out_write_words, expected.out_write_words);
    EXPECT_EQ(s.out_read_values, expected.out_read_values);
    EXPECT_EQ(s.out_read_words, expected.out_read_words);
  }
}

}  // namespace
}  // namespace qtsim

namespace qtsim {
namespace {

TEST(MacArray, BufferPortsLimitEdgeReadsPerCycle) {
  // 4x4 os, C = A (4 x 6) B (6 x 4) at 8 bits: one fold, T = 6, 12 cycles
  // stall-free. Each stream step reads a 4-value vector of A and one of B: 4
  // words of 8 bits. With b banks of one port, a buffer serves b words a
  // cycle, so a step takes ceil(4 / b) cycles: 6 steps x (ceil(4/b) - 1)
  // port stalls (A and B in separate buffers, served in parallel).
  const MacArrayConfig config = array_config(4, 4, Dataflow::os, PeKindId::bitfusion);
  const GemmOperands g = random_operands(4, 6, 4, 8, 8, 21);
  for (auto [banks, stalls] : {std::pair{1, 18}, std::pair{2, 6}, std::pair{3, 6}, std::pair{4, 0}}) {
    BufferConfig buffer;
    buffer.word_bits = 8;
    buffer.banks = banks;
    SramBuffer a_buffer(buffer), b_buffer(buffer);
    SystolicArray array(config, pe_mode(config, 8, 8), 32, EdgeBuffers{8, 8, 64});
    array.attach_buffers(&a_buffer, &b_buffer);
    run(array, g);
    EXPECT_EQ(array.stats().port_stall_cycles, stalls) << banks;
    EXPECT_EQ(array.stats().cycles, 12 + stalls) << banks;
    EXPECT_EQ(array.result(), plain_gemm(g)) << banks;
    EXPECT_EQ(a_buffer.stats().reads_words, 24) << banks;  // 6 steps x 4 words
  }
}

TEST(MacArray, OneBufferForAAndBCountsOneConflictStallPerStalledCycle) {
  // The 4x4 os GEMM above, A and B both in one buffer of 4 banks x 1 port
  // (8-bit words): each step's A vector (4 words) takes every bank, so B's 4
  // words are all refused in that cycle and granted in the next. 6 steps x 1
  // port stall; each of those cycles the buffer refused (B's words alone),
  // so 6 conflict stall cycles (counting only A's refusals gave 0). Reads: 6
  // x (4 + 4) words, 12 per bank.
  const MacArrayConfig config = array_config(4, 4, Dataflow::os, PeKindId::bitfusion);
  const GemmOperands g = random_operands(4, 6, 4, 8, 8, 21);
  BufferConfig shared;
  shared.word_bits = 8;
  shared.banks = 4;
  SramBuffer buffer(shared);
  SystolicArray array(config, pe_mode(config, 8, 8), 32, EdgeBuffers{8, 8, 64});
  array.attach_buffers(&buffer, &buffer);
  run(array, g);
  EXPECT_EQ(array.stats().port_stall_cycles, 6);
  EXPECT_EQ(array.stats().cycles, 12 + 6);
  EXPECT_EQ(buffer.stats().conflict_stall_cycles, 6);
  EXPECT_EQ(buffer.stats().bank_reads_words, (std::vector<std::int64_t>{12, 12, 12, 12}));
  EXPECT_EQ(array.result(), plain_gemm(g));

  // Separate buffers, B's of 2 banks: B needs 2 cycles a step, A one. Only
  // B's buffer refused: A 0 conflict stalls, B 6.
  BufferConfig narrow = shared;
  narrow.banks = 2;
  SramBuffer a_buffer(shared), b_buffer(narrow);
  SystolicArray separate(config, pe_mode(config, 8, 8), 32, EdgeBuffers{8, 8, 64});
  separate.attach_buffers(&a_buffer, &b_buffer);
  run(separate, g);
  EXPECT_EQ(separate.stats().port_stall_cycles, 6);
  EXPECT_EQ(a_buffer.stats().conflict_stall_cycles, 0);
  EXPECT_EQ(b_buffer.stats().conflict_stall_cycles, 6);
}

TEST(MacArray, EdgeReadsWrapToWordZeroAndContinueAfterIt) {
  // The 4x4 os GEMM above; A's buffer holds 10 8-bit words in 3 banks, so
  // each step's 4-word request at the next address x starts at x, or at 0
  // when x + 4 > 10: x = 0, 4, then 8 + 4 > 10 -> 0, and the next request
  // continues right after the wrapped words, at 4 (not at 12 mod 10 = 2):
  // starts 0, 4, 0, 4, 0, 4. Words 0..3 are in banks 0,1,2,0 and words 4..7
  // in banks 1,2,0,1: A's reads per bank 3 x (2,1,1) + 3 x (1,2,1) = (9,9,6).
  // With 2 ports (6 words a cycle) no step stalls; with 1 port (3 words a
  // cycle) each step takes 2 cycles, the rest of a request continuing at
  // start + 3 (x + 3 + 1 <= 10, no wrap), and the addresses are the same.
  const MacArrayConfig config = array_config(4, 4, Dataflow::os, PeKindId::bitfusion);
  const GemmOperands g = random_operands(4, 6, 4, 8, 8, 21);
  for (auto [ports, stalls] : {std::pair{2, 0}, std::pair{1, 6}}) {
    BufferConfig small;
    small.word_bits = 8;
    small.banks = 3;
    small.ports = ports;
    small.capacity_bytes = 10;
    BufferConfig roomy;
    roomy.word_bits = 8;
    SramBuffer a_buffer(small), b_buffer(roomy);
    SystolicArray array(config, pe_mode(config, 8, 8), 32, EdgeBuffers{8, 8, 64});
    array.attach_buffers(&a_buffer, &b_buffer);
    run(array, g);
    EXPECT_EQ(a_buffer.stats().bank_reads_words, (std::vector<std::int64_t>{9, 9, 6})) << ports;
    EXPECT_EQ(array.stats().port_stall_cycles, stalls) << ports;
    EXPECT_EQ(a_buffer.stats().conflict_stall_cycles, stalls) << ports;
    EXPECT_EQ(b_buffer.stats().conflict_stall_cycles, 0) << ports;
    EXPECT_EQ(array.result(), plain_gemm(g)) << ports;
  }
}

}  // namespace
}  // namespace qtsim
