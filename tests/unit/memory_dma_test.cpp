// Dma: burst rounding, the closed form of one transfer ("not done at L-1,
// done at L"), fractional bandwidths, pipelined back-to-back transfers and
// statistics; expected values by hand, the recurrence against stepping.
#include "hw_models/memory/dma.h"

#include <gtest/gtest.h>

#include <random>

namespace qtsim {
namespace {

DramConfig dram(double bandwidth, std::int64_t latency, std::int64_t burst) {
  DramConfig c;
  c.bandwidth_bytes_per_cycle = bandwidth;
  c.latency_cycles = latency;
  c.burst_bytes = burst;
  return c;
}

// Steps until `id` is done; returns the steps run since the call.
std::int64_t steps_until_done(Dma& dma, std::int64_t id) {
  std::int64_t steps = 0;
  while (!dma.done(id)) {
    dma.step();
    ++steps;
  }
  return steps;
}

// Issues one transfer on an idle channel and checks it is not done after
// expected - 1 steps and done after expected steps.
void expect_alone(const DramConfig& config, std::int64_t bytes, std::int64_t expected) {
  SCOPED_TRACE(std::to_string(bytes) + " bytes at " + std::to_string(config.bandwidth_bytes_per_cycle));
  EXPECT_EQ(Dma::transfer_cycles(config, bytes), expected);
  Dma dma(config);
  const std::int64_t id = dma.issue(Operand::weight, DmaDirection::read, bytes);
  for (std::int64_t i = 0; i < expected - 1; ++i) dma.step();
  EXPECT_FALSE(dma.done(id));
  dma.step();
  EXPECT_TRUE(dma.done(id));
}

TEST(Dma, RequestsAreRoundedToWholeBursts) {
  const DramConfig c = dram(16, 100, 64);
  EXPECT_EQ(Dma::burst_bytes_for(c, 1), 64);
  EXPECT_EQ(Dma::burst_bytes_for(c, 64), 64);
  EXPECT_EQ(Dma::burst_bytes_for(c, 65), 128);
  EXPECT_EQ(Dma::burst_bytes_for(dram(16, 100, 48), 100), 144);  // 3 bursts of 48
}

TEST(Dma, OneTransferTakesLatencyPlusBurstBytesOverBandwidth) {
  // Defaults: 100 bytes -> 2 bursts = 128 bytes, 128 / 16 = 8 data cycles: 100 + 8.
  expect_alone(dram(16, 100, 64), 100, 108);
  // 1 byte still moves a whole burst: 100 + 64 / 16.
  expect_alone(dram(16, 100, 64), 1, 104);
  // No latency: 64 / 16.
  expect_alone(dram(16, 0, 64), 64, 4);
  // Bandwidth above the burst size: ceil(64 / 100) = 1 data cycle.
  expect_alone(dram(100, 5, 64), 64, 6);
}

TEST(Dma, FractionalBandwidthIsExact) {
  // 0.5 bytes/cycle, bursts of 4: 5 bytes -> 8 bytes -> 16 data cycles; + 3.
  expect_alone(dram(0.5, 3, 4), 5, 19);
  // 12.8 bytes/cycle: 64 / 12.8 = 5 exactly (not 6), 128 / 12.8 = 10.
  expect_alone(dram(12.8, 10, 64), 64, 15);
  expect_alone(dram(12.8, 10, 64), 65, 20);
  // 1344 / 0.7 = 1920 exactly; in doubles 1344 / 0.7 = 1920.0000000000002, whose ceiling would be 1921.
  expect_alone(dram(0.7, 0, 64), 1344, 1920);
  // 100 / 0.3 = 333.33...: 334 data cycles.
  expect_alone(dram(0.3, 2, 100), 100, 336);
}

TEST(Dma, PipelinedTransfersPayTheirLatencyWhileOthersStream) {
  // L = 10, 16 B/cycle, 64-byte bursts.
  //   t0: issued at 0, 128 bytes, 8 data cycles: S0 = 10, E0 = 18.
  //   t1: issued at 0, 64 bytes, 4 cycles: S1 = max(0 + 10, 18) = 18, E1 = 22.
  //   t2: issued at 15, 64 bytes: S2 = max(15 + 10, 22) = 25, E2 = 29 (its
  //       latency ran from 15 to 25 while t0 and t1 streamed; serialised it would end at 22 + 10 + 4 = 36).
  const DramConfig c = dram(16, 10, 64);
  Dma dma(c);
  EXPECT_EQ(dma.issue(Operand::activation, DmaDirection::read, 128), 0);
  EXPECT_EQ(dma.issue(Operand::weight, DmaDirection::read, 50), 1);
  std::int64_t t2 = -1;
  const std::vector<std::int64_t> expected_end = {18, 22, 29};
  for (std::int64_t cycle = 0; cycle < 40; ++cycle) {
    EXPECT_EQ(dma.cycle(), cycle);
    if (cycle == 15) t2 = dma.issue(Operand::output, DmaDirection::write, 64);
    for (std::int64_t id = 0; id < 3; ++id) {
      if (id == 2 && t2 < 0) continue;
      EXPECT_EQ(dma.done(id), cycle >= expected_end[id]) << "transfer " << id << " at cycle " << cycle;
    }
    dma.step();
  }
  EXPECT_EQ(t2, 2);
  EXPECT_TRUE(dma.idle());
  EXPECT_EQ(Dma::finish_cycles(c, {{0, 128}, {0, 50}, {15, 64}}), expected_end);

  const DmaStats& s = dma.stats();
  EXPECT_EQ(s.transfers, 3);
  EXPECT_EQ(s.data_cycles, 16);  // 8 + 4 + 4
  EXPECT_EQ(s.busy_cycles, 29);  // cycles 0..28 always had a transfer outstanding
  EXPECT_EQ(s.at(Operand::activation).read_bytes, 128);
  EXPECT_EQ(s.at(Operand::activation).read_burst_bytes, 128);
  EXPECT_EQ(s.at(Operand::weight).read_bytes, 50);        // useful bytes
  EXPECT_EQ(s.at(Operand::weight).read_burst_bytes, 64);  // one burst
  EXPECT_EQ(s.at(Operand::output).write_bytes, 64);
  EXPECT_EQ(s.at(Operand::output).read_bytes, 0);
  EXPECT_EQ(s.at(Operand::gradient).read_burst_bytes, 0);
}

TEST(Dma, IdleCyclesAreNotBusyAndAFreshTransferPaysItsWholeLatency) {
  // 64 bytes at 16 B/cycle, L = 3: 7 cycles. Second one issued at 20 after an idle gap: ends at 27.
  const DramConfig c = dram(16, 3, 64);
  Dma dma(c);
  dma.issue(Operand::gradient, DmaDirection::write, 64);
  while (dma.cycle() < 20) dma.step();
  const std::int64_t id = dma.issue(Operand::gradient, DmaDirection::write, 64);
  EXPECT_EQ(steps_until_done(dma, id), 7);
  EXPECT_EQ(dma.stats().busy_cycles, 14);
  EXPECT_EQ(dma.stats().data_cycles, 8);
  EXPECT_EQ(dma.stats().at(Operand::gradient).write_bytes, 128);
  EXPECT_EQ(Dma::finish_cycles(c, {{0, 64}, {20, 64}}), (std::vector<std::int64_t>{7, 27}));
}

TEST(Dma, TransfersOfOneCycleBackToBackStreamEveryCycle) {
  // A new 16-byte transfer every cycle at 16 B/cycle, L = 5: transfer i ends at i + 6.
  const DramConfig c = dram(16, 5, 16);
  Dma dma(c);
  for (std::int64_t i = 0; i < 10; ++i) {
    dma.issue(Operand::activation, DmaDirection::read, 16);
    dma.step();
  }
  while (!dma.idle()) dma.step();
  EXPECT_EQ(dma.cycle(), 15);  // the last, issued at 9, ends at 15
  EXPECT_EQ(dma.stats().data_cycles, 10);
  EXPECT_EQ(dma.stats().busy_cycles, 15);
}

TEST(Dma, ClosedFormEqualsSteppingOnRandomSequences) {
  std::mt19937 rng(7);
  for (double bandwidth : {0.3, 0.5, 1.25, 12.8, 16.0, 100.0}) {
    for (std::int64_t latency : {0, 1, 37}) {
      const DramConfig c = dram(bandwidth, latency, 32);
      Dma dma(c);
      // 20 transfers; often several in one cycle, sometimes with idle gaps.
      std::uniform_int_distribution<std::int64_t> bytes(1, 300), gap(0, 40);
      std::vector<DmaIssue> issues;
      std::int64_t t = 0;
      for (int i = 0; i < 20; ++i) {
        const std::int64_t g = gap(rng);
        t += g < 15 ? 0 : g;
        issues.push_back({t, bytes(rng)});
      }
      std::size_t next = 0;
      std::vector<std::int64_t> finished;
      while (next < issues.size() || !dma.idle()) {
        while (next < issues.size() && issues[next].issue_cycle == dma.cycle()) {
          dma.issue(Operand::weight, DmaDirection::read, issues[next++].bytes);
        }
        dma.step();
        while (finished.size() < next && dma.done(static_cast<std::int64_t>(finished.size()))) {
          finished.push_back(dma.cycle());
        }
      }
      EXPECT_EQ(finished, Dma::finish_cycles(c, issues)) << "bandwidth " << bandwidth << " latency " << latency;
    }
  }
}

TEST(Dma, StatisticsToJson) {
  Dma dma(dram(16, 0, 64));
  dma.issue(Operand::weight, DmaDirection::read, 10);
  dma.step();
  dma.step();
  dma.step();
  dma.step();
  EXPECT_EQ(to_json(dma.stats()).dump(),
            R"({"busy_cycles":4,"data_cycles":4,"operands":{)"
            R"("activation":{"read_burst_bytes":0,"read_bytes":0,"write_burst_bytes":0,"write_bytes":0},)"
            R"("gradient":{"read_burst_bytes":0,"read_bytes":0,"write_burst_bytes":0,"write_bytes":0},)"
            R"("output":{"read_burst_bytes":0,"read_bytes":0,"write_burst_bytes":0,"write_bytes":0},)"
            R"("weight":{"read_burst_bytes":64,"read_bytes":10,"write_burst_bytes":0,"write_bytes":0}},)"
            R"("transfers":1})");
}

}  // namespace
}  // namespace qtsim
