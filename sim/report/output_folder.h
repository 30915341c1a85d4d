#pragma once
// OutputFolder: writes an output folder all at once or not at all, and never
// deletes or overwrites anything qtsim did not write.
//
// Marker. Every folder qtsim writes holds `.qtsim_output.json`: {"format":
// "qtsim-output", "version": 1, "writer": "qtsim run", "files": [the relative
// paths of the files written]}, with no time or process in it (identical runs
// give identical folders). A folder is *qtsim-written* when it has a valid
// marker and everything in it is a regular file its marker lists, a folder of
// such entries, or a nested qtsim-written folder (e.g. figures/ written by
// scripts/plot_run.py into a run folder). scripts/qtsim_plots/atomic.py
// implements the same rules for the Python scripts.
//
// Rules for a target T (check_output_folder, also run before any work):
// missing parents are created; T may be absent, an empty folder or a
// qtsim-written folder; anything else is an Error naming T and what to do: a
// folder with foreign content (the first foreign entry is named), a file, a
// symbolic link, the working folder or one of its parents.
//
// Staging and replacement. Files go into `.<name>.qtsim-staging-<pid>-<hex>`
// beside T, a name no other process uses, locked (flock) while this object
// lives. commit() writes the marker, checks T again, then moves the staging
// folder in: renameat2(RENAME_NOREPLACE) when T is absent, else an atomic
// swap (renameat2(RENAME_EXCHANGE)), after which the old folder, now under
// the staging name, is removed if it is still qtsim-written (otherwise it is
// left there and a warning names it). A kill at any moment therefore leaves
// T either old and complete or new and complete. On file systems without
// renameat2 the swap falls back to two renames (the old folder first moves to
// `.<name>.qtsim-old-<pid>-<hex>`; a kill between the two leaves it there).
// Staging folders of killed processes (unlocked) are removed by the next
// writer into the same parent and name; those of live processes are never
// touched.
#include <optional>
#include <string>
#include <vector>

namespace qtsim {

inline constexpr const char* kOutputMarkerName = ".qtsim_output.json";

// Throws Error when `path` could not be created: its nearest existing
// ancestor is not a folder, or not one this process may write in.
void check_can_create(const std::string& path);
// Throws Error when `target` may not be written (the rules above).
void check_output_folder(const std::string& target);
// The first entry (relative path) of `folder` that no qtsim writer put there,
// or nullopt when the folder is qtsim-written.
std::optional<std::string> foreign_entry(const std::string& folder);

class OutputFolder {
 public:
  // `writer` names the program in the marker ("qtsim run").
  OutputFolder(std::string target, std::string writer);
  ~OutputFolder();
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  void write(const std::string& file_name, const std::string& contents);
  void commit();
  const std::string& target() const { return target_; }

 private:
  std::string target_;
  std::string writer_;
  std::string staging_;
  int lock_fd_ = -1;
  std::vector<std::string> files_;
  bool committed_ = false;
};

}  // namespace qtsim
