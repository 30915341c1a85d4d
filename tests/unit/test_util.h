#pragma once
// Helpers shared by the test suites.
#include <functional>
#include <string>

#include "base/error.h"

namespace qtsim::test {

// The message of the qtsim::Error that `f` throws, or "(no error)".
inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

inline std::string source_path(const std::string& relative) { return std::string(QTSIM_SOURCE_DIR) + "/" + relative; }

}  // namespace qtsim::test
