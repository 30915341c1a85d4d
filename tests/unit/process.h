#pragma once
// Runs the qtsim program from tests and captures its exit status and output.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace qtsim::test {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `qtsim <arguments>` in `cwd` (a shell command line fragment).
inline ProcessResult run_qtsim(const std::string& arguments, const std::string& cwd = ".") {
  namespace fs = std::filesystem;
  static int counter = 0;
  fs::path base =
      fs::temp_directory_path() / ("qtsim_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  std::string command = "cd '" + cwd + "' && '" + std::string(QTSIM_BINARY) + "' " + arguments + " >'" + base.string() +
                        ".out' 2>'" + base.string() + ".err' </dev/null";
  int status = std::system(command.c_str());
  ProcessResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(base.string() + ".out");
  r.err = slurp(base.string() + ".err");
  fs::remove(base.string() + ".out");
  fs::remove(base.string() + ".err");
  return r;
}

// A fresh empty folder under the system temporary folder.
inline std::string make_temp_dir(const std::string& name) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("qtsim_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

}  // namespace qtsim::test
