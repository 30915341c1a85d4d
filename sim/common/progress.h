#pragma once
// Progress: a one-line progress indicator on stderr for long work, with rate
// and time remaining, shown once the work has taken a second. Silent when
// stderr is not a terminal (logs, CI, pipes), so outputs and logs never
// depend on it.
#include <chrono>
#include <cstdint>
#include <string>

namespace qtsim {

class Progress {
 public:
  Progress(std::string label, std::int64_t total, std::string unit);
  ~Progress();
  void update(std::int64_t done);
  void finish();

 private:
  std::string label_, unit_;
  std::int64_t total_;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace qtsim
