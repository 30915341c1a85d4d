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

PreparedRun prepare_run(const RunDocument& document, const RunOptions& options) {
  PreparedRun run{load_run_inputs(document), std::nullopt};
  try {
    run.table.emplace(EnergyTable::load(run.inputs.config.hardware.energy.table));
  } catch (const Error& e) {
    throw Error(document.where("hardware", "energy.table") + ": " + e.what());
  }
  check_run(document, run.inputs, *run.table, options);
  return run;
}

void run_main_job(const RunDocument& document, std::ostream& out, const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  PreparedRun prepared = prepare_run(document, options);
  RunInputs& inputs = prepared.inputs;
  CompressionReport report =
      compute_compression(inputs.step, inputs.trace, inputs.plans, inputs.config.run.baseline, inputs.epochs);
  const HardwareConfig& hw = inputs.config.hardware;
  const EnergyTable& table = *prepared.table;
  IterationMemo memo(
      hw, table, inputs.step,
      inputs.config.run.mode == "reference" ? IterationMemo::Mode::reference : IterationMemo::Mode::fast);
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
  const ReplayReport replayed = replay(inputs, memo);

  // Where the results go is not part of what determines them: config.json
  // (and so config_hash) leaves run.output_dir out, so the same run written to
  // two folders gives identical files.
  Json config = to_json(inputs.config);
  config["run"].erase("output_dir");
  const std::string config_text = dump_json(config);
  const std::string config_hash = hash_hex(config_text);
  OutputFolder folder(inputs.config.run.output_dir, "qtsim run");
  folder.write("config.json", config_text);
  Json summary = summary_json(inputs, report, config_hash);
  const AreaBreakdown chip = area(table, hw);
  summary["hardware_replay"] = replay_summary_json(inputs, replayed, chip);
  std::set<std::string> used = chip.entries_used;
  for (const ReplaySide* side : {&replayed.policy, &replayed.baseline}) {
    const EnergyBreakdown priced = side->total_energy();
    used.insert(priced.entries_used.begin(), priced.entries_used.end());
  }
  summary["provenance"]["energy"] = energy_provenance_json(table, hw, used);
  folder.write("summary.json", dump_json(summary));
  folder.write("per_epoch.csv", per_epoch_csv(inputs, report, replayed));
  folder.write("per_layer_phase.csv", per_layer_phase_csv(memo.rows(), replayed));
  folder.write("energy.csv", replay_energy_csv(replayed));
  folder.write("per_class_epoch.csv", per_class_epoch_csv(inputs, report));
  folder.commit();
  if (!memo_dir.empty() && memo.computed() > 0) save_memo(memo_dir, memo_key_text, memo);

  print_headline(inputs, report, folder.target(), out);
  print_replay_headline(inputs, replayed, out);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "qtsim run: wall time %.3f s (not written to the output folder)\n", seconds);
}

}  // namespace qtsim
