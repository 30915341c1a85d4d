#include "sim/run/run_job.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include "base/error.h"
#include "base/hash.h"
#include "base/json_file.h"
#include "sim/config/run_inputs.h"
#include "sim/energy/energy_report.h"
#include "sim/replay/memo_file.h"
#include "sim/replay/replay.h"
#include "sim/report/output_folder.h"
#include "sim/report/replay_report.h"
#include "sim/report/run_report.h"

namespace qtsim {

namespace {

const char* describe(MemoLoad load) {
  switch (load) {
    case MemoLoad::missing:
      return "none yet";
    case MemoLoad::loaded:
      return "loaded";
    case MemoLoad::stale:
      return "stale (written for other hardware or another timing model), rebuilt";
    case MemoLoad::corrupt:
      return "corrupt, rebuilt";
  }
  return "";
}

}  // namespace

PreparedRun prepare_run(const RunDocument& document, const RunOptions& options, TraceCache* traces) {
  PreparedRun run{load_run_inputs(document, traces), std::nullopt, {}};
  try {
    run.table.emplace(EnergyTable::load(run.inputs.config.hardware.energy.table));
  } catch (const Error& e) {
    throw Error(document.where("hardware", "energy.table") + ": " + e.what());
  }
  run.warnings = check_run(document, run.inputs, *run.table, options);
  return run;
}

IterationMemo::Mode memo_mode(const RunConfig& config) {
  return config.run.mode == "reference" ? IterationMemo::Mode::reference : IterationMemo::Mode::fast;
}

RunResult compute_run(const PreparedRun& run, IterationMemo& memo) {
  const RunInputs& inputs = run.inputs;
  const EnergyTable& table = *run.table;
  RunResult r;
  r.report = compute_compression(inputs.step, inputs.trace, inputs.plans, inputs.config.run.baseline, inputs.epochs);
  r.replayed = replay(inputs, memo);

  // Where the results go is not part of what determines them: config.json
  // (and so config_hash) leaves run.output_dir out, so the same run written to
  // two folders gives identical files.
  Json config = to_json(inputs.config);
  config["run"].erase("output_dir");
  const std::string config_text = dump_json(config);
  r.summary = summary_json(inputs, r.report, hash_hex(config_text));
  const AreaBreakdown chip = area(table, inputs.config.hardware);
  r.summary["hardware_replay"] = replay_summary_json(inputs, r.replayed, chip);
  std::set<std::string> used = chip.entries_used;
  for (const ReplaySide* side : {&r.replayed.policy, &r.replayed.baseline}) {
    const EnergyBreakdown priced = side->total_energy();
    used.insert(priced.entries_used.begin(), priced.entries_used.end());
  }
  r.summary["provenance"]["energy"] = energy_provenance_json(table, inputs.config.hardware, used);
  r.files = {{"config.json", config_text},
             {"summary.json", dump_json(r.summary)},
             {"per_epoch.csv", per_epoch_csv(inputs, r.report, r.replayed)},
             {"per_layer_phase.csv", per_layer_phase_csv(memo.rows(), r.replayed)},
             {"energy.csv", replay_energy_csv(r.replayed)},
             {"per_class_epoch.csv", per_class_epoch_csv(inputs, r.report)}};
  return r;
}

RunResult execute_run(const PreparedRun& prepared, const RunOptions& options, bool write_folder,
                      std::string* folder_target) {
  const RunInputs& inputs = prepared.inputs;
  const HardwareConfig& hw = inputs.config.hardware;
  IterationMemo memo(hw, *prepared.table, inputs.step, memo_mode(inputs.config));
  const std::string& memo_dir = options.memo_dir;
  std::string memo_key_text;
  if (!memo_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(memo_dir, ec);
    if (ec) throw Error("--memo " + memo_dir + ": cannot create the folder: " + ec.message());
    memo_key_text = memo_key(hw, inputs.step, memo.mode());
    const MemoLoad load = load_memo(memo_dir, memo_key_text, memo);
    std::fprintf(stderr, "qtsim run: memo %s: %s, %zu iteration costs\n", memo_dir.c_str(), describe(load),
                 memo.size());
    if (options.memo_verify > 0) {
      const std::string verified =
          verify_memo(memo, memo_file_path(memo_dir, memo_key_text), options.memo_verify, std::random_device{}());
      std::fprintf(stderr, "qtsim run: memo verify: %s\n", verified.c_str());
    }
  }
  RunResult result = compute_run(prepared, memo);
  if (write_folder) {
    OutputFolder folder(inputs.config.run.output_dir, "qtsim run");
    for (const auto& [name, text] : result.files) folder.write(name, text);
    folder.commit();
    if (folder_target) *folder_target = folder.target();
  }
  if (!memo_dir.empty() && memo.computed() > 0) save_memo(memo_dir, memo_key_text, memo);
  return result;
}

void run_main_job(const RunDocument& document, std::ostream& out, const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const PreparedRun prepared = prepare_run(document, options);
  for (const std::string& w : prepared.warnings) std::fprintf(stderr, "qtsim: warning: %s\n", w.c_str());
  std::string target;
  const RunResult result = execute_run(prepared, options, true, &target);
  print_headline(prepared.inputs, result.report, target, out);
  print_replay_headline(prepared.inputs, result.replayed, out);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "qtsim run: wall time %.3f s (not written to the output folder)\n", seconds);
}

}  // namespace qtsim
