// Fast mode against reference mode on the hand-worked cases of
// reference_test.cpp: every statistic equal (tests/unit/fast_compare.h), and
// the hand-derived figures of those cases reproduced without values.
#include <gtest/gtest.h>

#include "sim/fast/fast_simulator.h"
#include "sim/reference/reference_top.h"
#include "tests/unit/fast_compare.h"
#include "tests/unit/gemm_util.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

using test::error_of;
using test::expect_same;
using test::random_operands;
using test::small_array;

// Runs both modes and compares every field; returns the fast run.
FastRun compare(const HardwareConfig& hw, const std::vector<Job>& jobs, const std::string& name) {
  const JobsSimulation ref = simulate_jobs(hw, jobs);
  const FastRun fast = simulate_jobs_fast(hw, jobs);
  expect_same(fast, ref, name);
  return fast;
}

TEST(FastReference, FastDramLeavesOnlyTheFirstLoadAndLastStoreExposed) {
  HardwareConfig hw = small_array(16, 16, Dataflow::os);
  hw.dram.bandwidth_bytes_per_cycle = 100000;
  hw.dram.latency_cycles = 0;
  const GemmOperands g = random_operands(40, 70, 35, 8, 8, 1);
  const FastRun fast = compare(hw, {Job::gemm(g, Operand::activation, Operand::weight)}, "fast dram");
  EXPECT_EQ(fast.controller.causes.compute, 900);  // 3 x 3 folds of 70 + 30
  EXPECT_EQ(fast.controller.cycles, 903);
}

TEST(FastReference, SlowDramStallsAsWorkedByHand) {
  // Derivation in Reference.SlowDramStallsAsWorkedByHand: 196 = 58 + 20 + 118.
  HardwareConfig hw = small_array(4, 4, Dataflow::os);
  hw.buffers.activation.capacity_bytes = 32;
  hw.dram.bandwidth_bytes_per_cycle = 1;
  hw.dram.latency_cycles = 10;
  hw.dram.burst_bytes = 16;
  const GemmOperands g = random_operands(8, 4, 4, 8, 8, 2);
  const FastRun fast = compare(hw, {Job::gemm(g, Operand::activation, Operand::weight)}, "slow dram");
  EXPECT_EQ(fast.controller.causes.load_stall, 58);
  EXPECT_EQ(fast.controller.causes.store_drain, 118);
  EXPECT_EQ(fast.controller.cycles, 196);
  EXPECT_EQ(fast.jobs.at(0).stats.cycles(), 196 - 118);
}

TEST(FastReference, TilingInEveryDimension) {
  for (const Dataflow dataflow : {Dataflow::os, Dataflow::ws}) {
    for (auto [a_bits, b_bits] : {std::pair{8, 8}, std::pair{16, 8}, std::pair{4, 4}}) {
      HardwareConfig hw = small_array(4, 4, dataflow);
      hw.buffers.activation.capacity_bytes = 64;
      hw.buffers.weight.capacity_bytes = 64;
      hw.buffers.output.capacity_bytes = 256;
      const GemmOperands g = random_operands(13, 37, 11, a_bits, b_bits, 3);
      const std::string name =
          std::string(to_string(dataflow)) + " " + std::to_string(a_bits) + "x" + std::to_string(b_bits);
      const FastRun fast = compare(hw, {Job::gemm(g, Operand::activation, Operand::weight)}, name);
      EXPECT_GT(fast.jobs.at(0).tiles.k_tiles, 1) << name;
      EXPECT_EQ(fast.controller.array.macs, 13 * 37 * 11) << name;
    }
  }
}

TEST(FastReference, NarrowBufferPortsStallTheArray) {
  // 2 banks of 8-bit words serve 2 words a cycle, a step needs 4: 6 port stalls.
  HardwareConfig hw = small_array(4, 4, Dataflow::os);
  for (Operand o : {Operand::activation, Operand::weight}) {
    hw.buffers.at(o).word_bits = 8;
    hw.buffers.at(o).banks = 2;
  }
  hw.dram.bandwidth_bytes_per_cycle = 100000;
  hw.dram.latency_cycles = 0;
  const GemmOperands g = random_operands(4, 6, 4, 8, 8, 21);
  const FastRun fast = compare(hw, {Job::gemm(g, Operand::activation, Operand::weight)}, "ports");
  EXPECT_EQ(fast.controller.causes.port_stall, 6);
  EXPECT_EQ(fast.controller.buffers.at(Operand::activation).bank_reads_words, (std::vector<std::int64_t>{12, 12}));
}

TEST(FastReference, OneBufferForBothOperandsSharesItsPorts) {
  // A and B both in the activation buffer: B gets the ports A left in each
  // cycle. Odd bank counts and two ports exercise the shared arbitration.
  for (const Dataflow dataflow : {Dataflow::os, Dataflow::ws}) {
    for (int banks : {1, 2, 3, 5}) {
      for (int ports : {1, 2}) {
        HardwareConfig hw = small_array(4, 3, dataflow);
        hw.buffers.activation.word_bits = 8;
        hw.buffers.activation.banks = banks;
        hw.buffers.activation.ports = ports;
        hw.buffers.activation.capacity_bytes = 200;
        const GemmOperands g = random_operands(9, 14, 7, 8, 8, 22);
        const std::string name =
            std::string(to_string(dataflow)) + " banks " + std::to_string(banks) + " ports " + std::to_string(ports);
        compare(hw, {Job::gemm(g, Operand::activation, Operand::activation)}, name);
      }
    }
  }
}

TEST(FastReference, BufferWritesPerBankAsWorkedByHand) {
  // Derivation in Reference.BufferWritesPerBankAsWorkedByHand.
  HardwareConfig hw = small_array(4, 4, Dataflow::os);
  hw.buffers.activation.capacity_bytes = 32;
  hw.buffers.activation.banks = 3;
  hw.buffers.output.banks = 3;
  const GemmOperands g = random_operands(8, 4, 4, 8, 8, 2);
  const FastRun fast = compare(hw, {Job::gemm(g, Operand::activation, Operand::weight)}, "writes");
  const auto& b = fast.controller.buffers;
  EXPECT_EQ(b.at(Operand::activation).bank_writes_words, (std::vector<std::int64_t>{2, 1, 1}));
  EXPECT_EQ(b.at(Operand::activation).bank_reads_words, (std::vector<std::int64_t>{4, 2, 2}));
  EXPECT_EQ(b.at(Operand::output).bank_writes_words, (std::vector<std::int64_t>{5, 6, 5}));
  EXPECT_EQ(b.at(Operand::output).bank_reads_words, (std::vector<std::int64_t>{5, 6, 5}));
}

TEST(FastReference, TransferJobsStallAndDrainAsWorkedByHand) {
  // Derivation in Reference.TransferJobsStallAndDrainAsWorkedByHand: 216 = 84 + 10 + 122.
  HardwareConfig hw = small_array(4, 4, Dataflow::os);
  hw.dram.bandwidth_bytes_per_cycle = 1;
  hw.dram.latency_cycles = 10;
  hw.dram.burst_bytes = 16;
  const GemmOperands g = random_operands(4, 4, 4, 8, 8, 7);
  const FastRun fast = compare(
      hw,
      {Job::transfer(Operand::activation, DmaDirection::read, 20), Job::gemm(g, Operand::activation, Operand::weight),
       Job::transfer(Operand::gradient, DmaDirection::write, 40)},
      "transfers");
  EXPECT_EQ(fast.controller.causes.load_stall, 84);
  EXPECT_EQ(fast.controller.causes.store_drain, 122);
  EXPECT_EQ(fast.controller.cycles, 216);
  EXPECT_EQ(fast.dma.busy_cycles, 206);
  EXPECT_EQ(fast.controller.buffers.at(Operand::gradient).bank_reads_words, (std::vector<std::int64_t>{2, 1, 1, 1}));
  // Transfers and their order around output blocks (Reference.TransferWritesAreNotOutputBlocks).
  hw = small_array(4, 4, Dataflow::os);
  hw.buffers.output.banks = 3;
  const FastRun halves = compare(
      hw,
      {Job::gemm(g, Operand::activation, Operand::weight), Job::transfer(Operand::gradient, DmaDirection::write, 1000),
       Job::gemm(g, Operand::activation, Operand::weight)},
      "output halves");
  EXPECT_EQ(halves.controller.buffers.at(Operand::output).bank_writes_words, (std::vector<std::int64_t>{5, 6, 5}));
  EXPECT_EQ(error_of([] { Job::transfer(Operand::weight, DmaDirection::read, 0); }),
            "Job::transfer: bytes must be >= 1, got 0");
}

TEST(FastReference, PrecisionGroupsReconfigureTheArray) {
  HardwareConfig hw = small_array(4, 4, Dataflow::os);
  const GemmOperands hard = random_operands(8, 8, 8, 8, 8, 4), easy = random_operands(8, 8, 8, 4, 4, 5);
  const FastRun fast = compare(
      hw,
      {Job::gemm(hard, Operand::activation, Operand::weight), Job::gemm(easy, Operand::activation, Operand::weight),
       Job::gemm(easy, Operand::gradient, Operand::weight)},
      "groups");
  EXPECT_EQ(fast.controller.reconfigurations, 1);
  EXPECT_EQ(fast.jobs.at(1).stats.causes.reconfig, 16);
}

TEST(FastReference, VectorWorkTakesElementsOverLanesCycles) {
  for (int lanes : {16, 10}) {
    HardwareConfig hw;
    hw.vector_unit.lanes = lanes;
    compare(hw, {Job::vector("relu_fwd", 1000), Job::vector("quantize", 16), Job::vector("relu_fwd", 0)},
            "lanes " + std::to_string(lanes));
  }
  compare(HardwareConfig{}, {}, "no jobs");
}

TEST(FastReference, ConfigurationErrorsAreTheReferenceErrors) {
  HardwareConfig hw = small_array(4, 4, Dataflow::os);
  hw.buffers.weight.capacity_bytes = 8;
  const GemmOperands g = random_operands(8, 8, 8, 8, 8, 6);
  const std::vector<Job> jobs = {Job::gemm(g, Operand::activation, Operand::weight)};
  const std::string message = error_of([&] { simulate_jobs_fast(hw, jobs); });
  EXPECT_EQ(message, error_of([&] { simulate_jobs(hw, jobs); }));
  EXPECT_EQ(message.rfind("buffers.weight.capacity_bytes: too small for the smallest tile of B", 0), 0u) << message;
  hw = small_array(4, 4, Dataflow::os);
  EXPECT_EQ(error_of([&] {
              simulate_jobs_fast(hw, {Job::gemm({4, 4, 4}, 17, 8, Operand::activation, Operand::weight)});
            }),
            error_of([&] { pe_mode(hw.mac_array, 17, 8); }));
}

}  // namespace
}  // namespace qtsim
