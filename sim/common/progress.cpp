#include "sim/common/progress.h"

#include <unistd.h>

#include <cstdio>

namespace qtsim {

Progress::Progress(std::string label, std::int64_t total, std::string unit)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      enabled_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

Progress::~Progress() { finish(); }

void Progress::update(std::int64_t done) {
  if (!enabled_ || finished_) return;
  auto now = std::chrono::steady_clock::now();
  // Runs shorter than a second stay silent; then a refresh every 200 ms.
  if (now - start_ < std::chrono::seconds(1) || now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  double remaining = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
  std::fprintf(stderr, "\r%s: %lld/%lld %s (%.0f %s/s, %.1f s left)   ", label_.c_str(), static_cast<long long>(done),
               static_cast<long long>(total_), unit_.c_str(), rate, unit_.c_str(), remaining);
  std::fflush(stderr);
}

void Progress::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  if (last_ != start_) std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace qtsim
