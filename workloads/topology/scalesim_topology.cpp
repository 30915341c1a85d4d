#include "workloads/topology/scalesim_topology.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

#include "base/error.h"
#include "base/text.h"

namespace qtsim {

namespace {

constexpr std::int64_t kMaxDim = std::int64_t{1} << 24;
constexpr std::int64_t kMaxLayers = 100000;

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) out.push_back(trim(field));
  if (!line.empty() && line.back() == ',') out.push_back("");
  return out;
}

TopologyFormat detect_format(const std::vector<std::string>& header, const std::string& where) {
  if (header.size() >= 4 && lower(header[1]) == "m" && lower(header[2]) == "n" && lower(header[3]) == "k") {
    return TopologyFormat::gemm;
  }
  if (header.size() >= 8 && lower(header[1]).find("ifmap") != std::string::npos) return TopologyFormat::conv;
  throw Error(where +
              ": line 1: not a SCALE-Sim topology header; expected `Layer name, IFMAP Height, IFMAP Width, "
              "Filter Height, Filter Width, Channels, Num Filter, Strides,` (conv) or `Layer, M, N, K,` "
              "(gemm), or give the format with --topology-format");
}

std::int64_t number(const std::string& field, const std::string& where, const char* what) {
  std::int64_t value = 0;
  const char* end = field.data() + field.size();
  const auto [ptr, ec] = std::from_chars(field.data(), end, value);
  if (field.empty() || ec != std::errc() || ptr != end || value < 1 || value > kMaxDim) {
    throw Error(where + ": " + what + " `" + field + "`: expected an integer in [1, " + std::to_string(kMaxDim) + "]");
  }
  return value;
}

// SCALE-Sim's output size and GEMM; the MACs must fit 62 bits.
void finish(TopologyLayer& l, const std::string& where) {
  l.out_h = (l.in_h - l.filter_h + l.stride_h + l.stride_h - 1) / l.stride_h;
  l.out_w = (l.in_w - l.filter_w + l.stride_w + l.stride_w - 1) / l.stride_w;
  l.m = l.out_h * l.out_w;  // each at most 2^24: no overflow
  l.n = l.filters;
  std::int64_t macs = 0;
  if (__builtin_mul_overflow(l.filter_h * l.filter_w, l.channels, &l.k) || __builtin_mul_overflow(l.m, l.k, &macs) ||
      __builtin_mul_overflow(macs, l.n, &macs) || macs > (std::int64_t{1} << 62)) {
    throw Error(where + ": the layer's GEMM (M x K x N) has more than 2^62 MACs");
  }
}

TopologyLayer parse_row(const std::vector<std::string>& f, bool gemm, const std::string& where) {
  // f excludes the (empty) field after the trailing comma.
  TopologyLayer l;
  l.name = f[0];
  if (l.name.empty()) throw Error(where + ": the layer name is empty");
  if (gemm) {
    if (f.size() != 4)
      throw Error(where + ": expected `name, M, N, K,` (3 numbers), got " + std::to_string(f.size() - 1));
    l.gemm = true;
    l.in_h = number(f[1], where, "M");
    l.filters = number(f[2], where, "N");
    l.in_w = l.filter_w = number(f[3], where, "K");
    l.filter_h = l.channels = 1;
  } else {
    if (f.size() != 8 && f.size() != 9) {
      throw Error(where +
                  ": expected `name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
                  "Num Filter, Strides,` (7 numbers, or 8 with the column stride), got " +
                  std::to_string(f.size() - 1) + " fields");
    }
    const char* names[] = {"IFMAP Height", "IFMAP Width", "Filter Height", "Filter Width",
                           "Channels",     "Num Filter",  "Strides",       "column stride"};
    std::int64_t v[8] = {};
    for (std::size_t i = 1; i < f.size(); ++i) v[i - 1] = number(f[i], where, names[i - 1]);
    l.in_h = v[0], l.in_w = v[1], l.filter_h = v[2], l.filter_w = v[3], l.channels = v[4], l.filters = v[5];
    l.stride_h = v[6];
    l.stride_w = f.size() == 9 ? v[7] : v[6];
    if (l.filter_h > l.in_h || l.filter_w > l.in_w) {
      throw Error(where + ": the filter (" + std::to_string(l.filter_h) + " x " + std::to_string(l.filter_w) +
                  ") is larger than the IFMAP (" + std::to_string(l.in_h) + " x " + std::to_string(l.in_w) + ")");
    }
  }
  finish(l, where);
  return l;
}

}  // namespace

bool TopologyLayer::reads_past_edge() const {
  return (in_h - filter_h) % stride_h != 0 || (in_w - filter_w) % stride_w != 0;
}

TopologyFormat parse_topology_format(const std::string& text, const std::string& option) {
  if (text == "detect") return TopologyFormat::detect;
  if (text == "conv") return TopologyFormat::conv;
  if (text == "gemm") return TopologyFormat::gemm;
  throw Error(option + " " + text + ": expected detect, conv or gemm");
}

std::vector<TopologyLayer> parse_scalesim_topology(const std::string& text, const std::string& path,
                                                   TopologyFormat format) {
  std::istringstream in(text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? text.substr(3) : text);
  std::string line;
  int number_of_line = 0;
  std::vector<TopologyLayer> layers;
  while (std::getline(in, line)) {
    ++number_of_line;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string where = path + ": line " + std::to_string(number_of_line);
    std::vector<std::string> fields = split_fields(line);
    if (number_of_line == 1) {
      if (format == TopologyFormat::detect) format = detect_format(fields, path);
      continue;
    }
    if (trim(line).empty()) continue;
    if (fields.back() != "") {
      throw Error(where + ": expected the row to end in a comma (SCALE-Sim drops the last field of every row)");
    }
    fields.pop_back();
    TopologyLayer layer = parse_row(fields, format == TopologyFormat::gemm, where);
    layer.line = number_of_line;
    if (!layer.gemm && layer.name.find("DP") != std::string::npos) {
      const std::int64_t channels = layer.channels;
      if (static_cast<std::int64_t>(layers.size()) + channels > kMaxLayers) {
        throw Error(where + ": the depthwise layer `" + layer.name + "` (its name holds `DP`) expands into " +
                    std::to_string(channels) + " layers; expected at most " + std::to_string(kMaxLayers) +
                    " layers in all");
      }
      for (std::int64_t c = 0; c < channels; ++c) {
        TopologyLayer one = layer;
        one.name = layer.name + "Channel_" + std::to_string(c);
        one.channels = 1;
        finish(one, where);
        layers.push_back(one);
      }
    } else {
      if (static_cast<std::int64_t>(layers.size()) >= kMaxLayers) {
        throw Error(where + ": more than " + std::to_string(kMaxLayers) + " layers");
      }
      layers.push_back(layer);
    }
  }
  if (number_of_line == 0) throw Error(path + ": empty; expected a SCALE-Sim topology (a header line, then layers)");
  if (layers.empty()) throw Error(path + ": no layers after the header line");
  return layers;
}

std::vector<TopologyLayer> load_scalesim_topology(const std::string& path, TopologyFormat format) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Error(path + ": cannot open the topology file");
  std::ostringstream text;
  text << file.rdbuf();
  return parse_scalesim_topology(text.str(), path, format);
}

}  // namespace qtsim
