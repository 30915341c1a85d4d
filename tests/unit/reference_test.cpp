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
using test::small_array;

TEST(Reference, FastDramLeavesOnlyTheFirstLoadAndLastStoreExposed) {
  // 16x16 os, 40 x 70 x 35 at 8 bits, one tile (default 64 KiB buffers).
  // DRAM at 100,000 bytes/cycle, latency 0: A (2,800 B) and B (2,450 B) each
  // take 1 cycle, B after A: loads done at 2; compute = 3 x 3 folds of
  // 70 + 30 = 900 cycles; C (1,400 x 4 B) stored in 1 cycle.
  HardwareConfig hw = small_array(16, 16, Dataflow::os);
  hw.dram.bandwidth_bytes_per_cycle = 100000;
  hw.dram.latency_cycles = 0;
  const GemmOperands g = random_operands(40, 70, 35, 8, 8, 1);
  const GemmSimulation sim = simulate_gemm(hw, g);
  EXPECT_EQ(sim.controller.causes.compute, 900);
  EXPECT_EQ(sim.controller.causes.load_stall, 2);
  EXPECT_EQ(sim.controller.causes.store_drain, 1);
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
  HardwareConfig hw = small_array(4, 4, Dataflow::os);
  hw.buffers.activation.capacity_bytes = 32;
  hw.dram.bandwidth_bytes_per_cycle = 1;
  hw.dram.latency_cycles = 10;
  hw.dram.burst_bytes = 16;
  const GemmOperands g = random_operands(8, 4, 4, 8, 8, 2);
  const GemmSimulation sim = simulate_gemm(hw, g);
  EXPECT_EQ(sim.tiles.tiles.size(), 2u);
  EXPECT_EQ(sim.controller.causes.load_stall, 58);
  EXPECT_EQ(sim.controller.causes.compute, 20);
  EXPECT_EQ(sim.controller.causes.store_stall, 0);
  EXPECT_EQ(sim.controller.causes.store_drain, 118);
  EXPECT_EQ(sim.controller.cycles, 196);
  EXPECT_EQ(sim.dma.at(Operand::activation).read_bytes, 32);
  EXPECT_EQ(sim.dma.at(Operand::weight).read_bytes, 16);
  EXPECT_EQ(sim.dma.at(Operand::output).write_bytes, 128);
  EXPECT_EQ(sim.result, plain_gemm(g));
}

TEST(Reference, JobStatsOfTheHandWorkedCase) {
  // SlowDramStallsAsWorkedByHand, per job: everything but the drain is the job's.
  HardwareConfig hw = small_array(4, 4, Dataflow::os);
  hw.buffers.activation.capacity_bytes = 32;
  hw.dram.bandwidth_bytes_per_cycle = 1;
  hw.dram.latency_cycles = 10;
  hw.dram.burst_bytes = 16;
  const GemmOperands g = random_operands(8, 4, 4, 8, 8, 2);
  const JobsSimulation run = simulate_jobs(hw, {Job::gemm(g, Operand::activation, Operand::weight)});
  const JobStats& job = run.jobs.at(0).stats;
  EXPECT_EQ(job.causes.load_stall, 58);
  EXPECT_EQ(job.causes.compute, 20);
  EXPECT_EQ(job.tiles, 2);
  EXPECT_EQ(job.cycles(), 196 - 118);
  EXPECT_EQ(job.dram_read_bytes, 48);
  EXPECT_EQ(job.dram_write_bytes, 128);
}

TEST(Reference, TilingInEveryDimensionKeepsValuesExact) {
  // Small buffers force M, N and K tiles; partial sums of K tiles accumulate
  // in the output buffer. Both dataflows and a sliced precision.
  for (const Dataflow dataflow : {Dataflow::os, Dataflow::ws}) {
    for (auto [a_bits, b_bits] : {std::pair{8, 8}, std::pair{16, 8}, std::pair{4, 4}}) {
      HardwareConfig hw = small_array(4, 4, dataflow);
      hw.buffers.activation.capacity_bytes = 64;
      hw.buffers.weight.capacity_bytes = 64;
      hw.buffers.output.capacity_bytes = 256;
      const GemmOperands g = random_operands(13, 37, 11, a_bits, b_bits, 3);
      const GemmSimulation sim = simulate_gemm(hw, g);
      SCOPED_TRACE(std::string(to_string(dataflow)) + " " + std::to_string(a_bits) + "x" + std::to_string(b_bits));
      EXPECT_GT(sim.tiles.k_tiles, 1);
      EXPECT_GT(sim.tiles.m_tiles * sim.tiles.n_tiles, 1);
      EXPECT_EQ(sim.result, plain_gemm(g));
      EXPECT_EQ(sim.controller.array.macs, 13 * 37 * 11);
      EXPECT_EQ(sim.controller.cycles, sim.controller.causes.compute + sim.controller.causes.load_stall +
                                           sim.controller.causes.store_stall + sim.controller.causes.store_drain);
    }
  }
}

TEST(Reference, NarrowBufferPortsStallTheArray) {
  // The 4x4 os GEMM of MacArray.BufferPortsLimitEdgeReadsPerCycle inside the
  // whole accelerator: activation and weight buffers with 8-bit words and 2
  // banks serve 2 words a cycle, a step needs 4: 6 port stalls; DRAM fast.
  HardwareConfig hw = small_array(4, 4, Dataflow::os);
  for (Operand o : {Operand::activation, Operand::weight}) {
    hw.buffers.at(o).word_bits = 8;
    hw.buffers.at(o).banks = 2;
  }
  hw.dram.bandwidth_bytes_per_cycle = 100000;
  hw.dram.latency_cycles = 0;
  const GemmOperands g = random_operands(4, 6, 4, 8, 8, 21);
  const GemmSimulation sim = simulate_gemm(hw, g);
  EXPECT_EQ(sim.controller.causes.port_stall, 6);
  EXPECT_EQ(sim.controller.causes.compute, 12);
  EXPECT_EQ(sim.controller.buffers.at(Operand::activation).reads_words, 24);
  EXPECT_EQ(sim.controller.buffers.at(Operand::activation).bank_reads_words, (std::vector<std::int64_t>{12, 12}));
  EXPECT_EQ(sim.controller.buffers.at(Operand::activation).conflict_stall_cycles, 6);
  EXPECT_EQ(sim.controller.buffers.at(Operand::weight).conflict_stall_cycles, 6);
  EXPECT_EQ(sim.result, plain_gemm(g));
}

TEST(Reference, PrecisionGroupsReconfigureTheArray) {
  // Three GEMMs at 8x8, 4x4, 4x4: one switch of mode, 16 cycles by default.
  HardwareConfig hw = small_array(4, 4, Dataflow::os);
  const GemmOperands hard = random_operands(8, 8, 8, 8, 8, 4), easy = random_operands(8, 8, 8, 4, 4, 5);
  const JobsSimulation run = simulate_jobs(
      hw, {Job::gemm(hard, Operand::activation, Operand::weight), Job::gemm(easy, Operand::activation, Operand::weight),
           Job::gemm(easy, Operand::gradient, Operand::weight)});
  EXPECT_EQ(run.controller.reconfigurations, 1);
  EXPECT_EQ(run.controller.causes.reconfig, 16);
  EXPECT_EQ(run.jobs[1].c, plain_gemm(easy));
  EXPECT_EQ(run.dma.at(Operand::gradient).read_bytes, 8 * 8 * 4 / 8);
  // The switch belongs to the second job; each job read its A (64 B at 8
  // bits, 32 B at 4) and B and wrote its 8 x 8 C at 4 bytes a value.
  EXPECT_EQ(run.jobs[0].stats.causes.reconfig, 0);
  EXPECT_EQ(run.jobs[1].stats.causes.reconfig, 16);
  EXPECT_EQ(run.jobs[2].stats.causes.reconfig, 0);
  EXPECT_EQ(run.jobs[0].stats.dram_read_bytes, 128);
  EXPECT_EQ(run.jobs[1].stats.dram_read_bytes, 64);
  EXPECT_EQ(run.jobs[2].stats.dram_write_bytes, 256);
  std::int64_t cycles = run.controller.causes.store_drain, macs = 0;
  for (const JobResult& job : run.jobs) {
    cycles += job.stats.cycles();
    macs += job.stats.array.macs;
  }
  EXPECT_EQ(cycles, run.controller.cycles);
  EXPECT_EQ(macs, 3 * 8 * 8 * 8);
}

TEST(Reference, BufferWritesPerBankAsWorkedByHand) {
  // The GEMM of SlowDramStallsAsWorkedByHand (4x4 os, 8 x 4 x 4 at 8 bits,
  // 64-bit words): two tiles of 4 x 4 x 4; tile 1 loads A only (B resident).
  // Activation buffer: 32 bytes = 4 words in 3 banks, halves at words 0 and 2;
  // output buffer: 3 banks, 8192 words, halves at 0 and 4096 (bank 1).
  //   activation fills: fill 0 -> half 0, words 0, 1 (banks 0, 1); fill 1 ->
  //     half 1, words 2, 3 (banks 2, 0): writes (2, 1, 1). Edge reads: per
  //     tile 4 steps of 1 word (4 values of 8 bits) from word 0: banks
  //     0,1,2,0: (4, 2, 2) over both tiles.
  //   weight (4 banks): one fill of 2 words at half 0: (1, 1, 0, 0); reads
  //     4 words per tile from 0: (2, 2, 2, 2).
  //   output: each tile writes 4 rows x words_for(4 values x 32 bits) = 8
  //     words and its store reads c_words = 8. Block 0 in half 0: words
  //     0..7 = banks 0,1,2,0,1,2,0,1 = (3, 3, 2); block 1 in half 1: words
  //     4096..4103 = banks 1,2,0,... = (2, 3, 3). Writes and reads (5, 6, 5).
  HardwareConfig hw = small_array(4, 4, Dataflow::os);
  hw.buffers.activation.capacity_bytes = 32;
  hw.buffers.activation.banks = 3;
  hw.buffers.output.banks = 3;
  const GemmOperands g = random_operands(8, 4, 4, 8, 8, 2);
  const JobsSimulation run = simulate_jobs(hw, {Job::gemm(g, Operand::activation, Operand::weight)});
  const auto& b = run.controller.buffers;
  using Banks = std::vector<std::int64_t>;
  EXPECT_EQ(b.at(Operand::activation).bank_writes_words, (Banks{2, 1, 1}));
  EXPECT_EQ(b.at(Operand::activation).bank_reads_words, (Banks{4, 2, 2}));
  EXPECT_EQ(b.at(Operand::weight).bank_writes_words, (Banks{1, 1, 0, 0}));
  EXPECT_EQ(b.at(Operand::weight).bank_reads_words, (Banks{2, 2, 2, 2}));
  EXPECT_EQ(b.at(Operand::output).bank_writes_words, (Banks{5, 6, 5}));
  EXPECT_EQ(b.at(Operand::output).bank_reads_words, (Banks{5, 6, 5}));
  EXPECT_EQ(b.at(Operand::output).writes_words, 16);
  EXPECT_EQ(b.at(Operand::gradient).writes_words + b.at(Operand::gradient).reads_words, 0);
  // The job's words, per buffer: the same totals.
  const JobStats& job = run.jobs.at(0).stats;
  EXPECT_EQ(job.buffer(Operand::activation).reads_words, 8);
  EXPECT_EQ(job.buffer(Operand::activation).writes_words, 4);
  EXPECT_EQ(job.buffer(Operand::weight).reads_words, 8);
  EXPECT_EQ(job.buffer(Operand::weight).writes_words, 2);
  EXPECT_EQ(job.buffer(Operand::output).reads_words, 16);
  EXPECT_EQ(job.buffer(Operand::output).writes_words, 16);
}

TEST(Reference, TransferJobsStallAndDrainAsWorkedByHand) {
  // 4x4 os; DRAM 1 byte/cycle, latency 10, bursts of 16 bytes: a transfer
  // issued at t ends at E = max(t + 10, E_previous) + burst bytes.
  // Jobs: read 20 B of activations; GEMM 4 x 4 x 4 at 8 bits; write 40 B of
  // gradients.
  //   0: read (32 B of bursts) ends at 10 + 32 = 42: waited, load stall 42.
  //  42: A (16 B) ends at 52 + 16 = 68, B at max(52, 68) + 16 = 84: load
  //      stall 42; one fold of 4 + 4 + 4 - 2 = 10 cycles, 84..94.
  //  94: store C (16 x 4 B = 64 B) ends at max(104, 84) + 64 = 168; the
  //      write (48 B of bursts) is issued and not waited for: it ends at
  //      max(104, 168) + 48 = 216.
  // Drain: 94 -> 216 = 122. Total 216 = 84 load stall + 10 compute + 122.
  // DMA: data cycles 32 + 16 + 16 + 64 + 48 = 176; busy (cycles with a
  // transfer outstanding) 0..84 and 94..216: 84 + 122 = 206.
  // Buffers (4 banks of 64-bit words): the read writes ceil(20 / 8) = 3 words
  // at word 0 of the activation buffer (banks 0, 1, 2), then A's fill (its
  // first, half 0) 2 words at 0 (banks 0, 1): (2, 2, 1, 0); the write reads
  // ceil(40 / 8) = 5 words from word 0 of the gradient buffer: (2, 1, 1, 1).
  HardwareConfig hw = small_array(4, 4, Dataflow::os);
  hw.dram.bandwidth_bytes_per_cycle = 1;
  hw.dram.latency_cycles = 10;
  hw.dram.burst_bytes = 16;
  const GemmOperands g = random_operands(4, 4, 4, 8, 8, 7);
  const JobsSimulation run = simulate_jobs(hw, {Job::transfer(Operand::activation, DmaDirection::read, 20),
                                                Job::gemm(g, Operand::activation, Operand::weight),
                                                Job::transfer(Operand::gradient, DmaDirection::write, 40)});
  const ControllerStats& s = run.controller;
  EXPECT_EQ(s.causes.load_stall, 84);
  EXPECT_EQ(s.causes.compute, 10);
  EXPECT_EQ(s.causes.store_stall, 0);
  EXPECT_EQ(s.causes.store_drain, 122);
  EXPECT_EQ(s.cycles, 216);
  ASSERT_EQ(run.jobs.size(), 3u);
  EXPECT_EQ(run.jobs[0].stats.causes.load_stall, 42);
  EXPECT_EQ(run.jobs[0].stats.cycles(), 42);
  EXPECT_EQ(run.jobs[0].stats.dram_read_bytes, 20);
  EXPECT_TRUE(run.jobs[0].tiles.tiles.empty());
  EXPECT_EQ(run.jobs[1].stats.causes.load_stall, 42);
  EXPECT_EQ(run.jobs[1].stats.cycles(), 52);
  EXPECT_EQ(run.jobs[1].c, plain_gemm(g));
  EXPECT_EQ(run.jobs[2].stats.cycles(), 0);
  EXPECT_EQ(run.jobs[2].stats.dram_write_bytes, 40);
  EXPECT_EQ(run.dma.at(Operand::activation).read_bytes, 20 + 16);
  EXPECT_EQ(run.dma.at(Operand::activation).read_burst_bytes, 32 + 16);
  EXPECT_EQ(run.dma.at(Operand::gradient).write_bytes, 40);
  EXPECT_EQ(run.dma.at(Operand::gradient).write_burst_bytes, 48);
  EXPECT_EQ(run.dma.transfers, 5);
  EXPECT_EQ(run.dma.data_cycles, 176);
  EXPECT_EQ(run.dma.busy_cycles, 206);
  using Banks = std::vector<std::int64_t>;
  EXPECT_EQ(s.buffers.at(Operand::activation).bank_writes_words, (Banks{2, 2, 1, 0}));
  EXPECT_EQ(s.buffers.at(Operand::gradient).bank_reads_words, (Banks{2, 1, 1, 1}));
  EXPECT_EQ(run.jobs[0].stats.buffer(Operand::activation).writes_words, 3);
  EXPECT_EQ(run.jobs[2].stats.buffer(Operand::gradient).reads_words, 5);
}

TEST(Reference, TransferWritesAreNotOutputBlocks) {
  // Two one-tile GEMMs around a transfer write: the second GEMM's block is
  // the run's block 1 (output half 1, at word 4096 of 8192, bank 1 of 3), as
  // without the transfer. Each block writes 4 rows x 2 words = 8 words:
  // block 0 from word 0 (3, 3, 2), block 1 from 4096 (2, 3, 3): (5, 6, 5);
  // had the write counted as a block, both would be in half 0: (6, 6, 4).
  HardwareConfig hw = small_array(4, 4, Dataflow::os);
  hw.buffers.output.banks = 3;
  const GemmOperands g = random_operands(4, 4, 4, 8, 8, 8);
  const JobsSimulation run = simulate_jobs(hw, {Job::gemm(g, Operand::activation, Operand::weight),
                                                Job::transfer(Operand::gradient, DmaDirection::write, 1000),
                                                Job::gemm(g, Operand::activation, Operand::weight)});
  EXPECT_EQ(run.controller.buffers.at(Operand::output).bank_writes_words, (std::vector<std::int64_t>{5, 6, 5}));
  EXPECT_EQ(run.controller.causes.store_stall, 0);
  EXPECT_EQ(error_of([] { Job::transfer(Operand::weight, DmaDirection::read, 0); }),
            "Job::transfer: bytes must be >= 1, got 0");
}

TEST(Reference, BuffersTooSmallForOneTileAreAConfigurationError) {
  HardwareConfig hw = small_array(4, 4, Dataflow::os);
  hw.buffers.weight.capacity_bytes = 8;
  const GemmOperands g = random_operands(8, 8, 8, 8, 8, 6);
  const std::string message = error_of([&] { simulate_gemm(hw, g); });
  EXPECT_EQ(message.rfind("buffers.weight.capacity_bytes: too small for the smallest tile of B", 0), 0u) << message;
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
    const JobsSimulation run = simulate_jobs(hw, {Job::vector("relu_fwd", 1000), Job::vector("quantize", 16)});
    EXPECT_EQ(run.controller.causes.vector, expected) << lanes;
    EXPECT_EQ(run.controller.cycles, expected) << lanes;
    EXPECT_EQ(run.controller.vector_ops.at("relu_fwd").elements, 1000);
  }
}

}  // namespace
}  // namespace qtsim
