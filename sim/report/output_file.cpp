#include "sim/report/output_file.h"

#include <filesystem>
#include <fstream>
#include <system_error>

#include "base/error.h"
#include "base/json_file.h"
#include "sim/report/output_folder.h"

namespace qtsim {
namespace fs = std::filesystem;
namespace {

bool is_qtsim_trace(const std::string& path) {
  try {
    const Json doc = read_json_file(path);
    return doc.is_object() && doc.value("format", "") == "qtsim-trace";
  } catch (const std::exception&) {
    return false;
  }
}

// A VCD written by qtsim gemm --vcd: SystemC's header, then qtsim's signals.
bool is_qtsim_waveform(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head.rfind("$date", 0) == 0 && head.find("SystemC") != std::string::npos &&
         head.find("mac_array.busy") != std::string::npos;
}

}  // namespace

void check_output_file(const std::string& path, OutputFileKind kind) {
  const char* what = kind == OutputFileKind::trace ? "a qtsim trace" : "a waveform written by qtsim";
  if (path.empty()) throw Error("output file: empty path; expected a file path");
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(path, ec);
  if (fs::is_symlink(status)) throw Error(path + ": not written: it is a symbolic link; give the real file's path");
  if (fs::is_directory(status)) throw Error(path + ": not written: it is a folder; expected a file path");
  check_can_create(path);
  if (fs::exists(status)) {
    const bool ours = kind == OutputFileKind::trace ? is_qtsim_trace(path) : is_qtsim_waveform(path);
    if (!ours) {
      throw Error(path + ": not replaced: it exists and is not " + what +
                  "; choose another name, or move the file away yourself");
    }
    return;
  }
  const fs::path parent = fs::path(path).parent_path();
  ec.clear();
  if (!parent.empty()) fs::create_directories(parent, ec);
  if (ec) throw Error(path + ": cannot create the parent folder: " + ec.message());
}

}  // namespace qtsim
