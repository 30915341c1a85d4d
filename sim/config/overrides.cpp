#include "sim/config/overrides.h"

#include <cctype>

#include "sim/common/error.h"

namespace qtsim {
namespace {

bool is_index(const std::string& component) {
  if (component.empty()) return false;
  for (char c : component) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

Override parse_override(const std::string& argument) {
  const std::string form = "expected --set key.path=value, e.g. --set hardware.mac_array.rows=32";
  auto equals = argument.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw Error("--set " + argument + ": no key path before `=`; " + form);
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
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  Json parsed = Json::parse(value, nullptr, /*allow_exceptions=*/false);
  o.value = parsed.is_discarded() ? Json(value) : parsed;
  return o;
}

void apply_override(Json& document, const Override& override_) {
  Json* node = &document;
  std::string walked;
  for (std::size_t i = 0; i < override_.path.size(); ++i) {
    const std::string& component = override_.path[i];
    bool last = i + 1 == override_.path.size();
    if (node->is_array()) {
      if (!is_index(component) || std::stoull(component) >= node->size()) {
        throw Error("--set " + override_.text + ": `" + walked + "` is an array of " + std::to_string(node->size()) +
                    "; expected an index in [0, " + std::to_string(node->size()) + ") at `" + component + "`");
      }
      node = &(*node)[std::stoull(component)];
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
