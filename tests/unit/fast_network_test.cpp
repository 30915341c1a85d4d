// Fast mode against reference mode on a whole ResNet-20 training iteration at
// a small batch (docs/fidelity.md's contract), as the replay schedules it
// (sim/replay/iteration_schedule.h): two precision groups of one sample each,
// 8/8/16 and 4/4/8, every conv/fc GEMM, every vector operation and every DRAM
// transfer (weights, stash, gradients, the optimizer step), on the default
// hardware. Every statistic must be equal.
#include <gtest/gtest.h>

#include "sim/fast/fast_simulator.h"
#include "sim/reference/reference_top.h"
#include "sim/replay/iteration_cost.h"
#include "tests/unit/fast_compare.h"
#include "workloads/lowering/training_step.h"
#include "workloads/network/network.h"
#include "workloads/network/network_parser.h"

namespace qtsim {
namespace {

TEST(FastNetwork, ResNet20TrainingIterationEqualsReferenceMode) {
  const TrainingStep step = lower_training_step(load_network("builtin:resnet20_cifar10"));
  const IterationSchedule schedule = iteration_schedule(step, {{Precision{8, 8, 16}, 1}, {Precision{4, 4, 8}, 1}});
  std::deque<GemmOperands> operands;
  const std::vector<Job> jobs = reference_jobs(schedule, 1, operands);
  const JobsSimulation ref = simulate_jobs(HardwareConfig{}, jobs);
  test::expect_same(simulate_jobs_fast(HardwareConfig{}, schedule.jobs), ref, "resnet20, 1 + 1 samples");
  // Modes in order: 8x8 (fwd), 16x8 (backward), 4x4 (fwd), 8x4 (backward).
  EXPECT_EQ(ref.controller.reconfigurations, 3);
  // 2 x 59 GEMMs; 2 x 5 transfers plus one gradient read for the second group and 3 for the update.
  std::int64_t gemms = 0, transfers = 0;
  for (const Job& j : schedule.jobs) {
    gemms += j.is_gemm();
    transfers += j.is_transfer();
  }
  EXPECT_EQ(gemms, 118);
  EXPECT_EQ(transfers, 14);
}

}  // namespace
}  // namespace qtsim
