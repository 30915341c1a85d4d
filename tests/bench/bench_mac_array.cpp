// Benchmark: simulated cycles per wall-clock second of the cycle-level MAC
// array, through the SystemC kernel (reference mode, qtsim gemm's path) and
// stepped directly in plain C++. Prints the median of repeated runs, with
// the GEMM named; not a test.
//
//   build/release/tests/bench_mac_array [repetitions, default 5] [case, e.g. os-8x8; default all]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "hw_models/mac_array/systolic_array.h"
#include "sim/reference/reference_top.h"
#include "tests/unit/gemm_util.h"

namespace {

using namespace qtsim;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// CPU time of this thread: on a shared machine it counts only the cycles
// this core spent on the simulation, not the time other jobs held it.
double thread_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  const std::string only = argc > 2 ? argv[2] : "";
  std::printf(
      "bench_mac_array: 16x16 array, bitfusion PEs, default buffers and DRAM; median of %d runs, one core;\n"
      "rates in million simulated cycles per second of wall-clock time and of this thread's CPU time\n",
      repetitions);
  struct Case {
    Dataflow dataflow;
    int a_bits, b_bits;
  };
  for (const Case& c :
       {Case{Dataflow::os, 8, 8}, Case{Dataflow::ws, 8, 8}, Case{Dataflow::os, 4, 4}, Case{Dataflow::os, 16, 8}}) {
    const std::string name =
        std::string(to_string(c.dataflow)) + "-" + std::to_string(c.a_bits) + "x" + std::to_string(c.b_bits);
    if (!only.empty() && name != only) continue;
    HardwareConfig hw;
    hw.mac_array.dataflow = c.dataflow;
    const GemmOperands g = test::random_operands(256, 1024, 256, c.a_bits, c.b_bits, 1);
    std::vector<double> wall_rate, cpu_rate, plain_rate;
    GemmSimulation sim;
    for (int r = 0; r < repetitions; ++r) {
      const double wall0 = wall_seconds(), cpu0 = thread_seconds();
      sim = simulate_gemm(hw, g);
      const double wall = wall_seconds() - wall0, cpu = thread_seconds() - cpu0;
      wall_rate.push_back(static_cast<double>(sim.controller.cycles) / wall);
      cpu_rate.push_back(static_cast<double>(sim.controller.cycles) / cpu);

      SystolicArray array(hw.mac_array, pe_mode(hw.mac_array, c.a_bits, c.b_bits), 32);
      const double plain0 = thread_seconds();
      array.start(g);
      while (array.step()) {
      }
      plain_rate.push_back(static_cast<double>(array.stats().cycles) / (thread_seconds() - plain0));
    }
    std::printf(
        "  %s: GEMM 256x1024x256, %dx%d bits, %s: %lld cycles in %lld tiles\n"
        "    reference mode through SystemC: %.2f M cycles/s wall, %.2f M cycles/s CPU\n"
        "    the array alone, stepped in plain C++ (one tile of the whole GEMM): %.2f M cycles/s CPU\n",
        name.c_str(), c.a_bits, c.b_bits, to_string(c.dataflow), static_cast<long long>(sim.controller.cycles),
        static_cast<long long>(sim.controller.tiles), median(wall_rate) / 1e6, median(cpu_rate) / 1e6,
        median(plain_rate) / 1e6);
  }
  return 0;
}
