#include "sim/common/memory_limit.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "base/error.h"

namespace qtsim {

std::int64_t physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return std::int64_t{1} << 40;
  return static_cast<std::int64_t>(pages) * page;
}

void check_memory_estimate(const std::string& what, double estimate_bytes, std::int64_t limit_bytes,
                           const std::string& how) {
  if (!(estimate_bytes > static_cast<double>(limit_bytes))) return;
  char mib[64];
  std::snprintf(mib, sizeof mib, "%.0f", std::ceil(estimate_bytes / 1048576.0));
  throw Error(what + ": needs about " + mib + " MiB (" + how + "); the memory limit is " +
              std::to_string(limit_bytes >> 20) +
              " MiB; expected a smaller job, or a larger --memory-limit-mib on a machine that has the memory");
}

}  // namespace qtsim
