#include "sim/config/json_file.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

#include "sim/common/error.h"

namespace qtsim {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open file for reading");
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) throw Error(path + ": read error");
  return contents.str();
}

Json parse_json_text(const std::string& text, const std::string& source) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    // nlohmann's message reads "[json.exception.parse_error.101] parse error at line 3, column 5: ...".
    std::string what = e.what();
    auto pos = what.find("] ");
    throw Error(source + ": not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
  }
}

Json read_json_file(const std::string& path) {
  std::string bytes = read_text_file(path);
  try {
    if (ends_with(path, ".cbor")) return Json::from_cbor(bytes);
    if (ends_with(path, ".msgpack")) return Json::from_msgpack(bytes);
  } catch (const Json::exception& e) {
    std::string what = e.what();
    auto pos = what.find("] ");
    throw Error(path + ": not a valid binary JSON document: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
  }
  return parse_json_text(bytes, path);
}

void write_text_file_atomic(const std::string& path, const std::string& contents) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot open for writing");
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.flush();
    if (!out) {
      std::remove(temporary.c_str());
      throw Error(path + ": write failed");
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    throw Error(path + ": cannot rename the temporary file into place");
  }
}

std::string dump_json(const Json& value) { return value.dump(2) + "\n"; }

}  // namespace qtsim
