#pragma once
// The tiles of one mapping, loop by loop (mapper.h): shared by the mapper's
// closed form, which needs each distinct tile once with its multiplicity
// (`classes`), and the tiler, which needs every tile in order (`segments`).
#include <array>
#include <cstdint>
#include <vector>

#include "hw_models/memory/mapper.h"
#include "hw_models/memory/tensor_gemm.h"

namespace qtsim {

// One tile of the position loop, or a class of equal ones.
struct PositionTile {
  std::int64_t first = 0;    // index of its first position (M, or K for wgrad)
  std::int64_t length = 0;   // positions
  std::int64_t samples = 0;  // samples it spans
  std::int64_t halo = 0;     // values per sample and channel of the haloed tensor it reads
  std::int64_t count = 1;    // tiles like it (classes only)
};

// One tile of a channel loop, or a class of equal ones.
struct ChannelTile {
  std::int64_t first = 0, length = 0, count = 1;
};

// Position tiles of `mapping` in order (first, length, samples, halo; count 1).
std::vector<PositionTile> position_segments(const TensorGemm& gemm, const Mapping& mapping);
// The same tiles as classes (a class per sample-count, row and column class), with counts.
std::vector<PositionTile> position_classes(const TensorGemm& gemm, const Mapping& mapping);
// Tiles of `size` along a loop of `dim`, in order.
std::vector<ChannelTile> channel_segments(std::int64_t dim, std::int64_t size);
// The same as at most two classes (full tiles, the remainder): `count`
// classes in `tiles` (no allocation: the mapper evaluates many).
struct ChannelClasses {
  std::array<ChannelTile, 2> tiles;
  std::size_t count = 0;
  const ChannelTile* begin() const { return tiles.data(); }
  const ChannelTile* end() const { return tiles.data() + count; }
};
ChannelClasses channel_classes(std::int64_t dim, std::int64_t size);

// The values each operand's block of one tile holds, in the buffers
// (`c_block`: the GEMM's C block, which col2im scatters on chip before the
// store) and in DRAM (`c_stored`: what the store moves).
struct TileValues {
  std::int64_t a = 0, b = 0, c_block = 0, c_stored = 0;
};
TileValues tile_values(const TensorGemm& gemm, const PositionTile& pos, std::int64_t p, std::int64_t q);

}  // namespace qtsim
