#include "hw_models/memory/loop_tiles.h"

#include <algorithm>

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

ChannelClasses channel_classes(std::int64_t dim, std::int64_t size) {
  ChannelClasses out;
  if (dim / size > 0) out.tiles[out.count++] = {0, size, dim / size};
  if (dim % size > 0) out.tiles[out.count++] = {dim / size * size, dim % size, 1};
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

namespace {

// (length, halo, count) of the tiles of one spatial loop, equal ones merged.
struct SpanClass {
  std::int64_t length, halo, count;
};
template <typename Halo>
std::vector<SpanClass> span_classes(std::int64_t dim, std::int64_t size, Halo halo) {
  std::vector<SpanClass> out;
  for_each_tile(dim, size, [&](std::int64_t first, std::int64_t length) {
    const std::int64_t h = halo(first, length);
    for (SpanClass& c : out) {
      if (c.length == length && c.halo == h) {
        ++c.count;
        return;
      }
    }
    out.push_back({length, h, 1});
  });
  return out;
}

}  // namespace

std::vector<PositionTile> position_classes(const TensorGemm& g, const Mapping& m) {
  const auto rows = span_classes(g.out_h, m.rows, [&](std::int64_t f, std::int64_t n) { return g.halo_rows(f, n); });
  const auto cols = span_classes(g.out_w, m.cols, [&](std::int64_t f, std::int64_t n) { return g.halo_cols(f, n); });
  std::vector<PositionTile> out;
  for (const ChannelTile& s : channel_classes(g.samples, m.samples)) {
    for (const SpanClass& r : rows) {
      for (const SpanClass& c : cols) {
        out.push_back({0, s.length * r.length * c.length, s.length, r.halo * c.halo, s.count * r.count * c.count});
      }
    }
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
