#include "hw_models/memory/loop_tiles.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace qtsim {
namespace {

// Calls f(first, length) for each tile of `size` along a loop of `dim`.
template <typename F>
void for_each_tile(std::int64_t dim, std::int64_t size, F f) {
  for (std::int64_t first = 0; first < dim; first += size) f(first, std::min(size, dim - first));
}

}  // namespace

std::vector<ChannelTile> channel_segments(std::int64_t dim, std::int64_t size) {
  std::vector<ChannelTile> out;
  for_each_tile(dim, size, [&](std::int64_t first, std::int64_t length) { out.push_back({first, length, 1}); });
  return out;
}

std::vector<ChannelTile> channel_classes(std::int64_t dim, std::int64_t size) {
  std::vector<ChannelTile> out;
  if (dim / size > 0) out.push_back({0, size, dim / size});
  if (dim % size > 0) out.push_back({dim / size * size, dim % size, 1});
  return out;
}

std::vector<PositionTile> position_segments(const TensorGemm& g, const Mapping& m) {
  std::vector<PositionTile> out;
  for_each_tile(g.samples, m.samples, [&](std::int64_t s0, std::int64_t sn) {
    for_each_tile(g.out_h, m.rows, [&](std::int64_t y0, std::int64_t yn) {
      const std::int64_t rows = g.halo_rows(y0, yn);
      for_each_tile(g.out_w, m.cols, [&](std::int64_t x0, std::int64_t xn) {
        out.push_back({(s0 * g.out_h + y0) * g.out_w + x0, sn * yn * xn, sn, rows * g.halo_cols(x0, xn), 1});
      });
    });
  });
  return out;
}

std::vector<PositionTile> position_classes(const TensorGemm& g, const Mapping& m) {
  // (length, halo) of the row and column tiles, with multiplicities; then their products.
  std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> rows, cols;
  for_each_tile(g.out_h, m.rows, [&](std::int64_t y0, std::int64_t yn) { ++rows[{yn, g.halo_rows(y0, yn)}]; });
  for_each_tile(g.out_w, m.cols, [&](std::int64_t x0, std::int64_t xn) { ++cols[{xn, g.halo_cols(x0, xn)}]; });
  std::map<std::tuple<std::int64_t, std::int64_t, std::int64_t>, std::int64_t> classes;
  for (const ChannelTile& s : channel_classes(g.samples, m.samples)) {
    for (const auto& [r, rn] : rows) {
      for (const auto& [c, cn] : cols) {
        classes[{s.length * r.first * c.first, s.length, r.second * c.second}] += s.count * rn * cn;
      }
    }
  }
  std::vector<PositionTile> out;
  for (const auto& [key, count] : classes) {
    out.push_back({0, std::get<0>(key), std::get<1>(key), std::get<2>(key), count});
  }
  return out;
}

TileValues tile_values(const TensorGemm& g, const PositionTile& pos, std::int64_t p, std::int64_t q) {
  const std::int64_t r = g.window();
  const std::int64_t haloed_p = pos.samples * pos.halo * p;
  const std::int64_t haloed_q = pos.samples * pos.halo * q;
  switch (g.form) {
    case GemmForm::conv:
      return {haloed_p, p * q * r, pos.length * q, pos.length * q};
    case GemmForm::col2im:
      return {pos.length * p, p * q * r, std::max(pos.length * q * r, haloed_q), haloed_q};
    case GemmForm::wgrad:
      return {p * pos.length, haloed_q, p * q * r, p * q * r};
  }
  return {};
}

}  // namespace qtsim
