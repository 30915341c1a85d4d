#include "hw_models/memory/mapper.h"

#include <algorithm>
#include <numeric>

#include "hw_models/memory/loop_tiles.h"
#include "hw_models/sram/sram_buffer.h"

namespace qtsim {

const char* to_string(LoopOrder order) { return order == LoopOrder::m_outer ? "m,n,k" : "n,m,k"; }

std::string to_string(const Mapping& m) {
  return std::string(to_string(m.order)) + " s" + std::to_string(m.samples) + " y" + std::to_string(m.rows) + " x" +
         std::to_string(m.cols) + " p" + std::to_string(m.p) + " q" + std::to_string(m.q);
}

std::vector<std::int64_t> balanced_sizes(std::int64_t dim, std::int64_t unit) {
  std::vector<std::int64_t> out;
  std::int64_t t = 1;
  while (t <= dim) {
    const std::int64_t size = (dim + t - 1) / t;
    const std::int64_t rounded = std::min(dim, (size + unit - 1) / unit * unit);
    if (out.empty() || out.back() != rounded) out.push_back(rounded);
    if (size == 1) break;
    t = (dim + size - 2) / (size - 1);  // the smallest t giving a smaller size
  }
  return out;
}

std::int64_t p_unit(const TensorGemm& g, const GemmStorage& st) {
  switch (g.form) {
    case GemmForm::conv:
      return st.k_unit / std::gcd(st.k_unit, g.window());
    case GemmForm::col2im:
      return st.k_unit;
    case GemmForm::wgrad:
      return st.m_unit;
  }
  return 1;
}

std::int64_t q_unit(const TensorGemm& g, const GemmStorage& st) {
  return g.form == GemmForm::conv ? st.n_unit : st.n_unit / std::gcd(st.n_unit, g.window());
}

std::vector<Mapping> position_tiles(const TensorGemm& g) {
  std::vector<Mapping> out;
  auto add = [&](std::int64_t samples, std::int64_t rows, std::int64_t cols) {
    Mapping m;
    m.samples = samples;
    m.rows = rows;
    m.cols = cols;
    out.push_back(m);
  };
  for (std::int64_t s : balanced_sizes(g.samples)) add(s, g.out_h, g.out_w);
  // col2im scatters each tile's columns into its input-gradient rows: whole
  // samples only, so that no two tiles' rows overlap.
  if (g.form == GemmForm::col2im) return out;
  for (std::int64_t y : balanced_sizes(g.out_h)) {
    if (y < g.out_h) add(1, y, g.out_w);
  }
  for (std::int64_t x : balanced_sizes(g.out_w)) {
    if (x < g.out_w) add(1, 1, x);
  }
  return out;
}

namespace {

std::int64_t packed_bytes(std::int64_t values, int bits) { return (values * bits + 7) / 8; }

bool fits_half(std::int64_t values, int bits, const BufferConfig& buffer) {
  return SramBuffer::words_for(values, bits, buffer.word_bits) <= buffer.capacity_words() / 2;
}

// A position tiling, summarised: its classes and its largest tile.
struct PositionInfo {
  Mapping tile;
  std::vector<PositionTile> classes;
  PositionTile largest;  // length and samples x halo (in `halo`, samples = 1) of the largest tile
  std::int64_t tiles = 0;
};

PositionInfo position_info(const TensorGemm& g, const Mapping& tile) {
  PositionInfo info{tile, position_classes(g, tile), PositionTile{0, 0, 1, 0, 1}, 0};
  for (const PositionTile& c : info.classes) {
    info.largest.length = std::max(info.largest.length, c.length);
    info.largest.halo = std::max(info.largest.halo, c.samples * c.halo);
    info.tiles += c.count;
  }
  return info;
}

bool fits(const TensorGemm& g, const GemmStorage& st, const PositionTile& largest, std::int64_t p, std::int64_t q) {
  const TileValues v = tile_values(g, largest, p, q);
  return fits_half(v.a, st.a_bits, st.a) && fits_half(v.b, st.b_bits, st.b) && fits_half(v.c_block, st.c_bits, st.c);
}

// Bytes of every A, B and C block once, and tiles per loop.
struct Totals {
  std::int64_t a = 0, b = 0, c = 0;
  std::int64_t t_m = 0, t_k = 0, t_n = 0;
};

Totals totals(const TensorGemm& g, const PositionInfo& pos, std::int64_t p, std::int64_t q, const GemmStorage& st) {
  const ChannelClasses ps = channel_classes(g.p, p), qs = channel_classes(g.q, q);
  Totals t;
  const bool wgrad = g.form == GemmForm::wgrad;
  for (const PositionTile& x : pos.classes) {
    for (const ChannelTile& pc : ps) {
      t.a += x.count * pc.count * packed_bytes(tile_values(g, x, pc.length, 1).a, st.a_bits);
    }
    for (const ChannelTile& qc : qs) {
      const TileValues v = tile_values(g, x, 1, qc.length);
      t.b += wgrad ? x.count * qc.count * packed_bytes(v.b, st.b_bits) : 0;
      t.c += wgrad ? 0 : x.count * qc.count * packed_bytes(v.c_stored, st.c_bits);
    }
  }
  for (const ChannelTile& pc : ps) {
    for (const ChannelTile& qc : qs) {
      const TileValues v = tile_values(g, pos.classes.front(), pc.length, qc.length);
      t.b += wgrad ? 0 : pc.count * qc.count * packed_bytes(v.b, st.b_bits);
      t.c += wgrad ? pc.count * qc.count * packed_bytes(v.c_stored, st.c_bits) : 0;
    }
  }
  const std::int64_t tp = (g.p + p - 1) / p, tq = (g.q + q - 1) / q;
  t.t_m = wgrad ? tp : pos.tiles;
  t.t_k = wgrad ? pos.tiles : tp;
  t.t_n = tq;
  return t;
}

std::int64_t dram_bytes(const Totals& t, LoopOrder order) {
  if (order == LoopOrder::m_outer) {
    return t.a * (t.t_k == 1 ? 1 : t.t_n) + t.b * (t.t_n == 1 && t.t_k == 1 ? 1 : t.t_m) + t.c;
  }
  return t.b * (t.t_k == 1 ? 1 : t.t_m) + t.a * (t.t_m == 1 && t.t_k == 1 ? 1 : t.t_n) + t.c;
}

}  // namespace

bool fits(const TensorGemm& g, const GemmStorage& storage, const Mapping& m) {
  return fits(g, storage, position_info(g, m).largest, m.p, m.q);
}

std::int64_t mapping_dram_bytes(const TensorGemm& g, const Mapping& m, const GemmStorage& storage) {
  return dram_bytes(totals(g, position_info(g, m), m.p, m.q, storage), m.order);
}

std::int64_t mapping_tiles(const TensorGemm& g, const Mapping& m) {
  return position_info(g, m).tiles * ((g.p + m.p - 1) / m.p) * ((g.q + m.q - 1) / m.q);
}

namespace {

// Calls f(position tiling, p, q) for each candidate's (p, q) and its largest
// fitting position tiling, in candidate order: with the units, or without
// them when none fits. Returns whether any fits.
template <typename F>
bool for_each_candidate(const TensorGemm& g, const GemmStorage& st, F f) {
  std::vector<PositionInfo> positions;
  for (const Mapping& tile : position_tiles(g)) positions.push_back(position_info(g, tile));
  bool any = false;
  for (int pass = 0; pass < 2 && !any; ++pass) {
    GemmStorage s = st;
    if (pass == 1) s.m_unit = s.k_unit = s.n_unit = 1;
    const std::vector<std::int64_t> qs = balanced_sizes(g.q, q_unit(g, s));
    for (std::int64_t p : balanced_sizes(g.p, p_unit(g, s))) {
      for (std::int64_t q : qs) {
        // Position tilings run from the largest down, and fit from some point on.
        auto first_fit = std::partition_point(positions.begin(), positions.end(),
                                              [&](const PositionInfo& pos) { return !fits(g, s, pos.largest, p, q); });
        if (first_fit == positions.end()) continue;
        any = true;
        f(*first_fit, p, q);
      }
    }
  }
  return any;
}

Mapping candidate(const PositionInfo& pos, std::int64_t p, std::int64_t q, LoopOrder order) {
  Mapping m = pos.tile;
  m.order = order;
  m.p = p;
  m.q = q;
  return m;
}

}  // namespace

Mapping normalise_mapping(const TensorGemm& g, Mapping m) {
  const auto whole = [](std::int64_t size, std::int64_t dim) { return size <= 0 || size > dim ? dim : size; };
  m.samples = whole(m.samples, g.samples);
  m.rows = whole(m.rows, g.out_h);
  m.cols = whole(m.cols, g.out_w);
  m.p = whole(m.p, g.p);
  m.q = whole(m.q, g.q);
  if (g.form == GemmForm::col2im) m.rows = g.out_h, m.cols = g.out_w;
  if (m.cols < g.out_w) m.rows = 1;
  if (m.rows < g.out_h) m.samples = 1;
  return m;
}

std::vector<Mapping> candidate_mappings(const TensorGemm& g, const GemmStorage& st) {
  std::vector<Mapping> out;
  for_each_candidate(g, st, [&](const PositionInfo& pos, std::int64_t p, std::int64_t q) {
    for (LoopOrder order : {LoopOrder::m_outer, LoopOrder::n_outer}) out.push_back(candidate(pos, p, q, order));
  });
  return out;
}

bool choose_mapping(const TensorGemm& g, const GemmStorage& st, Mapping& best) {
  std::int64_t best_bytes = -1, best_tiles = 0;
  return for_each_candidate(g, st, [&](const PositionInfo& pos, std::int64_t p, std::int64_t q) {
    const Totals t = totals(g, pos, p, q, st);
    for (LoopOrder order : {LoopOrder::m_outer, LoopOrder::n_outer}) {
      const std::int64_t bytes = dram_bytes(t, order);
      const std::int64_t tiles = t.t_m * t.t_k * t.t_n;
      if (best_bytes >= 0 && (bytes > best_bytes || (bytes == best_bytes && tiles >= best_tiles))) continue;
      best = candidate(pos, p, q, order);
      best_bytes = bytes;
      best_tiles = tiles;
    }
  });
}

}  // namespace qtsim
