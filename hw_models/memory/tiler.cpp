#include "hw_models/memory/tiler.h"

#include <cassert>

#include "base/error.h"
#include "hw_models/memory/loop_tiles.h"
#include "hw_models/sram/sram_buffer.h"

namespace qtsim {
namespace {

std::int64_t packed_bytes(std::int64_t values, int bits) { return (values * bits + 7) / 8; }

void require_fits(const std::string& key, const BufferConfig& buffer, const char* operand, std::int64_t values,
                  int bits) {
  const std::int64_t words = SramBuffer::words_for(values, bits, buffer.word_bits);
  if (words <= buffer.capacity_words() / 2) return;
  throw Error(key + ".capacity_bytes: too small for the smallest tile of " + operand + " (" + std::to_string(values) +
              (values == 1 ? " value at " : " values at ") + std::to_string(bits) + " bits; needs at least " +
              std::to_string(2 * words * buffer.word_bytes()) + " bytes for 2 halves), got " +
              std::to_string(buffer.capacity_bytes));
}

// Which loop each GEMM dimension runs: the position loop, or channels p or q.
struct LoopIndex {
  std::size_t pos = 0, p = 0, q = 0;
};

}  // namespace

GemmStorage gemm_storage(const BuffersConfig& buffers, Operand a, Operand b, int a_bits, int b_bits, int c_bits) {
  const auto key = [](Operand o) { return std::string("buffers.") + to_string(o); };
  return GemmStorage{a_bits,        b_bits,        c_bits,
                     buffers.at(a), buffers.at(b), buffers.at(Operand::output),
                     key(a),        key(b),        key(Operand::output)};
}

Mapping map_gemm(const TensorGemm& gemm, const GemmStorage& st) {
  Mapping best;
  if (choose_mapping(gemm, st, best)) return best;
  // The smallest tile: the last position tiling, one channel of each kind.
  const Mapping smallest = position_tiles(gemm).back();
  const std::vector<PositionTile> pos = position_classes(gemm, smallest);
  PositionTile largest{0, 0, 1, 0, 1};
  for (const PositionTile& c : pos) {
    largest.length = std::max(largest.length, c.length);
    largest.halo = std::max(largest.halo, c.samples * c.halo);
  }
  const TileValues v = tile_values(gemm, largest, 1, 1);
  require_fits(st.a_key, st.a, "A", v.a, st.a_bits);
  require_fits(st.b_key, st.b, "B", v.b, st.b_bits);
  require_fits(st.c_key, st.c, "C", v.c_block, st.c_bits);
  throw Error("internal: no mapping fits although the smallest tile does");
}

TilePlan plan_tiles(const TensorGemm& g, const Mapping& mapping, const GemmStorage& st) {
  assert(fits(g, st, mapping));
  const std::vector<PositionTile> pos = position_segments(g, mapping);
  const std::vector<ChannelTile> ps = channel_segments(g.p, mapping.p), qs = channel_segments(g.q, mapping.q);
  const bool wgrad = g.form == GemmForm::wgrad;
  const std::int64_t r = g.window();
  TilePlan plan;
  plan.mapping = mapping;
  plan.m_tiles = static_cast<std::int64_t>(wgrad ? ps.size() : pos.size());
  plan.k_tiles = static_cast<std::int64_t>(wgrad ? pos.size() : ps.size());
  plan.n_tiles = static_cast<std::int64_t>(qs.size());
  plan.tiles.reserve(static_cast<std::size_t>(plan.m_tiles * plan.k_tiles * plan.n_tiles));
  const bool m_outer = mapping.order == LoopOrder::m_outer;
  const std::int64_t outer = m_outer ? plan.m_tiles : plan.n_tiles, middle = m_outer ? plan.n_tiles : plan.m_tiles;
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::int64_t mid = 0; mid < middle; ++mid) {
      for (std::int64_t k = 0; k < plan.k_tiles; ++k) {
        const std::int64_t m = m_outer ? o : mid, n = m_outer ? mid : o;
        const LoopIndex i = wgrad ? LoopIndex{std::size_t(k), std::size_t(m), std::size_t(n)}
                                  : LoopIndex{std::size_t(m), std::size_t(k), std::size_t(n)};
        const PositionTile& x = pos[i.pos];
        const ChannelTile& pc = ps[i.p];
        const ChannelTile& qc = qs[i.q];
        const TileValues v = tile_values(g, x, pc.length, qc.length);
        Tile t;
        // GEMM ranges: conv M = positions, K = p x window, N = q; col2im N = q x
        // window, K = p; wgrad M = p, K = positions, N = q x window.
        const std::int64_t kr = g.form == GemmForm::conv ? r : 1, nr = g.form == GemmForm::conv ? 1 : r;
        t.m0 = wgrad ? pc.first : x.first;
        t.m_len = wgrad ? pc.length : x.length;
        t.k0 = wgrad ? x.first : pc.first * kr;
        t.k_len = wgrad ? x.length : pc.length * kr;
        t.n0 = qc.first * nr;
        t.n_len = qc.length * nr;
        t.first_k = k == 0;
        t.last_k = k == plan.k_tiles - 1;
        if (!plan.tiles.empty()) {
          const Tile& prev = plan.tiles.back();
          t.load_a = !(prev.m0 == t.m0 && prev.k0 == t.k0);
          t.load_b = !(prev.k0 == t.k0 && prev.n0 == t.n0);
        }
        t.a_bytes = packed_bytes(v.a, st.a_bits);
        t.b_bytes = packed_bytes(v.b, st.b_bits);
        t.c_bytes = packed_bytes(v.c_stored, st.c_bits);
        t.a_words = SramBuffer::words_for(v.a, st.a_bits, st.a.word_bits);
        t.b_words = SramBuffer::words_for(v.b, st.b_bits, st.b.word_bits);
        t.c_words = SramBuffer::words_for(v.c_stored, st.c_bits, st.c.word_bits);
        plan.tiles.push_back(t);
      }
    }
  }
  return plan;
}

}  // namespace qtsim
