#include "sim/sweep/sweep_file.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>

#include "base/error.h"
#include "base/json_file.h"

namespace qtsim {
namespace {

constexpr const char* kFormat = "qtsim-sweep";
constexpr std::int64_t kMaxValues = 1000000;  // per axis, sample or expansion

using Assignment = std::vector<std::pair<std::string, Json>>;

std::vector<std::string> split_path(const std::string& key) {
  std::vector<std::string> parts;
  std::string part;
  for (char c : key) {
    if (c == '.') {
      parts.push_back(part);
      part.clear();
    } else {
      part += c;
    }
  }
  parts.push_back(part);
  return parts;
}

// A key path (dot-separated, no empty component), read at `node`.
std::string checked_key(const JsonNode& node, const std::string& key) {
  for (const std::string& part : split_path(key)) {
    if (part.empty())
      node.fail("`" + key +
                "` is not a key path; expected dot-separated keys such as "
                "hardware.mac_array.rows");
  }
  return key;
}

// An axis key: a string holding a key path into a run document.
std::string axis_key(const JsonNode& node) { return checked_key(node, node.as_string()); }

// A number as JSON: an integer when it is one (so 16, not 16.0, reaches the
// configuration), else a double.
Json number(double v, bool integer) {
  if (integer) return static_cast<std::int64_t>(std::llround(v));
  return v;
}

// A range's value: an integer, or rounded to 12 significant digits so that
// 0.5 + 7 x 0.05 is 0.85, not 0.8500000000000001.
Json range_number(double v, bool integer) {
  if (integer) return number(v, true);
  char text[32];
  std::snprintf(text, sizeof text, "%.12g", v);
  return std::strtod(text, nullptr);
}

bool is_integer(const Json& v) { return v.is_number_integer() || v.is_number_unsigned(); }

std::vector<Json> range_values(const JsonNode& range) {
  range.require_object();
  const JsonNode from = range.at("from"), to = range.at("to");
  const double a = from.as_double(-1e300, 1e300), b = to.as_double(-1e300, 1e300);
  std::vector<Json> out;
  if (auto step = range.find("step")) {
    const double s = step->as_double(-1e300, 1e300);
    if (s == 0.0 || (b - a) / s < 0.0) step->fail_value("a step that never reaches `to`", "a step towards `to`");
    const bool integer = is_integer(from.value()) && is_integer(to.value()) && is_integer(step->value());
    const double n = std::floor((b - a) / s + 1e-9) + 1.0;
    if (n > kMaxValues) step->fail_value("too many values", "at most 1000000 per axis");
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) out.push_back(range_number(a + s * i, integer));
  } else if (auto times = range.find("times")) {
    const double f = times->as_double(1.0 + 1e-9, 1e300);
    if (a <= 0.0) from.fail_value("not positive", "a number > 0 for a geometric range");
    const bool integer = is_integer(from.value()) && is_integer(times->value());
    for (double v = a; v <= b * (1.0 + 1e-12); v *= f) {
      out.push_back(range_number(v, integer));
      if (out.size() > kMaxValues) times->fail_value("too many values", "at most 1000000 per axis");
    }
  } else {
    range.fail("expected `step` (arithmetic) or `times` (geometric)");
  }
  if (out.empty()) range.fail_value("a range with no values", "`from` and `to` in the direction of the step");
  range.reject_unknown_keys();
  return out;
}

// {"axis": K, "values" | "range": ...}: (axis, its values).
std::pair<std::string, std::vector<Json>> axis_block(const JsonNode& node) {
  node.require_object();
  const std::string key = axis_key(node.at("axis"));
  std::vector<Json> values;
  if (auto list = node.find("values")) {
    list->require_array();
    if (list->size() == 0) list->fail_value("an empty axis", "at least one value");
    for (std::size_t i = 0; i < list->size(); ++i) values.push_back(list->at(i).value());
  } else if (auto range = node.find("range")) {
    values = range_values(*range);
  } else {
    node.fail("expected `values` or `range` beside `axis`");
  }
  node.reject_unknown_keys();
  return {key, values};
}

// A generator that gives the same numbers on every platform: mt19937_64 is
// specified exactly; the standard distributions are not, so none is used.
struct Uniform {
  std::mt19937_64 engine;
  double next() { return static_cast<double>(engine() >> 11) * 0x1.0p-53; }  // [0, 1)
};

struct SampleRange {
  std::string axis;
  double min = 0, max = 0;
  bool integer = false, log = false;
  Json at(double u) const {  // u in [0, 1)
    const double v = log ? std::exp(std::log(min) + u * (std::log(max) - std::log(min))) : min + u * (max - min);
    return number(integer ? std::clamp(std::floor(v + 0.5), min, max) : v, integer);
  }
};

SampleRange sample_range(const JsonNode& node) {
  node.require_object();
  SampleRange r;
  r.axis = axis_key(node.at("axis"));
  r.min = node.at("min").as_double(-1e300, 1e300);
  r.max = node.at("max").as_double(-1e300, 1e300);
  if (!(r.min < r.max)) node.at("max").fail_value("a range with no values", "max > min");
  r.integer = node.get_bool("integer", false);
  r.log = node.get_bool("log", false);
  if (r.log && r.min <= 0.0) node.at("min").fail_value("not positive", "min > 0 for a log range");
  node.reject_unknown_keys();
  return r;
}

std::vector<Assignment> sample_block(const JsonNode& node) {
  node.require_object();
  const std::string method = node.at("method").as_choice({"random", "latin_hypercube"});
  if (!node.has("seed")) node.fail("a sample needs a `seed` (an integer), so that the sweep is the same every time");
  Uniform rng{std::mt19937_64(static_cast<std::uint64_t>(node.at("seed").as_int(0, INT64_MAX)))};
  const std::int64_t count = node.at("count").as_int(1, kMaxValues);
  const JsonNode list = node.at("ranges");
  list.require_array();
  if (list.size() == 0) list.fail_value("no ranges", "at least one {axis, min, max}");
  std::vector<SampleRange> ranges;
  for (std::size_t i = 0; i < list.size(); ++i) ranges.push_back(sample_range(list.at(i)));
  node.reject_unknown_keys();
  std::vector<Assignment> out(static_cast<std::size_t>(count));
  for (const SampleRange& r : ranges) {
    // Latin hypercube: one value in each of `count` equal strata, the strata
    // in a random order per axis (Fisher-Yates with the same generator).
    std::vector<std::int64_t> strata(static_cast<std::size_t>(count));
    for (std::int64_t i = 0; i < count; ++i) strata[static_cast<std::size_t>(i)] = i;
    if (method == "latin_hypercube") {
      for (std::int64_t i = count - 1; i > 0; --i) {
        const auto j = static_cast<std::int64_t>(rng.next() * static_cast<double>(i + 1));
        std::swap(strata[static_cast<std::size_t>(i)], strata[static_cast<std::size_t>(j)]);
      }
    }
    for (std::size_t p = 0; p < out.size(); ++p) {
      const double u = method == "random" ? rng.next() : (static_cast<double>(strata[p]) + rng.next()) / count;
      out[p].emplace_back(r.axis, r.at(u));
    }
  }
  return out;
}

std::vector<Assignment> points_block(const JsonNode& list) {
  list.require_array();
  if (list.size() == 0) list.fail_value("no points", "at least one {axis: value} object");
  std::vector<Assignment> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const JsonNode p = list.at(i);
    p.require_object();
    if (p.value().empty()) p.fail_value("an empty point", "at least one axis: value");
    Assignment a;
    for (const auto& [key, value] : p.value().items()) a.emplace_back(checked_key(p, key), value);
    out.push_back(a);
  }
  return out;
}

std::vector<Assignment> zip_block(const JsonNode& list) {
  list.require_array();
  if (list.size() < 2) list.fail_value("nothing to zip", "at least two axis blocks");
  std::vector<Assignment> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto [key, values] = axis_block(list.at(i));
    if (i == 0) out.resize(values.size());
    if (values.size() != out.size()) {
      list.at(i).fail("zipped axes differ in length: " + std::to_string(values.size()) + " values here, " +
                      std::to_string(out.size()) + " in the first");
    }
    for (std::size_t p = 0; p < values.size(); ++p) out[p].emplace_back(key, values[p]);
  }
  return out;
}

std::vector<Assignment> block(const JsonNode& node) {
  node.require_object();
  std::vector<Assignment> out;
  if (node.has("axis")) {
    const auto [key, values] = axis_block(node);
    for (const Json& v : values) out.push_back({{key, v}});
    return out;
  }
  if (auto zip = node.find("zip")) {
    out = zip_block(*zip);
  } else if (auto points = node.find("points")) {
    out = points_block(*points);
  } else if (auto sample = node.find("sample")) {
    out = sample_block(*sample);
  } else {
    node.fail("expected one of `axis`, `zip`, `points` or `sample`");
  }
  node.reject_unknown_keys();
  return out;
}

SweepFilter filter(const JsonNode& node) {
  node.require_object();
  SweepFilter f;
  f.where = node.where();
  const JsonNode keys = node.at("sum");
  keys.require_array();
  if (keys.size() == 0) keys.fail_value("nothing to sum", "at least one key path");
  for (std::size_t i = 0; i < keys.size(); ++i) f.keys.push_back(axis_key(keys.at(i)));
  if (auto min = node.find("min")) f.min = min->as_double(-1e300, 1e300);
  if (auto max = node.find("max")) f.max = max->as_double(-1e300, 1e300);
  if (!f.min && !f.max) node.fail("a filter needs `min`, `max` or both");
  node.reject_unknown_keys();
  return f;
}

RunDocumentInputs base_inputs(const JsonNode& root, const std::string& path) {
  RunDocumentInputs in;
  const std::string dir = std::filesystem::path(path).parent_path().string();
  auto base = root.find("base");
  if (!base) return in;  // the embedded default
  if (base->value().is_string()) {
    const std::string file = base->as_string();
    in.run_file = std::filesystem::path(file).is_absolute() || dir.empty()
                      ? file
                      : (std::filesystem::path(dir) / file).lexically_normal().string();
  } else if (base->value().is_object()) {
    in.run_inline = InlineRun{base->value(), path, "base", dir};
  } else {
    base->fail_value("wrong type", "a run file's path, or a run object (sections inline or as paths)");
  }
  return in;
}

// The product of the blocks' assignments, the first block outermost.
std::vector<SweepPoint> expand(const std::vector<std::vector<Assignment>>& blocks, const std::vector<std::string>& axes,
                               const JsonNode& space) {
  double total = 1;
  for (const auto& b : blocks) total *= static_cast<double>(b.size());
  if (total > kMaxValues)
    space.fail("the space expands to " + std::to_string(total) + " points; expected at most 1000000");
  std::vector<SweepPoint> points(static_cast<std::size_t>(total));
  for (std::size_t i = 0; i < points.size(); ++i) {
    std::map<std::string, Json> values;
    std::size_t rest = i;
    for (std::size_t b = blocks.size(); b-- > 0;) {
      for (const auto& [axis, value] : blocks[b][rest % blocks[b].size()]) values[axis] = value;
      rest /= blocks[b].size();
    }
    points[i].index = i;
    for (const std::string& axis : axes) {
      auto v = values.find(axis);
      if (v != values.end()) points[i].values.emplace_back(axis, v->second);
    }
  }
  return points;
}

}  // namespace

SweepFile parse_sweep_file(const Json& document, const std::string& path) {
  const JsonNode root(document, path);
  root.require_object();
  root.at("format").as_choice({kFormat});
  root.at("version").as_int(1, 1);
  SweepFile s;
  s.path = path;
  s.description = root.get_string("description", "");
  s.base = base_inputs(root, path);
  const JsonNode space = root.at("space");
  space.require_array();
  if (space.size() == 0) space.fail_value("an empty space", "at least one block");
  std::vector<std::vector<Assignment>> blocks;
  std::map<std::string, std::string> owner;  // axis -> the block that assigns it
  for (std::size_t i = 0; i < space.size(); ++i) {
    blocks.push_back(block(space.at(i)));
    for (const Assignment& a : blocks.back()) {
      for (const auto& [axis, value] : a) {
        auto [it, inserted] = owner.emplace(axis, space.at(i).where());
        if (!inserted && it->second != space.at(i).where()) {
          space.at(i).fail("axis " + axis + " is also given by " + it->second + "; expected each axis in one block");
        }
        if (inserted) s.axes.push_back(axis);
      }
    }
  }
  s.points = expand(blocks, s.axes, space);
  if (auto filters = root.find("filters")) {
    filters->require_array();
    for (std::size_t i = 0; i < filters->size(); ++i) s.filters.push_back(filter(filters->at(i)));
  }
  root.reject_unknown_keys();
  return s;
}

SweepFile load_sweep_file(const std::string& path) { return parse_sweep_file(read_json_file(path), path); }

RunDocument point_document(const SweepFile& sweep, const SweepPoint& point) {
  RunDocumentInputs in = sweep.base;
  for (const auto& [axis, value] : point.values) {
    in.overrides.push_back(Override{split_path(axis), value, axis + "=" + value.dump()});
  }
  return load_run_document(in);
}

std::string describe(const SweepPoint& point) {
  std::string out;
  for (const auto& [axis, value] : point.values) out += (out.empty() ? "" : " ") + axis + "=" + value.dump();
  return out;
}

bool passes_filters(const SweepFile& sweep, const Json& resolved) {
  for (const SweepFilter& f : sweep.filters) {
    double sum = 0;
    for (const std::string& key : f.keys) {
      const Json* v = &resolved;
      for (const std::string& part : split_path(key)) {
        if (v->is_object() && v->contains(part)) {
          v = &v->at(part);
        } else if (v->is_array() && !part.empty() && std::all_of(part.begin(), part.end(), ::isdigit) &&
                   std::stoul(part) < v->size()) {
          v = &v->at(std::stoul(part));
        } else {
          v = nullptr;
          break;
        }
      }
      if (!v || !v->is_number()) {
        throw Error(f.where + ": " + key + " is not a number of the resolved configuration (config.json)");
      }
      sum += v->get<double>();
    }
    if ((f.min && sum < *f.min) || (f.max && sum > *f.max)) return false;
  }
  return true;
}

}  // namespace qtsim
