// The mapper: balanced sizes and units by hand; its closed-form traffic
// against a second implementation (summing the tile list's loads and
// stores); its choice against brute force over every candidate on small
// random layers; with room for everything, traffic equal to compulsory.
#include "hw_models/memory/mapper.h"

#include <gtest/gtest.h>

#include <random>

#include "hw_models/memory/tiler.h"
#include "hw_models/sram/sram_buffer.h"
#include "tests/unit/gemm_util.h"

namespace qtsim {
namespace {

TEST(Mapper, BalancedSizes) {
  // ceil(10 / t), t = 1 .. 10: 10 5 4 3 2 2 2 2 2 1.
  EXPECT_EQ(balanced_sizes(10), (std::vector<std::int64_t>{10, 5, 4, 3, 2, 1}));
  // Rounded up to 4, at most 10: 10, 8 (5), 4 (4, 3, 2, 1).
  EXPECT_EQ(balanced_sizes(10, 4), (std::vector<std::int64_t>{10, 8, 4}));
  EXPECT_EQ(balanced_sizes(1), (std::vector<std::int64_t>{1}));
  // 64: t = 1 .. 8 give 64 32 22 16 13 11 10 8 (no t gives 9: ceil(64 / 7) = 10,
  // ceil(64 / 8) = 8), then 7 6 5 4 3 2 1.
  EXPECT_EQ(balanced_sizes(64), (std::vector<std::int64_t>{64, 32, 22, 16, 13, 11, 10, 8, 7, 6, 5, 4, 3, 2, 1}));
}

TEST(Mapper, UnitsOfTheChannelLoops) {
  TensorGemm g;
  g.kernel = 3;
  GemmStorage st;
  st.m_unit = 16;
  st.k_unit = 4;
  st.n_unit = 16;
  // conv: K = p x 9, 4 / gcd(4, 9) = 4; N = q: 16.
  EXPECT_EQ(p_unit(g, st), 4);
  EXPECT_EQ(q_unit(g, st), 16);
  // wgrad: M = p: 16; N = q x 9: 16.
  g.form = GemmForm::wgrad;
  EXPECT_EQ(p_unit(g, st), 16);
  EXPECT_EQ(q_unit(g, st), 16);
  // col2im: K = p: 4. With a 2 x 2 window, N = q x 4: 16 / 4 = 4.
  g.form = GemmForm::col2im;
  g.kernel = 2;
  EXPECT_EQ(p_unit(g, st), 4);
  EXPECT_EQ(q_unit(g, st), 4);
}

class Random {
 public:
  explicit Random(unsigned seed) : rng_(seed) {}
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return std::uniform_int_distribution<std::int64_t>(low, high)(rng_);
  }

 private:
  std::mt19937 rng_;
};

TensorGemm random_layer(Random& r) {
  return test::random_tensor_gemm([&](std::int64_t lo, std::int64_t hi) { return r.between(lo, hi); }, 4, 6, 9);
}

GemmStorage random_storage(Random& r) {
  const int widths[] = {4, 8, 16};
  GemmStorage st;
  st.a_bits = widths[r.between(0, 2)];
  st.b_bits = widths[r.between(0, 2)];
  st.c_bits = 32;
  for (BufferConfig* b : {&st.a, &st.b, &st.c}) {
    b->word_bits = 32;
    b->capacity_bytes = 8 * r.between(2, 60);
  }
  st.m_unit = r.between(1, 4);
  st.k_unit = r.between(1, 4);
  st.n_unit = r.between(1, 4);
  return st;
}

// The second implementation: the tile list's loads and stores.
std::int64_t tile_list_bytes(const TensorGemm& g, const Mapping& m, const GemmStorage& st) {
  std::int64_t bytes = 0;
  for (const Tile& t : plan_tiles(g, m, st).tiles) {
    bytes += (t.load_a ? t.a_bytes : 0) + (t.load_b ? t.b_bytes : 0) + (t.last_k ? t.c_bytes : 0);
  }
  return bytes;
}

// Every combination of position tile, p, q (balanced sizes with the units)
// and order, in the mapper's tie-break order; calls f(mapping, is_documented)
// for those that fit, is_documented = the largest fitting position tile of its p and q.
template <typename F>
void for_each_fitting(const TensorGemm& g, const GemmStorage& st, F f) {
  for (std::int64_t p : balanced_sizes(g.p, p_unit(g, st))) {
    for (std::int64_t q : balanced_sizes(g.q, q_unit(g, st))) {
      bool first = true;
      for (Mapping m : position_tiles(g)) {
        m.p = p;
        m.q = q;
        if (!fits(g, st, m)) continue;
        for (LoopOrder order : {LoopOrder::m_outer, LoopOrder::n_outer}) {
          m.order = order;
          f(m, first);
        }
        first = false;
      }
    }
  }
}

TEST(Mapper, ClosedFormEqualsTheTileListAndChoiceEqualsBruteForce) {
  Random r(7);
  int compared = 0, with_units = 0, whole_set_checked = 0;
  for (int i = 0; i < 400; ++i) {
    const TensorGemm g = random_layer(r);
    GemmStorage st = random_storage(r);
    Mapping chosen;
    if (!choose_mapping(g, st, chosen)) continue;
    // The search fell back to unit 1 when nothing fitted with the units.
    bool any = false;
    for_each_fitting(g, st, [&](const Mapping&, bool) { any = true; });
    if (!any) st.m_unit = st.k_unit = st.n_unit = 1;
    with_units += any;
    std::int64_t best = -1, best_tiles = 0, best_all = -1;
    Mapping brute;
    for_each_fitting(g, st, [&](const Mapping& m, bool documented) {
      const std::int64_t bytes = tile_list_bytes(g, m, st);
      ASSERT_EQ(mapping_dram_bytes(g, m, st), bytes) << "case " << i << " " << to_string(m);
      if (best_all < 0 || bytes < best_all) best_all = bytes;
      if (!documented) return;
      const std::int64_t tiles = mapping_tiles(g, m);
      if (best < 0 || bytes < best || (bytes == best && tiles < best_tiles)) {
        best = bytes;
        best_tiles = tiles;
        brute = m;
      }
    });
    ASSERT_GE(best, 0);
    EXPECT_TRUE(chosen == brute) << "case " << i << ": mapper " << to_string(chosen) << ", brute force "
                                 << to_string(brute);
    // Whole-byte widths and windows that cover their input: no candidate
    // outside the documented set moves fewer bytes (the larger position tile
    // never loses).
    if (st.a_bits % 8 == 0 && st.b_bits % 8 == 0 && g.stride <= g.kernel) {
      EXPECT_EQ(best, best_all) << "case " << i;
      ++whole_set_checked;
    }
    ++compared;
  }
  EXPECT_GT(compared, 300);
  EXPECT_GT(with_units, 200);
  EXPECT_GT(whole_set_checked, 60);
}

TEST(Mapper, RoomForEverythingMovesExactlyTheCompulsoryBytes) {
  Random r(11);
  for (int i = 0; i < 200; ++i) {
    TensorGemm g = random_layer(r);
    if (g.stride > g.kernel) g.stride = g.kernel;  // windows cover the input: nothing skipped
    GemmStorage st = random_storage(r);
    for (BufferConfig* b : {&st.a, &st.b, &st.c}) b->capacity_bytes = 1 << 20;
    const Mapping m = map_gemm(g, st);
    EXPECT_EQ(mapping_tiles(g, m), 1) << i;
    const auto packed = [](std::int64_t values, int bits) { return (values * bits + 7) / 8; };
    const std::int64_t compulsory =
        packed(g.a_values(), st.a_bits) + packed(g.b_values(), st.b_bits) + packed(g.c_values(), st.c_bits);
    EXPECT_EQ(mapping_dram_bytes(g, m, st), compulsory) << i << " " << to_string(g.form);
  }
}

TEST(Mapper, ResNetLayerOnTheDefaultBuffers) {
  // layer1.0.conv1 forward at 128 samples, 8-bit, 16x16 os array (units M 16,
  // K 1, N 16), 64 KiB buffers of 64-bit words. C at 32 bits: half the output
  // buffer is 8192 values, so at most 512 positions x 16 channels: 16 rows of
  // one sample (y16 x32). Compulsory: input 128 x 16 x 32 x 32 = 2,097,152 B,
  // weights 16 x 16 x 9 = 2304 B, output 128 x 16 x 1024 x 4 = 8,388,608 B:
  // 10,488,064 B. Moved: each 16-row tile reads 17 input rows (one halo row):
  // 128 x 2 x 17 x 32 x 16 = 2,228,224 B, weights once, the output once:
  // 10,619,136 B.
  TensorGemm g;
  g.samples = 128;
  g.out_h = g.out_w = g.in_h = g.in_w = 32;
  g.kernel = 3;
  g.pad = 1;
  g.p = g.q = 16;
  GemmStorage st;
  st.a.capacity_bytes = st.b.capacity_bytes = st.c.capacity_bytes = 65536;
  st.m_unit = 16;
  st.n_unit = 16;
  Mapping m;
  ASSERT_TRUE(choose_mapping(g, st, m));
  EXPECT_EQ(to_string(m), "m,n,k s1 y16 x32 p16 q16");
  EXPECT_EQ(mapping_dram_bytes(g, m, st), 10619136);
  EXPECT_EQ(g.a_values() + g.b_values() + 4 * g.c_values(), 10488064);
}

}  // namespace
}  // namespace qtsim
