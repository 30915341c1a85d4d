#include "sim/config/overrides.h"

#include <cctype>
#include <optional>

#include "base/error.h"
#include "base/strict_json.h"

namespace qtsim {
namespace {

// The array index `component` names, if it is one below `size`.
std::optional<std::size_t> index_below(const std::string& component, std::size_t size) {
  if (component.empty() || component.size() > 18) return std::nullopt;  // 18 digits fit 64 bits
  std::size_t value = 0;
  for (char c : component) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + static_cast<std::size_t>(c - '0');
  }
  if (value >= size) return std::nullopt;
  return value;
}

}  // namespace

Override parse_override(const std::string& argument) {
  const std::string form = "expected --set key.path=value, e.g. --set hardware.mac_array.rows=32";
  auto equals = argument.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw Error("--set " + argument + ": no key path before `=`; " + form);
  }
  if (!is_valid_utf8(argument)) {
    throw Error("--set: an argument is not valid UTF-8 text; expected key.path=value in UTF-8");
  }
  Override o;
  o.text = argument;
  std::string path = argument.substr(0, equals);
  std::string value = argument.substr(equals + 1);
  std::size_t start = 0;
  while (true) {
    auto dot = path.find('.', start);
    std::string component = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (component.empty()) throw Error("--set " + argument + ": empty component in key path `" + path + "`; " + form);
    o.path.push_back(component);
    if (o.path.size() > static_cast<std::size_t>(kMaxJsonDepth)) {
      throw Error("--set: a key path of more than " + std::to_string(kMaxJsonDepth) +
                  " components; expected a key path into a qtsim configuration (at most " +
                  std::to_string(kMaxJsonDepth) + " levels)");
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  // JSON when it parses as JSON, else a string; JSON that breaks qtsim's
  // reading rules (1e309, nesting, duplicate keys) is an error, not a string.
  bool is_json = true;
  try {
    const Json parsed = Json::parse(value);
    (void)parsed;
  } catch (const Json::out_of_range&) {  // 1e309: JSON, but out of range
  } catch (const Json::exception&) {
    is_json = false;
  }
  o.value = is_json ? decode_json_text(value, "--set " + argument) : Json(value);
  return o;
}

void apply_override(Json& document, const Override& override_) {
  Json* node = &document;
  std::string walked;
  for (std::size_t i = 0; i < override_.path.size(); ++i) {
    const std::string& component = override_.path[i];
    bool last = i + 1 == override_.path.size();
    if (node->is_array()) {
      const std::optional<std::size_t> index = index_below(component, node->size());
      if (!index) {
        throw Error("--set " + override_.text + ": `" + walked + "` is an array of " + std::to_string(node->size()) +
                    "; expected an index in [0, " + std::to_string(node->size()) + ") at `" + component + "`");
      }
      node = &(*node)[*index];
    } else {
      if (node->is_null()) *node = Json::object();
      if (!node->is_object()) {
        throw Error("--set " + override_.text + ": `" + walked + "` is " + JsonNode::describe(*node) +
                    ", which has no key `" + component + "`");
      }
      node = &(*node)[component];
    }
    walked += (walked.empty() ? "" : ".") + component;
    if (last) *node = override_.value;
  }
}

}  // namespace qtsim
