#include "sim/report/output_folder.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <system_error>

#include "base/error.h"
#include "base/json_file.h"
#include "base/unique_name.h"

namespace qtsim {
namespace fs = std::filesystem;
namespace {

constexpr const char* kMarkerFormat = "qtsim-output";
constexpr int kMarkerVersion = 1;
constexpr int kMaxNesting = 64;

// The target as a path without a trailing separator ("out/" -> "out").
fs::path clean(const std::string& target) {
  fs::path p = fs::path(target).lexically_normal();
  if (p.filename().empty() && p.has_parent_path()) p = p.parent_path();
  return p;
}

std::string staging_prefix(const fs::path& target) { return "." + target.filename().string() + ".qtsim-staging-"; }
std::string old_prefix(const fs::path& target) { return "." + target.filename().string() + ".qtsim-old-"; }

// Files listed by the marker of `folder`, or nullopt when it has no valid marker.
std::optional<std::set<std::string>> marker_files(const fs::path& folder) {
  const fs::path marker = folder / kOutputMarkerName;
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(marker, ec))) return std::nullopt;
  try {
    const Json doc = read_json_file(marker.string());
    if (!doc.is_object() || doc.value("format", "") != kMarkerFormat || doc.value("version", 0) != kMarkerVersion) {
      return std::nullopt;
    }
    std::set<std::string> files;
    for (const Json& f : doc.at("files")) files.insert(f.get<std::string>());
    return files;
  } catch (const std::exception&) {  // unreadable, not JSON, wrong types: not a marker
    return std::nullopt;
  }
}

// First foreign entry under `dir` (relative to the marked folder `root`), or nullopt.
std::optional<std::string> foreign_in(const fs::path& dir, const std::string& relative,
                                      const std::set<std::string>& listed, int depth) {
  std::error_code ec;
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(it->path());
  if (ec) return relative.empty() ? "." : relative;  // unreadable: not ours to judge
  std::sort(entries.begin(), entries.end());
  for (const fs::path& entry : entries) {
    const std::string name = relative.empty() ? entry.filename().string() : relative + "/" + entry.filename().string();
    const fs::file_status status = fs::symlink_status(entry, ec);
    if (fs::is_regular_file(status)) {
      if (name == kOutputMarkerName || listed.count(name)) continue;
      return name;
    }
    if (!fs::is_directory(status) || depth >= kMaxNesting) return name;
    if (fs::exists(entry / kOutputMarkerName)) {
      if (auto inner = foreign_entry(entry.string())) return name + "/" + *inner;
      continue;
    }
    if (auto inner = foreign_in(entry, name, listed, depth + 1)) return inner;
  }
  return std::nullopt;
}

bool is_cwd_or_parent(const fs::path& target) {
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  const fs::path resolved = fs::weakly_canonical(fs::absolute(target, ec), ec);
  if (ec) return false;
  auto c = cwd.begin();
  for (auto r = resolved.begin(); r != resolved.end(); ++r, ++c) {
    if (r->empty()) continue;  // a trailing separator
    if (c == cwd.end() || *r != *c) return false;
  }
  return true;
}

int lock_folder(const std::string& path, bool wait) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Removes staging (and fallback old) folders of processes that are gone: a
// live writer holds a lock on its staging folder.
void remove_stale_staging(const fs::path& target) {
  const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const std::string staging = staging_prefix(target), old = old_prefix(target);
  std::error_code ec;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(staging, 0) != 0 && name.rfind(old, 0) != 0) continue;
    if (!fs::is_directory(fs::symlink_status(it->path(), ec))) continue;
    const int fd = lock_folder(it->path().string(), false);
    if (fd < 0) continue;  // its writer is alive
    // A folder with a valid marker (complete staging, or an old output
    // swapped out) is removed only if nothing foreign was put into it; one
    // without (a missing or half-written marker) is an unfinished staging
    // folder, all qtsim's.
    const bool marked = marker_files(it->path()).has_value();
    if (!marked || !foreign_entry(it->path().string())) {
      std::error_code ignored;
      fs::remove_all(it->path(), ignored);
    }
    ::close(fd);
  }
}

// Moves `from` to `to`: atomically swapped when `to` exists. Returns false
// when `to` appeared meanwhile (the caller retries with a swap).
enum class Move { done, swapped, target_appeared, unsupported };

Move rename_into_place(const std::string& from, const std::string& to, bool swap) {
  const unsigned flags = swap ? RENAME_EXCHANGE : RENAME_NOREPLACE;
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), flags) == 0) return swap ? Move::swapped : Move::done;
  if (errno == EEXIST || errno == ENOTEMPTY) return Move::target_appeared;
  if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP) return Move::unsupported;
  if (swap && errno == ENOENT) return Move::target_appeared;  // the target vanished: retry as a plain move
  throw Error(to + ": cannot move the finished output into place: " + std::strerror(errno));
}

void remove_old_output(const std::string& old, const std::string& target) {
  if (auto foreign = foreign_entry(old)) {
    std::fprintf(stderr, "qtsim: warning: the previous %s was kept in %s: it now holds %s, which qtsim did not write\n",
                 target.c_str(), old.c_str(), foreign->c_str());
    return;
  }
  std::error_code ec;
  fs::remove_all(old, ec);
}

}  // namespace

void check_can_create(const std::string& path) {
  // The nearest existing ancestor must be a folder this process may write in.
  fs::path ancestor = clean(path).parent_path();
  std::error_code ec;
  while (!ancestor.empty() && !fs::exists(fs::symlink_status(ancestor, ec))) ancestor = ancestor.parent_path();
  const std::string dir = ancestor.empty() ? "." : ancestor.string();
  if (!fs::is_directory(fs::status(dir, ec))) throw Error(path + ": cannot be created: " + dir + " is not a folder");
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    throw Error(path + ": cannot be written: no write permission in " + dir + " (" + std::strerror(errno) + ")");
  }
}

std::optional<std::string> foreign_entry(const std::string& folder) {
  const auto listed = marker_files(folder);
  std::error_code ec;
  if (!listed) {
    if (fs::is_empty(folder, ec) && !ec) return std::nullopt;
    fs::directory_iterator it(folder, ec);
    if (ec || it == fs::directory_iterator()) return std::string(".");
    std::vector<std::string> names;
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) names.push_back(it->path().filename().string());
    return *std::min_element(names.begin(), names.end());
  }
  return foreign_in(folder, "", *listed, 0);
}

void check_output_folder(const std::string& target) {
  const fs::path path = clean(target);
  const std::string what = "; choose a new folder, or move its contents away yourself";
  if (target.empty()) throw Error("output folder: empty path; expected a folder path");
  if (is_cwd_or_parent(path)) {
    throw Error(target + ": not written: it is the working folder or one of its parents" + what);
  }
  check_can_create(target);
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(path, ec);
  if (fs::is_symlink(status)) throw Error(target + ": not written: it is a symbolic link; give the real folder's path");
  if (!fs::exists(status)) return;
  if (!fs::is_directory(status)) throw Error(target + ": not written: it exists and is not a folder" + what);
  if (auto foreign = foreign_entry(path.string())) {
    throw Error(target + ": not replaced: it holds " + *foreign + ", which qtsim did not write (no " +
                kOutputMarkerName + " lists it)" + what);
  }
}

OutputFolder::OutputFolder(std::string target, std::string writer)
    : target_(std::move(target)), writer_(std::move(writer)) {
  check_output_folder(target_);
  const fs::path path = clean(target_);
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  if (ec) throw Error(target_ + ": cannot create the parent folder: " + ec.message());
  remove_stale_staging(path);
  // A cleaner may remove a folder between our mkdir and our lock: retry until
  // the locked folder is the one under our name.
  for (int attempt = 0; attempt < 100 && lock_fd_ < 0; ++attempt) {
    staging_ = (path.parent_path() / (staging_prefix(path) + unique_suffix())).string();
    if (::mkdir(staging_.c_str(), 0777) != 0) {
      throw Error(target_ + ": cannot create the staging folder " + staging_ + ": " + std::strerror(errno));
    }
    lock_fd_ = lock_folder(staging_, true);
    struct stat locked {
    }, named{};
    if (lock_fd_ >= 0 &&
        (::fstat(lock_fd_, &locked) != 0 || ::stat(staging_.c_str(), &named) != 0 || locked.st_ino != named.st_ino)) {
      ::close(lock_fd_);
      lock_fd_ = -1;
    }
  }
  if (lock_fd_ < 0) throw Error(target_ + ": cannot create and lock a staging folder beside it");
}

OutputFolder::~OutputFolder() {
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

void OutputFolder::write(const std::string& file_name, const std::string& contents) {
  const fs::path path = fs::path(staging_) / file_name;
  if (file_name.find('/') != std::string::npos) {  // a file in a sub-folder (a sweep's points/<index>/)
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) throw Error(target_ + "/" + file_name + ": cannot create its folder: " + ec.message());
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.flush();
  if (!out) throw Error(target_ + "/" + file_name + ": write failed: " + std::strerror(errno));
  files_.push_back(file_name);
}

void OutputFolder::commit() {
  std::sort(files_.begin(), files_.end());
  const Json marker{{"format", kMarkerFormat}, {"version", kMarkerVersion}, {"writer", writer_}, {"files", files_}};
  write(kOutputMarkerName, dump_json(marker));
  files_.pop_back();
  const std::string target = clean(target_).string();
  // The target (once it exists) stays locked from the check to the removal
  // of the old folder: writers of one target commit one at a time, and the
  // old folder is never swept as a stale one while it is being removed.
  struct TargetLock {
    int fd = -1;
    ~TargetLock() {
      if (fd >= 0) ::close(fd);
    }
  } target_lock{lock_folder(target, true)};
  check_output_folder(target_);  // it may have changed while we worked
  Move move = rename_into_place(staging_, target, false);
  if (move == Move::unsupported) {  // no renameat2 here: a plain rename fails on a non-empty target
    move = std::rename(staging_.c_str(), target.c_str()) == 0 ? Move::done : Move::target_appeared;
  }
  if (move == Move::target_appeared) {
    if (target_lock.fd < 0) target_lock.fd = lock_folder(target, true);
    check_output_folder(target_);
    move = rename_into_place(staging_, target, true);
    if (move == Move::unsupported) {
      const std::string old = (clean(target_).parent_path() / (old_prefix(clean(target_)) + unique_suffix())).string();
      if (std::rename(target.c_str(), old.c_str()) != 0 || std::rename(staging_.c_str(), target.c_str()) != 0) {
        throw Error(target_ + ": cannot move the finished output into place: " + std::strerror(errno));
      }
      committed_ = true;
      remove_old_output(old, target_);
      return;
    }
    if (move == Move::target_appeared) move = rename_into_place(staging_, target, false);
    if (move != Move::swapped && move != Move::done) {
      throw Error(target_ + ": cannot move the finished output into place: another process keeps replacing it");
    }
  }
  committed_ = true;
  if (move == Move::swapped) remove_old_output(staging_, target_);
}

}  // namespace qtsim
