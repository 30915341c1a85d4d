#pragma once
// The mapper: how a GEMM over tensors (tensor_gemm.h) is cut into tiles that
// fit the buffers, and in which order they run, chosen to move the fewest
// DRAM bytes (hw_models/memory/README.md, "Mapper"). Plain C++.
//
// A mapping fixes the tile of every loop and the loop order:
//   - positions: `samples` x `rows` x `cols` per tile, nested so that a
//     tile is a contiguous range of the GEMM's position index: whole samples
//     (rows = Y, cols = X), or rows of one sample (samples = 1, cols = X),
//     or columns of one row (samples = rows = 1);
//   - channels: `p` and `q` per tile; the window is never split;
//   - order: which of the GEMM's M and N loops is outer; K is always inner,
//     so a C block's partial sums stay in the output buffer until it is
//     final and stored once.
// Tile sizes are "balanced": in a loop of D, ceil(D / t) for t = 1 .. D (the
// smallest size giving t tiles), rounded up to the loop's unit so that the
// array's rows, columns and packed lanes stay full (below), at most D.
// Position tiles: balanced sample counts, then balanced rows of one sample
// (t >= 2), then balanced columns of one row (t >= 2), largest first; col2im
// only whole samples (so that no two tiles scatter into the same rows). A
// mapping fits when every tile's A, B and C blocks fit half of their
// buffers, packed at their widths (double buffering).
//
// Units: the GEMM's M, K and N units (GemmStorage; the controller passes the
// array's: os M rows, K pack, N columns; ws M 1, K rows x pack, N columns),
// carried to the channel loop that makes that dimension: q makes N (times
// the window for col2im and wgrad), p makes K (times the window for conv) or
// M (wgrad), and a loop of unit u times a window R gets u / gcd(u, R).
// Position loops are not rounded. When no candidate fits, the mapper tries
// again with every unit 1.
//
// The candidate set: for each p and q size, the largest position tile that
// fits with them (a larger position tile means fewer tiles along the
// position loop, less halo re-read and fewer reloads of the other operand),
// in both orders. The mapper evaluates every candidate and returns the one
// with the fewest DRAM bytes; ties go to fewer tiles, then to the first
// candidate (p descending, then q descending, then order m,n,k first).
//
// Traffic (exact, in the packed bytes the DMA moves, ceil(values x bits / 8)
// per block): each C block is stored once; an A (B) block is loaded for each
// tile unless the previous tile used the very same block. With t_m, t_k, t_n
// tiles along M, K, N: order m,n,k loads A once when t_k = 1, else t_n
// times, and B once when t_n = t_k = 1, else t_m times; order n,m,k loads B
// once when t_k = 1, else t_m times, and A once when t_m = t_k = 1, else t_n
// times.
#include <cstdint>
#include <string>
#include <vector>

#include "hw_models/config/memory_config.h"
#include "hw_models/memory/tensor_gemm.h"

namespace qtsim {

enum class LoopOrder { m_outer, n_outer };
const char* to_string(LoopOrder order);  // "m,n,k" or "n,m,k"

struct Mapping {
  LoopOrder order = LoopOrder::m_outer;
  std::int64_t samples = 1, rows = 1, cols = 1;  // positions per tile
  std::int64_t p = 1, q = 1;                     // channels per tile
  bool operator==(const Mapping& o) const {
    return order == o.order && samples == o.samples && rows == o.rows && cols == o.cols && p == o.p && q == o.q;
  }
};
// e.g. "n,m,k s4 y8 x8 p16 q32"
std::string to_string(const Mapping& mapping);

// The widths and buffers a GEMM's blocks live in, and the buffers' key paths
// (for messages, e.g. "buffers.weight").
struct GemmStorage {
  int a_bits = 8, b_bits = 8, c_bits = 32;  // C at the accumulator width
  BufferConfig a, b, c;
  std::string a_key, b_key, c_key;
  std::int64_t m_unit = 1, k_unit = 1, n_unit = 1;  // GEMM dimension units (above)
};

// Balanced sizes of a loop of `dim` rounded up to `unit` (at most dim): distinct, largest first.
std::vector<std::int64_t> balanced_sizes(std::int64_t dim, std::int64_t unit = 1);
// The units of the p and q loops of `gemm` under `storage`'s GEMM units.
std::int64_t p_unit(const TensorGemm& gemm, const GemmStorage& storage);
std::int64_t q_unit(const TensorGemm& gemm, const GemmStorage& storage);
// Every position tile of the documented set, largest first (as Mappings with
// order m,n,k and p = q = 1).
std::vector<Mapping> position_tiles(const TensorGemm& gemm);
// Whether every tile of `mapping` fits its buffers' halves.
bool fits(const TensorGemm& gemm, const GemmStorage& storage, const Mapping& mapping);
// DRAM bytes of `mapping` (A and B loads and C stores), in closed form.
std::int64_t mapping_dram_bytes(const TensorGemm& gemm, const Mapping& mapping, const GemmStorage& storage);
// Tiles of `mapping`.
std::int64_t mapping_tiles(const TensorGemm& gemm, const Mapping& mapping);

// A mapping as given (a pin): sizes of 0 or above the loop become the whole
// loop; a row tile (rows < Y) takes one sample, a column tile (cols < X) one
// row of one sample; a col2im GEMM takes whole samples.
Mapping normalise_mapping(const TensorGemm& gemm, Mapping mapping);
// The candidate set (above), in candidate order: with the units, or without
// them when none fits; empty when nothing fits at all.
std::vector<Mapping> candidate_mappings(const TensorGemm& gemm, const GemmStorage& storage);
// The best candidate (above), with units or, when nothing fits, without; false when no candidate fits at all.
bool choose_mapping(const TensorGemm& gemm, const GemmStorage& storage, Mapping& best);

}  // namespace qtsim
