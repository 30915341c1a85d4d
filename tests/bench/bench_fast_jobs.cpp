// Benchmark: wall time of fast mode (sim/fast/) on one ResNet-20 training
// step at batch 128, split into two precision groups as a class-difficulty
// policy would: 100 samples at 8/8/16 and 28 at 4/4/8 (bA/bW/bG). Every
// conv/fc GEMM of workloads/lowering (fwd, bwd_data, wgrad; A and B in the
// buffers of their roles) on the default hardware. Prints the median of
// repeated runs with a fresh tile memo, and with the memo of earlier runs
// (as trace replay would reuse it); not a test.
//
//   build/release/tests/bench_fast_jobs [repetitions, default 9]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "sim/fast/fast_simulator.h"
#include "workloads/lowering/training_step.h"
#include "workloads/network/network.h"
#include "workloads/network/network_parser.h"

namespace {

using namespace qtsim;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

Operand buffer_of(Role role) {
  return role == Role::activation ? Operand::activation : role == Role::weight ? Operand::weight : Operand::gradient;
}

int bits_of(Role role, int act_bits, int weight_bits, int grad_bits) {
  return role == Role::activation ? act_bits : role == Role::weight ? weight_bits : grad_bits;
}

double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 9;
  const TrainingStep step = lower_training_step(load_network("builtin:resnet20_cifar10"));
  struct Group {
    std::int64_t samples;
    int act_bits, weight_bits, grad_bits;
  };
  std::vector<Job> jobs;
  for (const Group& g : {Group{100, 8, 8, 16}, Group{28, 4, 4, 8}}) {
    for (const GemmSpec& gemm : step.gemms) {
      const GemmShape s = gemm.shape(g.samples);
      jobs.push_back(Job::gemm({s.m, s.k, s.n}, bits_of(gemm.a.role, g.act_bits, g.weight_bits, g.grad_bits),
                               bits_of(gemm.b.role, g.act_bits, g.weight_bits, g.grad_bits), buffer_of(gemm.a.role),
                               buffer_of(gemm.b.role)));
    }
  }
  const HardwareConfig hw;
  std::vector<double> cold_ms, warm_ms;
  FastRun run;
  std::int64_t distinct = 0;
  FastSimulator warm(hw);
  warm.run(jobs);
  for (int r = 0; r < repetitions; ++r) {
    auto start = std::chrono::steady_clock::now();
    FastSimulator cold(hw);
    run = cold.run(jobs);
    cold_ms.push_back(milliseconds_since(start));
    distinct = cold.memo().distinct();
    start = std::chrono::steady_clock::now();
    warm.run(jobs);
    warm_ms.push_back(milliseconds_since(start));
  }
  std::printf(
      "bench_fast_jobs: ResNet-20 CIFAR-10 training step, batch 128 = 100 at 8/8/16 + 28 at 4/4/8, "
      "default hardware (%dx%d %s %s), median of %d runs, one core\n",
      hw.mac_array.rows, hw.mac_array.cols, to_string(hw.mac_array.pe_kind), to_string(hw.mac_array.dataflow),
      repetitions);
  std::printf("  %zu GEMM jobs, %lld tiles, %lld distinct tiles, %lld simulated cycles (%lld MACs)\n", jobs.size(),
              static_cast<long long>(run.controller.tiles), static_cast<long long>(distinct),
              static_cast<long long>(run.controller.cycles), static_cast<long long>(run.controller.array.macs));
  std::printf("  fast mode: %.2f ms with a fresh tile memo, %.2f ms with the memo of earlier runs\n", median(cold_ms),
              median(warm_ms));
  return 0;
}
