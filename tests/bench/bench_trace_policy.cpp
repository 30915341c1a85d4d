// Benchmark: loading the 200-epoch CIFAR-10 reference trace and computing its
// policy metrics (class_difficulty plans and the compression report), the
// work `qtsim run` does before any hardware model. Prints the median of
// repeated runs of each step, in milliseconds; not a test.
//
//   build/release/tests/bench_trace_policy [repetitions, default 9]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "workloads/compression/compression.h"
#include "workloads/lowering/training_step.h"
#include "workloads/network/network_parser.h"
#include "workloads/policy/policy.h"
#include "workloads/trace/synthetic_cifar10.h"
#include "workloads/trace/trace_reader.h"

namespace {

double median_ms(int repetitions, const std::function<void()>& work) {
  std::vector<double> times;
  for (int i = 0; i < repetitions; ++i) {
    auto start = std::chrono::steady_clock::now();
    work();
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  using namespace qtsim;
  const int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 9;
  const std::string path = std::string(QTSIM_SOURCE_DIR) + "/workloads/traces/cifar10_resnet20_synthetic.cbor";

  Trace trace;
  const double read_ms = median_ms(repetitions, [&] { trace = read_trace(path); });
  const double generate_ms = median_ms(repetitions, [&] { trace = make_synthetic_cifar10_trace(); });
  const Network network = load_network("builtin:resnet20_cifar10");
  TrainingStep step;
  const double lower_ms = median_ms(repetitions, [&] { step = lower_training_step(network); });
  Json policy_config = Json::object();
  auto policy = make_policy(JsonNode(policy_config, "bench"));
  std::vector<EpochPlan> plans;
  const double plan_ms = median_ms(repetitions, [&] { plans = policy->plan(trace); });
  CompressionReport report;
  const double compression_ms = median_ms(repetitions, [&] { report = compute_compression(step, trace, plans); });

  std::printf("bench_trace_policy: CIFAR-10 / ResNet-20 reference trace, %d epochs x %d iterations, median of %d\n",
              trace.num_epochs(), trace.iterations_per_epoch, repetitions);
  std::printf("  %-44s %10.2f ms\n", "read_trace (workloads/traces/*.cbor)", read_ms);
  std::printf("  %-44s %10.2f ms\n", "generate (builtin, from its seed)", generate_ms);
  std::printf("  %-44s %10.2f ms\n", "lower ResNet-20 training step", lower_ms);
  std::printf("  %-44s %10.2f ms\n", "class_difficulty plans (200 epochs)", plan_ms);
  std::printf("  %-44s %10.2f ms\n", "compression metrics (policy, baseline, fp32)", compression_ms);
  std::printf("  %-44s %10.2f ms\n", "total: read + lower + plan + compression",
              read_ms + lower_ms + plan_ms + compression_ms);
  std::printf("  (bits ratio %.4f, BitOPs ratio %.4f)\n", compression_ratio(report.baseline.bits, report.policy.bits),
              compression_ratio(report.baseline.bitops, report.policy.bitops));
  return 0;
}
