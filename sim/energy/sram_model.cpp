#include "sim/energy/sram_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
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

// How a buffer priced from the table's points relates to them: read when a
// point of every kind sits at its capacity and width, extrapolated when its
// capacity lies outside the points' range, interpolated otherwise.
SramStatus table_status(const EnergyTable& table, std::int64_t capacity_bytes, int word_bits) {
  std::set<std::string> exact;
  std::int64_t lo = capacity_bytes, hi = capacity_bytes;
  bool any = false;
  for (const EnergyEntry* e : table.group("sram")) {
    lo = any ? std::min(lo, e->capacity_bytes) : e->capacity_bytes;
    hi = any ? std::max(hi, e->capacity_bytes) : e->capacity_bytes;
    any = true;
    if (e->capacity_bytes == capacity_bytes && (e->access == "leakage" || e->word_bits == word_bits)) {
      exact.insert(e->access);
    }
  }
  if (exact.size() == 3) return SramStatus::read;
  return capacity_bytes < lo || capacity_bytes > hi ? SramStatus::extrapolated : SramStatus::interpolated;
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

BufferPrice buffer_price(const EnergyTable& table, const HardwareConfig& hw, Operand o, std::set<std::string>* used) {
  const BufferConfig& b = hw.buffers.at(o);
  const std::string why = std::string("buffers.") + to_string(o) + ": " + std::to_string(b.capacity_bytes) +
                          " bytes of " + std::to_string(b.word_bits) + "-bit words";
  BufferPrice out;
  const EnergyConfig::Sram& s = hw.energy.sram;
  if (s.source == "table") {
    out.read_pj = sram_access_pj(table, "read", b.capacity_bytes, b.word_bits, why, used);
    out.write_pj = sram_access_pj(table, "write", b.capacity_bytes, b.word_bits, why, used);
    out.leakage_mw = sram_leakage_mw(table, b.capacity_bytes, why, used);
    out.status = table_status(table, b.capacity_bytes, b.word_bits);
    return out;
  }
  out.from_cacti = true;
  out.query = SramQuery{s.node_nm,        s.corner.at(0), b.ports == 1 ? SramPorts::one_rw : SramPorts::one_r_one_w,
                        b.capacity_bytes, b.word_bits,    b.banks};
  if (b.ports > 2 && !s.allow_extrapolation) {
    throw Error(std::string("buffers.") + to_string(o) + ".ports: the CACTI table has SRAMs of 1 and 2 ports, got " +
                std::to_string(b.ports) + "; expected 1 or 2, or energy.sram.allow_extrapolation true (priced as 2)");
  }
  out.cacti = CactiTable::builtin().price(out.query, s.allow_extrapolation, std::string("buffers.") + to_string(o));
  if (b.ports > 2) out.cacti.status = SramStatus::extrapolated;
  const SramFigures& f = out.cacti.figures;
  out.read_pj = f.read_pj;
  out.write_pj = f.write_pj;
  out.leakage_mw = s.leakage == "subthreshold" ? f.leakage_subthreshold_mw : f.leakage_mw;
  out.status = out.cacti.status;
  out.area_mm2 = f.area_mm2;
  out.cycle_ns = f.cycle_ns;
  return out;
}

bool meets_clock(const BufferPrice& price, double clock_mhz) {
  return !price.from_cacti || price.cycle_ns <= 1000.0 / clock_mhz;
}

std::vector<std::string> sram_warnings(const EnergyTable& table, const HardwareConfig& hw) {
  std::vector<std::string> out;
  for (Operand o : kOperands) {
    const BufferPrice b = buffer_price(table, hw, o, nullptr);
    char line[320];
    if (!meets_clock(b, hw.clock_mhz)) {
      std::snprintf(
          line, sizeof line,
          "buffers.%s: CACTI cycle time %.6g ns exceeds the %.6g MHz clock's %.6g ns period (corner %s, %d nm): "
          "the SRAM could not take an access every cycle; it is priced and timed as if it could",
          to_string(o), b.cycle_ns, hw.clock_mhz, 1000.0 / hw.clock_mhz, hw.energy.sram.corner.c_str(),
          hw.energy.sram.node_nm);
      out.emplace_back(line);
    }
    const int banks = b.query.banks;
    if (b.from_cacti && b.query.corner != 'a' && banks != 1 && banks != 4 && banks != 16) {
      std::snprintf(line, sizeof line,
                    "buffers.%s: %d banks lies between the CACTI table's 1, 4 and 16 banks: at corner %c its "
                    "interpolated leakage is unreliable (against CACTI runs at 2 and 8 banks, corner b: median "
                    "error 42%%, up to 2.4x); prefer 1, 4 or 16 banks",
                    to_string(o), banks, b.query.corner);
      out.emplace_back(line);
    }
  }
  return out;
}

}  // namespace qtsim
