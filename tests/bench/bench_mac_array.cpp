// Benchmark: simulated cycles per wall-clock second of the cycle-level MAC
// array, through the SystemC kernel (reference mode, qtsim gemm's path) and
// stepped directly in plain C++. Prints the median of repeated runs, with
// the GEMM named; not a test.
//
//   build/release/tests/bench_mac_array [repetitions, default 5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
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

}  // namespace

int main(int argc, char** argv) {
  const int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  std::printf("bench_mac_array: 16x16 array, bitfusion PEs, median of %d runs, one core\n", repetitions);
  struct Case {
    const char* dataflow;
    int a_bits, b_bits;
  };
  for (const Case& c : {Case{"os", 8, 8}, Case{"ws", 8, 8}, Case{"os", 4, 4}, Case{"os", 16, 8}}) {
    HardwareConfig hw;
    hw.mac_array.dataflow = c.dataflow;
    const GemmOperands g = test::random_operands(256, 1024, 256, c.a_bits, c.b_bits, 1);
    std::vector<double> kernel_rate, plain_rate;
    std::int64_t cycles = 0;
    for (int r = 0; r < repetitions; ++r) {
      auto start = std::chrono::steady_clock::now();
      GemmSimulation sim = simulate_gemm(hw, g);
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      cycles = sim.controller.compute_cycles;
      kernel_rate.push_back(static_cast<double>(sim.controller.cycles) / seconds);

      SystolicArray array(hw.mac_array, pe_mode(hw.mac_array, c.a_bits, c.b_bits), 32);
      start = std::chrono::steady_clock::now();
      array.start(g);
      while (array.step()) {
      }
      seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      plain_rate.push_back(static_cast<double>(array.stats().cycles) / seconds);
    }
    std::printf("  GEMM 256x1024x256 %s %dx%d bits: %lld cycles; SystemC reference mode %.2f M cycles/s, "
                "plain C++ stepping %.2f M cycles/s\n",
                c.dataflow, c.a_bits, c.b_bits, static_cast<long long>(cycles), median(kernel_rate) / 1e6,
                median(plain_rate) / 1e6);
  }
  return 0;
}
