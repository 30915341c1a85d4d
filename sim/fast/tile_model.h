#pragma once
// The cost of one tile on the MAC array, in closed form (sim/fast/README.md):
// every ArrayStats field but `overflows`, and what the tile's edge reads do in
// the A and B buffers. In reference mode a tile's run is a pure function of
// the hardware, the PE mode, the tile's shape, whether it accumulates onto
// partial sums and which buffers A and B live in: SystolicArray::start resets
// the edge addresses and the buffers' ports are fresh every cycle. So the
// precision controller of fast mode asks TileMemo once per distinct tile.
#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "hw_models/config/hardware_config.h"
#include "hw_models/mac_array/systolic_array.h"
#include "hw_models/pe/pe_mode.h"
#include "sim/fast/port_walk.h"

namespace qtsim {

struct TileCost {
  ArrayStats array;              // overflows: 0 (they depend on operand values)
  BufferReads a_reads, b_reads;  // by the A edge in the A buffer, by the B edge in the B buffer
};

// Everything a tile's cost depends on, given the hardware.
struct TileKey {
  Operand a_buffer = Operand::activation, b_buffer = Operand::weight;
  int a_bits = 8, b_bits = 8;  // the PeMode follows from these and the hardware
  std::int64_t m = 0, k = 0, n = 0;
  bool onto_partial_sums = false;
  bool operator==(const TileKey& other) const;
};

struct TileKeyHash {
  std::size_t operator()(const TileKey& key) const;
};

// `mode` = pe_mode(hardware.mac_array, key.a_bits, key.b_bits).
TileCost tile_cost(const HardwareConfig& hardware, const PeMode& mode, const TileKey& key);

// Tile costs computed once per distinct key, for one hardware configuration.
class TileMemo {
 public:
  explicit TileMemo(const HardwareConfig& hardware) : hardware_(hardware) {}
  // The returned reference stays valid for the memo's lifetime.
  const TileCost& cost(const PeMode& mode, const TileKey& key);
  std::int64_t lookups() const { return lookups_; }
  std::int64_t distinct() const { return static_cast<std::int64_t>(costs_.size()); }

 private:
  HardwareConfig hardware_;
  std::unordered_map<TileKey, TileCost, TileKeyHash> costs_;
  std::int64_t lookups_ = 0;
};

}  // namespace qtsim
