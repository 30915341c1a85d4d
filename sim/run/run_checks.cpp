#include "sim/run/run_checks.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>

#include "base/error.h"
#include "sim/common/memory_limit.h"
#include "sim/energy/area_model.h"
#include "sim/energy/sram_model.h"
#include "sim/replay/iteration_cost.h"
#include "sim/replay/memo_file.h"
#include "sim/report/output_folder.h"

namespace qtsim {
namespace {

// Operand bytes of one iteration in reference mode: every GEMM's A and B
// (32-bit values) and C (64-bit), all held at once (iteration_cost.cpp).
double reference_iteration_bytes(const TrainingStep& step, std::int64_t samples) {
  double bytes = 0;
  for (const GemmSpec& g : step.gemms) {
    const GemmShape s = g.shape(samples);
    const double m = static_cast<double>(s.m), k = static_cast<double>(s.k), n = static_cast<double>(s.n);
    bytes += 4 * (m * k + k * n) + 8 * m * n;
  }
  return bytes;
}

// The output folder, the memo folder, and that the one is not inside the other.
void check_folders(const RunInputs& in, const RunOptions& options) {
  check_output_folder(in.config.run.output_dir);
  if (!options.memo_dir.empty()) {
    check_memo_dir(options.memo_dir);
    // The output folder is replaced as a whole: a memo inside it would be
    // lost with it, and would make it foreign to the next run.
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path memo = fs::weakly_canonical(fs::absolute(options.memo_dir, ec), ec);
    const fs::path out = fs::weakly_canonical(fs::absolute(in.config.run.output_dir, ec), ec);
    const auto [end, unused] = std::mismatch(out.begin(), out.end(), memo.begin(), memo.end());
    (void)unused;
    if (!ec && end == out.end()) {
      throw Error("--memo " + options.memo_dir + ": inside the output folder " + in.config.run.output_dir +
                  ", which each run replaces as a whole; expected a memo folder outside it");
    }
  }
}

}  // namespace

void check_run(const RunDocument& document, const RunInputs& in, const EnergyTable& table, const RunOptions& options) {
  check_folders(in, options);
  const std::int64_t limit = options.memory_limit_bytes > 0 ? options.memory_limit_bytes : physical_memory_bytes();
  if (in.config.run.mode == "reference") {
    check_memory_estimate("run.mode reference", reference_iteration_bytes(in.step, in.trace.batch_size), limit,
                          "the operands of one iteration of " + std::to_string(in.trace.batch_size) + " samples");
  }

  // One trial iteration per distinct precision, so an error names where the
  // precision comes from: the baseline, or the policy's tier.
  const HardwareConfig& hw = in.config.hardware;
  const LayerPhaseRows rows = layer_phase_rows(in.step);
  FastSimulator simulator(hw);
  // Pins are checked here too; the objective's search is left to the run.
  HardwareConfig pins_only = hw;
  pins_only.mapper.objective = "dram_bytes";
  std::optional<MappingPlanner> planner;
  try {
    planner.emplace(pins_only, table, in.step);
  } catch (const Error& e) {
    throw Error(document.source("hardware") + ": " + e.what());
  }
  std::set<std::tuple<int, int, int>> seen;
  auto check = [&](const Precision& p, const std::string& where) {
    if (!seen.insert({p.act_bits, p.weight_bits, p.grad_bits}).second) return;
    try {
      cost_iteration(simulator, hw, table, in.step, rows, {PrecisionGroup{p, in.trace.batch_size}}, &*planner);
    } catch (const Error& e) {
      throw Error(where + " (" + p.label() + "): " + e.what());
    }
  };
  // Every buffer's price and every component's area first: their errors are
  // the hardware's, whatever the precision.
  try {
    area(table, hw);
  } catch (const Error& e) {
    throw Error(document.source("hardware") + ": " + e.what());
  }
  check(in.config.run.baseline, document.where("run", "baseline"));
  for (int e = in.epochs.first; e < in.epochs.first + in.epochs.count; ++e) {
    for (const Tier& tier : in.plans.at(static_cast<std::size_t>(e)).tiers) {
      check(tier.precision, document.source("policy") + ": policy " + in.policy->impl() + ", tier `" + tier.name +
                                "` in epoch " + std::to_string(e));
    }
  }
  for (const std::string& w : sram_warnings(table, hw)) std::fprintf(stderr, "qtsim: warning: %s\n", w.c_str());
}

}  // namespace qtsim
