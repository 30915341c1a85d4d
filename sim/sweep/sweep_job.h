#pragma once
// `qtsim sweep SWEEP_FILE --out DIR`: runs every point of a sweep in fast
// mode on N threads and writes one table (README "Sweeps").
//
// Output folder DIR (all at once, output_folder.h rules): points.csv
// (sweep_table.h), sweep.json (the sweep as run: its file, axes, filters,
// and every point's values and status), provenance.json (qtsim version,
// timing model, the sweep's hash, counts, the Pareto objectives) and, with
// --point-folders, points/<index>/ with each point's `qtsim run` files.
// Nothing measured about the sweep itself (wall time, threads, memo use) is
// written there: identical inputs give identical folders whatever --jobs,
// order of completion or interruption.
//
// Sharing: points whose hardware (without its energy section) and lowering
// are the same share their iteration costs (the memo key, memo_file.h):
// a cost computed for one point is reused by the others, re-priced with
// each point's energy table, so energy tables, DRAM types and thresholds
// that meet the same group compositions cost nothing to sweep. With
// --memo DIR the costs are loaded from and saved to a memo folder, shared
// with `qtsim run --memo`. Traces are loaded once.
//
// Resuming: finished points are kept in the sweep's state (sweep_state.h); a
// rerun of the same command runs only the rest. A point that fails (an
// invalid combination) is a row with its error.
//
// Shards (the Dask driver, scripts/qtsim_sweep_dask.py): --only A:B runs the
// points with index in [A, B) and writes their rows to --rows-out FILE
// instead of a table; --import-rows FILE adds such rows to the state before
// the rest is run.
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace qtsim {

struct SweepOptions {
  std::string out_dir;
  int jobs = 0;  // threads; 0: every core
  std::string memo_dir;
  bool point_folders = false;
  std::string pareto = "energy,time";
  std::vector<std::string> import_rows;
  std::optional<std::pair<std::size_t, std::size_t>> only;  // [first, end) of point indices
  std::string rows_out;
};

// The hash that identifies a sweep's points (the state's and rows files' key).
std::string sweep_hash(const std::string& sweep_path);
void run_sweep_job(const std::string& sweep_path, const SweepOptions& options, std::ostream& out);

}  // namespace qtsim
