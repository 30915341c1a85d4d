// Fast mode against reference mode on a whole ResNet-20 training step at a
// small batch (DESIGN.md section 5's contract): two precision groups of one
// sample each, 8/8/16 and 4/4/8, every conv/fc GEMM (fwd, bwd_data, wgrad,
// operands in the buffers of their roles) and every vector operation of the
// lowering, on the default hardware. Every statistic must be equal.
#include <gtest/gtest.h>

#include "sim/fast/fast_simulator.h"
#include "sim/reference/reference_top.h"
#include "tests/unit/fast_compare.h"
#include "tests/unit/gemm_util.h"
#include "workloads/lowering/training_step.h"
#include "workloads/network/network.h"
#include "workloads/network/network_parser.h"

namespace qtsim {
namespace {

Operand buffer_of(Role role) {
  return role == Role::activation ? Operand::activation : role == Role::weight ? Operand::weight : Operand::gradient;
}

TEST(FastNetwork, ResNet20TrainingStepEqualsReferenceMode) {
  const TrainingStep step = lower_training_step(load_network("builtin:resnet20_cifar10"));
  struct Group {
    int act_bits, weight_bits, grad_bits;
  };
  std::vector<GemmOperands> operands;
  operands.reserve(2 * step.gemms.size());
  std::vector<GemmJob> jobs;
  for (const Group& g : {Group{8, 8, 16}, Group{4, 4, 8}}) {
    auto bits = [&](Role role) {
      return role == Role::activation ? g.act_bits : role == Role::weight ? g.weight_bits : g.grad_bits;
    };
    for (const GemmSpec& gemm : step.gemms) {
      const GemmShape s = gemm.shape(1);
      operands.push_back(test::random_operands(s.m, s.k, s.n, bits(gemm.a.role), bits(gemm.b.role), 1));
      jobs.push_back(GemmJob::gemm(&operands.back(), buffer_of(gemm.a.role), buffer_of(gemm.b.role)));
    }
    for (const VectorSpec& v : step.vector_ops) jobs.push_back(GemmJob::vector(to_string(v.op), v.elements(1)));
  }
  const JobsSimulation ref = simulate_jobs(HardwareConfig{}, jobs);
  std::vector<FastJob> fast_jobs;
  for (const GemmJob& job : jobs) fast_jobs.push_back(FastJob::from(job));
  test::expect_same(simulate_jobs_fast(HardwareConfig{}, fast_jobs), ref, "resnet20, 1 + 1 samples");
  // Modes in order: 8x8 (fwd), 16x8 (backward), 4x4 (fwd), 8x4 (backward).
  EXPECT_EQ(ref.controller.reconfigurations, 3);
}

}  // namespace
}  // namespace qtsim
