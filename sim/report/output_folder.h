#pragma once
// OutputFolder: writes a run's output folder all at once or not at all.
//
// Files are written into a hidden staging folder beside the target
// (`.<name>.staging-<pid>`); commit() then replaces the target with it by
// renames. A run that fails or is killed before commit() leaves the target as
// it was (the destructor removes the staging folder; after a kill, a stale
// `.<name>.staging-*` folder may remain beside the target and is removed by
// the next run that writes there).
#include <string>

namespace qtsim {

class OutputFolder {
 public:
  explicit OutputFolder(std::string target);
  ~OutputFolder();
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  void write(const std::string& file_name, const std::string& contents);
  void commit();
  const std::string& target() const { return target_; }

 private:
  std::string target_;
  std::string staging_;
  bool committed_ = false;
};

}  // namespace qtsim
