#include "hw_models/config/mapper_config.h"

namespace qtsim {
namespace {

constexpr std::int64_t kMaxTile = std::int64_t{1} << 40;

MapperPin parse_pin(const JsonNode& node, std::size_t index) {
  node.require_object();
  const MapperPin fallback;
  MapperPin pin;
  pin.key = "mapper.pins[" + std::to_string(index) + "]";
  pin.layer = node.get_string("layer", "");
  if (pin.layer.empty()) node.fail("missing or empty `layer`: the name of a conv or fully_connected layer");
  pin.phase = node.get_choice("phase", fallback.phase, MapperConfig::kPhases);
  pin.order = node.get_choice("order", fallback.order, MapperConfig::kOrders);
  pin.samples = node.get_int("samples", 0, 0, kMaxTile);
  pin.rows = node.get_int("rows", 0, 0, kMaxTile);
  pin.cols = node.get_int("cols", 0, 0, kMaxTile);
  pin.p = node.get_int("p", 0, 0, kMaxTile);
  pin.q = node.get_int("q", 0, 0, kMaxTile);
  node.reject_unknown_keys();
  return pin;
}

}  // namespace

MapperConfig parse_mapper_config(const JsonNode& node) {
  node.require_object();
  const MapperConfig fallback;
  MapperConfig c;
  c.objective = node.get_choice("objective", fallback.objective, MapperConfig::kObjectives);
  if (auto pins = node.find("pins")) {
    pins->require_array();
    for (std::size_t i = 0; i < pins->size(); ++i) c.pins.push_back(parse_pin(pins->at(i), i));
  }
  node.reject_unknown_keys();
  return c;
}

Json to_json(const MapperConfig& config) {
  Json pins = Json::array();
  for (const MapperPin& p : config.pins) {
    pins.push_back({{"layer", p.layer},
                    {"phase", p.phase},
                    {"order", p.order},
                    {"samples", p.samples},
                    {"rows", p.rows},
                    {"cols", p.cols},
                    {"p", p.p},
                    {"q", p.q}});
  }
  return Json{{"objective", config.objective}, {"pins", pins}};
}

}  // namespace qtsim
