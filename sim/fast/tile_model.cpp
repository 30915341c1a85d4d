#include "sim/fast/tile_model.h"

#include <functional>

#include "hw_models/mac_array/fold_plan.h"
#include "hw_models/memory/access_counts.h"
#include "sim/fast/edge_schedule.h"

namespace qtsim {

bool TileKey::operator==(const TileKey& o) const {
  return a_buffer == o.a_buffer && b_buffer == o.b_buffer && a_bits == o.a_bits && b_bits == o.b_bits && m == o.m &&
         k == o.k && n == o.n && onto_partial_sums == o.onto_partial_sums;
}

std::size_t TileKeyHash::operator()(const TileKey& key) const {
  std::size_t h = 0;
  auto mix = [&h](std::int64_t v) { h ^= std::hash<std::int64_t>{}(v) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
  mix(static_cast<std::int64_t>(key.a_buffer));
  mix(static_cast<std::int64_t>(key.b_buffer));
  mix(key.a_bits);
  mix(key.b_bits);
  mix(key.m);
  mix(key.k);
  mix(key.n);
  mix(key.onto_partial_sums);
  return h;
}

TileCost tile_cost(const HardwareConfig& hw, const PeMode& mode, const TileKey& key) {
  const MacArrayConfig& array = hw.mac_array;
  const GemmDims dims{key.m, key.k, key.n};
  const FoldPlan plan(array, mode, dims);
  const BufferConfig& a_buffer = hw.buffers.at(key.a_buffer);
  const BufferConfig& b_buffer = hw.buffers.at(key.b_buffer);
  const BufferConfig& out_buffer = hw.buffers.at(Operand::output);
  const EdgeBuffers edges{a_buffer.word_bits, b_buffer.word_bits, out_buffer.word_bits};

  TileCost cost;
  ArrayStats& s = cost.array;
  s.folds = static_cast<std::int64_t>(plan.folds().size());
  s.macs = key.m * key.k * key.n;  // every PE's products, counted as its outputs complete
  const bool os = array.dataflow == Dataflow::os;
  for (const Fold& fold : plan.folds()) {
    // os: each PE of the fold's rows x cols takes T elements; ws: each PE row
    // holding K values (ceil(k_len / pack) of them) times the fold's columns.
    const std::int64_t rows = os ? fold.rows : (fold.k_len + mode.pack - 1) / mode.pack;
    s.pe_active_cycles += rows * fold.cols * fold.stream;
  }
  if (!os) s.weight_loads = s.folds * array.rows * array.cols;  // R preload cycles of a whole weight row

  const std::vector<EdgeRun> runs = edge_schedule(array, mode, plan, dims, edges);
  for (const EdgeRun& run : runs) {
    s.a_read_elements += run.steps * run.a_elements;
    s.a_read_words += run.steps * run.a_words;
    s.b_read_elements += run.steps * run.b_elements;
    s.b_read_words += run.steps * run.b_words;
  }
  PortWalk walk = walk_ports(runs, a_buffer, b_buffer, key.a_buffer == key.b_buffer);
  s.port_stall_cycles = walk.stall_cycles;
  s.cycles = plan.total_cycles() + walk.stall_cycles;
  cost.a_reads = std::move(walk.a);
  cost.b_reads = std::move(walk.b);

  Tile tile;
  tile.m_len = key.m;
  tile.k_len = key.k;
  tile.n_len = key.n;
  tile.first_k = !key.onto_partial_sums;
  const AccessCounts out = expected_access_counts(array.dataflow, tile, mode, array.accumulator_bits, a_buffer,
                                                  b_buffer, out_buffer, array.rows, array.cols);
  s.out_read_values = out.out_read_values;
  s.out_read_words = out.out_read_words;
  s.out_write_values = out.out_write_values;
  s.out_write_words = out.out_write_words;
  return cost;
}

const TileCost& TileMemo::cost(const PeMode& mode, const TileKey& key) {
  ++lookups_;
  auto it = costs_.find(key);
  if (it == costs_.end()) it = costs_.emplace(key, tile_cost(hardware_, mode, key)).first;
  return it->second;
}

}  // namespace qtsim
