#include "base/json_node.h"

#include <cmath>
#include <sstream>

#include "base/error.h"

namespace qtsim {

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

JsonNode::JsonNode(const Json& value, std::string source, std::string path)
    : value_(&value),
      source_(std::move(source)),
      path_(std::move(path)),
      used_keys_(std::make_shared<std::set<std::string>>()) {}

JsonNode JsonNode::child(const Json& value, std::string path) const {
  return JsonNode(value, source_, std::move(path));
}

std::string JsonNode::where() const { return path_.empty() ? source_ : source_ + ": " + path_; }

void JsonNode::fail(const std::string& problem) const { throw Error(where() + ": " + problem); }

void JsonNode::fail_value(const std::string& problem, const std::string& expected) const {
  fail(problem + ", got " + describe(*value_) + "; expected " + expected);
}

std::string JsonNode::describe(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array of " + std::to_string(value.size());
    // Strings from the command line may hold any bytes: replaced, never thrown on.
    case Json::value_t::string:
      return value.dump(-1, ' ', false, Json::error_handler_t::replace) + " (a string)";
    case Json::value_t::boolean:
      return value.dump() + " (a boolean)";
    default:
      return value.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

void JsonNode::require_object() const {
  if (!value_->is_object()) fail_value("wrong type", "an object");
}

bool JsonNode::has(const std::string& key) const {
  require_object();
  auto it = value_->find(key);
  return it != value_->end() && !it->is_null();
}

JsonNode JsonNode::at(const std::string& key) const {
  require_object();
  used_keys_->insert(key);
  auto it = value_->find(key);
  std::string child_path = path_.empty() ? key : path_ + "." + key;
  if (it == value_->end() || it->is_null()) {
    throw Error(where() + ": missing required key `" + key + "` (" + child_path + ")");
  }
  return child(*it, child_path);
}

std::optional<JsonNode> JsonNode::find(const std::string& key) const {
  require_object();
  used_keys_->insert(key);
  auto it = value_->find(key);
  if (it == value_->end() || it->is_null()) return std::nullopt;
  return child(*it, path_.empty() ? key : path_ + "." + key);
}

void JsonNode::reject_unknown_keys() const {
  require_object();
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    if (used_keys_->count(it.key())) continue;
    std::vector<std::string> valid(used_keys_->begin(), used_keys_->end());
    std::string key_path = path_.empty() ? it.key() : path_ + "." + it.key();
    throw Error(source_ + ": " + key_path + ": unknown key `" + it.key() +
                "`; valid keys here: " + (valid.empty() ? "none" : join(valid)));
  }
}

void JsonNode::require_array() const {
  if (!value_->is_array()) fail_value("wrong type", "an array");
}

std::size_t JsonNode::size() const {
  require_array();
  return value_->size();
}

JsonNode JsonNode::at(std::size_t index) const {
  require_array();
  if (index >= value_->size()) {
    fail("index " + std::to_string(index) + " out of range (" + std::to_string(value_->size()) + " entries)");
  }
  return child((*value_)[index], path_ + "[" + std::to_string(index) + "]");
}

std::int64_t JsonNode::as_int(std::int64_t min, std::int64_t max) const {
  std::ostringstream range;
  range << "an integer in [" << min << ", " << max << "]";
  std::int64_t v = 0;
  if (value_->is_number_unsigned()) {
    auto u = value_->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) fail_value("out of range", range.str());
    v = static_cast<std::int64_t>(u);
  } else if (value_->is_number_integer()) {
    v = value_->get<std::int64_t>();
  } else if (value_->is_number_float()) {
    double d = value_->get<double>();
    if (std::floor(d) != d || std::fabs(d) > 9.0e15) fail_value("not an integer", range.str());
    v = static_cast<std::int64_t>(d);
  } else {
    fail_value("wrong type", range.str());
  }
  if (v < min || v > max) fail_value("out of range", range.str());
  return v;
}

double JsonNode::as_double(double min, double max) const {
  std::ostringstream range;
  range << "a number in [" << min << ", " << max << "]";
  if (!value_->is_number()) fail_value("wrong type", range.str());
  double v = value_->get<double>();
  if (!(v >= min && v <= max)) fail_value("out of range", range.str());
  return v;
}

bool JsonNode::as_bool() const {
  if (!value_->is_boolean()) fail_value("wrong type", "true or false");
  return value_->get<bool>();
}

std::string JsonNode::as_string() const {
  if (!value_->is_string()) fail_value("wrong type", "a string");
  return value_->get<std::string>();
}

std::string JsonNode::as_choice(const std::vector<std::string>& choices) const {
  std::string expected = "one of: " + join(choices);
  if (!value_->is_string()) fail_value("wrong type", expected);
  std::string v = value_->get<std::string>();
  for (const std::string& c : choices) {
    if (c == v) return v;
  }
  fail_value("unknown name", expected);
}

std::int64_t JsonNode::get_int(const std::string& key, std::int64_t fallback, std::int64_t min,
                               std::int64_t max) const {
  auto node = find(key);
  return node ? node->as_int(min, max) : fallback;
}

double JsonNode::get_double(const std::string& key, double fallback, double min, double max) const {
  auto node = find(key);
  return node ? node->as_double(min, max) : fallback;
}

bool JsonNode::get_bool(const std::string& key, bool fallback) const {
  auto node = find(key);
  return node ? node->as_bool() : fallback;
}

std::string JsonNode::get_string(const std::string& key, const std::string& fallback) const {
  auto node = find(key);
  return node ? node->as_string() : fallback;
}

std::string JsonNode::get_choice(const std::string& key, const std::string& fallback,
                                 const std::vector<std::string>& choices) const {
  auto node = find(key);
  return node ? node->as_choice(choices) : fallback;
}

}  // namespace qtsim
