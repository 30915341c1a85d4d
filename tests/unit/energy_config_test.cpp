// hardware.energy: defaults, round trip, strict parsing, and the table path
// resolved against the hardware file's folder.
#include <gtest/gtest.h>

#include "hw_models/config/hardware_config.h"
#include "sim/config/run_config.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

HardwareConfig parse(const Json& doc, const std::string& base_dir = "") {
  return parse_hardware_config(JsonNode(doc, "hw.json"), base_dir);
}

TEST(EnergyConfig, DefaultsAndRoundTrip) {
  const HardwareConfig d;
  EXPECT_EQ(d.energy.table, "builtin:45nm");
  EXPECT_EQ(d.energy.mac_convention, "per_pe_cycle");
  EXPECT_EQ(d.energy.dram_type, "lpddr4");
  const Json written = to_json(d);
  EXPECT_EQ(written.at("energy"), (Json{{"table", "builtin:45nm"},
                                        {"mac_convention", "per_pe_cycle"},
                                        {"dram_type", "lpddr4"},
                                        {"idle_clock_gating", 0.0},
                                        {"sram",
                                         {{"source", "cacti7"},
                                          {"node_nm", 45},
                                          {"corner", "b"},
                                          {"leakage", "total"},
                                          {"allow_extrapolation", false}}}}));
  const HardwareConfig custom = parse(
      {{"energy",
        {{"table", "/abs/t.json"},
         {"mac_convention", "per_product"},
         {"dram_type", "gddr5"},
         {"idle_clock_gating", 0.75},
         {"sram", {{"node_nm", 22}, {"corner", "a"}, {"leakage", "subthreshold"}, {"allow_extrapolation", true}}}}}});
  EXPECT_EQ(custom.energy.table, "/abs/t.json");
  EXPECT_EQ(custom.energy.mac_convention, "per_product");
  EXPECT_EQ(custom.energy.dram_type, "gddr5");
  EXPECT_EQ(custom.energy.idle_clock_gating, 0.75);
  EXPECT_EQ(custom.energy.sram.node_nm, 22);
  EXPECT_EQ(custom.energy.sram.corner, "a");
  EXPECT_EQ(custom.energy.sram.leakage, "subthreshold");
  EXPECT_TRUE(custom.energy.sram.allow_extrapolation);
  EXPECT_EQ(to_json(parse(to_json(custom))), to_json(custom));
}

TEST(EnergyConfig, InvalidKeysAreErrorsNamingTheKey) {
  EXPECT_EQ(test::error_of([] {
              parse({{"energy", {{"mac_convention", "per_mac"}}}});
            }),
            "hw.json: energy.mac_convention: unknown name, got \"per_mac\" (a string); expected one of: "
            "per_pe_cycle, per_product");
  EXPECT_EQ(test::error_of([] {
              parse({{"energy", {{"dram_type", "ddr3"}}}});
            }),
            "hw.json: energy.dram_type: unknown name, got \"ddr3\" (a string); expected one of: lpddr4, ddr4, hbm2, "
            "gddr5");
  EXPECT_EQ(test::error_of([] {
              parse({{"energy", {{"tabel", "x.json"}}}});
            }),
            "hw.json: energy.tabel: unknown key `tabel`; valid keys here: dram_type, idle_clock_gating, "
            "mac_convention, sram, "
            "table");
  EXPECT_EQ(test::error_of([] {
              parse({{"energy", {{"idle_clock_gating", 1.5}}}});
            }),
            "hw.json: energy.idle_clock_gating: out of range, got 1.5; expected a number in [0, 1]");
  EXPECT_EQ(test::error_of([] {
              parse({{"energy", {{"sram", {{"node_nm", 28}}}}}});
            }),
            "hw.json: energy.sram.node_nm: no CACTI table at this node, got 28; expected 45, 32 or 22");
  EXPECT_EQ(test::error_of([] {
              parse({{"energy", {{"sram", {{"corner", "e"}}}}}});
            }),
            "hw.json: energy.sram.corner: unknown name, got \"e\" (a string); expected one of: a, b, c, d");
  EXPECT_EQ(test::error_of([] {
              parse({{"energy", {{"table", ""}}}});
            }),
            "hw.json: energy.table: empty table reference, got \"\" (a string); expected builtin:<name> or a path to "
            "a table file");
}

TEST(EnergyConfig, TablePathIsRelativeToTheHardwareFile) {
  EXPECT_EQ(parse({{"energy", {{"table", "t/x.json"}}}}, "hw/dir").energy.table, "hw/dir/t/x.json");
  EXPECT_EQ(parse({{"energy", {{"table", "builtin:45nm"}}}}, "hw/dir").energy.table, "builtin:45nm");
  // Through a run document: --hardware FILE resolves against FILE's folder.
  RunDocumentInputs inputs;
  inputs.section_files["hardware"] = test::source_path("tests/fixtures/energy/hw_user_table.json");
  const RunConfig config = resolve_run_config(load_run_document(inputs));
  EXPECT_EQ(config.hardware.energy.table, test::source_path("tests/fixtures/energy/user_extends.json"));
  EXPECT_EQ(config.hardware.energy.mac_convention, "per_product");
  EXPECT_EQ(config.hardware.energy.dram_type, "hbm2");
}

}  // namespace
}  // namespace qtsim
