#pragma once
// plan_tiles: how a GEMM C (M x N) = A (M x K) B (K x N) is split into tiles
// that fit the on-chip buffers (docs/hardware_model.md). Plain C++, called once
// per GEMM (and memoised by fast mode) by whoever sequences the GEMM's DMA
// transfers and array runs.
//
// Promises (rule in hw_models/memory/README.md, "Tiling"):
//   - every tile's A part (m_len x k_len at a_bits) fits half of the A buffer,
//     its B part (k_len x n_len at b_bits) half of the B buffer, its C part
//     (m_len x n_len at accumulator_bits) half of the output buffer, each
//     stored packed (SramBuffer::words_for); the other halves load / drain the
//     neighbouring tiles (double buffering);
//   - tile sizes are multiples of per-dimension units (the last tile of a
//     dimension takes the remainder): os: M by array_rows, K by pack, N by
//     array_cols; ws: M by 1, K by array_rows * pack, N by array_cols (a unit
//     larger than its dimension is the dimension);
//   - K is tiled only when a whole-K tile of one unit of M and N does not fit;
//     partial sums then stay in the output buffer across the K tiles of one
//     (m, n) block (first_k: start from zero; last_k: the block is final);
//   - order: n outer, m, k inner, for both dataflows;
//   - a configuration in which one unit tile does not fit is an Error naming
//     the buffer's capacity key, e.g. "buffers.weight.capacity_bytes: too
//     small for one tile of B (16 x 16 values at 8 bits; needs at least 512
//     bytes for 2 halves), got 256".
#include <cstdint>
#include <string>
#include <vector>

#include "hw_models/config/memory_config.h"
#include "hw_models/mac_array/fold_plan.h"

namespace qtsim {

// A buffer as the tiler sees it: its configuration and its key path (for messages).
struct NamedBuffer {
  std::string key;  // e.g. "buffers.weight"
  BufferConfig config;
};
// {"buffers.<operand>", buffers.at(operand)}.
NamedBuffer named_buffer(const BuffersConfig& buffers, Operand operand);

struct Tile {
  std::int64_t m0 = 0, m_len = 0;
  std::int64_t k0 = 0, k_len = 0;
  std::int64_t n0 = 0, n_len = 0;
  bool first_k = true, last_k = true;
  // The A (B) part differs from the previous tile's and must be loaded; false
  // when it is the very same block, still resident in its half.
  bool load_a = true, load_b = true;
  // Packed size in DRAM, ceil(values * bits / 8): what the DMA moves (before
  // burst rounding). C is at accumulator_bits.
  std::int64_t a_bytes = 0, b_bytes = 0, c_bytes = 0;
  // Footprint in the buffers, SramBuffer::words_for(values, bits).
  std::int64_t a_words = 0, b_words = 0, c_words = 0;
};

struct TilePlan {
  std::int64_t tile_m = 0, tile_k = 0, tile_n = 0;     // nominal tile sizes
  std::int64_t m_tiles = 0, k_tiles = 0, n_tiles = 0;  // tiles per dimension
  std::vector<Tile> tiles;                             // n outer, m, k inner
};

// `pack` is the PE mode's products per stream element (PeMode::pack).
TilePlan plan_tiles(Dataflow dataflow, const GemmDims& gemm, int a_bits, int b_bits, int accumulator_bits,
                    const NamedBuffer& a_buffer, const NamedBuffer& b_buffer, const NamedBuffer& out_buffer,
                    int array_rows, int array_cols, int pack);

}  // namespace qtsim
