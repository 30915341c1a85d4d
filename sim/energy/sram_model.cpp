#include "sim/energy/sram_model.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "base/error.h"

namespace qtsim {
namespace {

struct Point {
  double capacity;
  double value;  // per bit for accesses, mW for leakage
  std::string path;
};

double interpolate(const EnergyTable& table, const std::string& access, std::int64_t capacity_bytes,
                   const std::string& why, std::set<std::string>* used) {
  std::vector<Point> points;
  for (const EnergyEntry* e : table.group("sram")) {
    if (e->access != access) continue;
    const double value = access == "leakage" ? e->value : e->value / e->word_bits;
    points.push_back(Point{static_cast<double>(e->capacity_bytes), value, e->path()});
  }
  if (points.size() < 2) {
    throw Error(table.reference() + ": entries.sram: " + std::to_string(points.size()) + " " + access +
                " point(s); expected at least two to interpolate a buffer of " + std::to_string(capacity_bytes) +
                " bytes (" + why + ")");
  }
  std::sort(points.begin(), points.end(), [](const Point& a, const Point& b) { return a.capacity < b.capacity; });
  const double c = static_cast<double>(capacity_bytes);
  std::size_t hi = 1;
  while (hi + 1 < points.size() && points[hi].capacity < c) ++hi;
  const Point& p0 = points[hi - 1];
  const Point& p1 = points[hi];
  if (c == p0.capacity || c == p1.capacity) {
    const Point& p = c == p0.capacity ? p0 : p1;
    if (used) used->insert(p.path);
    return p.value;
  }
  if (used) {
    used->insert(p0.path);
    used->insert(p1.path);
  }
  const double t = std::log(c / p0.capacity) / std::log(p1.capacity / p0.capacity);
  return std::exp(std::log(p0.value) + t * (std::log(p1.value) - std::log(p0.value)));
}

}  // namespace

double sram_access_pj(const EnergyTable& table, const std::string& access, std::int64_t capacity_bytes, int word_bits,
                      const std::string& why, std::set<std::string>* used) {
  return interpolate(table, access, capacity_bytes, why, used) * word_bits;
}

double sram_leakage_mw(const EnergyTable& table, std::int64_t capacity_bytes, const std::string& why,
                       std::set<std::string>* used) {
  return interpolate(table, "leakage", capacity_bytes, why, used);
}

}  // namespace qtsim
