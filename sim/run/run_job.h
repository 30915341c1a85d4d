#pragma once
// `qtsim run`, the main job: loads the run's inputs, computes the policy's
// and the baseline's figures over the chosen epochs, writes the output folder
// (all files or none, see OutputFolder) and prints the headline table.
//
// Output folder: config.json (the fully resolved configuration), summary.json,
// per_epoch.csv, per_class_epoch.csv, per_layer_phase.csv, energy.csv.
// Identical inputs give byte-identical folders: nothing measured about the
// run itself (wall time, memo use) is written there; that goes to stderr.
// options.memo_dir: where iteration costs are kept between runs
// (memo_file.h); empty: none.
//
// prepare_run makes every check before any simulation (inputs, energy table,
// run_checks.h); `qtsim validate` calls it too, so both accept the same runs.
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "sim/config/run_config.h"
#include "sim/config/run_inputs.h"
#include "sim/energy/energy_table.h"
#include "sim/replay/replay.h"
#include "sim/run/run_checks.h"

namespace qtsim {

struct PreparedRun {
  RunInputs inputs;
  std::optional<EnergyTable> table;   // always set by prepare_run
  std::vector<std::string> warnings;  // from check_run, for the caller to show
};

// `traces` (may be null): traces already loaded (a sweep's).
PreparedRun prepare_run(const RunDocument& document, const RunOptions& options, TraceCache* traces = nullptr);
void run_main_job(const RunDocument& document, std::ostream& out, const RunOptions& options = {});

// What a run computes, and the files of its output folder ((name, contents),
// in writing order) with summary.json also as JSON. `memo` priced the replay.
struct RunResult {
  CompressionReport report;
  ReplayReport replayed;
  Json summary;
  std::vector<std::pair<std::string, std::string>> files;
};
RunResult compute_run(const PreparedRun& run, IterationMemo& memo);
// The job without its printed table: loads and saves the memo
// (options.memo_dir), computes the run, and writes the output folder
// (run.output_dir) when `write_folder`, setting `folder_target` (may be null)
// to where it went. run_main_job and the Python module (python/) call it.
RunResult execute_run(const PreparedRun& prepared, const RunOptions& options, bool write_folder,
                      std::string* folder_target = nullptr);
IterationMemo::Mode memo_mode(const RunConfig& config);

}  // namespace qtsim
