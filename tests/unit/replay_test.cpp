// The replay of whole traces (sim/replay/): the memoised fast replay against
// a second implementation (every iteration costed afresh, the switch between
// iterations applied by hand), against reference mode on a whole run of the
// small fixture, and the schedule of one iteration worked by hand.
#include <gtest/gtest.h>

#include <set>

#include "sim/replay/replay.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

using test::error_of;
using test::source_path;

RunInputs load(const std::optional<std::string>& run_file, const std::vector<std::string>& sets) {
  RunDocumentInputs in;
  in.run_file = run_file;
  for (const std::string& s : sets) in.overrides.push_back(parse_override(s));
  return load_run_inputs(load_run_document(in));
}

RunInputs small_run(const std::vector<std::string>& sets = {}) {
  return load(source_path("tests/fixtures/configs/run_small.json"), sets);
}

void expect_same_cycles(const CycleBreakdown& a, const CycleBreakdown& b, const std::string& what) {
  EXPECT_EQ(a.compute, b.compute) << what;
  EXPECT_EQ(a.port_stall, b.port_stall) << what;
  EXPECT_EQ(a.load_stall, b.load_stall) << what;
  EXPECT_EQ(a.store_stall, b.store_stall) << what;
  EXPECT_EQ(a.store_drain, b.store_drain) << what;
  EXPECT_EQ(a.reconfig, b.reconfig) << what;
  EXPECT_EQ(a.vector, b.vector) << what;
}

void expect_same_side(const ReplaySide& a, const ReplaySide& b, const std::string& what) {
  expect_same_cycles(a.cycles, b.cycles, what);
  EXPECT_EQ(a.macs, b.macs) << what;
  EXPECT_EQ(a.pe_active_cycles, b.pe_active_cycles) << what;
  EXPECT_EQ(a.reconfigurations, b.reconfigurations) << what;
  EXPECT_EQ(a.dram_read_bytes, b.dram_read_bytes) << what;
  EXPECT_EQ(a.dram_write_bytes, b.dram_write_bytes) << what;
  EXPECT_EQ(a.compulsory_dram_bytes, b.compulsory_dram_bytes) << what;
  EXPECT_EQ(a.iterations, b.iterations) << what;
  ASSERT_EQ(a.rows.size(), b.rows.size()) << what;
  for (std::size_t r = 0; r < a.rows.size(); ++r) {
    expect_same_cycles(a.rows[r].cycles, b.rows[r].cycles, what + ", row " + std::to_string(r));
    EXPECT_EQ(a.rows[r].macs, b.rows[r].macs) << what;
    EXPECT_EQ(a.rows[r].dram_read_bytes, b.rows[r].dram_read_bytes) << what;
    EXPECT_EQ(a.rows[r].dram_write_bytes, b.rows[r].dram_write_bytes) << what;
    EXPECT_EQ(a.rows[r].compulsory_dram_bytes, b.rows[r].compulsory_dram_bytes) << what;
    EXPECT_EQ(a.rows[r].mapping_macs, b.rows[r].mapping_macs) << what;
  }
  ASSERT_EQ(a.energy.size(), b.energy.size()) << what;
  for (std::size_t i = 0; i < a.energy.size(); ++i) {
    EXPECT_EQ(a.energy[i].phase, b.energy[i].phase) << what;
    EXPECT_EQ(a.energy[i].precision, b.energy[i].precision) << what;
    for (std::size_t c = 0; c < kEnergyComponents; ++c) {
      EXPECT_EQ(a.energy[i].energy.components[c].dynamic_pj, b.energy[i].energy.components[c].dynamic_pj) << what;
      EXPECT_EQ(a.energy[i].energy.components[c].static_pj, b.energy[i].energy.components[c].static_pj) << what;
    }
  }
  ASSERT_EQ(a.epochs.size(), b.epochs.size()) << what;
  for (std::size_t e = 0; e < a.epochs.size(); ++e) {
    EXPECT_EQ(a.epochs[e].cycles, b.epochs[e].cycles) << what;
    EXPECT_EQ(a.epochs[e].energy_pj, b.epochs[e].energy_pj) << what;
  }
}

TEST(Replay, FastModeEqualsReferenceModeOnAWholeSmallRun) {
  // tiny3 on the hand-written 2-epoch trace (6 iterations of 2-4 samples, one
  // or two precision groups each), policy and baseline: every cycle, count
  // and energy of the replay in fast mode equals reference mode's.
  const RunInputs in = small_run();
  const EnergyTable table = EnergyTable::load(in.config.hardware.energy.table);
  IterationMemo fast(in.config.hardware, table, in.step, IterationMemo::Mode::fast);
  IterationMemo reference(in.config.hardware, table, in.step, IterationMemo::Mode::reference);
  const ReplayReport a = replay(in, fast), b = replay(in, reference);
  expect_same_side(a.policy, b.policy, "policy");
  expect_same_side(a.baseline, b.baseline, "baseline");
  EXPECT_GT(a.policy.reconfigurations, 0);
}

// The second implementation: every iteration costed afresh by a new fast
// simulator (no memo), summed in trace order, with the switch of modes
// between consecutive iterations applied as the replay's rule says.
struct BruteForce {
  std::int64_t cycles = 0;
  std::vector<std::int64_t> epoch_cycles;
  std::set<Composition> compositions;
};
BruteForce brute_force(const RunInputs& in, const EnergyTable& table, bool baseline) {
  const HardwareConfig& hw = in.config.hardware;
  const LayerPhaseRows rows = layer_phase_rows(in.step);
  BruteForce out;
  std::array<int, 2> last{0, 0};
  for (int e = in.epochs.first; e < in.epochs.first + in.epochs.count; ++e) {
    const PrecisionGrouping grouping(in.plans[e]);
    std::int64_t epoch = 0;
    for (int it = in.iterations.first; it < in.iterations.first + in.iterations.count; ++it) {
      const std::vector<PrecisionGroup> groups =
          baseline ? std::vector<PrecisionGroup>{{in.config.run.baseline, in.trace.iteration_samples(it)}}
                   : grouping.split(in.trace.counts(e, it), it);
      out.compositions.insert(composition_of(groups));
      FastSimulator simulator(hw);
      const IterationCost cost = cost_iteration(simulator, hw, table, in.step, rows, groups);
      epoch += cost.cycles.total();
      if (last[0] != 0 && cost.first_mode[0] != 0 && last != cost.first_mode) epoch += hw.controller.reconfig_cycles;
      if (cost.first_mode[0] != 0) last = cost.last_mode;
    }
    out.epoch_cycles.push_back(epoch);
    out.cycles += epoch;
  }
  return out;
}

TEST(Replay, MemoisedReplayEqualsEveryIterationCostedAfresh) {
  // Two epochs of the reference trace from epoch 60 (two tiers in use, so
  // many compositions), the first 40 iterations of each.
  const RunInputs in = load(std::nullopt, {"run.first_epoch=60", "run.num_epochs=2", "run.num_iterations=40"});
  const EnergyTable table = EnergyTable::load(in.config.hardware.energy.table);
  IterationMemo memo(in.config.hardware, table, in.step);
  const ReplayReport r = replay(in, memo);
  const BruteForce policy = brute_force(in, table, false), baseline = brute_force(in, table, true);
  EXPECT_EQ(r.policy.cycles.total(), policy.cycles);
  EXPECT_EQ(r.baseline.cycles.total(), baseline.cycles);
  ASSERT_EQ(r.policy.epochs.size(), 2u);
  for (std::size_t e = 0; e < 2; ++e) {
    EXPECT_EQ(r.policy.epochs[e].cycles, policy.epoch_cycles[e]);
    EXPECT_EQ(r.baseline.epochs[e].cycles, baseline.epoch_cycles[e]);
  }
  // The memo costed each distinct composition once, and only those.
  EXPECT_GT(policy.compositions.size(), 10u);
  EXPECT_EQ(r.policy.compositions, static_cast<std::int64_t>(policy.compositions.size()));
  EXPECT_EQ(memo.computed(), static_cast<std::int64_t>(policy.compositions.size() + baseline.compositions.size()));
  EXPECT_EQ(r.policy.iterations, 80);
}

TEST(Replay, UniformBaselinePolicyCostsExactlyTheBaseline) {
  const RunInputs in = load(std::nullopt, {R"(policy={"impl": "uniform"})", "run.first_epoch=100", "run.num_epochs=1",
                                           "run.num_iterations=5"});
  const EnergyTable table = EnergyTable::load(in.config.hardware.energy.table);
  IterationMemo memo(in.config.hardware, table, in.step);
  const ReplayReport r = replay(in, memo);
  expect_same_side(r.policy, r.baseline, "uniform against the baseline");
  EXPECT_EQ(memo.computed(), 1);  // five iterations of 128 samples at 8/8/16: one composition
}

TEST(Replay, ScheduleOfTheSmallNetworkWorkedByHand) {
  // tiny3 (1x4x4 input, conv 3x3 to 2 channels with padding 1, ReLU, global
  // average pool, fc 2 -> 3, softmax loss) for a group of 3 samples at 8/8/16
  // and one of 1 at 4/4/8. Forward: conv as GEMM M = 3 x 16 positions = 48,
  // K = 9, N = 2; fc M = 3, K = 2, N = 3. Backward: fc's bwd_data M = 3,
  // K = 3, N = 2 (the gradient 8/8/16 -> 16 bits against 8-bit weights); fc
  // wgrad and conv wgrad have the samples (x positions) in K; conv, the first
  // layer, has no bwd_data. The second group repeats it at 1 sample.
  const RunInputs in = small_run();
  const IterationSchedule s = iteration_schedule(in.step, {{Precision{8, 8, 16}, 3}, {Precision{4, 4, 8}, 1}});
  std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t, int, int>> gemms;
  std::vector<std::tuple<Operand, DmaDirection, std::int64_t, int>> transfers;
  std::int64_t vectors = 0, updates = 0;
  for (std::size_t i = 0; i < s.jobs.size(); ++i) {
    const Job& j = s.jobs[i];
    if (j.is_transfer()) {
      transfers.emplace_back(j.transfer_operand, j.transfer_direction, j.transfer_bytes, s.tags[i].group);
      continue;
    }
    if (j.is_vector()) {
      ++vectors;
      if (s.tags[i].phase == Phase::update) ++updates;
      continue;
    }
    gemms.emplace_back(j.dims.m, j.dims.k, j.dims.n, j.a_bits, j.b_bits);
  }
  ASSERT_EQ(gemms.size(), 2u * (3 * 2 - 1));
  EXPECT_EQ(gemms[0], std::make_tuple(48, 9, 2, 8, 8));  // conv fwd
  EXPECT_EQ(gemms[1], std::make_tuple(3, 2, 3, 8, 8));   // fc fwd
  EXPECT_EQ(gemms[5], std::make_tuple(16, 9, 2, 4, 4));  // conv fwd, second group
  EXPECT_EQ(std::get<0>(gemms[6]), 1);                   // fc fwd, 1 sample
  EXPECT_EQ(updates, 1);                                 // the optimizer step, once per iteration, last
  EXPECT_EQ(s.tags.back().phase, Phase::update);
  EXPECT_EQ(s.tags.back().group, -1);
  EXPECT_GT(vectors, updates);
  // DRAM transfers. Conv/FC weights W = 9 x 2 + 2 x 3 = 24, parameters P = 24
  // + 3 (fc bias) = 27. Stash per sample: conv input 16 values and fc input 2
  // at bA (read back by the wgrad GEMMs), ReLU mask 32 bits, softmax output 3
  // x 32 bits. Group 0 (3 samples, bA = 8): stash 3 x (16 x 8 + 32 + 2 x 8 +
  // 96) = 816 bits = 102 B written, 3 x (32 + 96) = 384 bits = 48 B read back;
  // group 1 (1 sample, bA = 4): 64 + 32 + 8 + 96 = 200 bits = 25 B, 128 bits =
  // 16 B. Master weights read W x 4 = 96 B per group, quantized copy W x bW / 8.
  using T = std::tuple<Operand, DmaDirection, std::int64_t, int>;
  const auto read = DmaDirection::read, write = DmaDirection::write;
  const auto act = Operand::activation, wt = Operand::weight, grad = Operand::gradient;
  EXPECT_EQ(transfers, (std::vector<T>{T{wt, read, 96, 0}, T{wt, write, 24, 0}, T{act, write, 102, 0},
                                       T{act, read, 48, 0}, T{grad, write, 108, 0},  // the FP32 gradient, P x 4
                                       T{wt, read, 96, 1}, T{wt, write, 12, 1}, T{act, write, 25, 1},
                                       T{act, read, 16, 1}, T{grad, read, 108, 1}, T{grad, write, 108, 1},
                                       // update: master weights and momentum P x 8, gradient P x 4
                                       T{wt, read, 216, -1}, T{grad, read, 108, -1}, T{wt, write, 216, -1}}));
}

TEST(Replay, IterationRangeMustLieInTheEpoch) {
  // The reference trace has 391 iterations per epoch.
  EXPECT_EQ(error_of([] { load(std::nullopt, {"run.first_iteration=391"}); }),
            "embedded default (with --set run.first_iteration=391): run.first_iteration: out of range, got 391; "
            "expected an iteration in [0, 390] (the trace has 391 iterations per epoch)");
  EXPECT_NE(error_of([] {
              load(std::nullopt, {"run.first_iteration=390", "run.num_iterations=2"});
            }).find("run.num_iterations: out of range, got 2; expected at most 1"),
            std::string::npos);
  EXPECT_NE(error_of([] { load(std::nullopt, {"run.mode=exact"}); }).find("run.mode"), std::string::npos);
}

}  // namespace
}  // namespace qtsim
