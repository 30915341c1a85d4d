#include "base/json_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "base/error.h"
#include "base/strict_json.h"
#include "base/unique_name.h"

namespace qtsim {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string read_text_file(const std::string& path) {
  // POSIX calls, so that the message can give the OS's reason (missing,
  // permission, a folder where a file is expected).
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(path + ": cannot open for reading: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
    ::close(fd);
    throw Error(path + (S_ISDIR(st.st_mode) ? ": is a folder" : ": is a device") + "; expected a file");
  }
  std::string contents;
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw Error(path + ": read error: " + std::strerror(err));
    }
    if (n == 0) break;
    if (contents.size() + static_cast<std::size_t>(n) > kMaxInputFileBytes) {
      ::close(fd);
      throw Error(path + ": larger than " + std::to_string(kMaxInputFileBytes >> 20) +
                  " MiB; expected a qtsim input file (configuration, network, trace)");
    }
    contents.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return contents;
}

Json parse_json_text(const std::string& text, const std::string& source) { return decode_json_text(text, source); }

Json read_json_file(const std::string& path) {
  const std::string bytes = read_text_file(path);
  if (ends_with(path, ".cbor")) return decode_cbor(bytes, path);
  if (ends_with(path, ".msgpack")) return decode_msgpack(bytes, path);
  return decode_json_text(bytes, path);
}

void write_text_file_atomic(const std::string& path, const std::string& contents) {
  const std::string temporary = sibling_temporary(path);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot open " + temporary + " for writing: " + std::strerror(errno));
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.flush();
    if (!out) {
      std::remove(temporary.c_str());
      throw Error(path + ": write failed");
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::remove(temporary.c_str());
    throw Error(path + ": cannot rename the temporary file into place: " + std::strerror(err));
  }
}

std::string dump_json(const Json& value) {
  // Every string read by qtsim is checked UTF-8 (strict_json.h, --set); the
  // replace handler only keeps a stray byte from ever aborting a write.
  return value.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace qtsim
