// Reference mode through the SystemC kernel: the precision controller, the
// memory system and the MAC array together. Expected cycle counts are worked
// by hand from the DMA closed form (latency + bytes / bandwidth, requests
// pipelined) and the fold formulas.
#include <gtest/gtest.h>

#include <random>

#include "sim/reference/reference_top.h"
#include "tests/unit/gemm_util.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

using test::error_of;
using test::plain_gemm;
using test::random_operands;

HardwareConfig small_array(int rows, int cols, const std::string& dataflow) {
  HardwareConfig hw;
  hw.mac_array.rows = rows;
  hw.mac_array.cols = cols;
  hw.mac_array.dataflow = dataflow;
  return hw;
}

TEST(Reference, FastDramLeavesOnlyTheFirstLoadAndLastStoreExposed) {
  // 16x16 os, 40 x 70 x 35 at 8 bits, one tile (default 64 KiB buffers).
  // DRAM at 100,000 bytes/cycle, latency 0: A (2,800 B) and B (2,450 B) each
  // take 1 cycle, B after A: loads done at 2; compute = 3 x 3 folds of
  // 70 + 30 = 900 cycles; C (1,400 x 4 B) stored in 1 cycle.
  HardwareConfig hw = small_array(16, 16, "os");
  hw.dram.bandwidth_bytes_per_cycle = 100000;
  hw.dram.latency_cycles = 0;
  const GemmOperands g = random_operands(40, 70, 35, 8, 8, 1);
  const GemmSimulation sim = simulate_gemm(hw, g);
  EXPECT_EQ(sim.controller.compute_cycles, 900);
  EXPECT_EQ(sim.controller.load_stall_cycles, 2);
  EXPECT_EQ(sim.controller.store_drain_cycles, 1);
  EXPECT_EQ(sim.controller.cycles, 903);
  EXPECT_EQ(sim.result, plain_gemm(g));
}

TEST(Reference, SlowDramStallsAsWorkedByHand) {
  // 4x4 os array, C = A (8 x 4) B (4 x 4) at 8 bits, accumulator 32 bits.
  // The activation buffer holds 32 bytes: a half of 2 words of 8 bytes, one
  // 4 x 4 A tile, so M splits into 2 tiles; B (16 B) stays resident.
  // DRAM: 1 byte/cycle, latency 10, bursts of 16 bytes.
  //   0: issue A0 (16 B) and B (16 B). A0 streams 10..26, B 26..42.
  //  42: loads done (load stall 42); issue A1: streams 52..68. Compute tile 0:
  //      one fold, 4 + 4 + 4 - 2 = 10 cycles, done at 52.
  //  52: store C0 (4 x 4 x 4 B = 64 B): streams max(62, 68) = 68..132.
  //  68: A1 arrived (load stall 16); compute 68..78; store C1 streams 132..196.
  // 196: last store done (drain 118). Total 196 = 58 + 20 + 118.
  HardwareConfig hw = small_array(4, 4, "os");
  hw.buffers.activation.capacity_bytes = 32;
  hw.dram.bandwidth_bytes_per_cycle = 1;
  hw.dram.latency_cycles = 10;
  hw.dram.burst_bytes = 16;
  const GemmOperands g = random_operands(8, 4, 4, 8, 8, 2);
  const GemmSimulation sim = simulate_gemm(hw, g);
  EXPECT_EQ(sim.tiles.tiles.size(), 2u);
  EXPECT_EQ(sim.controller.load_stall_cycles, 58);
  EXPECT_EQ(sim.controller.compute_cycles, 20);
  EXPECT_EQ(sim.controller.store_stall_cycles, 0);
  EXPECT_EQ(sim.controller.store_drain_cycles, 118);
  EXPECT_EQ(sim.controller.cycles, 196);
  EXPECT_EQ(sim.dma.at(Operand::activation).read_bytes, 32);
  EXPECT_EQ(sim.dma.at(Operand::weight).read_bytes, 16);
  EXPECT_EQ(sim.dma.at(Operand::output).write_bytes, 128);
  EXPECT_EQ(sim.result, plain_gemm(g));
}

TEST(Reference, JobStatsOfTheHandWorkedCase) {
  // SlowDramStallsAsWorkedByHand, per job: everything but the drain is the job's.
  HardwareConfig hw = small_array(4, 4, "os");
  hw.buffers.activation.capacity_bytes = 32;
  hw.dram.bandwidth_bytes_per_cycle = 1;
  hw.dram.latency_cycles = 10;
  hw.dram.burst_bytes = 16;
  const GemmOperands g = random_operands(8, 4, 4, 8, 8, 2);
  const JobsSimulation run = simulate_jobs(hw, {GemmJob::gemm(&g, Operand::activation, Operand::weight)});
  const JobStats& job = run.jobs.at(0).stats;
  EXPECT_EQ(job.load_stall_cycles, 58);
  EXPECT_EQ(job.compute_cycles, 20);
  EXPECT_EQ(job.tiles, 2);
  EXPECT_EQ(job.cycles(), 196 - 118);
  EXPECT_EQ(job.dram_read_bytes, 48);
  EXPECT_EQ(job.dram_write_bytes, 128);
}

TEST(Reference, TilingInEveryDimensionKeepsValuesExact) {
  // Small buffers force M, N and K tiles; partial sums of K tiles accumulate
  // in the output buffer. Both dataflows and a sliced precision.
  for (const std::string dataflow : {"os", "ws"}) {
    for (auto [a_bits, b_bits] : {std::pair{8, 8}, std::pair{16, 8}, std::pair{4, 4}}) {
      HardwareConfig hw = small_array(4, 4, dataflow);
      hw.buffers.activation.capacity_bytes = 64;
      hw.buffers.weight.capacity_bytes = 64;
      hw.buffers.output.capacity_bytes = 256;
      const GemmOperands g = random_operands(13, 37, 11, a_bits, b_bits, 3);
      const GemmSimulation sim = simulate_gemm(hw, g);
      SCOPED_TRACE(dataflow + " " + std::to_string(a_bits) + "x" + std::to_string(b_bits));
      EXPECT_GT(sim.tiles.k_tiles, 1);
      EXPECT_GT(sim.tiles.m_tiles * sim.tiles.n_tiles, 1);
      EXPECT_EQ(sim.result, plain_gemm(g));
      EXPECT_EQ(sim.controller.array.macs, 13 * 37 * 11);
      EXPECT_EQ(sim.controller.cycles, sim.controller.compute_cycles + sim.controller.load_stall_cycles +
                                           sim.controller.store_stall_cycles + sim.controller.store_drain_cycles);
    }
  }
}

TEST(Reference, NarrowBufferPortsStallTheArray) {
  // The 4x4 os GEMM of MacArray.BufferPortsLimitEdgeReadsPerCycle inside the
  // whole accelerator: activation and weight buffers with 8-bit words and 2
  // banks serve 2 words a cycle, a step needs 4: 6 port stalls; DRAM fast.
  HardwareConfig hw = small_array(4, 4, "os");
  for (Operand o : {Operand::activation, Operand::weight}) {
    hw.buffers.at(o).word_bits = 8;
    hw.buffers.at(o).banks = 2;
  }
  hw.dram.bandwidth_bytes_per_cycle = 100000;
  hw.dram.latency_cycles = 0;
  const GemmOperands g = random_operands(4, 6, 4, 8, 8, 21);
  const GemmSimulation sim = simulate_gemm(hw, g);
  EXPECT_EQ(sim.controller.port_stall_cycles, 6);
  EXPECT_EQ(sim.controller.compute_cycles, 12);
  EXPECT_EQ(sim.controller.buffers.at(Operand::activation).reads_words, 24);
  EXPECT_EQ(sim.controller.buffers.at(Operand::activation).bank_reads_words, (std::vector<std::int64_t>{12, 12}));
  EXPECT_EQ(sim.controller.buffers.at(Operand::activation).conflict_stall_cycles, 6);
  EXPECT_EQ(sim.controller.buffers.at(Operand::weight).conflict_stall_cycles, 6);
  EXPECT_EQ(sim.result, plain_gemm(g));
}

TEST(Reference, PrecisionGroupsReconfigureTheArray) {
  // Three GEMMs at 8x8, 4x4, 4x4: one switch of mode, 16 cycles by default.
  HardwareConfig hw = small_array(4, 4, "os");
  const GemmOperands hard = random_operands(8, 8, 8, 8, 8, 4), easy = random_operands(8, 8, 8, 4, 4, 5);
  const JobsSimulation run = simulate_jobs(
      hw, {GemmJob::gemm(&hard, Operand::activation, Operand::weight), GemmJob::gemm(&easy, Operand::activation, Operand::weight),
           GemmJob::gemm(&easy, Operand::gradient, Operand::weight)});
  EXPECT_EQ(run.controller.reconfigurations, 1);
  EXPECT_EQ(run.controller.reconfig_cycles, 16);
  EXPECT_EQ(run.jobs[1].c, plain_gemm(easy));
  EXPECT_EQ(run.dma.at(Operand::gradient).read_bytes, 8 * 8 * 4 / 8);
  // The switch belongs to the second job; each job read its A (64 B at 8
  // bits, 32 B at 4) and B and wrote its 8 x 8 C at 4 bytes a value.
  EXPECT_EQ(run.jobs[0].stats.reconfig_cycles, 0);
  EXPECT_EQ(run.jobs[1].stats.reconfig_cycles, 16);
  EXPECT_EQ(run.jobs[2].stats.reconfig_cycles, 0);
  EXPECT_EQ(run.jobs[0].stats.dram_read_bytes, 128);
  EXPECT_EQ(run.jobs[1].stats.dram_read_bytes, 64);
  EXPECT_EQ(run.jobs[2].stats.dram_write_bytes, 256);
  std::int64_t cycles = run.controller.store_drain_cycles, macs = 0;
  for (const JobResult& job : run.jobs) {
    cycles += job.stats.cycles();
    macs += job.stats.array.macs;
  }
  EXPECT_EQ(cycles, run.controller.cycles);
  EXPECT_EQ(macs, 3 * 8 * 8 * 8);
}

TEST(Reference, BuffersTooSmallForOneTileAreAConfigurationError) {
  HardwareConfig hw = small_array(4, 4, "os");
  hw.buffers.weight.capacity_bytes = 8;
  const GemmOperands g = random_operands(8, 8, 8, 8, 8, 6);
  const std::string message = error_of([&] { simulate_gemm(hw, g); });
  EXPECT_EQ(message.rfind("buffers.weight.capacity_bytes: too small for one tile of B", 0), 0u) << message;
}

}  // namespace
}  // namespace qtsim

namespace qtsim {
namespace {

TEST(Reference, VectorWorkTakesElementsOverLanesCycles) {
  // 16 lanes: 1,000 elements take ceil(1000/16) = 63 cycles, 16 take 1; with
  // 10 lanes (--set hardware.vector_unit.lanes=10) 100 and 2.
  for (auto [lanes, expected] : {std::pair{16, 64}, std::pair{10, 102}}) {
    HardwareConfig hw;
    hw.vector_unit.lanes = lanes;
    const JobsSimulation run = simulate_jobs(hw, {GemmJob::vector("relu_fwd", 1000), GemmJob::vector("quantize", 16)});
    EXPECT_EQ(run.controller.vector_cycles, expected) << lanes;
    EXPECT_EQ(run.controller.cycles, expected) << lanes;
    EXPECT_EQ(run.controller.vector_ops.at("relu_fwd").elements, 1000);
  }
}

}  // namespace
}  // namespace qtsim
