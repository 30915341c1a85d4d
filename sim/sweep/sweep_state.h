#pragma once
// What a sweep has finished, kept between runs so that a killed sweep,
// rerun with the same command, runs only the rest (README "Sweeps").
//
// The state of output folder DIR is the folder `.<name>.qtsim-sweep-state`
// beside it. Inside, rows.jsonl: a header line
//     {"format": "qtsim-sweep-rows", "version": 1, "sweep": "<sweep hash>"}
// then one line per finished point (sweep_table.h's row), appended as each
// point finishes, in completion order. A line cut short by a kill is dropped
// when the state is opened again. With --point-folders, each point's run
// files wait in points/<index>/ (written to a temporary name, then renamed).
// Once the table is written, the state folder is removed.
//
// The same rows format carries a shard's results from a Dask worker back to
// the driver (`qtsim sweep --only ... --rows-out FILE`, `--import-rows FILE`).
//
// A state (or rows file) whose sweep hash differs, from an edited sweep or
// another qtsim build, is an error naming it: finished work is never thrown
// away silently. One sweep at a time per state (an flock on rows.jsonl).
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "sim/sweep/sweep_table.h"

namespace qtsim {

// The rows of a rows file whose header names `sweep_hash`; Error otherwise.
std::vector<SweepRow> read_rows_file(const std::string& path, const std::string& sweep_hash);
// A rows file's text: the header, then one line per row.
std::string rows_file_text(const std::string& sweep_hash, const std::vector<SweepRow>& rows);

class SweepState {
 public:
  // Opens (or creates) the state of output folder `out_dir`.
  SweepState(const std::string& out_dir, const std::string& sweep_hash);
  ~SweepState();
  SweepState(const SweepState&) = delete;
  SweepState& operator=(const SweepState&) = delete;

  const std::string& folder() const { return folder_; }
  // Finished rows by point index (the last one written wins).
  std::map<std::size_t, SweepRow> rows() const;
  // Appends a finished point; safe from any thread.
  void add(const SweepRow& row);
  // Keeps a point's run files until the table is written.
  void add_point_files(std::size_t index, const std::vector<std::pair<std::string, std::string>>& files);
  std::string point_folder(std::size_t index) const;
  // Removes the state folder (after the table has been written).
  void remove();

 private:
  void load(const std::string& sweep_hash);  // reads the rows file (or writes its header)

  std::string folder_, rows_path_;
  int fd_ = -1;
  mutable std::mutex mutex_;
  std::map<std::size_t, SweepRow> rows_;
};

}  // namespace qtsim
