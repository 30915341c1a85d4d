// `qtsim gemm` reports energy: the stats.json group, energy.csv and the
// provenance file, byte for byte the same on every run.
#include <gtest/gtest.h>

#include <filesystem>

#include "base/json_node.h"
#include "tests/unit/process.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

namespace fs = std::filesystem;

TEST(EnergyGemm, WritesEnergyAndProvenanceDeterministically) {
  const std::string dir = test::make_temp_dir("energy_gemm");
  // The GEMM of EnergyModel.SmallGemmWorkedByHand: 8 x 4 x 4 at 8 bits on a
  // 4x4 Bit Fusion array.
  const std::string args = "gemm --m 8 --k 4 --n 4 --set hardware.mac_array.rows=4 --set hardware.mac_array.cols=4";
  const auto a = test::run_qtsim(args + " --out a", dir);
  const auto b = test::run_qtsim(args + " --out b", dir);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  for (const char* file : {"stats.json", "energy.csv", "energy_provenance.json", "config.json"}) {
    EXPECT_EQ(test::slurp(dir + "/a/" + file), test::slurp(dir + "/b/" + file)) << file;
  }
  // 128 PE-cycles x 559.92 fJ = 71.66976 pJ; leakage 16 x 64.314 uW x 236 ns = 242.849664 pJ
  // (printed in the shortest form that reads back to the same double).
  const std::string csv = test::slurp(dir + "/a/energy.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "phase,precision_group,component,dynamic_pj,static_pj,total_pj");
  EXPECT_NE(csv.find("\ngemm,8x8,mac_array,71.66976,242.84966399999996,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\ngemm,8x8,dram,16384.0,0.0,16384.0\n"), std::string::npos) << csv;
  const Json stats = Json::parse(test::slurp(dir + "/a/stats.json"));
  EXPECT_EQ(stats["energy"]["mac_array.dynamic"]["value"], 71.66976);
  EXPECT_EQ(stats["energy"]["mac_array.dynamic"]["unit"], "pJ");
  EXPECT_EQ(stats["energy"]["tops_per_w"]["unit"], "TOPS/W");
  const Json provenance = Json::parse(test::slurp(dir + "/a/energy_provenance.json"));
  EXPECT_EQ(provenance["table"], "builtin:45nm");
  EXPECT_EQ(provenance["tables"][0]["technology_node_nm"], 45.0);
  EXPECT_EQ(provenance["mac_convention"], "per_pe_cycle");
  const Json& fused = provenance["entries_used"]["mac_array.bitfusion_pe_cycle"];
  EXPECT_EQ(fused["energy"], 559.92);
  EXPECT_EQ(fused["table"], "builtin:45nm");
  EXPECT_NE(fused["source"].get<std::string>().find("Bit Fusion"), std::string::npos);
  EXPECT_FALSE(provenance["entries_used"].contains("mac_array.fixed_8b_pe_cycle"));
  fs::remove_all(dir);
}

TEST(EnergyGemm, ABadTableFailsBeforeSimulatingAndNamesTheEntry) {
  const std::string dir = test::make_temp_dir("energy_gemm_bad");
  const std::string table = test::source_path("tests/fixtures/energy/negative_energy.json");
  const auto r = test::run_qtsim("gemm --m 4 --k 4 --n 4 --out g --set hardware.energy.table=" + table, dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "qtsim: error: " + table + ": entries.sram.read_64b_32kb.energy: negative energy, got -1; expected >= 0\n");
  EXPECT_FALSE(fs::exists(dir + "/g"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace qtsim
