#include "sim/config/scalesim_config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "base/error.h"
#include "base/text.h"

namespace qtsim {

namespace {

// The keys each section may hold (lower case), and which are required.
const std::map<std::string, std::set<std::string>>& known_keys() {
  static const std::map<std::string, std::set<std::string>> keys = {
      {"general", {"run_name"}},
      {"architecture_presets",
       {"arrayheight", "arraywidth", "ifmapsramszkb", "filtersramszkb", "ofmapsramszkb", "ifmapoffset", "filteroffset",
        "ofmapoffset", "bandwidth", "dataflow", "memorybanks"}},
      {"run_presets", {"interfacebandwidth"}}};
  return keys;
}

struct Entry {
  std::string value;
  std::string where;  // "arch.cfg: line 5: [architecture_presets] ArrayHeight"
};

std::map<std::string, Entry> read_entries(const std::string& text, const std::string& path) {
  std::map<std::string, Entry> entries;  // "section.key" -> entry
  std::istringstream in(text);
  std::string line, section;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string t = trim(line);
    const std::string at = path + ": line " + std::to_string(number);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[') {
      if (t.back() != ']') throw Error(at + ": expected a section header `[name]`");
      section = lower(trim(t.substr(1, t.size() - 2)));
      if (!known_keys().count(section)) {
        throw Error(at + ": section [" + section +
                    "] is not one qtsim reads; expected [general], "
                    "[architecture_presets] or [run_presets] (a topology is given on the command line)");
      }
      continue;
    }
    const std::size_t sep = t.find_first_of(":=");
    if (sep == std::string::npos) throw Error(at + ": expected `key: value` or `key = value`");
    if (section.empty()) throw Error(at + ": a key before any section header");
    const std::string key = trim(t.substr(0, sep));
    const std::string where = at + ": [" + section + "] " + key;
    if (!known_keys().at(section).count(lower(key))) {
      throw Error(where + ": not a SCALE-Sim v2 key qtsim can honour (README \"Coming from SCALE-Sim\" lists them)");
    }
    if (!entries.emplace(section + "." + lower(key), Entry{trim(t.substr(sep + 1)), where}).second) {
      throw Error(where + ": given twice");
    }
  }
  return entries;
}

std::int64_t positive(const Entry& e, std::int64_t max) {
  std::int64_t value = 0;
  const char* end = e.value.data() + e.value.size();
  const auto [ptr, ec] = std::from_chars(e.value.data(), end, value);
  if (e.value.empty() || ec != std::errc() || ptr != end || value < 1 || value > max) {
    throw Error(e.where + " `" + e.value + "`: expected an integer in [1, " + std::to_string(max) + "]");
  }
  return value;
}

const Entry& required(const std::map<std::string, Entry>& entries, const std::string& key, const std::string& path,
                      const std::string& shown) {
  const auto it = entries.find(key);
  if (it == entries.end()) throw Error(path + ": " + shown + " is missing (required)");
  return it->second;
}

void add(ScaleSimConfig& c, const std::vector<std::string>& key, Json value, const Entry& from) {
  std::string dotted;
  for (const std::string& part : key) dotted += (dotted.empty() ? "" : ".") + part;
  c.overrides.push_back(Override{key, value, dotted + "=" + value.dump() + " (from " + from.where + ")"});
}

}  // namespace

ScaleSimConfig parse_scalesim_config(const std::string& text, const std::string& path) {
  const std::map<std::string, Entry> e = read_entries(text, path);
  ScaleSimConfig c;
  c.path = path;
  if (e.count("general.run_name")) c.run_name = e.at("general.run_name").value;
  const auto arch = [&](const std::string& key, const std::string& shown) -> const Entry& {
    return required(e, "architecture_presets." + key, path, "[architecture_presets] " + shown);
  };
  const Entry& height = arch("arrayheight", "ArrayHeight");
  const Entry& width = arch("arraywidth", "ArrayWidth");
  c.rows = positive(height, 4096), c.cols = positive(width, 4096);
  add(c, {"hardware", "mac_array", "rows"}, c.rows, height);
  add(c, {"hardware", "mac_array", "cols"}, c.cols, width);
  const Entry& dataflow = arch("dataflow", "Dataflow");
  c.dataflow = dataflow.value;
  if (c.dataflow != "os" && c.dataflow != "ws" && c.dataflow != "is") {
    throw Error(dataflow.where + " `" + c.dataflow + "`: expected os, ws or is");
  }
  add(c, {"hardware", "mac_array", "dataflow"}, c.dataflow == "os" ? "os" : "ws", dataflow);
  const char* buffers[] = {"activation", "weight", "output"};
  const char* keys[] = {"ifmapsramszkb", "filtersramszkb", "ofmapsramszkb"};
  const char* shown[] = {"IfmapSramSzkB", "FilterSramSzkB", "OfmapSramSzkB"};
  std::int64_t* kb[] = {&c.ifmap_kb, &c.filter_kb, &c.ofmap_kb};
  for (int i = 0; i < 3; ++i) {
    const Entry& size = arch(keys[i], shown[i]);
    *kb[i] = positive(size, std::int64_t{1} << 30);
    add(c, {"hardware", "buffers", buffers[i], "capacity_bytes"}, *kb[i] * 1024, size);
  }
  if (e.count("architecture_presets.memorybanks")) {
    const Entry& banks = e.at("architecture_presets.memorybanks");
    for (const char* buffer : buffers) add(c, {"hardware", "buffers", buffer, "banks"}, positive(banks, 4096), banks);
  }
  for (const char* offset : {"ifmapoffset", "filteroffset", "ofmapoffset"}) {
    const auto it = e.find(std::string("architecture_presets.") + offset);
    if (it != e.end() &&
        (it->second.value.empty() || it->second.value.find_first_not_of("0123456789") != std::string::npos)) {
      throw Error(it->second.where + " `" + it->second.value + "`: expected a non-negative integer address");
    }
  }
  const Entry& interface = required(e, "run_presets.interfacebandwidth", path, "[run_presets] InterfaceBandwidth");
  if (interface.value != "CALC" && interface.value != "USER") {
    throw Error(interface.where + " `" + interface.value + "`: expected CALC or USER");
  }
  c.user_bandwidth = interface.value == "USER";
  if (c.user_bandwidth) {
    const Entry& bandwidth = arch("bandwidth", "Bandwidth (read with InterfaceBandwidth USER)");
    if (bandwidth.value.find(',') != std::string::npos) {
      throw Error(bandwidth.where + " `" + bandwidth.value +
                  "`: expected one value; qtsim has one DRAM channel (SCALE-Sim would use the first)");
    }
    c.bandwidth_words = positive(bandwidth, 100000);
    add(c, {"hardware", "dram", "bandwidth_bytes_per_cycle"}, c.bandwidth_words, bandwidth);
  }
  return c;
}

ScaleSimConfig load_scalesim_config(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Error(path + ": cannot open the SCALE-Sim configuration");
  std::ostringstream text;
  text << file.rdbuf();
  return parse_scalesim_config(text.str(), path);
}

}  // namespace qtsim
