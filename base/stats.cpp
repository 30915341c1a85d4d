#include "base/stats.h"

namespace qtsim {

Json stats_json(const std::vector<StatGroup>& groups) {
  Json out = Json::object();
  for (const StatGroup& g : groups) {
    Json& component = out[g.component];
    component = Json::object();
    for (const Stat& s : g.stats) {
      component[s.name] = Json{{"value", s.value}, {"unit", s.unit}, {"description", s.description}};
    }
  }
  return out;
}

Json values_json(const StatGroup& group) {
  Json out = Json::object();
  for (const Stat& s : group.stats) out[s.name] = s.value;
  return out;
}

}  // namespace qtsim
