#include "sim/energy/cacti_table.h"

#include <charconv>
#include <cmath>
#include <set>
#include <sstream>
#include <tuple>

#include "base/embedded.h"
#include "base/error.h"
#include "sim/energy/embedded_tables.h"

namespace qtsim {
namespace {

constexpr const char* kColumns =
    "tech_nm,capacity_bytes,width_bits,banks,cell_type,periph_type,temperature_k,read_pj,write_pj,"
    "leakage_subthreshold_mw,leakage_gate_mw,leakage_mw,area_mm2,access_ns,cycle_ns,max_mhz,status";

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1) {
    out.push_back(line.substr(start, comma - start));
  }
  out.push_back(line.substr(start));
  return out;
}

// (The message is built only on an error: the table has thousands of numbers.)
double number(const std::string& text, const std::string& where, const char* column) {
  double v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(v) && v > 0) return v;
  throw Error(where + ": " + column + ": not a positive number, got \"" + text + "\"");
}

char corner_of(const std::string& cell, const std::string& periph, const std::string& temperature) {
  if (cell == "itrs-hp" && periph == "itrs-hp" && temperature == "360") return 'a';
  if (cell == "itrs-lstp" && periph == "itrs-hp" && temperature == "300") return 'b';
  if (cell == "itrs-lop" && periph == "itrs-lop" && temperature == "300") return 'c';
  if (cell == "itrs-lstp" && periph == "itrs-lstp" && temperature == "300") return 'd';
  return 0;
}

// One axis of the grid: the bracketing grid values of a query value and
// their weights (two, or one on a grid value), and how far outside it lies.
struct Bracket {
  std::array<std::int64_t, 2> at{0, 0};
  std::array<double, 2> weight{1, 0};
  int count = 1;
  double outside = 1;
};

Bracket bracket(const std::set<std::int64_t>& grid, double value) {
  const std::vector<std::int64_t> g(grid.begin(), grid.end());
  Bracket b;
  for (std::int64_t x : g) {
    if (static_cast<double>(x) == value) {
      b.at[0] = x;
      return b;
    }
  }
  std::size_t hi = 1;
  while (hi + 1 < g.size() && static_cast<double>(g[hi]) < value) ++hi;
  const double l0 = std::log2(static_cast<double>(g[hi - 1])), l1 = std::log2(static_cast<double>(g[hi]));
  const double t = (std::log2(value) - l0) / (l1 - l0);
  b.at = {g[hi - 1], g[hi]};
  b.weight = {1 - t, t};
  b.count = 2;
  if (value < static_cast<double>(g.front())) b.outside = static_cast<double>(g.front()) / value;
  if (value > static_cast<double>(g.back())) b.outside = value / static_cast<double>(g.back());
  return b;
}

Error outside_error(const SramQuery& q, const std::string& why) {
  return Error(why + ": " + std::to_string(q.capacity_bytes) + " bytes, " + std::to_string(q.width_bits) +
               "-bit words, " + std::to_string(q.banks) + " banks lies outside the CACTI table (1 KiB-4 MiB, " +
               "32-256 bits, 1-16 banks); expected a buffer inside it, or energy.sram.allow_extrapolation true");
}

std::string point_name(const SramQuery& q, const std::array<std::int64_t, 3>& key) {
  return std::to_string(q.node_nm) + "nm " + std::string(1, q.corner) + " " + to_string(q.ports) + " " +
         std::to_string(key[0]) + "B " + std::to_string(key[1]) + "b " + std::to_string(key[2]) + "bank";
}

}  // namespace

const char* to_string(SramPorts ports) { return ports == SramPorts::one_rw ? "1rw" : "1r1w"; }

const char* to_string(SramStatus status) {
  switch (status) {
    case SramStatus::read:
      return "read";
    case SramStatus::interpolated:
      return "interpolated";
    case SramStatus::extrapolated:
      return "extrapolated";
  }
  return "read";
}

void CactiTable::add_csv(const std::string& text, const std::string& name, SramPorts ports) {
  std::stringstream lines(text);
  std::string line;
  std::getline(lines, line);
  if (line.rfind(kColumns, 0) != 0) throw Error(name + ": line 1: not the CACTI table's header");
  for (int number_of_line = 2; std::getline(lines, line); ++number_of_line) {
    if (line.empty()) continue;
    const std::string where = name + ": line " + std::to_string(number_of_line);
    const std::vector<std::string> f = split(line);
    if (f.size() < 17) throw Error(where + ": " + std::to_string(f.size()) + " fields; expected at least 17");
    const char corner = corner_of(f[4], f[5], f[6]);
    if (corner == 0) throw Error(where + ": unknown corner " + f[4] + "/" + f[5] + "/" + f[6] + " K");
    const int node = static_cast<int>(number(f[0], where, "tech_nm"));
    Point p;
    p.ok = f[16] == "ok";
    if (p.ok) {
      SramFigures& s = p.figures;
      s.read_pj = number(f[7], where, "read_pj");
      s.write_pj = number(f[8], where, "write_pj");
      s.leakage_subthreshold_mw = number(f[9], where, "leakage_subthreshold_mw");
      s.leakage_gate_mw = number(f[10], where, "leakage_gate_mw");
      s.leakage_mw = number(f[11], where, "leakage_mw");
      s.area_mm2 = number(f[12], where, "area_mm2");
      s.cycle_ns = number(f[14], where, "cycle_ns");
    }
    const std::array<std::int64_t, 3> key{static_cast<std::int64_t>(number(f[1], where, "capacity_bytes")),
                                          static_cast<std::int64_t>(number(f[2], where, "width_bits")),
                                          static_cast<std::int64_t>(number(f[3], where, "banks"))};
    Grid& grid = grids_[{node, corner, static_cast<int>(ports)}];
    grid.points[key] = p;
    for (std::size_t a = 0; a < 3; ++a) grid.axes[a].insert(key[a]);
  }
  names_.push_back(name);
}

const CactiTable& CactiTable::builtin() {
  static const CactiTable table = [] {
    CactiTable t;
    for (const EmbeddedFile& f : embedded_sram_tables()) {
      const std::string path(f.path);
      const bool one_rw = path.find("_1rw") != std::string::npos;
      t.add_csv(std::string(f.bytes), path, one_rw ? SramPorts::one_rw : SramPorts::one_r_one_w);
    }
    return t;
  }();
  return table;
}

SramPrice CactiTable::price(const SramQuery& q, bool allow_extrapolation, const std::string& why) const {
  const auto grid = grids_.find({q.node_nm, q.corner, static_cast<int>(q.ports)});
  if (grid == grids_.end()) {
    throw Error(why + ": no CACTI data at " + std::to_string(q.node_nm) + " nm, corner " + std::string(1, q.corner) +
                ", " + to_string(q.ports) +
                " ports; the table has 45, 32 and 22 nm for two ports (1r1w) and 45 nm "
                "for one read/write port (1rw)");
  }
  const std::array<std::set<std::int64_t>, 3>& axes = grid->second.axes;
  const std::array<double, 3> value{static_cast<double>(q.capacity_bytes), static_cast<double>(q.width_bits),
                                    static_cast<double>(q.banks)};
  std::array<Bracket, 3> b;
  SramPrice out;
  bool on_grid = true;
  for (std::size_t a = 0; a < 3; ++a) {
    b[a] = bracket(axes[a], value[a]);
    out.outside[a] = b[a].outside;
    on_grid = on_grid && b[a].count == 1;
    if (b[a].outside > 1) out.status = SramStatus::extrapolated;
  }
  if (out.status == SramStatus::extrapolated && !allow_extrapolation) throw outside_error(q, why);
  if (out.status != SramStatus::extrapolated) out.status = on_grid ? SramStatus::read : SramStatus::interpolated;
  std::array<double, 7> log_sum{};
  for (int i = 0; i < b[0].count; ++i) {
    for (int j = 0; j < b[1].count; ++j) {
      for (int k = 0; k < b[2].count; ++k) {
        const std::array<std::int64_t, 3> key{b[0].at[i], b[1].at[j], b[2].at[k]};
        const auto p = grid->second.points.find(key);
        if (p == grid->second.points.end() || !p->second.ok) {
          throw Error(why + ": CACTI has no organisation for " + point_name(q, key) +
                      " (16 or fewer words per "
                      "bank), which this buffer's price needs; expected fewer banks or narrower words");
        }
        const double w = b[0].weight[i] * b[1].weight[j] * b[2].weight[k];
        const SramFigures& f = p->second.figures;
        const std::array<double, 7> v{f.read_pj,  f.write_pj,  f.leakage_subthreshold_mw, f.leakage_gate_mw, f.area_mm2,
                                      f.cycle_ns, f.leakage_mw};
        for (std::size_t n = 0; n < v.size(); ++n) log_sum[n] += w * std::log(v[n]);
        out.points.push_back(point_name(q, key));
      }
    }
  }
  if (on_grid) {
    out.figures = grid->second.points.at({b[0].at[0], b[1].at[0], b[2].at[0]}).figures;  // exactly the table's values
    return out;
  }
  SramFigures& f = out.figures;
  f.read_pj = std::exp(log_sum[0]);
  f.write_pj = std::exp(log_sum[1]);
  f.leakage_subthreshold_mw = std::exp(log_sum[2]);
  f.leakage_gate_mw = std::exp(log_sum[3]);
  f.area_mm2 = std::exp(log_sum[4]);
  f.cycle_ns = std::exp(log_sum[5]);
  f.leakage_mw = std::exp(log_sum[6]);
  return out;
}

}  // namespace qtsim
