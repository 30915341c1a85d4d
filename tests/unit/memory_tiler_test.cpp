// plan_tiles: tile sizes, order, K tiling and its flags, reuse flags, bytes
// and words, derived by hand; the errors for buffers too small for one tile;
// and invariants (coverage, fit, units) on random shapes.
#include "hw_models/memory/tiler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "hw_models/sram/sram_buffer.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

using test::error_of;

NamedBuffer named(const std::string& operand, std::int64_t capacity_bytes, int word_bits = 64) {
  BufferConfig c;
  c.capacity_bytes = capacity_bytes;
  c.word_bits = word_bits;
  return NamedBuffer{"buffers." + operand, c};
}

TEST(Tiler, NamedBufferGivesTheKeyPath) {
  BuffersConfig buffers;
  buffers.gradient.capacity_bytes = 1234;
  const NamedBuffer g = named_buffer(buffers, Operand::gradient);
  EXPECT_EQ(g.key, "buffers.gradient");
  EXPECT_EQ(g.config.capacity_bytes, 1234);
  EXPECT_EQ(named_buffer(buffers, Operand::output).key, "buffers.output");
}

TEST(Tiler, OsWholeKTilesMInMultiplesOfRows) {
  // os, 4 x 4 array, pack 1, 8-bit A and B, 32-bit accumulators, 64-bit words.
  // Halves: A 256 B = 32 words -> 16 words = 128 values; B likewise 128;
  // C 512 B = 64 words -> 32 words = 64 values (2 per word).
  // Units: M 4, K 1, N 4. GEMM 10 x 8 x 12:
  //   tile_k = K = 8 (8 <= min(128 / 4, 128 / 4) = 32: no K tiling);
  //   tile_n = N = 12 (12 <= min(128 / 8, 64 / 4) = 16);
  //   tile_m = 4 (min(128 / 8, 64 / 12) = 5, down to a multiple of 4).
  const TilePlan p = plan_tiles(Dataflow::os, {10, 8, 12}, 8, 8, 32, named("activation", 256), named("weight", 256),
                                named("output", 512), 4, 4, 1);
  EXPECT_EQ(p.tile_m, 4);
  EXPECT_EQ(p.tile_k, 8);
  EXPECT_EQ(p.tile_n, 12);
  EXPECT_EQ(p.m_tiles, 3);
  EXPECT_EQ(p.k_tiles, 1);
  EXPECT_EQ(p.n_tiles, 1);
  ASSERT_EQ(p.tiles.size(), 3u);
  const std::int64_t m0[] = {0, 4, 8}, m_len[] = {4, 4, 2};
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    const Tile& t = p.tiles[i];
    EXPECT_EQ(t.m0, m0[i]);
    EXPECT_EQ(t.m_len, m_len[i]);
    EXPECT_EQ(t.k0, 0);
    EXPECT_EQ(t.k_len, 8);
    EXPECT_EQ(t.n0, 0);
    EXPECT_EQ(t.n_len, 12);
    EXPECT_TRUE(t.first_k);
    EXPECT_TRUE(t.last_k);
    EXPECT_TRUE(t.load_a);
    EXPECT_EQ(t.load_b, i == 0);  // the same 8 x 12 block of B stays resident
    EXPECT_EQ(t.b_bytes, 96);     // 8 x 12 bytes
    EXPECT_EQ(t.b_words, 12);
  }
  // Full tile: A 4 x 8 = 32 bytes = 4 words; C 4 x 12 x 4 bytes = 192 bytes = 24 words.
  EXPECT_EQ(p.tiles[0].a_bytes, 32);
  EXPECT_EQ(p.tiles[0].a_words, 4);
  EXPECT_EQ(p.tiles[0].c_bytes, 192);
  EXPECT_EQ(p.tiles[0].c_words, 24);
  // Last tile, 2 rows: A 16 bytes = 2 words, C 96 bytes = 12 words.
  EXPECT_EQ(p.tiles[2].a_bytes, 16);
  EXPECT_EQ(p.tiles[2].a_words, 2);
  EXPECT_EQ(p.tiles[2].c_bytes, 96);
  EXPECT_EQ(p.tiles[2].c_words, 12);
}

TEST(Tiler, WsTilesKWhenNeededAndMarksFirstAndLastK) {
  // ws, 4 x 4 array, pack 2 (e.g. Bit Fusion 4 x 8 bits), A 4 bits, B 8 bits, C 32 bits, 64-bit words.
  // Halves: A 64 B = 8 words -> 4 words = 64 values; B 128 B -> 8 words = 64 values;
  // C 1024 B -> 64 words = 128 values. Units: M 1, K 4 x 2 = 8, N 4. GEMM 6 x 40 x 6:
  //   tile_k = 16 (min(64 / 1, 64 / 4) = 16 < 40: K is tiled: 16, 16, 8);
  //   tile_n = 4 (min(64 / 16, 128 / 1) = 4: 4, 2);
  //   tile_m = 4 (min(64 / 16, 128 / 4) = 4: 4, 2).
  const TilePlan p = plan_tiles(Dataflow::ws, {6, 40, 6}, 4, 8, 32, named("gradient", 64), named("weight", 128),
                                named("output", 1024), 4, 4, 2);
  EXPECT_EQ(p.tile_m, 4);
  EXPECT_EQ(p.tile_k, 16);
  EXPECT_EQ(p.tile_n, 4);
  EXPECT_EQ(p.m_tiles, 2);
  EXPECT_EQ(p.k_tiles, 3);
  EXPECT_EQ(p.n_tiles, 2);
  ASSERT_EQ(p.tiles.size(), 12u);
  // Order: n outer, m, k inner.
  std::size_t i = 0;
  for (std::int64_t n0 : {0, 4}) {
    for (std::int64_t m0 : {0, 4}) {
      for (std::int64_t k0 : {0, 16, 32}) {
        SCOPED_TRACE(i);
        const Tile& t = p.tiles[i++];
        EXPECT_EQ(t.n0, n0);
        EXPECT_EQ(t.n_len, n0 == 0 ? 4 : 2);
        EXPECT_EQ(t.m0, m0);
        EXPECT_EQ(t.m_len, m0 == 0 ? 4 : 2);
        EXPECT_EQ(t.k0, k0);
        EXPECT_EQ(t.k_len, k0 == 32 ? 8 : 16);
        EXPECT_EQ(t.first_k, k0 == 0);
        EXPECT_EQ(t.last_k, k0 == 32);
        EXPECT_TRUE(t.load_a);  // K changes from tile to tile: nothing is reused
        EXPECT_TRUE(t.load_b);
      }
    }
  }
  // Tile 0: A 4 x 16 x 4 bits = 32 bytes = 4 words; B 16 x 4 bytes = 64 = 8 words; C 4 x 4 x 4 = 64 bytes = 8 words.
  const Tile& first = p.tiles[0];
  EXPECT_EQ(first.a_bytes, 32);
  EXPECT_EQ(first.a_words, 4);
  EXPECT_EQ(first.b_bytes, 64);
  EXPECT_EQ(first.b_words, 8);
  EXPECT_EQ(first.c_bytes, 64);
  EXPECT_EQ(first.c_words, 8);
  // Tile 11: A 2 x 8 x 4 bits = 8 bytes = 1 word; B 8 x 2 = 16 bytes = 2 words; C 2 x 2 x 4 = 16 bytes = 2 words.
  const Tile& last = p.tiles[11];
  EXPECT_EQ(last.a_bytes, 8);
  EXPECT_EQ(last.a_words, 1);
  EXPECT_EQ(last.b_bytes, 16);
  EXPECT_EQ(last.b_words, 2);
  EXPECT_EQ(last.c_bytes, 16);
  EXPECT_EQ(last.c_words, 2);
}

TEST(Tiler, OneMTileReusesAAcrossNTiles) {
  // os 2 x 2, pack 1, 8 bits, C 32 bits, GEMM 2 x 4 x 6. B: 32 bytes = 4 words, half 2 words = 16 values;
  // A and C halves are large. Units: M 2, K 1, N 2. tile_k = 4 (min(A, 16 / 2 = 8) >= 4),
  // tile_n = 16 / 4 = 4 (N tiles 4, 2), tile_m = M = 2: the same 2 x 4 block of A serves both N tiles.
  const TilePlan p = plan_tiles(Dataflow::os, {2, 4, 6}, 8, 8, 32, named("activation", 1024), named("weight", 32),
                                named("output", 1024), 2, 2, 1);
  ASSERT_EQ(p.tiles.size(), 2u);
  EXPECT_EQ(p.tile_n, 4);
  EXPECT_EQ(p.tiles[1].n0, 4);
  EXPECT_EQ(p.tiles[1].n_len, 2);
  EXPECT_TRUE(p.tiles[0].load_a);
  EXPECT_FALSE(p.tiles[1].load_a);
  EXPECT_TRUE(p.tiles[1].load_b);
}

TEST(Tiler, AUnitLargerThanItsDimensionIsTheDimension) {
  // os 16 x 16 array, GEMM 3 x 1 x 2: the unit tile is 3 x 1 x 2 (not 16 x 1 x 16): 3 bytes of A fit one word.
  const TilePlan p = plan_tiles(Dataflow::os, {3, 1, 2}, 8, 8, 32, named("activation", 16), named("weight", 16),
                                named("output", 64), 16, 16, 1);
  ASSERT_EQ(p.tiles.size(), 1u);
  EXPECT_EQ(p.tiles[0].m_len, 3);
  EXPECT_EQ(p.tiles[0].n_len, 2);
}

TEST(Tiler, ATooSmallForOneTileOfA) {
  // os 16 x 16, pack 1: the unit A tile is 16 x 1 at 8 bits = 2 words = 16 bytes; 2 halves need 32.
  EXPECT_EQ(error_of([] {
              plan_tiles(Dataflow::os, {64, 9, 64}, 8, 8, 32, named("activation", 16), named("weight", 65536),
                         named("output", 65536), 16, 16, 1);
            }),
            "buffers.activation.capacity_bytes: too small for one tile of A (16 x 1 values at 8 bits; needs at least "
            "32 bytes for 2 halves), got 16");
}

TEST(Tiler, BTooSmallForOneTileOfB) {
  // ws 16 x 16, pack 1: the unit B tile is 16 (K) x 16 (N) at 8 bits = 256 bytes; 2 halves need 512.
  EXPECT_EQ(error_of([] {
              plan_tiles(Dataflow::ws, {64, 64, 64}, 8, 8, 32, named("activation", 65536), named("weight", 256),
                         named("output", 65536), 16, 16, 1);
            }),
            "buffers.weight.capacity_bytes: too small for one tile of B (16 x 16 values at 8 bits; needs at least "
            "512 bytes for 2 halves), got 256");
}

TEST(Tiler, OutputTooSmallForOneTileOfC) {
  // os 16 x 16: the unit C tile is 16 x 16 at 32 bits = 1024 bytes; 2 halves need 2048.
  EXPECT_EQ(error_of([] {
              plan_tiles(Dataflow::os, {64, 64, 64}, 8, 8, 32, named("activation", 65536), named("weight", 65536),
                         named("output", 1024), 16, 16, 1);
            }),
            "buffers.output.capacity_bytes: too small for one tile of C (16 x 16 values at 32 bits; needs at least "
            "2048 bytes for 2 halves), got 1024");
}

// Invariants on random shapes: tiles cover the GEMM exactly once, in order,
// fit their halves, are multiples of the units, and K is tiled only when needed.
TEST(Tiler, RandomShapesCoverFitAndRespectUnits) {
  std::mt19937 rng(11);
  auto draw = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  const int bit_choices[] = {2, 3, 4, 8, 16};
  int planned = 0, k_tiled = 0, multi_tile = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const Dataflow dataflow = trial % 2 ? Dataflow::ws : Dataflow::os;
    const GemmDims g{draw(1, 90), draw(1, 300), draw(1, 90)};
    const int a_bits = bit_choices[draw(0, 4)], b_bits = bit_choices[draw(0, 4)];
    const int acc_bits = trial % 3 ? 32 : 24;
    const int rows = static_cast<int>(draw(1, 8)), cols = static_cast<int>(draw(1, 8));
    const int pack = static_cast<int>(draw(1, 4));
    const NamedBuffer a = named("activation", draw(64, 2048), 8 * static_cast<int>(draw(1, 16)));
    const NamedBuffer b = named("weight", draw(64, 2048), 64);
    const NamedBuffer c = named("output", draw(512, 8192), 8 * static_cast<int>(draw(1, 16)));
    SCOPED_TRACE("trial " + std::to_string(trial));
    TilePlan p;
    try {
      p = plan_tiles(dataflow, g, a_bits, b_bits, acc_bits, a, b, c, rows, cols, pack);
    } catch (const Error&) {
      continue;  // a buffer too small for this draw; the messages are tested above
    }
    ++planned;
    k_tiled += p.k_tiles > 1;
    multi_tile += p.m_tiles > 1 && p.n_tiles > 1;
    const std::int64_t mu = std::min<std::int64_t>(g.m, dataflow == Dataflow::os ? rows : 1);
    const std::int64_t ku = std::min<std::int64_t>(g.k, dataflow == Dataflow::os ? pack : rows * pack);
    const std::int64_t nu = std::min<std::int64_t>(g.n, cols);
    EXPECT_TRUE(p.tile_m == g.m || p.tile_m % mu == 0);
    EXPECT_TRUE(p.tile_k == g.k || p.tile_k % ku == 0);
    EXPECT_TRUE(p.tile_n == g.n || p.tile_n % nu == 0);
    auto half = [](const NamedBuffer& nb) { return nb.config.capacity_words() / 2; };
    if (p.k_tiles > 1) {  // a whole-K unit tile would not fit A or B
      EXPECT_TRUE(SramBuffer::words_for(mu * g.k, a_bits, a.config.word_bits) > half(a) ||
                  SramBuffer::words_for(g.k * nu, b_bits, b.config.word_bits) > half(b));
    }
    std::vector<int> covered(static_cast<std::size_t>(g.m * g.k * g.n), 0);
    std::int64_t prev_key = -1;
    for (const Tile& t : p.tiles) {
      EXPECT_LE(t.a_words, half(a));
      EXPECT_LE(t.b_words, half(b));
      EXPECT_LE(t.c_words, half(c));
      EXPECT_EQ(t.first_k, t.k0 == 0);
      EXPECT_EQ(t.last_k, t.k0 + t.k_len == g.k);
      const std::int64_t key = (t.n0 * (g.m + 1) + t.m0) * (g.k + 1) + t.k0;  // n outer, m, k inner
      EXPECT_GT(key, prev_key);
      prev_key = key;
      for (std::int64_t i = t.m0; i < t.m0 + t.m_len; ++i) {
        for (std::int64_t k = t.k0; k < t.k0 + t.k_len; ++k) {
          for (std::int64_t j = t.n0; j < t.n0 + t.n_len; ++j) ++covered[(i * g.k + k) * g.n + j];
        }
      }
    }
    EXPECT_EQ(std::count(covered.begin(), covered.end(), 1), static_cast<std::ptrdiff_t>(covered.size()));
  }
  // The draws exercise every case (296, 165 and 214 of 300 with this seed).
  EXPECT_GT(planned, 250);
  EXPECT_GT(k_tiled, 100);
  EXPECT_GT(multi_tile, 100);
}

}  // namespace
}  // namespace qtsim
