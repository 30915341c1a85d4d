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
  // 128 PE-cycles x 459.1875 fJ + 3648 idle x 45.91875 fJ = 226.2876 pJ;
  // leakage 16 x 59.3275 uW x 236 ns = 224.02064 pJ; DRAM background 156.1 mW x
  // 236 ns = 36839.6 pJ (EnergyModel.SmallGemmWorkedByHand; printed in the
  // shortest form that reads back to the same double).
  const std::string csv = test::slurp(dir + "/a/energy.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "phase,precision_group,component,dynamic_pj,static_pj,total_pj");
  EXPECT_NE(csv.find("\ngemm,8x8,mac_array,226.28760000000003,224.02064,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\ngemm,8x8,dram,16384.0,36839.6,53223.6\n"), std::string::npos) << csv;
  const Json stats = Json::parse(test::slurp(dir + "/a/stats.json"));
  EXPECT_EQ(stats["energy"]["mac_array.dynamic"]["value"], 226.28760000000003);
  // Area: 16 PEs x 27,752.83558 / 16 um2 = the 4x4 synthesis row's 27,752.83558
  // um2; buffers the CACTI table's 64 KiB x 64-bit x 4-bank single-port SRAM
  // at corner b, 45 nm (0.256364 mm2); edge registers (4 x 32 + 4 x 32) bits x
  // 5.981433 um2; 16 vector lanes x 6629.3172 um2; controller 1024 x 5.981433 um2.
  EXPECT_DOUBLE_EQ(stats["area"]["mac_array"]["value"].get<double>(), 0.02775283558);
  EXPECT_EQ(stats["area"]["mac_array"]["unit"], "mm2");
  EXPECT_DOUBLE_EQ(stats["area"]["buffer.weight"]["value"].get<double>(), 0.256364);
  EXPECT_DOUBLE_EQ(stats["area"]["registers"]["value"].get<double>(), 256 * 5.981433e-6);
  EXPECT_DOUBLE_EQ(stats["area"]["vector_unit"]["value"].get<double>(), 16 * 6629.3172e-6);
  EXPECT_DOUBLE_EQ(stats["area"]["controller"]["value"].get<double>(), 1024 * 5.981433e-6);
  EXPECT_DOUBLE_EQ(stats["area"]["total"]["value"].get<double>(),
                   0.02775283558 + 4 * 0.256364 + 256 * 5.981433e-6 + 16 * 6629.3172e-6 + 1024 * 5.981433e-6);
  EXPECT_FALSE(stats["area"].contains("dram"));
  EXPECT_EQ(stats["energy"]["mac_array.dynamic"]["unit"], "pJ");
  EXPECT_EQ(stats["energy"]["tops_per_w"]["unit"], "TOPS/W");
  const Json provenance = Json::parse(test::slurp(dir + "/a/energy_provenance.json"));
  EXPECT_EQ(provenance["table"], "builtin:45nm");
  EXPECT_EQ(provenance["tables"][0]["technology_node_nm"], 45.0);
  EXPECT_EQ(provenance["mac_convention"], "per_pe_cycle");
  const Json& fused = provenance["entries_used"]["mac_array.bitfusion_pe_cycle"];
  EXPECT_EQ(fused["energy"], 459.1875);
  // Every entry says how it relates to the run: the synthesis at 500 MHz used
  // at 1000 MHz is extrapolated in clock; Aladdin's 40 nm registers in node;
  // the DRAM figures, which state neither, are read.
  EXPECT_EQ(fused["status"], "extrapolated");
  EXPECT_EQ(fused["outside"]["clock_mhz"], (Json{{"source", 500.0}, {"run", 1000.0}, {"factor", 2.0}}));
  EXPECT_EQ(provenance["entries_used"]["registers.bit_write"]["status"], "extrapolated");
  EXPECT_EQ(provenance["entries_used"]["registers.bit_write"]["outside"]["node_nm"]["factor"], 1.125);
  EXPECT_EQ(provenance["entries_used"]["dram.lpddr4"]["status"], "read");
  for (const auto& [path, entry] : provenance["entries_used"].items()) {
    EXPECT_TRUE(entry["status"] == "read" || entry["status"] == "extrapolated") << path;
  }
  EXPECT_EQ(provenance["buffers"]["weight"]["status"], "read");
  EXPECT_EQ(provenance["assumes"]["sram_corner"], "b");
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
