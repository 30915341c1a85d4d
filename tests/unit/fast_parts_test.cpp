// The parts of fast mode against the reference-mode pieces they replace:
// the DRAM channel at event level against Dma stepped cycle by cycle, the
// shared-buffer grant against SramBuffer, and the tile memo (a GEMM of many
// identical tiles costs one tile computation, and still equals reference mode).
#include <gtest/gtest.h>

#include <random>

#include "hw_models/memory/dma.h"
#include "hw_models/sram/sram_buffer.h"
#include "sim/fast/dram_channel.h"
#include "sim/fast/fast_simulator.h"
#include "sim/fast/port_walk.h"
#include "sim/reference/reference_top.h"
#include "tests/unit/fast_compare.h"
#include "tests/unit/gemm_util.h"

namespace qtsim {
namespace {

TEST(FastParts, DramChannelEqualsDmaSteppedCycleByCycle) {
  // Random issue schedules (several issues in one cycle, idle gaps), the Dma
  // stepped every cycle with the cycle's issues made before its step: each
  // transfer is first done at the cycle() the channel answered at its issue,
  // and busy/data cycles, transfers and bytes agree.
  std::mt19937 rng(7);
  for (double bandwidth : {0.3, 0.75, 1.0, 3.5, 16.0}) {
    for (std::int64_t latency : {0, 1, 9}) {
      DramConfig config;
      config.bandwidth_bytes_per_cycle = bandwidth;
      config.latency_cycles = latency;
      config.burst_bytes = std::uniform_int_distribution<std::int64_t>(1, 32)(rng);
      struct Issue {
        std::int64_t cycle, bytes;
      };
      std::vector<Issue> issues;
      std::int64_t cycle = 0;
      for (int i = 0; i < 60; ++i) {
        if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) cycle += std::uniform_int_distribution<int>(0, 80)(rng);
        issues.push_back({cycle, std::uniform_int_distribution<std::int64_t>(1, 200)(rng)});
      }
      Dma dma(config);
      DramChannel channel(config);
      std::vector<std::int64_t> expected, first_done;
      std::size_t next = 0;
      while (next < issues.size() || !dma.idle()) {
        for (; next < issues.size() && issues[next].cycle == dma.cycle(); ++next) {
          const auto operand = static_cast<Operand>(next % 4);
          const auto direction = next % 3 ? DmaDirection::read : DmaDirection::write;
          dma.issue(operand, direction, issues[next].bytes);
          expected.push_back(channel.issue(dma.cycle(), operand, direction, issues[next].bytes));
        }
        dma.step();
        while (first_done.size() < expected.size() && dma.done(static_cast<std::int64_t>(first_done.size()))) {
          first_done.push_back(dma.cycle());
        }
      }
      const std::string name = std::to_string(bandwidth) + " B/cycle, latency " + std::to_string(latency);
      EXPECT_EQ(first_done, expected) << name;
      test::expect_same(channel.stats(), dma.stats(), name);
    }
  }
}

TEST(FastParts, SecondRequestOfACycleGetsWhatTheFirstLeft) {
  // Every first request (address, words) and second request of a small buffer,
  // against SramBuffer::access made in that order within one cycle.
  for (int banks : {1, 2, 3, 4, 5}) {
    for (int ports : {1, 2, 3}) {
      BufferConfig config;
      config.word_bits = 8;
      config.banks = banks;
      config.ports = ports;
      config.capacity_bytes = 64;
      const std::int64_t limit = std::int64_t{banks} * ports;
      for (std::int64_t first = 0; first < 2 * banks; ++first) {
        for (std::int64_t first_words = 0; first_words <= limit; ++first_words) {
          for (std::int64_t second = 0; second < 2 * banks; ++second) {
            for (std::int64_t words = 1; words <= limit; ++words) {
              SramBuffer sram(config);
              sram.access(SramAccess::read, first, first_words);
              const std::int64_t granted = sram.access(SramAccess::read, second, words);
              ASSERT_EQ(granted_after_first(first, first_words, second, words, banks, ports), granted)
                  << banks << " banks " << ports << " ports: " << first_words << " at " << first << ", then " << words
                  << " at " << second;
            }
          }
        }
      }
    }
  }
}

TEST(FastParts, IdenticalTilesAreComputedOnce) {
  // 4x4 os array; the activation buffer's half holds 16 bytes = one 4 x 4 A
  // tile at 8 bits, so M = 400 splits into 100 tiles of 4 x 4 x 4, all alike
  // (K and N are one tile each): 100 lookups, 1 distinct tile.
  HardwareConfig hw;
  hw.mac_array.rows = 4;
  hw.mac_array.cols = 4;
  hw.buffers.activation.capacity_bytes = 32;
  hw.dram.latency_cycles = 3;
  const GemmOperands g = test::random_operands(400, 4, 4, 8, 8, 9);
  const std::vector<Job> jobs = {Job::gemm(g, Operand::activation, Operand::weight)};
  FastSimulator fast(hw);
  const FastRun run = fast.run({jobs[0]});
  EXPECT_EQ(run.controller.tiles, 100);
  EXPECT_EQ(fast.memo().lookups(), 100);
  EXPECT_EQ(fast.memo().distinct(), 1);
  test::expect_same(run, simulate_jobs(hw, jobs), "400 x 4 x 4");

  // A larger GEMM of the same tiles, and the same again: nothing new to compute.
  fast.run({Job::gemm({40000, 4, 4}, 8, 8, Operand::activation, Operand::weight)});
  const FastRun again = fast.run({jobs[0]});
  EXPECT_EQ(fast.memo().lookups(), 100 + 10000 + 100);
  EXPECT_EQ(fast.memo().distinct(), 1);
  test::expect_same(again, simulate_jobs(hw, jobs), "400 x 4 x 4, memoised");
}

}  // namespace
}  // namespace qtsim
