// The area model (sim/energy/area_model.h): per-PE synthesis area, CACTI
// buffers, unknown areas, area-normalised figures; values from the tables'
// sources worked by hand.
#include <gtest/gtest.h>

#include "sim/energy/area_model.h"
#include "sim/energy/embedded_tables.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

const EnergyTable& builtin() {
  static const EnergyTable table = EnergyTable::load("builtin:45nm");
  return table;
}

double mm2(const AreaBreakdown& a, EnergyComponent c) { return *a.mm2[static_cast<std::size_t>(c)]; }

TEST(EnergyArea, A16x16BitFusionArrayIsTheSynthesisScaledPerPe) {
  // Bit Fusion's 4x4 array: 27,752.83558 um2 for 16 PEs; 256 PEs: 16 x that.
  HardwareConfig hw;  // 16 x 16 Bit Fusion by default
  ASSERT_EQ(hw.mac_array.rows * hw.mac_array.cols, 256);
  const AreaBreakdown a = area(builtin(), hw);
  EXPECT_DOUBLE_EQ(mm2(a, EnergyComponent::mac_array), 16 * 27752.83558e-6);
  // A fixed 8-bit array of the same size: 16 x 8,171.729995 um2, 3.4x smaller.
  hw.mac_array.pe_kind = PeKindId::fixed;
  EXPECT_DOUBLE_EQ(mm2(area(builtin(), hw), EnergyComponent::mac_array), 16 * 8171.729995e-6);
  EXPECT_FALSE(a.mm2[static_cast<std::size_t>(EnergyComponent::dram)].has_value());  // off chip
  EXPECT_EQ(a.entries_used.count("mac_array.bitfusion_pe_area"), 1u);
}

TEST(EnergyArea, BuffersPricedFromTheTablesPointsLeaveTheTotalUnknown) {
  HardwareConfig hw;
  hw.energy.sram.source = "table";
  const AreaBreakdown a = area(builtin(), hw);
  EXPECT_FALSE(a.mm2[static_cast<std::size_t>(EnergyComponent::buffer_weight)].has_value());
  EXPECT_FALSE(a.total_mm2().has_value());
  EXPECT_GT(mm2(a, EnergyComponent::mac_array), 0.0);
  const AreaFigures f = area_figures(a, EnergyBreakdown{}, ActionCounts{}, hw.clock_mhz);
  EXPECT_EQ(f.tops_per_mm2, 0.0);
}

TEST(EnergyArea, FiguresNormaliseByTheTotal) {
  // 1 mm2 of buffers only (the other areas set by hand): 1e6 MACs in 1000
  // cycles at 1000 MHz = 1 us: 2e6 ops / 1e-6 s = 2 TOPS per mm2; EDAP = total
  // pJ x 1e-6 s x 1 mm2.
  AreaBreakdown a;
  for (auto& c : a.mm2) c = 0.0;
  a.mm2[static_cast<std::size_t>(EnergyComponent::buffer_weight)] = 1.0;
  ASSERT_DOUBLE_EQ(*a.total_mm2(), 1.0);
  ActionCounts counts;
  counts.cycles = 1000;
  counts.mac_modes[MacMode{}].macs = 1000000;
  EnergyBreakdown e;
  e.at(EnergyComponent::dram).dynamic_pj = 5.0;
  const AreaFigures f = area_figures(a, e, counts, 1000.0);
  EXPECT_DOUBLE_EQ(f.tops_per_mm2, 2.0);
  EXPECT_DOUBLE_EQ(f.edap_pj_s_mm2, 5e-6);
}

TEST(EnergyArea, AMissingAreaEntryIsAnErrorNamingIt) {
  HardwareConfig hw;
  hw.mac_array.pe_kind = PeKindId::fixed;
  hw.mac_array.fixed_width_bits = 12;
  EXPECT_EQ(test::error_of([&] { area(builtin(), hw); }),
            "builtin:45nm: entries.mac_array.fixed_12b_pe_area: missing entry; the hardware needs it "
            "(mac_array.pe_kind is fixed with fixed_width_bits 12); expected an area (um2 or mm2) with its source, "
            "in this table or in one it extends");
}

}  // namespace
}  // namespace qtsim
