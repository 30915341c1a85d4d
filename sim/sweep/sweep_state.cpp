#include "sim/sweep/sweep_state.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "base/error.h"
#include "base/json_file.h"

namespace qtsim {
namespace {

namespace fs = std::filesystem;

constexpr const char* kRowsFormat = "qtsim-sweep-rows";
constexpr int kRowsVersion = 1;

std::string header_line(const std::string& sweep_hash) {
  return Json{{"format", kRowsFormat}, {"version", kRowsVersion}, {"sweep", sweep_hash}}.dump() + "\n";
}

// The rows of `text` (a rows file), after checking its header. A last line
// without its newline was cut short by a kill: dropped, its length returned
// in `cut`.
std::vector<SweepRow> parse_rows(const std::string& text, const std::string& path, const std::string& sweep_hash,
                                 std::size_t* cut) {
  std::vector<SweepRow> rows;
  std::size_t start = 0, line_number = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    ++line_number;
    const std::string where = path + ": line " + std::to_string(line_number);
    if (end == std::string::npos) {
      if (cut == nullptr) throw Error(where + ": cut short (no newline at its end); expected a complete rows file");
      *cut = text.size() - start;
      break;
    }
    Json json;
    try {
      json = Json::parse(text.begin() + static_cast<std::ptrdiff_t>(start),
                         text.begin() + static_cast<std::ptrdiff_t>(end));
    } catch (const Json::exception&) {
      throw Error(where + ": not JSON; expected one row per line (this file is qtsim's own: remove it to start over)");
    }
    start = end + 1;
    if (line_number == 1) {
      if (json.value("format", Json()) != kRowsFormat || json.value("version", Json()) != kRowsVersion) {
        throw Error(where + ": expected the header {\"format\": \"" + kRowsFormat + "\", \"version\": 1, ...}");
      }
      if (json.value("sweep", Json()) != sweep_hash) {
        throw Error(path +
                    ": holds the points of another sweep (the sweep file, a file it references or the qtsim "
                    "build changed since it was written); remove it to start over, or write to another --out");
      }
      continue;
    }
    rows.push_back(row_from_json(json, where));
  }
  if (line_number == 0) throw Error(path + ": empty; expected a rows file written by qtsim sweep");
  return rows;
}

void write_all(int fd, const std::string& text, const std::string& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(path + ": write failed: " + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

std::vector<SweepRow> read_rows_file(const std::string& path, const std::string& sweep_hash) {
  return parse_rows(read_text_file(path), path, sweep_hash, nullptr);
}

std::string rows_file_text(const std::string& sweep_hash, const std::vector<SweepRow>& rows) {
  std::string text = header_line(sweep_hash);
  for (const SweepRow& row : rows) text += to_json(row).dump() + "\n";
  return text;
}

SweepState::SweepState(const std::string& out_dir, const std::string& sweep_hash) {
  const fs::path out = fs::path(out_dir).lexically_normal();
  const std::string name = out.filename().empty() ? out.parent_path().filename().string() : out.filename().string();
  const fs::path parent = out.filename().empty() ? out.parent_path().parent_path() : out.parent_path();
  folder_ = (parent / ("." + name + ".qtsim-sweep-state")).string();
  rows_path_ = folder_ + "/rows.jsonl";
  std::error_code ec;
  fs::create_directories(folder_, ec);
  if (ec) throw Error(folder_ + ": cannot create the sweep's state folder: " + ec.message());
  fd_ = ::open(rows_path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(rows_path_ + ": cannot open: " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw Error(rows_path_ + ": another qtsim sweep is writing to " + out_dir + "; wait for it or use another --out");
  }
  try {
    load(sweep_hash);
  } catch (...) {  // a constructor that throws runs no destructor: release the lock here
    ::close(fd_);
    fd_ = -1;
    throw;
  }
}

void SweepState::load(const std::string& sweep_hash) {
  const std::string text = read_text_file(rows_path_);
  if (text.find('\n') == std::string::npos) {  // new, or killed while writing its header
    if (::ftruncate(fd_, 0) != 0) throw Error(rows_path_ + ": cannot truncate: " + std::strerror(errno));
    write_all(fd_, header_line(sweep_hash), rows_path_);
    return;
  }
  std::size_t cut = 0;
  for (SweepRow& row : parse_rows(text, rows_path_, sweep_hash, &cut)) rows_[row.index] = std::move(row);
  if (cut > 0 && ::ftruncate(fd_, static_cast<off_t>(text.size() - cut)) != 0) {
    throw Error(rows_path_ + ": cannot drop the line a kill cut short: " + std::strerror(errno));
  }
}

SweepState::~SweepState() {
  if (fd_ >= 0) ::close(fd_);
}

std::map<std::size_t, SweepRow> SweepState::rows() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return rows_;
}

void SweepState::add(const SweepRow& row) {
  const std::string line = to_json(row).dump() + "\n";
  const std::lock_guard<std::mutex> lock(mutex_);
  write_all(fd_, line, rows_path_);
  rows_[row.index] = row;
}

std::string SweepState::point_folder(std::size_t index) const { return folder_ + "/points/" + std::to_string(index); }

void SweepState::add_point_files(std::size_t index, const std::vector<std::pair<std::string, std::string>>& files) {
  const std::string target = point_folder(index);
  const std::string temporary = target + ".tmp";
  std::error_code ec;
  fs::remove_all(temporary, ec);
  fs::create_directories(temporary, ec);
  if (ec) throw Error(temporary + ": cannot create: " + ec.message());
  for (const auto& [name, text] : files) write_text_file_atomic(temporary + "/" + name, text);
  fs::remove_all(target, ec);
  fs::rename(temporary, target, ec);
  if (ec) throw Error(target + ": cannot move the point's files in place: " + ec.message());
}

void SweepState::remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  fs::remove_all(folder_, ec);
}

}  // namespace qtsim
