// TensorGemm against the definition of the streams the on-chip address
// generator forms: for every GEMM row / column a tile touches, the tensor
// elements it reads (or, for col2im, scatters into), enumerated from the
// convolution's index arithmetic. The blocks the DMA moves (tile_values,
// halo spans) hold every element a tile's streams read, and no more rows or
// columns than their first and last; the GEMM's shape matches each form.
#include "hw_models/memory/tensor_gemm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "hw_models/memory/loop_tiles.h"
#include "tests/unit/gemm_util.h"

namespace qtsim {
namespace {

// The input rows a window at output row y reads: y * stride - pad + r, r in
// [0, kernel), inside [0, in). Returns {first, last} over positions
// [y0, y0 + len), or {1, 0} when none lies inside.
std::pair<std::int64_t, std::int64_t> rows_read(std::int64_t y0, std::int64_t len, std::int64_t stride,
                                                std::int64_t pad, std::int64_t kernel, std::int64_t in) {
  std::int64_t first = in, last = -1;
  for (std::int64_t y = y0; y < y0 + len; ++y) {
    for (std::int64_t r = 0; r < kernel; ++r) {
      const std::int64_t row = y * stride - pad + r;
      if (row < 0 || row >= in) continue;
      first = std::min(first, row);
      last = std::max(last, row);
    }
  }
  return last < 0 ? std::make_pair(std::int64_t{1}, std::int64_t{0}) : std::make_pair(first, last);
}

TEST(TensorGemm, HaloSpansCoverEveryRowAndColumnTheWindowsRead) {
  std::mt19937 rng(5);
  auto between = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  for (int i = 0; i < 300; ++i) {
    const TensorGemm g = test::random_tensor_gemm(between, 2, 7, 3);
    for (std::int64_t y0 = 0; y0 < g.out_h; ++y0) {
      for (std::int64_t len = 1; y0 + len <= g.out_h; ++len) {
        const auto [first, last] = rows_read(y0, len, g.stride, g.pad, g.kernel, g.in_h);
        EXPECT_EQ(g.halo_rows(y0, len), last - first + 1) << i << " y0 " << y0 << " len " << len;
      }
    }
    for (std::int64_t x0 = 0; x0 < g.out_w; ++x0) {
      for (std::int64_t len = 1; x0 + len <= g.out_w; ++len) {
        const auto [first, last] = rows_read(x0, len, g.stride, g.pad, g.kernel, g.in_w);
        EXPECT_EQ(g.halo_cols(x0, len), last - first + 1) << i << " x0 " << x0 << " len " << len;
      }
    }
  }
}

TEST(TensorGemm, FormsGiveTheLoweringsGemmShapes) {
  // A 3 x 3, stride 1, pad 1 layer, 16 -> 32 channels, 8 x 8, 4 samples,
  // as lowered (docs/training_lowering.md): forward M = 4 x 64, K = 16 x 9,
  // N = 32; weight gradient M = 32, K = 256, N = 16 x 9; col2im (stride 2,
  // 4 x 4 output) M = 4 x 16, K = 32, N = 16 x 9.
  TensorGemm g;
  g.samples = 4;
  g.out_h = g.out_w = g.in_h = g.in_w = 8;
  g.kernel = 3;
  g.pad = 1;
  g.p = 16;
  g.q = 32;
  EXPECT_EQ(g.dims().m, 256);
  EXPECT_EQ(g.dims().k, 144);
  EXPECT_EQ(g.dims().n, 32);
  g.form = GemmForm::wgrad;
  g.p = 32;
  g.q = 16;
  EXPECT_EQ(g.dims().m, 32);
  EXPECT_EQ(g.dims().k, 256);
  EXPECT_EQ(g.dims().n, 144);
  g.form = GemmForm::col2im;
  g.out_h = g.out_w = 4;
  g.stride = 2;
  EXPECT_EQ(g.dims().m, 64);
  EXPECT_EQ(g.dims().k, 32);
  EXPECT_EQ(g.dims().n, 144);
  // The input gradient it scatters into: rows -1 .. 7 -> 0 .. 7, all 8 x 8 of 16 channels.
  EXPECT_EQ(g.c_values(), 4 * 16 * 64);
}

TEST(TensorGemm, EveryTileBlockHoldsWhatItsStreamsRead) {
  // For every position tile of every position tiling, the haloed block's
  // values per sample and channel (tile_values' halo) equal the number of
  // (row, column) pairs in the span of what its windows read.
  std::mt19937 rng(9);
  auto between = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  for (int i = 0; i < 200; ++i) {
    const TensorGemm g = test::random_tensor_gemm(between, 3, 6, 3);
    for (const Mapping& m : position_tiles(g)) {
      for (const PositionTile& t : position_segments(g, m)) {
        // The tile's first position (row, column) and its rows and columns.
        const std::int64_t y0 = t.first % (g.out_h * g.out_w) / g.out_w, x0 = t.first % g.out_w;
        const std::int64_t cols = m.cols < g.out_w ? t.length : g.out_w;
        const std::int64_t rows = t.length / t.samples / cols;
        const auto [rf, rl] = rows_read(y0, rows, g.stride, g.pad, g.kernel, g.in_h);
        const auto [cf, cl] = rows_read(x0, cols, g.stride, g.pad, g.kernel, g.in_w);
        EXPECT_EQ(t.halo, (rl - rf + 1) * (cl - cf + 1)) << i << " " << to_string(m) << " at " << t.first;
      }
    }
  }
}

}  // namespace
}  // namespace qtsim
