#pragma once
// plan_tiles: the tiles of a GEMM over tensors under one mapping (mapper.h),
// in the order the controller runs them, with what the DMA moves for each
// (hw_models/memory/README.md, "Tiles"). Plain C++, called once per GEMM
// (fast mode memoises the mapper's choice) by whoever sequences the GEMM's
// DMA transfers and array runs.
//
// Promises:
//   - tiles in loop order: the outer loop (M for order m,n,k, N for n,m,k),
//     then the other, then K innermost; first_k / last_k mark a C block's
//     first and last K tile (partial sums stay in the output buffer between);
//   - each tile's GEMM ranges (m0, m_len, k0, k_len, n0, n_len) are
//     contiguous ranges of the GEMM the array runs (tensor_gemm.h);
//   - load_a / load_b are false when the tile's A / B block is the previous
//     tile's, still resident;
//   - a_bytes, b_bytes: the packed tensor block the DMA loads (the haloed
//     tensor's rows and columns the tile's windows read, not its im2col
//     matrix), ceil(values x bits / 8); c_bytes: what the store of a final C
//     block moves (col2im: its scattered input-gradient rows); a_words,
//     b_words, c_words: the same blocks in words of their buffers
//     (SramBuffer::words_for);
//   - map_gemm: the mapper's choice; when no mapping fits, an Error naming the
//     first buffer (A, B, then C) too small for the smallest tile, e.g.
//     "buffers.weight.capacity_bytes: too small for the smallest tile of B
//     (9 values at 8 bits; needs at least 32 bytes for 2 halves), got 16".
#include <cstdint>
#include <vector>

#include "hw_models/config/memory_config.h"
#include "hw_models/memory/mapper.h"
#include "hw_models/memory/tensor_gemm.h"

namespace qtsim {

struct Tile {
  std::int64_t m0 = 0, m_len = 0;
  std::int64_t k0 = 0, k_len = 0;
  std::int64_t n0 = 0, n_len = 0;
  bool first_k = true, last_k = true;
  bool load_a = true, load_b = true;
  std::int64_t a_bytes = 0, b_bytes = 0, c_bytes = 0;
  std::int64_t a_words = 0, b_words = 0, c_words = 0;
};

struct TilePlan {
  Mapping mapping;
  std::int64_t m_tiles = 0, k_tiles = 0, n_tiles = 0;  // tiles per GEMM dimension
  std::vector<Tile> tiles;                             // in run order
};

// The storage of a GEMM's A, B and C blocks in `buffers`.
GemmStorage gemm_storage(const BuffersConfig& buffers, Operand a, Operand b, int a_bits, int b_bits, int c_bits);
// The mapper's choice (mapper.h), or the Error above.
Mapping map_gemm(const TensorGemm& gemm, const GemmStorage& storage);
// The tiles of `mapping`, which must fit.
TilePlan plan_tiles(const TensorGemm& gemm, const Mapping& mapping, const GemmStorage& storage);

}  // namespace qtsim
