// Benchmark of the main job (issue: fast replay): `qtsim run` on the default
// hardware and the 200-epoch CIFAR-10 reference trace, policy and baseline
// together, run in this process as the command runs it (inputs, compression,
// replay, output folder). Prints medians of wall-clock time with an empty
// memo (cold: no memo file, fresh tile and iteration memos) and with a warm
// memo file (--memo), simulated cycles per wall second, the process's peak
// resident memory, and the cold time at 50, 100 and 200 epochs; not a test.
//
//   build/release/tests/bench_replay [repetitions, default 5]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "base/json_file.h"
#include "sim/run/run_job.h"

namespace {

using namespace qtsim;
namespace fs = std::filesystem;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Wall seconds of one `qtsim run` with these overrides.
double run_once(const std::vector<std::string>& sets, const std::string& memo_dir) {
  RunDocumentInputs in;
  for (const std::string& s : sets) in.overrides.push_back(parse_override(s));
  std::ostringstream out;
  const auto start = std::chrono::steady_clock::now();
  RunOptions options;
  options.memo_dir = memo_dir;
  run_main_job(load_run_document(in), out, options);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int repetitions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  const fs::path dir = fs::temp_directory_path() / "qtsim_bench_replay";
  fs::remove_all(dir);
  const std::string out = "run.output_dir=" + (dir / "out").string();
  const std::string memo = (dir / "memo").string();
  std::printf(
      "bench_replay: qtsim run, default hardware (16x16 bitfusion os), reference trace, policy "
      "class_difficulty and the 8/8/16 baseline; median of %d runs, one core\n",
      repetitions);

  std::vector<double> cold, warm;
  for (int r = 0; r < repetitions; ++r) cold.push_back(run_once({out}, ""));
  run_once({out}, memo);  // writes the memo file
  for (int r = 0; r < repetitions; ++r) warm.push_back(run_once({out}, memo));
  const Json summary = read_json_file((dir / "out" / "summary.json").string());
  const Json& replay = summary.at("hardware_replay");
  const double cycles = replay.at("policy").at("cycles").at("total").get<double>() +
                        replay.at("baseline").at("cycles").at("total").get<double>();
  std::printf(
      "  200 epochs, 78,200 iterations per side: %.4g simulated cycles (policy + baseline), "
      "%lld + %lld distinct group compositions\n",
      cycles, replay.at("policy").at("distinct_group_compositions").get<long long>(),
      replay.at("baseline").at("distinct_group_compositions").get<long long>());
  std::printf("  empty memo: %.3f s wall (%.3g simulated cycles per wall second)\n", median(cold),
              cycles / median(cold));
  std::printf("  warm memo file: %.3f s wall (%.3g simulated cycles per wall second)\n", median(warm),
              cycles / median(warm));
  for (int epochs : {50, 100, 200}) {
    std::vector<double> t;
    for (int r = 0; r < repetitions; ++r) t.push_back(run_once({out, "run.num_epochs=" + std::to_string(epochs)}, ""));
    std::printf("  empty memo, %3d epochs: %.3f s wall\n", epochs, median(t));
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("  peak resident memory of this process: %.1f MB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  fs::remove_all(dir);
  return 0;
}
