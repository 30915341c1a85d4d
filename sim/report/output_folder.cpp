#include "sim/report/output_folder.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <system_error>

#include "sim/common/error.h"

namespace qtsim {
namespace fs = std::filesystem;

OutputFolder::OutputFolder(std::string target) : target_(std::move(target)) {
  fs::path target_path = fs::path(target_).lexically_normal();
  if (target_path.filename().empty()) target_path = target_path.parent_path();
  fs::path parent = target_path.parent_path();
  std::string name = target_path.filename().string();
  std::error_code ec;
  if (!parent.empty()) fs::create_directories(parent, ec);
  if (ec) throw Error(target_ + ": cannot create the parent folder: " + ec.message());
  // Remove staging folders left by killed runs.
  std::string prefix = "." + name + ".staging-";
  for (const auto& entry : fs::directory_iterator(parent.empty() ? fs::path(".") : parent, ec)) {
    if (entry.path().filename().string().rfind(prefix, 0) == 0) fs::remove_all(entry.path(), ec);
  }
  staging_ = (parent / (prefix + std::to_string(::getpid()))).string();
  fs::create_directory(staging_, ec);
  if (ec) throw Error(target_ + ": cannot create the staging folder " + staging_ + ": " + ec.message());
}

OutputFolder::~OutputFolder() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void OutputFolder::write(const std::string& file_name, const std::string& contents) {
  fs::path path = fs::path(staging_) / file_name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.flush();
  if (!out) throw Error(target_ + "/" + file_name + ": write failed");
}

void OutputFolder::commit() {
  std::error_code ec;
  if (fs::exists(target_, ec)) {
    if (!fs::is_directory(target_, ec)) throw Error(target_ + ": exists and is not a folder");
    fs::remove_all(target_, ec);
    if (ec) throw Error(target_ + ": cannot replace the old output folder: " + ec.message());
  }
  fs::rename(staging_, target_, ec);
  if (ec) throw Error(target_ + ": cannot move the finished output into place: " + ec.message());
  committed_ = true;
}

}  // namespace qtsim
