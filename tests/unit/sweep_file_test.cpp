// Sweep files (sim/sweep/sweep_file.h): expansion order of products, ranges,
// zips, explicit points and samples, the platform-independent generator,
// filters, point documents, and the errors of bad files.
#include "sim/sweep/sweep_file.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

using test::error_of;

SweepFile sweep(const Json& space, const Json& extra = Json::object()) {
  Json doc{{"format", "qtsim-sweep"}, {"version", 1}, {"space", space}};
  doc.update(extra);
  return parse_sweep_file(doc, "s.json");
}

std::vector<Json> values_of(const SweepFile& s, const std::string& axis) {
  std::vector<Json> out;
  for (const SweepPoint& p : s.points) {
    for (const auto& [a, v] : p.values) {
      if (a == axis) out.push_back(v);
    }
  }
  return out;
}

TEST(SweepFile, AProductOfBlocksTheFirstOutermost) {
  const SweepFile s = sweep(Json::array({{{"axis", "hardware.mac_array.rows"}, {"values", {8, 16, 32}}},
                                         {{"axis", "hardware.energy.dram_type"}, {"values", {"lpddr4", "hbm2"}}}}));
  ASSERT_EQ(s.points.size(), 6u);
  EXPECT_EQ(s.axes, (std::vector<std::string>{"hardware.mac_array.rows", "hardware.energy.dram_type"}));
  EXPECT_EQ(describe(s.points[0]), "hardware.mac_array.rows=8 hardware.energy.dram_type=\"lpddr4\"");
  EXPECT_EQ(describe(s.points[1]), "hardware.mac_array.rows=8 hardware.energy.dram_type=\"hbm2\"");
  EXPECT_EQ(describe(s.points[5]), "hardware.mac_array.rows=32 hardware.energy.dram_type=\"hbm2\"");
  EXPECT_EQ(s.points[5].index, 5u);
}

TEST(SweepFile, RangesZipsAndPoints) {
  // Arithmetic 8..32 step 8 and geometric 8..64 x2, both inclusive and integer.
  const SweepFile a = sweep(Json::array({{{"axis", "x.a"}, {"range", {{"from", 8}, {"to", 32}, {"step", 8}}}}}));
  EXPECT_EQ(values_of(a, "x.a"), (std::vector<Json>{8, 16, 24, 32}));
  const SweepFile g = sweep(Json::array({{{"axis", "x.g"}, {"range", {{"from", 8}, {"to", 64}, {"times", 2}}}}}));
  EXPECT_EQ(values_of(g, "x.g"), (std::vector<Json>{8, 16, 32, 64}));
  const SweepFile f = sweep(Json::array({{{"axis", "x.f"}, {"range", {{"from", 0.5}, {"to", 0.9}, {"step", 0.2}}}}}));
  ASSERT_EQ(values_of(f, "x.f").size(), 3u);  // 0.5, 0.7, 0.9
  // 0.5 + 7 x 0.05 is 0.8500000000000001 in doubles: written as 0.85 (12 significant digits).
  const SweepFile r = sweep(Json::array({{{"axis", "x.r"}, {"range", {{"from", 0.5}, {"to", 0.95}, {"step", 0.05}}}}}));
  ASSERT_EQ(values_of(r, "x.r").size(), 10u);
  EXPECT_EQ(values_of(r, "x.r")[7].dump(), "0.85");
  EXPECT_EQ(values_of(r, "x.r")[9].dump(), "0.95");
  EXPECT_NEAR(values_of(f, "x.f")[2].get<double>(), 0.9, 1e-12);
  // Zipped: rows and cols together (2 points, not 4), times explicit points (2).
  const SweepFile z =
      sweep(Json::array({{{"zip", {{{"axis", "r"}, {"values", {8, 16}}}, {{"axis", "c"}, {"values", {8, 16}}}}}},
                         {{"points", {{{"d", "hbm2"}}, {{"d", "ddr4"}, {"e", 1}}}}}}));
  ASSERT_EQ(z.points.size(), 4u);
  EXPECT_EQ(z.axes, (std::vector<std::string>{"r", "c", "d", "e"}));
  EXPECT_EQ(describe(z.points[2]), "r=16 c=16 d=\"hbm2\"");
  EXPECT_EQ(describe(z.points[3]), "r=16 c=16 d=\"ddr4\" e=1");
}

TEST(SweepFile, SamplesAreSeededAndTheSameEverywhere) {
  const Json ranges = {{{"axis", "t"}, {"min", 0.5}, {"max", 0.95}},
                       {{"axis", "n"}, {"min", 8}, {"max", 64}, {"integer", true}, {"log", true}}};
  const Json random = {{"sample", {{"method", "random"}, {"seed", 5489}, {"count", 50}, {"ranges", ranges}}}};
  const SweepFile s = sweep(Json::array({random}));
  ASSERT_EQ(s.points.size(), 50u);
  // The generator is mt19937_64, whose outputs the C++ standard fixes: the
  // first output for the default seed 5489 is 14514284786278117030, so the
  // first value of `t` is 0.5 + 0.45 x (that >> 11) / 2^53.
  const double u0 = static_cast<double>(14514284786278117030ull >> 11) * std::ldexp(1.0, -53);
  EXPECT_DOUBLE_EQ(values_of(s, "t")[0].get<double>(), 0.5 + 0.45 * u0);
  for (const Json& n : values_of(s, "n")) {
    ASSERT_TRUE(n.is_number_integer());
    EXPECT_GE(n.get<int>(), 8);
    EXPECT_LE(n.get<int>(), 64);
  }
  EXPECT_EQ(sweep(Json::array({random})).points.size(), 50u);
  EXPECT_EQ(describe(sweep(Json::array({random})).points[17]), describe(s.points[17]));
  // Latin hypercube: each of the 20 strata of `t` holds exactly one value.
  const Json lhs = {{"sample", {{"method", "latin_hypercube"}, {"seed", 7}, {"count", 20}, {"ranges", ranges}}}};
  std::set<int> strata;
  for (const Json& t : values_of(sweep(Json::array({lhs})), "t")) {
    strata.insert(static_cast<int>(std::floor((t.get<double>() - 0.5) / 0.45 * 20)));
  }
  EXPECT_EQ(strata.size(), 20u);
  EXPECT_EQ(*strata.begin(), 0);
  EXPECT_EQ(*strata.rbegin(), 19);
}

TEST(SweepFile, PointDocumentsAndFilters) {
  const SweepFile s =
      sweep(Json::array({{{"axis", "hardware.buffers.weight.capacity_bytes"}, {"values", {65536, 131072}}}}),
            {{"filters",
              {{{"sum", {"hardware.buffers.weight.capacity_bytes", "hardware.buffers.activation.capacity_bytes"}},
                {"max", 196608}}}}});
  const RunConfig small = resolve_run_config(point_document(s, s.points[0]));
  const RunConfig big = resolve_run_config(point_document(s, s.points[1]));
  EXPECT_EQ(small.hardware.buffers.at(Operand::weight).capacity_bytes, 65536);
  EXPECT_EQ(big.hardware.buffers.at(Operand::weight).capacity_bytes, 131072);
  // 65536 + 65536 <= 196608 passes; 131072 + 65536 = 196608 passes too (inclusive).
  EXPECT_TRUE(passes_filters(s, to_json(small)));
  EXPECT_TRUE(passes_filters(s, to_json(big)));
  const SweepFile tight =
      sweep(Json::array({{{"axis", "hardware.buffers.weight.capacity_bytes"}, {"values", {65536, 131072}}}}),
            {{"filters", {{{"sum", {"hardware.buffers.weight.capacity_bytes"}}, {"min", 1}, {"max", 100000}}}}});
  EXPECT_TRUE(passes_filters(tight, to_json(small)));
  EXPECT_FALSE(passes_filters(tight, to_json(big)));
  const SweepFile missing = sweep(Json::array({{{"axis", "run.mode"}, {"values", {"fast"}}}}),
                                  {{"filters", {{{"sum", {"hardware.nothing"}}, {"max", 1}}}}});
  EXPECT_EQ(error_of([&] { passes_filters(missing, to_json(small)); }),
            "s.json: filters[0]: hardware.nothing is not a number of the resolved configuration (config.json)");
}

TEST(SweepFile, BadFilesNameTheFileAndKey) {
  EXPECT_EQ(error_of([] {
              sweep(Json::array({{{"axis", "a.b"}, {"values", Json::array()}}}));
            }),
            "s.json: space[0].values: an empty axis, got an array of 0; expected at least one value");
  EXPECT_EQ(error_of([] {
              sweep(Json::array({{{"axis", "a"}, {"range", {{"from", 5}, {"to", 1}, {"step", 1}}}}}));
            }),
            "s.json: space[0].range.step: a step that never reaches `to`, got 1; expected a step towards `to`");
  EXPECT_EQ(error_of([] {
              sweep(Json::array(
                  {{{"sample",
                     {{"method", "random"}, {"count", 3}, {"ranges", {{{"axis", "t"}, {"min", 0}, {"max", 1}}}}}}}}));
            }),
            "s.json: space[0].sample: a sample needs a `seed` (an integer), so that the sweep is the same every time");
  EXPECT_EQ(error_of([] {
              sweep(Json::array({{{"axis", "a"}, {"values", {1}}}}), {{"spaec", 1}});
            }),
            "s.json: spaec: unknown key `spaec`; valid keys here: base, description, filters, format, space, version");
  EXPECT_EQ(error_of([] {
              sweep(Json::array({{{"axis", "a"}, {"values", {1}}}, {{"axis", "a"}, {"values", {2}}}}));
            }),
            "s.json: space[1]: axis a is also given by s.json: space[0]; expected each axis in one block");
  EXPECT_EQ(error_of([] {
              sweep(Json::array({{{"zip", {{{"axis", "r"}, {"values", {8, 16}}}, {{"axis", "c"}, {"values", {8}}}}}}}));
            }),
            "s.json: space[0].zip[1]: zipped axes differ in length: 1 values here, 2 in the first");
  EXPECT_EQ(error_of([] {
              sweep(Json::array({{{"axis", "a..b"}, {"values", {1}}}}));
            }),
            "s.json: space[0].axis: `a..b` is not a key path; expected dot-separated keys such as "
            "hardware.mac_array.rows");
}

}  // namespace
}  // namespace qtsim
