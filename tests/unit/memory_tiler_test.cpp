// plan_tiles and map_gemm: tiles of convolutions over tensors, GEMM ranges,
// haloed blocks, reuse flags and bytes in both loop orders, derived by hand;
// the error for buffers too small for the smallest tile.
#include "hw_models/memory/tiler.h"

#include <gtest/gtest.h>

#include "hw_models/sram/sram_buffer.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

using test::error_of;

BufferConfig buffer(std::int64_t capacity_bytes, int word_bits = 64) {
  BufferConfig c;
  c.capacity_bytes = capacity_bytes;
  c.word_bits = word_bits;
  return c;
}

GemmStorage roomy(int a_bits = 8, int b_bits = 8, int c_bits = 32) {
  return GemmStorage{a_bits,
                     b_bits,
                     c_bits,
                     buffer(1 << 20),
                     buffer(1 << 20),
                     buffer(1 << 20),
                     "buffers.activation",
                     "buffers.weight",
                     "buffers.output"};
}

// 2 samples, 4 x 4 output, 3 x 3 kernel, stride 1, pad 1 (4 x 4 input), 2 -> 3 channels.
TensorGemm small_conv() {
  TensorGemm g;
  g.samples = 2;
  g.out_h = g.out_w = g.in_h = g.in_w = 4;
  g.kernel = 3;
  g.pad = 1;
  g.p = 2;
  g.q = 3;
  return g;
}

Mapping mapping(LoopOrder order, std::int64_t samples, std::int64_t rows, std::int64_t cols, std::int64_t p,
                std::int64_t q) {
  Mapping m;
  m.order = order;
  m.samples = samples;
  m.rows = rows;
  m.cols = cols;
  m.p = p;
  m.q = q;
  return m;
}

TEST(Tiler, ConvPerSampleTilesMoveTheTensorNotItsIm2col) {
  // GEMM 32 x 18 x 3. One sample per tile: positions 16, the whole 4 x 4 x 2
  // input block (32 values, 32 bytes; its im2col block would be 16 x 18 = 288),
  // weights 2 x 3 x 9 = 54 values, C 16 x 3 at 32 bits = 192 bytes.
  const TilePlan p = plan_tiles(small_conv(), mapping(LoopOrder::m_outer, 1, 4, 4, 2, 3), roomy());
  EXPECT_EQ(p.m_tiles, 2);
  EXPECT_EQ(p.k_tiles, 1);
  EXPECT_EQ(p.n_tiles, 1);
  ASSERT_EQ(p.tiles.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(i);
    const Tile& t = p.tiles[i];
    EXPECT_EQ(t.m0, static_cast<std::int64_t>(16 * i));
    EXPECT_EQ(t.m_len, 16);
    EXPECT_EQ(t.k0, 0);
    EXPECT_EQ(t.k_len, 18);
    EXPECT_EQ(t.n_len, 3);
    EXPECT_TRUE(t.first_k && t.last_k);
    EXPECT_TRUE(t.load_a);
    EXPECT_EQ(t.load_b, i == 0);  // the same weights, still resident
    EXPECT_EQ(t.a_bytes, 32);
    EXPECT_EQ(t.b_bytes, 54);
    EXPECT_EQ(t.c_bytes, 192);
    EXPECT_EQ(t.a_words, 4);   // 32 values, 8 per 64-bit word
    EXPECT_EQ(t.b_words, 7);   // ceil(54 / 8)
    EXPECT_EQ(t.c_words, 24);  // 48 values, 2 per word
  }
}

TEST(Tiler, RowTilesReadTheirHaloRows) {
  // Two rows per tile: output rows 0-1 read input rows -1..2 -> 0..2 (3 rows),
  // rows 2-3 read 1..4 -> 1..3 (3 rows): 3 x 4 x 2 = 24 values per tile, 96 for
  // the 4 tiles against the tensor's 64. Traffic: A 96 + B once 54 + C 384.
  const TensorGemm g = small_conv();
  const Mapping m = mapping(LoopOrder::m_outer, 1, 2, 4, 2, 3);
  const TilePlan p = plan_tiles(g, m, roomy());
  ASSERT_EQ(p.tiles.size(), 4u);
  for (const Tile& t : p.tiles) {
    EXPECT_EQ(t.m_len, 8);
    EXPECT_EQ(t.a_bytes, 24);
  }
  EXPECT_EQ(mapping_dram_bytes(g, m, roomy()), 96 + 54 + 384);
}

TEST(Tiler, StridedRowTilesAndColumnTiles) {
  // Stride 2, pad 1, 3 x 3 on an 8 x 8 input, 4 x 4 output, one channel each.
  TensorGemm g = small_conv();
  g.samples = 1;
  g.in_h = g.in_w = 8;
  g.stride = 2;
  g.p = g.q = 1;
  // Rows 0-1 read input rows -1..3 -> 0..3 (4), rows 2-3 read 3..7 (5).
  EXPECT_EQ(g.halo_rows(0, 2), 4);
  EXPECT_EQ(g.halo_rows(2, 2), 5);
  // One column of one row per tile: output (0, 0) reads rows 0..1 x cols 0..1 = 4
  // values; (1, 1) reads rows 1..3 x cols 1..3 = 9.
  const TilePlan p = plan_tiles(g, mapping(LoopOrder::m_outer, 1, 1, 1, 1, 1), roomy());
  ASSERT_EQ(p.tiles.size(), 16u);
  EXPECT_EQ(p.tiles[0].a_bytes, 4);
  EXPECT_EQ(p.tiles[5].m0, 5);
  EXPECT_EQ(p.tiles[5].a_bytes, 9);
}

TEST(Tiler, LoopOrdersDecideWhichOperandIsReloaded) {
  // Samples split in 2 (M tiles), Q split 2 + 1 (N tiles), P whole (one K tile).
  const TensorGemm g = small_conv();
  // n,m,k: (n0,m0) (n0,m1) (n1,m0) (n1,m1): B reloaded only when n changes,
  // A every tile: A 2 x 64 + B 36 + 18 + C 384.
  const Mapping nmk = mapping(LoopOrder::n_outer, 1, 4, 4, 2, 2);
  const TilePlan p = plan_tiles(g, nmk, roomy());
  ASSERT_EQ(p.tiles.size(), 4u);
  const bool load_b[] = {true, false, true, false};
  const std::int64_t n0[] = {0, 0, 2, 2}, m0[] = {0, 16, 0, 16};
  for (std::size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(p.tiles[i].n0, n0[i]);
    EXPECT_EQ(p.tiles[i].m0, m0[i]);
    EXPECT_TRUE(p.tiles[i].load_a);
    EXPECT_EQ(p.tiles[i].load_b, load_b[i]);
  }
  EXPECT_EQ(mapping_dram_bytes(g, nmk, roomy()), 2 * 64 + 36 + 18 + 384);
  // m,n,k: A once per M tile, B every tile: A 64 + B 2 x (36 + 18) + C 384.
  const Mapping mnk = mapping(LoopOrder::m_outer, 1, 4, 4, 2, 2);
  EXPECT_EQ(mapping_dram_bytes(g, mnk, roomy()), 64 + 2 * 54 + 384);
  EXPECT_EQ(mapping_tiles(g, mnk), 4);
}

TEST(Tiler, WeightGradientFormRangesAndBlocks) {
  // wgrad of small_conv()'s layer: M = p (3 output channels), K = positions
  // (32), N = q x 9 (2 input channels). A = output gradient (positions x p),
  // B = the haloed input, C = weight gradient p x q x 9 at 32 bits.
  TensorGemm g = small_conv();
  g.form = GemmForm::wgrad;
  g.p = 3;
  g.q = 2;
  EXPECT_EQ(g.dims().m, 3);
  EXPECT_EQ(g.dims().k, 32);
  EXPECT_EQ(g.dims().n, 18);
  // One sample per K tile, q 1: tiles (n0: q 0) k0 0, 16; (n1: q 1) k0 0, 16 with n,m,k.
  const TilePlan p = plan_tiles(g, mapping(LoopOrder::n_outer, 1, 4, 4, 3, 1), roomy(16, 8));
  ASSERT_EQ(p.tiles.size(), 4u);
  const Tile& t = p.tiles[3];
  EXPECT_EQ(t.m0, 0);
  EXPECT_EQ(t.m_len, 3);
  EXPECT_EQ(t.k0, 16);
  EXPECT_EQ(t.k_len, 16);
  EXPECT_EQ(t.n0, 9);
  EXPECT_EQ(t.n_len, 9);
  EXPECT_FALSE(t.first_k);
  EXPECT_TRUE(t.last_k);
  EXPECT_EQ(t.a_bytes, 3 * 16 * 2);  // 16-bit gradients
  EXPECT_EQ(t.b_bytes, 16);          // one 4 x 4 channel plane of one sample
  EXPECT_EQ(t.c_bytes, 3 * 9 * 4);
}

TEST(Tiler, Col2imStoresTheScatteredRows) {
  // col2im of a stride-2 layer: 1 sample, 2 x 2 output gradient positions,
  // 3 x 3 kernel, pad 1, 4 x 4 input; p = 2 output channels, q = 1 input
  // channel. The C block is 4 positions x 9 columns; the store moves the
  // input-gradient rows they scatter into: rows -1..3 -> 0..3, all 4 x 4 = 16 values.
  TensorGemm g;
  g.form = GemmForm::col2im;
  g.out_h = g.out_w = 2;
  g.in_h = g.in_w = 4;
  g.kernel = 3;
  g.stride = 2;
  g.pad = 1;
  g.p = 2;
  g.q = 1;
  const TilePlan p = plan_tiles(g, mapping(LoopOrder::m_outer, 1, 2, 2, 2, 1), roomy());
  ASSERT_EQ(p.tiles.size(), 1u);
  EXPECT_EQ(p.tiles[0].n_len, 9);
  EXPECT_EQ(p.tiles[0].c_bytes, 16 * 4);
  // Only whole samples are position tiles of a col2im GEMM.
  for (const Mapping& m : position_tiles(g)) EXPECT_EQ(m.rows, 2);
}

TEST(Tiler, BufferTooSmallForTheSmallestTileNamesIt) {
  // Smallest tile of small_conv(): one output position, one channel of each:
  // A at most 3 x 3 = 9 input values, B 9 weights, C 1.
  GemmStorage st = roomy();
  st.b = buffer(16);  // 2 words: one word per half, 8 values < 9
  EXPECT_EQ(error_of([&] { map_gemm(small_conv(), st); }),
            "buffers.weight.capacity_bytes: too small for the smallest tile of B (9 values at 8 bits; needs at least "
            "32 bytes for 2 halves), got 16");
}

}  // namespace
}  // namespace qtsim
