// CactiTable against CACTI itself between the grid: 96 SRAMs that are not grid
// points (capacities such as 3, 12, 48, 96 and 384 KiB, 2 and 8 banks, 48- and
// 96-bit words), run through the same CACTI 7 build and template as the table
// (tests/fixtures/energy/cacti7_heldout/README.md). The interpolation's error
// on them is measured and bounded here, per quantity, by what it was when the
// rule was adopted (sim/energy/README.md, "SRAM from CACTI": accuracy).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <vector>

#include "base/error.h"
#include "sim/energy/cacti_table.h"
#include "tests/unit/process.h"

namespace qtsim {
namespace {

struct HeldOut {
  SramQuery query;
  SramFigures truth;
};

std::vector<HeldOut> held_out_points() {
  const std::string text =
      test::slurp(std::string(QTSIM_SOURCE_DIR) + "/tests/fixtures/energy/cacti7_heldout/cacti7_heldout.csv");
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);  // header: the table's columns, then ports and corner
  std::vector<HeldOut> out;
  while (std::getline(in, line)) {
    std::vector<std::string> c;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) c.push_back(cell);
    if (c.size() != 19 || c[16] != "ok") continue;
    HeldOut h;
    h.query = SramQuery{std::stoi(c[0]),  c[18].at(0),     c[17] == "1rw" ? SramPorts::one_rw : SramPorts::one_r_one_w,
                        std::stoll(c[1]), std::stoi(c[2]), std::stoi(c[3])};
    h.truth.read_pj = std::stod(c[7]);
    h.truth.write_pj = std::stod(c[8]);
    h.truth.leakage_mw = std::stod(c[11]);
    h.truth.area_mm2 = std::stod(c[12]);
    h.truth.cycle_ns = std::stod(c[14]);
    out.push_back(h);
  }
  return out;
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1];
}

struct Errors {
  std::vector<double> read, write, leakage, area;
};

void print(const char* group, const Errors& e) {
  for (const auto& [name, v] : {std::pair<const char*, const std::vector<double>*>{"read", &e.read},
                                {"write", &e.write},
                                {"leakage", &e.leakage},
                                {"area", &e.area}}) {
    std::printf("%-28s %-8s n=%2zu median %5.1f%%  p90 %5.1f%%  max %5.1f%%\n", group, name, v->size(),
                100 * quantile(*v, 0.5), 100 * quantile(*v, 0.9), 100 * quantile(*v, 1.0));
  }
}

// Relative errors of the interpolated figures, grouped by corner and by
// whether the bank count is one of the table's (1, 4, 16).
std::map<std::pair<char, bool>, Errors> interpolation_errors() {
  std::map<std::pair<char, bool>, Errors> out;
  for (const HeldOut& h : held_out_points()) {
    const SramPrice p = CactiTable::builtin().price(h.query, false, "held-out");
    EXPECT_EQ(p.status, SramStatus::interpolated);
    const auto err = [](double model, double truth) { return std::fabs(model / truth - 1.0); };
    const bool grid_banks = h.query.banks == 1 || h.query.banks == 4 || h.query.banks == 16;
    Errors& e = out[{h.query.corner, grid_banks}];
    e.read.push_back(err(p.figures.read_pj, h.truth.read_pj));
    e.write.push_back(err(p.figures.write_pj, h.truth.write_pj));
    e.leakage.push_back(err(p.figures.leakage_mw, h.truth.leakage_mw));
    e.area.push_back(err(p.figures.area_mm2, h.truth.area_mm2));
  }
  return out;
}

TEST(CactiHeldOut, InterpolationBetweenGridPointsAgainstCactiRuns) {
  ASSERT_EQ(held_out_points().size(), 96u);
  const auto errors = interpolation_errors();
  for (const auto& [key, e] : errors) {
    const std::string group = std::string("corner ") + key.first + (key.second ? ", banks 1/4/16" : ", banks 2/8");
    print(group.c_str(), e);
  }
  // With the table's bank counts, every quantity's median error is within
  // 10% at both corners.
  for (char corner : {'a', 'b'}) {
    const Errors& e = errors.at({corner, true});
    for (const std::vector<double>* v : {&e.read, &e.write, &e.leakage, &e.area}) {
      EXPECT_LT(quantile(*v, 0.5), 0.10) << corner;
    }
  }
  // The worst cases as measured when the rule was adopted (regression bounds,
  // sim/energy/README.md): access energy within 36%, area 15%, leakage 18% at
  // corner a. Corner b's leakage between bank counts is CACTI's own choice of
  // organisation (2 banks leak less than 1 or 4): up to 2.5x, hence the
  // warning qtsim prints for such buffers.
  for (const auto& [key, e] : errors) {
    EXPECT_LT(quantile(e.read, 1.0), 0.36);
    EXPECT_LT(quantile(e.write, 1.0), 0.36);
    EXPECT_LT(quantile(e.area, 1.0), 0.15);
    EXPECT_LT(quantile(e.leakage, 1.0), key.first == 'a' ? 0.18 : (key.second ? 0.45 : 1.45));
  }
}

}  // namespace
}  // namespace qtsim
