// CactiTable: grid points read exactly (the default buffer at corner b; Bit
// Fusion's cacti_sweep.csv figures at corner a), the log-log rule between
// grid points worked by hand, and the errors for points outside the grid,
// next to points CACTI refused, and without data.
#include "sim/energy/cacti_table.h"
#include "sim/energy/sram_model.h"

#include <gtest/gtest.h>

#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

using test::error_of;

SramQuery query(std::int64_t capacity, int width, int banks, char corner = 'b', SramPorts ports = SramPorts::one_rw) {
  return SramQuery{45, corner, ports, capacity, width, banks};
}

TEST(CactiTable, TheDefaultBufferIsATablePoint) {
  // cacti7_sram_1rw.csv, 45 nm, itrs-lstp cells, itrs-hp periphery, 300 K,
  // 65536 B, 64 bit, 4 banks: 20.577 pJ read, 19.5724 pJ write, 6.68593 +
  // 0.707518 mW leakage (7.39345 in the table's total column: the parts add to
  // 7.393448 at 6 digits), 0.256364 mm2, 0.552837 ns cycle.
  const SramPrice p = CactiTable::builtin().price(query(65536, 64, 4), false, "test");
  EXPECT_EQ(p.status, SramStatus::read);
  EXPECT_EQ(p.figures.read_pj, 20.577);
  EXPECT_EQ(p.figures.write_pj, 19.5724);
  EXPECT_EQ(p.figures.leakage_subthreshold_mw, 6.68593);
  EXPECT_EQ(p.figures.leakage_gate_mw, 0.707518);
  EXPECT_EQ(p.figures.leakage_mw, 7.39345);
  EXPECT_EQ(p.figures.area_mm2, 0.256364);
  EXPECT_EQ(p.figures.cycle_ns, 0.552837);
  // The two-port table at corner b: 11.4484 mW (10.2826 + 1.16571); at corner a 112.301 mW.
  const SramPrice two = CactiTable::builtin().price(query(65536, 64, 4, 'b', SramPorts::one_r_one_w), false, "test");
  EXPECT_NEAR(two.figures.leakage_mw, 11.4484, 1e-4);
  const SramPrice a = CactiTable::builtin().price(query(65536, 64, 4, 'a', SramPorts::one_r_one_w), false, "test");
  EXPECT_NEAR(a.figures.leakage_mw, 112.301, 1e-3);
}

TEST(CactiTable, CornerAReproducesBitFusionsSweep) {
  // Bit Fusion's cacti_sweep.csv (45 nm, 32-bit, 1 bank; the rows the
  // builtin:45nm table carries): read, write pJ, subthreshold leakage mW.
  const struct {
    std::int64_t capacity;
    double read, write, leakage;
  } rows[] = {{1024, 1.13324, 3.29596, 1.78934},
              {2048, 1.90318, 3.63853, 3.22997},
              {4096, 3.42953, 4.31011, 7.30186},
              {16384, 9.9817, 8.4209, 27.127}};
  for (const auto& r : rows) {
    const SramPrice p =
        CactiTable::builtin().price(query(r.capacity, 32, 1, 'a', SramPorts::one_r_one_w), false, "test");
    EXPECT_EQ(p.figures.read_pj, r.read) << r.capacity;
    EXPECT_EQ(p.figures.write_pj, r.write) << r.capacity;
    EXPECT_EQ(p.figures.leakage_subthreshold_mw, r.leakage) << r.capacity;
  }
}

TEST(CactiTable, BetweenGridPointsAPowerLawAlongEachAxis) {
  // 48 KiB between 32 and 64 KiB (64 bit, 4 banks, corner b, one port):
  // t = log2(48 / 32) = 0.58496; value = v32^(1 - t) x v64^t:
  // read 11.8599 -> 20.577: 16.3705457; leakage 4.44319 -> 6.68593: 5.6429524
  // (subthreshold) and 0.507675 -> 0.707518: 0.6164660 (gate).
  const SramPrice p = CactiTable::builtin().price(query(49152, 64, 4), false, "test");
  EXPECT_EQ(p.status, SramStatus::interpolated);
  EXPECT_NEAR(p.figures.read_pj, 16.3705457, 1e-6);
  EXPECT_NEAR(p.figures.write_pj, 16.9509699, 1e-6);
  EXPECT_NEAR(p.figures.leakage_subthreshold_mw, 5.6429524, 1e-6);
  EXPECT_NEAR(p.figures.leakage_gate_mw, 0.6164660, 1e-6);
  EXPECT_EQ(p.points.size(), 2u);
  // 2 banks lies between 1 and 4 banks, 48-bit words between 32 and 64:
  // eight points, strictly between their extremes.
  const SramPrice q = CactiTable::builtin().price(query(49152, 48, 2), false, "test");
  EXPECT_EQ(q.points.size(), 8u);
  EXPECT_EQ(q.status, SramStatus::interpolated);
}

TEST(CactiTable, OutsideTheGridIsAnErrorUnlessAllowed) {
  const std::string message = error_of([] { CactiTable::builtin().price(query(8 << 20, 64, 4), false, "buffers.x"); });
  EXPECT_EQ(message,
            "buffers.x: 8388608 bytes, 64-bit words, 4 banks lies outside the CACTI table (1 KiB-4 MiB, 32-256 bits, "
            "1-16 banks); expected a buffer inside it, or energy.sram.allow_extrapolation true");
  const SramPrice p = CactiTable::builtin().price(query(8 << 20, 64, 4), true, "buffers.x");
  EXPECT_EQ(p.status, SramStatus::extrapolated);
  EXPECT_EQ(p.outside[0], 2.0);
  EXPECT_EQ(p.outside[1], 1.0);
  // Extended along the last capacity segment: 4 MiB's value x (4 MiB / 2 MiB)'s ratio.
  const SramPrice m2 = CactiTable::builtin().price(query(2 << 20, 64, 4), false, "");
  const SramPrice m4 = CactiTable::builtin().price(query(4 << 20, 64, 4), false, "");
  EXPECT_NEAR(p.figures.read_pj, m4.figures.read_pj * m4.figures.read_pj / m2.figures.read_pj, 1e-9);
}

TEST(CactiTable, NeighboursRefusedByCactiAndMissingDataAreErrors) {
  // 2 KiB of 64-bit words in 8 banks needs the 16-bank point, 16 words per
  // bank, which CACTI refused.
  EXPECT_EQ(error_of([] { CactiTable::builtin().price(query(2048, 64, 8), true, "buffers.weight"); }),
            "buffers.weight: CACTI has no organisation for 45nm b 1rw 2048B 64b 16bank (16 or fewer words per bank), "
            "which this buffer's price needs; expected fewer banks or narrower words");
  SramQuery q = query(65536, 64, 4);
  q.node_nm = 32;  // the one-port table is 45 nm only
  EXPECT_EQ(error_of([&] { CactiTable::builtin().price(q, false, "buffers.output"); }),
            "buffers.output: no CACTI data at 32 nm, corner b, 1rw ports; the table has 45, 32 and 22 nm for two "
            "ports (1r1w) and 45 nm for one read/write port (1rw)");
}

}  // namespace
}  // namespace qtsim

namespace qtsim {
namespace {

TEST(SramWarnings, SlowBuffersAndBankCountsBetweenTheTablesAreReported) {
  const EnergyTable table = EnergyTable::load("builtin:45nm");
  HardwareConfig hw;  // 64 KiB, 64-bit, 4 banks, one port, corner b: cycle 0.552837 ns
  EXPECT_TRUE(sram_warnings(table, hw).empty());
  // At 2000 MHz the period is 0.5 ns: every buffer is too slow.
  hw.clock_mhz = 2000;
  const std::vector<std::string> slow = sram_warnings(table, hw);
  ASSERT_EQ(slow.size(), 4u);
  EXPECT_EQ(slow[0],
            "buffers.activation: CACTI cycle time 0.552837 ns exceeds the 2000 MHz clock's 0.5 ns period (corner b, "
            "45 nm): the SRAM could not take an access every cycle; it is priced and timed as if it could");
  // 8 banks at corner b: leakage between the table's bank counts.
  hw.clock_mhz = 1000;
  hw.buffers.at(Operand::weight).banks = 8;
  const std::vector<std::string> banks = sram_warnings(table, hw);
  ASSERT_EQ(banks.size(), 1u);
  EXPECT_EQ(banks[0].rfind("buffers.weight: 8 banks lies between the CACTI table's 1, 4 and 16 banks", 0), 0u);
  // At corner a the held-out runs showed no such problem.
  hw.energy.sram.corner = "a";
  EXPECT_TRUE(sram_warnings(table, hw).empty());
}

}  // namespace
}  // namespace qtsim
