#include "base/unique_name.h"

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>

namespace qtsim {

std::string unique_suffix() {
  static std::atomic<std::uint64_t> counter{0};
  std::random_device device;
  const std::uint64_t bits = (std::uint64_t{device()} << 32 | device()) ^ counter.fetch_add(1);
  char text[48];
  std::snprintf(text, sizeof text, "%ld-%016llx", static_cast<long>(::getpid()), static_cast<unsigned long long>(bits));
  return text;
}

std::string sibling_temporary(const std::string& target) {
  const std::filesystem::path path(target);
  return (path.parent_path() / ("." + path.filename().string() + ".qtsim-tmp-" + unique_suffix())).string();
}

}  // namespace qtsim
