// The energy model: a GEMM priced by hand component by component, the two MAC
// conventions, Bit Fusion's fused unit against a fixed PE's gated share, and
// the one-entry-changes-only-its-components rule (sim/energy/energy_model.h).
#include <gtest/gtest.h>

#include <cmath>

#include "sim/energy/area_model.h"
#include "sim/energy/embedded_tables.h"
#include "sim/energy/energy_model.h"
#include "sim/energy/energy_report.h"
#include "sim/reference/reference_top.h"
#include "tests/unit/gemm_util.h"

namespace qtsim {
namespace {

const EnergyTable& builtin() {
  static const EnergyTable table = EnergyTable::load("builtin:45nm");
  return table;
}

// Buffers priced from the table's SRAM points (energy.sram.source "table"),
// the rule these hand-worked figures follow; CACTI pricing: energy_cacti_test.cpp.
HardwareConfig array_4x4(PeKindId pe_kind = PeKindId::bitfusion) {
  HardwareConfig hw;
  hw.energy.sram.source = "table";
  hw.mac_array.rows = 4;
  hw.mac_array.cols = 4;
  hw.mac_array.pe_kind = pe_kind;
  return hw;
}

// Values derived through log/exp (SRAM interpolation) agree to 12 significant digits.
void expect_pj(double actual, double expected) { EXPECT_NEAR(actual, expected, 1e-12 * std::fabs(expected)); }

double mac_dynamic(const ActionCounts& counts, const HardwareConfig& hw) {
  return price(counts, builtin(), hw).at(EnergyComponent::mac_array).dynamic_pj;
}

// One mode's counts: `cycles` PE-active cycles computing `macs` products.
ActionCounts mode_counts(const HardwareConfig& hw, int a_bits, int b_bits, std::int64_t cycles, std::int64_t macs) {
  const PeMode mode = pe_mode(hw.mac_array, a_bits, b_bits);
  ActionCounts c;
  MacModeCounts& m = c.mac_modes[mac_mode(hw.mac_array, mode)];
  m.pe_active_cycles = cycles;
  m.macs = macs;
  m.executed_macs = cycles * mode.pack;
  return c;
}

TEST(EnergyModel, SmallGemmWorkedByHand) {
  // 4x4 Bit Fusion array, os, defaults otherwise (1000 MHz, 64 KiB buffers of
  // 64-bit words, DRAM 16 B/cycle, latency 100, bursts of 64 B; table
  // builtin:45nm, per_pe_cycle, LPDDR4). GEMM 8 x 4 x 4 at 8 x 8 bits.
  const HardwareConfig hw = array_4x4();
  const GemmOperands g = test::random_operands(8, 4, 4, 8, 8, 3);
  const std::vector<Job> jobs = {Job::gemm(g, Operand::activation, Operand::weight)};
  const JobsSimulation sim = simulate_jobs(hw, jobs);
  const ActionCounts counts = run_actions(hw, jobs, sim.jobs, sim.controller);

  // Counts. One tile (A 32 B, B 16 B, C 8 x 4 at 32 bits = 128 B fit half a
  // buffer). Folds: ceil(8/4) x ceil(4/4) = 2, each T + R + C - 2 = 4 + 4 + 4
  // - 2 = 10 cycles: 20 array cycles; each PE takes K = 4 elements per fold:
  // 2 x 16 x 4 = 128 active PE-cycles = 128 MACs.
  // Loads: A 32 B -> one 64 B burst, done at 100 + 64/16 = 104; B behind it,
  // done at 108: load stall 108. Store of C (128 B) issued at 128, data from
  // 228 for 8 cycles: done at 236, drain 108. Cycles 108 + 20 + 108 = 236.
  ASSERT_EQ(counts.mac_modes.size(), 1u);
  const MacModeCounts& m = counts.mac_modes.begin()->second;
  EXPECT_EQ(m.pe_active_cycles, 128);
  EXPECT_EQ(m.macs, 128);
  EXPECT_EQ(m.executed_macs, 128);
  EXPECT_EQ(counts.cycles, 236);
  // Edge reads: 4 steps x 2 folds, one word each (4 values of 8 bits) for A and
  // for B; 32 elements of 8 bits each: 2 x 32 x 8 = 512 register bits.
  EXPECT_EQ(counts.edge_register_bits, 512);
  // Buffers: A read 8 words, filled with 32 values / 8 per word = 4; B read 8,
  // filled with 2; output written 2 folds x 4 rows x words_for(4 x 32 bits) = 2
  // -> 16, read 16 by the store of C.
  EXPECT_EQ(counts.buffer(Operand::activation).read_words, 8);
  EXPECT_EQ(counts.buffer(Operand::activation).write_words, 4);
  EXPECT_EQ(counts.buffer(Operand::weight).read_words, 8);
  EXPECT_EQ(counts.buffer(Operand::weight).write_words, 2);
  EXPECT_EQ(counts.buffer(Operand::output).read_words, 16);
  EXPECT_EQ(counts.buffer(Operand::output).write_words, 16);
  EXPECT_EQ(counts.dram_read_bytes, 128);  // 64 + 64 (burst-rounded)
  EXPECT_EQ(counts.dram_write_bytes, 128);
  EXPECT_EQ(counts.reconfigurations, 0);

  // Prices, t = 236 cycles / 1000 MHz = 0.236 us; P x t: mW x us x 1000 = pJ.
  const EnergyBreakdown e = price(counts, builtin(), hw);
  // mac_array: 128 x 459.1875 fJ = 58.776 pJ active; every other PE-cycle of
  // the run is idle, 16 x 236 - 128 = 3648, at idle_pe_cycle 0.1 (no clock
  // gating): 3648 x 45.91875 fJ = 167.5116 pJ; 226.2876 pJ in all. Leakage
  // 16 x 59.3275 uW x 0.236 us = 224.02064 pJ.
  EXPECT_DOUBLE_EQ(e.at(EnergyComponent::mac_array).dynamic_pj, 226.2876);
  EXPECT_DOUBLE_EQ(e.at(EnergyComponent::mac_array).static_pj, 224.02064);
  // registers: 512 x 8.999495 fJ = 4.60774144 pJ; lanes 4 x 32 + 4 x 32 = 256
  // bits x 73.95312 nW x 0.236 us = 4.46795169792 pJ.
  EXPECT_DOUBLE_EQ(e.at(EnergyComponent::registers).dynamic_pj, 4.60774144);
  EXPECT_DOUBLE_EQ(e.at(EnergyComponent::registers).static_pj, 4.46795169792);
  // SRAM, 64 KiB of 64-bit words: between Horowitz's 32 KB (20 pJ / 64 bits)
  // and 1 MB (100 pJ / 64 bits) points, log-log: t = log(2) / log(32) = 1/5,
  // per access 20 x (100/20)^(1/5) = 20 x 5^0.2 pJ, reads and writes alike.
  // Leakage extrapolated from CACTI's 8 KiB (13.6943 mW) and 16 KiB (27.127
  // mW) points: 13.6943 x (27.127 / 13.6943)^3 mW.
  const double access = 20.0 * std::pow(5.0, 0.2);
  const double leakage_pj = 13.6943 * std::pow(27.127 / 13.6943, 3.0) * 0.236 * 1000.0;
  expect_pj(e.at(EnergyComponent::buffer_activation).dynamic_pj, 12 * access);  // 331.135118751
  expect_pj(e.at(EnergyComponent::buffer_weight).dynamic_pj, 10 * access);
  EXPECT_EQ(e.at(EnergyComponent::buffer_gradient).dynamic_pj, 0.0);
  expect_pj(e.at(EnergyComponent::buffer_output).dynamic_pj, 32 * access);
  for (Operand o : kOperands) expect_pj(e.at(buffer_component(o)).static_pj, leakage_pj);  // 25121.0408512
  // dram: 256 bytes x 8 bits x 8 pJ/bit = 16384 pJ; background 156.1 mW x
  // 0.236 us = 36839.6 pJ.
  EXPECT_DOUBLE_EQ(e.at(EnergyComponent::dram).dynamic_pj, 16384.0);
  EXPECT_DOUBLE_EQ(e.at(EnergyComponent::dram).static_pj, 36839.6);
  // vector unit idle: 16 lanes x 0.080110428 mW x 0.236 us = 302.496976128 pJ.
  EXPECT_EQ(e.at(EnergyComponent::vector_unit).dynamic_pj, 0.0);
  EXPECT_DOUBLE_EQ(e.at(EnergyComponent::vector_unit).static_pj, 302.496976128);
  // controller: no reconfiguration; 0.07572799488 mW x 0.236 us = 17.87180679168 pJ.
  EXPECT_EQ(e.at(EnergyComponent::controller).dynamic_pj, 0.0);
  EXPECT_DOUBLE_EQ(e.at(EnergyComponent::controller).static_pj, 17.87180679168);

  // Figures: 2 ops per MAC; EDP = total x 236 ns.
  const EnergyFigures f = energy_figures(e, counts, hw.clock_mhz);
  EXPECT_DOUBLE_EQ(f.pj_per_algorithmic_mac, e.total_pj() / 128);
  EXPECT_DOUBLE_EQ(f.pj_per_executed_mac, e.total_pj() / 128);
  EXPECT_DOUBLE_EQ(f.tops_per_w, 256 / e.total_pj());
  EXPECT_DOUBLE_EQ(f.edp_pj_s, e.total_pj() * 236e-9);
}

TEST(EnergyModel, RunCountsAgreeWithTheControllerAndTheDma) {
  // Two GEMMs of different modes around a vector operation, the second reading
  // A from the gradient buffer: one reconfiguration (8x8 -> 4x4).
  const HardwareConfig hw = array_4x4();
  const GemmOperands g1 = test::random_operands(12, 20, 6, 8, 8, 1);
  const GemmOperands g2 = test::random_operands(9, 16, 5, 4, 4, 2);
  // Transfer jobs around them (DMA only) move words too, and DRAM bytes.
  const std::vector<Job> jobs = {Job::gemm(g1, Operand::activation, Operand::weight), Job::vector("relu_fwd", 100),
                                 Job::transfer(Operand::activation, DmaDirection::write, 300),
                                 Job::gemm(g2, Operand::gradient, Operand::weight),
                                 Job::transfer(Operand::weight, DmaDirection::read, 70)};
  const JobsSimulation sim = simulate_jobs(hw, jobs);
  const ActionCounts c = run_actions(hw, jobs, sim.jobs, sim.controller);
  EXPECT_EQ(c.cycles, sim.controller.cycles);
  EXPECT_EQ(c.reconfigurations, sim.controller.reconfigurations);
  EXPECT_EQ(c.reconfigurations, 1);
  std::int64_t burst_read = 0, burst_write = 0;
  for (Operand o : kOperands) {
    burst_read += sim.dma.at(o).read_burst_bytes;
    burst_write += sim.dma.at(o).write_burst_bytes;
  }
  EXPECT_EQ(c.dram_read_bytes, burst_read);
  EXPECT_EQ(c.dram_write_bytes, burst_write);
  // Every word the controller counted in a buffer is priced once: edge reads,
  // output writes and read-backs, DMA fills, store reads and transfers.
  for (Operand o : kOperands) {
    EXPECT_EQ(c.buffer(o).read_words, sim.controller.buffers.at(o).reads_words) << to_string(o);
    EXPECT_EQ(c.buffer(o).write_words, sim.controller.buffers.at(o).writes_words) << to_string(o);
  }
  // The transfers' own: 300 B read out of 64-bit words = 38 words, 70 B written = 9.
  EXPECT_EQ(job_actions(hw, jobs[2], sim.jobs[2], false).buffer(Operand::activation).read_words, 38);
  EXPECT_EQ(job_actions(hw, jobs[4], sim.jobs[4], false).buffer(Operand::weight).write_words, 9);
  EXPECT_EQ(job_actions(hw, jobs[4], sim.jobs[4], false).dram_read_bytes, 128);  // 70 B in 64-byte bursts
  EXPECT_EQ(c.macs(), 12 * 20 * 6 + 9 * 16 * 5);
  ASSERT_EQ(c.mac_modes.size(), 2u);
  EXPECT_EQ(c.vector_ops.at("relu_fwd").elements, 100);
  // Counts are additive: the jobs one by one sum to the run (plus the drain).
  ActionCounts sum = job_actions(hw, jobs[0], sim.jobs[0], false);
  sum += job_actions(hw, jobs[1], sim.jobs[1], false);
  sum += job_actions(hw, jobs[2], sim.jobs[2], false);
  sum += job_actions(hw, jobs[3], sim.jobs[3], true);
  sum += job_actions(hw, jobs[4], sim.jobs[4], false);
  EXPECT_EQ(sum.cycles + sim.controller.causes.store_drain, c.cycles);
  EXPECT_EQ(sum.macs(), c.macs());
  EXPECT_EQ(sum.edge_register_bits, c.edge_register_bits);
  // Prices are linear in the counts: the jobs priced one by one and summed
  // equal the run priced at once (the drain adds static energy only).
  ActionCounts drain;
  drain.cycles = sim.controller.causes.store_drain;
  EnergyBreakdown summed = price(sum, builtin(), hw);
  summed += price(drain, builtin(), hw);
  const EnergyBreakdown whole = price(c, builtin(), hw);
  for (std::size_t i = 0; i < kEnergyComponents; ++i) {
    expect_pj(summed.components[i].dynamic_pj, whole.components[i].dynamic_pj);
    expect_pj(summed.components[i].static_pj, whole.components[i].static_pj);
  }
  EXPECT_EQ(summed.entries_used, whole.entries_used);
}

TEST(EnergyModel, SummaryJsonCarriesEveryComponentAndFigure) {
  // 1000 cycles at 1000 MHz = 1 us; 1000 8x8 products on a 4x4 Bit Fusion
  // array, idle PEs clock-gated.
  HardwareConfig hw = array_4x4();
  hw.energy.idle_clock_gating = 1.0;
  ActionCounts c = mode_counts(hw, 8, 8, 1000, 1000);
  c.cycles = 1000;
  const EnergyBreakdown e = price(c, builtin(), hw);
  const Json j = energy_json(e, c, hw, area(builtin(), hw));
  EXPECT_EQ(j.at("components").size(), kEnergyComponents);
  // 1000 x 459.1875 fJ = 459.1875 pJ.
  EXPECT_DOUBLE_EQ(j.at("components").at("mac_array").at("dynamic_pj").get<double>(), 459.1875);
  EXPECT_DOUBLE_EQ(j.at("total").at("total_pj").get<double>(), e.total_pj());
  EXPECT_EQ(j.at("macs"), 1000);
  EXPECT_DOUBLE_EQ(j.at("time_s").get<double>(), 1e-6);
  EXPECT_DOUBLE_EQ(j.at("tops_per_w").get<double>(), 2000 / e.total_pj());
  EXPECT_DOUBLE_EQ(j.at("edp_pj_s").get<double>(), e.total_pj() * 1e-6);
  // Buffers priced from the table's points have no area, so neither has the chip.
  EXPECT_TRUE(j.at("tops_per_mm2").is_null());
  EXPECT_TRUE(j.at("edap_pj_s_mm2").is_null());
}

TEST(EnergyModel, BitFusionCostsTheFusedFigurePerCycleInEveryMode) {
  // (The counts have no cycles of their own, so no idle PE-cycles.)
  const HardwareConfig hw = array_4x4();
  // 8x8: one product per cycle; 1000 cycles cost 1000 x 459.1875 fJ (the 4x4
  // array's synthesis per PE: 3,673,500 nW / 16 / 500 MHz).
  EXPECT_DOUBLE_EQ(mac_dynamic(mode_counts(hw, 8, 8, 1000, 1000), hw), 459.1875);
  // 4x4: 4 products per cycle, 1000 cycles -> 4000 products at 459.1875 / 4
  // fJ each: a quarter of the 8x8 product.
  EXPECT_DOUBLE_EQ(mac_dynamic(mode_counts(hw, 4, 4, 1000, 4000), hw) / 4000, 0.4591875 / 4);
  // 2x2: 16 products per cycle.
  EXPECT_DOUBLE_EQ(mac_dynamic(mode_counts(hw, 2, 2, 1000, 16000), hw) / 16000, 0.4591875 / 16);
  // 16x8: two passes, each a full cycle of the unit: 1000 products, 2000 cycles.
  EXPECT_DOUBLE_EQ(mac_dynamic(mode_counts(hw, 16, 8, 2000, 1000), hw), 2000 * 0.4591875);
  // A partial pack (K not a multiple of 4) leaves product slots unused: 1000
  // cycles for 3,998 products cost the same 459.1875 pJ, a little over a quarter each.
  EXPECT_DOUBLE_EQ(mac_dynamic(mode_counts(hw, 4, 4, 1000, 3998), hw), 459.1875);
}

TEST(EnergyModel, FixedPeAtNarrowWidthsSavesOnlyTheGatedShare) {
  // Fixed 8-bit PE: 203.4375 fJ per cycle at 8x8 (1,627,500 nW / 16 / 500
  // MHz), gated share 2/3 (Horowitz: 0.2 pJ multiply / (0.2 + 0.1 pJ
  // accumulate)). At 4x4 the multiplier works on 16 of 64 bit-products:
  // 203.4375 x (1/3 + 2/3 x 16/64) = 203.4375 x 0.5 = 101.71875 fJ per product
  // (one product per cycle), not 203.4375 / 4.
  HardwareConfig hw = array_4x4(PeKindId::fixed);
  EXPECT_DOUBLE_EQ(mac_dynamic(mode_counts(hw, 8, 8, 1000, 1000), hw), 203.4375);
  EXPECT_DOUBLE_EQ(mac_dynamic(mode_counts(hw, 4, 4, 1000, 1000), hw), 101.71875);
  // 16x16 on the 8-bit PE: 4 passes of full width.
  EXPECT_DOUBLE_EQ(mac_dynamic(mode_counts(hw, 16, 16, 4000, 1000), hw), 4 * 203.4375);
  // Under per_product the same 4x4 products would cost (16/64) x 203.4375 =
  // 50.859375 fJ, below a dedicated 4-bit PE (82.42525 fJ per cycle: 659,402
  // nW / 16 / 500 MHz): the floor prices them at 82.42525 fJ.
  hw.energy.mac_convention = "per_product";
  EXPECT_DOUBLE_EQ(mac_dynamic(mode_counts(hw, 4, 4, 1000, 1000), hw), 82.42525);
  // An 8x8 product on a 16-bit PE: 64/256 x 602.6875 = 150.671875 fJ, below
  // the 8-bit PE's 203.4375 fJ: floored to 203.4375.
  HardwareConfig wide = array_4x4(PeKindId::fixed);
  wide.mac_array.fixed_width_bits = 16;
  wide.energy.mac_convention = "per_product";
  EXPECT_DOUBLE_EQ(mac_dynamic(mode_counts(wide, 8, 8, 1000, 1000), wide), 203.4375);
  // Bit Fusion against the fixed PE at 8x8: 459.1875 / 203.4375 = 2.257x the
  // dynamic energy per product, in both conventions (the flexibility overhead).
  HardwareConfig bf = array_4x4();
  bf.energy.mac_convention = "per_product";
  EXPECT_DOUBLE_EQ(mac_dynamic(mode_counts(bf, 8, 8, 1000, 1000), bf), 459.1875);
  EXPECT_NEAR(459.1875 / 203.4375, 2.2571, 1e-4);
}

TEST(EnergyModel, ConventionsDifferWhereThroughputDoesNotScaleWithBits) {
  // Bit-serial (1 x 16 bits per cycle), 226.0078125 fJ per cycle (602.6875 x
  // 0.375, an assumption), A at 4 bits, B at 8: 4 cycles per product.
  HardwareConfig hw = array_4x4(PeKindId::bitserial);
  // per_pe_cycle: 4000 cycles x 226.0078125 x (1/3 + 2/3 x (1 x 8)/(1 x 16)) =
  // 4000 x 226.0078125 x 2/3 = 602.6875 pJ.
  EXPECT_DOUBLE_EQ(mac_dynamic(mode_counts(hw, 4, 8, 4000, 1000), hw), 602.6875);
  // per_product: 1000 x 4 x 8 x 226.0078125 / 16 = 452.015625 pJ (above the
  // 8-bit PE's floor of 203.4375 pJ for 1000 products).
  hw.energy.mac_convention = "per_product";
  EXPECT_DOUBLE_EQ(mac_dynamic(mode_counts(hw, 4, 8, 4000, 1000), hw), 452.015625);
}

TEST(EnergyModel, IdlePesCostTheIdleFractionInEveryCycleWithoutWork) {
  // 1000 cycles with no product on a 4x4 bit-serial array: 16,000 idle
  // PE-cycles x idle_pe_cycle 0.1 x 226.0078125 fJ = 361.6125 pJ.
  HardwareConfig hw = array_4x4(PeKindId::bitserial);
  ActionCounts idle;
  idle.cycles = 1000;
  EXPECT_DOUBLE_EQ(mac_dynamic(idle, hw), 361.6125);
  // A quarter of them clock-gated: three quarters of that.
  hw.energy.idle_clock_gating = 0.25;
  EXPECT_DOUBLE_EQ(mac_dynamic(idle, hw), 271.209375);
  // All gated: nothing dynamic (leakage stays).
  hw.energy.idle_clock_gating = 1.0;
  EXPECT_EQ(mac_dynamic(idle, hw), 0.0);
  EXPECT_GT(price(idle, builtin(), hw).at(EnergyComponent::mac_array).static_pj, 0.0);
  // Active PE-cycles are not idle: 600 of the 16,000 computing leave 15,400.
  hw.energy.idle_clock_gating = 0.0;
  ActionCounts busy = mode_counts(hw, 1, 16, 600, 600);
  busy.cycles = 1000;
  EXPECT_DOUBLE_EQ(mac_dynamic(busy, hw), 600 * 0.2260078125 * (1.0 / 3 + 2.0 / 3 * 16 / 16) + 15400 * 0.02260078125);
}

// Counts in which every component is busy: a 4x4 GEMM and an 8x8 one (a
// reconfiguration), every buffer read and written, DRAM traffic, a quantize
// and a ReLU, 1000 cycles.
ActionCounts busy_counts(const HardwareConfig& hw) {
  ActionCounts c = mode_counts(hw, 4, 4, 300, 1200);
  c += mode_counts(hw, 8, 8, 200, 200);
  c.edge_register_bits = 4096;
  for (Operand o : kOperands) c.buffer(o) = SramCounts{100, 40};
  c.dram_read_bytes = 2048;
  c.dram_write_bytes = 512;
  c.vector_ops["quantize"] = VectorOpCounts{1, 256};
  c.vector_ops["relu_fwd"] = VectorOpCounts{1, 128};
  c.reconfigurations = 1;
  c.cycles = 1000;
  return c;
}

std::set<std::string> changed_components(const std::string& group, const std::string& key) {
  const HardwareConfig hw = array_4x4();
  const ActionCounts counts = busy_counts(hw);
  Json doc = Json::parse(std::string(*find_embedded(embedded_energy_tables(), "45nm")));
  Json& entry = doc["entries"][group][key];
  for (const char* k : {"energy", "power"}) {
    if (entry.contains(k)) entry[k] = entry[k].get<double>() * 2.0;
  }
  if (entry.contains("fraction")) entry["fraction"] = 0.25;
  const EnergyBreakdown before = price(counts, builtin(), hw);
  const EnergyBreakdown after = price(counts, EnergyTable::parse(doc, "changed.json", ""), hw);
  std::set<std::string> changed;
  for (std::size_t i = 0; i < kEnergyComponents; ++i) {
    if (before.components[i].dynamic_pj != after.components[i].dynamic_pj ||
        before.components[i].static_pj != after.components[i].static_pj) {
      changed.insert(to_string(static_cast<EnergyComponent>(i)));
    }
  }
  return changed;
}

TEST(EnergyModel, ChangingOneEntryChangesExactlyTheComponentsThatUseIt) {
  using Set = std::set<std::string>;
  const Set buffers = {"buffer.activation", "buffer.weight", "buffer.gradient", "buffer.output"};
  EXPECT_EQ(changed_components("mac_array", "bitfusion_pe_cycle"), Set{"mac_array"});
  EXPECT_EQ(changed_components("mac_array", "bitfusion_pe_leakage"), Set{"mac_array"});
  EXPECT_EQ(changed_components("mac_array", "idle_pe_cycle"), Set{"mac_array"});
  EXPECT_EQ(changed_components("mac_array", "fixed_8b_pe_cycle"), Set{});  // not a fixed array
  EXPECT_EQ(changed_components("mac_array", "gated_share"), Set{});        // Bit Fusion is not gated
  EXPECT_EQ(changed_components("registers", "bit_write"), Set{"registers"});
  EXPECT_EQ(changed_components("registers", "bit_leakage"), Set{"registers"});
  // The 64 KiB buffers interpolate between the 32 KB and 1 MB points and
  // extrapolate leakage from the 8 KiB and 16 KiB points; other points are unused.
  EXPECT_EQ(changed_components("sram", "read_64b_32kb"), buffers);
  EXPECT_EQ(changed_components("sram", "write_64b_1mb"), buffers);
  EXPECT_EQ(changed_components("sram", "leakage_16kb"), buffers);
  EXPECT_EQ(changed_components("sram", "read_32b_4kb"), Set{});
  EXPECT_EQ(changed_components("sram", "leakage_4kb"), Set{});
  EXPECT_EQ(changed_components("dram", "lpddr4"), Set{"dram"});
  EXPECT_EQ(changed_components("dram", "hbm2"), Set{});
  EXPECT_EQ(changed_components("dram", "lpddr4_background"), Set{"dram"});
  EXPECT_EQ(changed_components("dram", "hbm2_background"), Set{});
  EXPECT_EQ(changed_components("vector_unit", "element_op"), Set{"vector_unit"});  // relu_fwd
  EXPECT_EQ(changed_components("vector_unit", "quantize"), Set{"vector_unit"});
  EXPECT_EQ(changed_components("vector_unit", "lane_leakage"), Set{"vector_unit"});
  EXPECT_EQ(changed_components("controller", "reconfiguration_per_pe"), Set{"controller"});
  EXPECT_EQ(changed_components("controller", "leakage"), Set{"controller"});
}

TEST(EnergyModel, SramInterpolatesByCapacityAndWordWidth) {
  // A 32 KB buffer of 128-bit words: the 32 KB point, 20 pJ per 64 bits,
  // doubled for 128 bits: 40 pJ per access.
  HardwareConfig hw = array_4x4();
  hw.buffers.weight.capacity_bytes = 32768;
  hw.buffers.weight.word_bits = 128;
  ActionCounts c;
  c.buffer(Operand::weight).read_words = 1;
  EXPECT_DOUBLE_EQ(price(c, builtin(), hw).at(EnergyComponent::buffer_weight).dynamic_pj, 40.0);
  // 3 KiB of 32-bit words, reads: between CACTI's 2 KiB (1.90318 pJ) and 4 KiB
  // (3.42953 pJ) 32-bit points, log-log: 1.90318 x (3.42953/1.90318)^(log 1.5 / log 2).
  hw.buffers.weight.capacity_bytes = 3072;
  hw.buffers.weight.word_bits = 32;
  const double expected = 1.90318 * std::pow(3.42953 / 1.90318, std::log(1.5) / std::log(2.0));
  expect_pj(price(c, builtin(), hw).at(EnergyComponent::buffer_weight).dynamic_pj, expected);
}

}  // namespace
}  // namespace qtsim
