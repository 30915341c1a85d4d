#pragma once
// Shared by the libFuzzer harnesses (tests/fuzz/README.md). A harness feeds
// its input to one qtsim reader; a qtsim::Error is the expected answer to bad
// input, anything else (another exception, a sanitizer report, a signal, a
// hang, unbounded memory) is a finding.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/error.h"

namespace qtsim::fuzz {

template <typename F>
void expect_only_errors(F&& f) {
  try {
    f();
  } catch (const Error&) {  // the documented answer to bad input
  }
}

inline std::string text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// A scratch folder of this process for harnesses whose reader takes a path.
inline const std::string& scratch_dir() {
  static const std::string dir = [] {
    std::string d = "/tmp/qtsim-fuzz-" + std::to_string(::getpid());
    ::mkdir(d.c_str(), 0700);
    std::atexit([] { std::filesystem::remove_all("/tmp/qtsim-fuzz-" + std::to_string(::getpid())); });
    return d;
  }();
  return dir;
}

inline std::string write_scratch(const std::string& name, const std::string& bytes) {
  const std::string path = scratch_dir() + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  return path;
}

}  // namespace qtsim::fuzz
