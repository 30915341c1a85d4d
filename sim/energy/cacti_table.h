#pragma once
// CactiTable: SRAM figures from CACTI 7 (sim/energy/tables/cacti7/README.md)
// and the rule that prices any buffer from them (sim/energy/README.md, "SRAM
// from CACTI"). Plain C++; loaded once per run by the energy model.
//
// The table: for each technology node (45, 32, 22 nm), corner (a: itrs-hp
// cells and periphery at 360 K, Bit Fusion's sweep and the pessimistic one;
// b: itrs-lstp cells, itrs-hp periphery, 300 K; c: itrs-lop at 300 K; d:
// itrs-lstp cells and periphery at 300 K) and port configuration (two ports,
// one read and one write, at every node; one read/write port at 45 nm), a
// grid of capacity (1 KiB .. 4 MiB, powers of two) x access width (32 .. 256
// bits) x banks (1, 4, 16), each point read energy, write energy,
// subthreshold and gate leakage, area and cycle time, or refused by CACTI.
//
// Pricing rule: ln(value) is multilinear in (log2 capacity, log2 width,
// log2 banks) between the grid points that bracket the buffer on each axis
// (a power law along each axis); a buffer on a grid point gets that point's
// values exactly. Total leakage and its subthreshold and gate parts are
// each interpolated on their own. Status: `read` (a grid point), `interpolated`,
// or `extrapolated` (outside the grid on some axis: the nearest segment of
// that axis extended; allowed only when the caller allows it, else an
// Error); a bracketing point that CACTI refused is an Error either way (the
// buffer's neighbourhood has no data).
#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace qtsim {

enum class SramPorts { one_rw, one_r_one_w };
const char* to_string(SramPorts ports);  // "1rw", "1r1w"

struct SramQuery {
  int node_nm = 45;
  char corner = 'b';  // 'a' .. 'd'
  SramPorts ports = SramPorts::one_rw;
  std::int64_t capacity_bytes = 65536;
  int width_bits = 64;
  int banks = 4;
};

struct SramFigures {
  double read_pj = 0, write_pj = 0;
  // The table's total (`leakage_mw`, subthreshold + gate as CACTI printed
  // them, to 6 digits) and its two parts, each interpolated on its own.
  double leakage_mw = 0, leakage_subthreshold_mw = 0, leakage_gate_mw = 0;
  double area_mm2 = 0, cycle_ns = 0;
};

enum class SramStatus { read, interpolated, extrapolated };
const char* to_string(SramStatus status);  // "read", "interpolated", "extrapolated"

struct SramPrice {
  SramFigures figures;
  SramStatus status = SramStatus::read;
  // Per axis (capacity, width, banks): how far outside the grid, as a factor
  // (1: inside; 2: twice the largest or half the smallest grid value).
  std::array<double, 3> outside{1, 1, 1};
  std::vector<std::string> points;  // the grid points used, e.g. "45nm b 1rw 65536B 64b 4bank"
};

class CactiTable {
 public:
  // The tables shipped with the program (embedded).
  static const CactiTable& builtin();
  // A table in the shipped CSV format; `name` names it in messages. `ports`
  // says which port configuration its rows hold.
  void add_csv(const std::string& text, const std::string& name, SramPorts ports);

  // Prices `query`; `why` says which buffer (for messages). Throws Error
  // when the node, corner or port configuration has no data, when a
  // bracketing point was refused by CACTI, or when the buffer lies outside
  // the grid and `allow_extrapolation` is false.
  SramPrice price(const SramQuery& query, bool allow_extrapolation, const std::string& why) const;

 private:
  struct Point {
    bool ok = false;
    SramFigures figures;
  };
  // One (node, corner, ports): (capacity, width, banks) -> point, and the
  // values present on each axis.
  struct Grid {
    std::map<std::array<std::int64_t, 3>, Point> points;
    std::array<std::set<std::int64_t>, 3> axes;
  };
  std::map<std::tuple<int, char, int>, Grid> grids_;
  std::vector<std::string> names_;
};

}  // namespace qtsim
