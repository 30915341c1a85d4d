// `qtsim validate SWEEP_FILE` (sim/sweep/sweep_validate.h): point counts,
// filters and invalid combinations reported, and bad files and axes rejected
// with exit 1 naming the file and key.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/unit/process.h"

namespace qtsim {
namespace {

namespace fs = std::filesystem;

std::string write(const fs::path& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir / name) << text;
  return name;
}

TEST(SweepValidate, CountsPointsFiltersAndInvalidCombinations) {
  const fs::path dir = test::make_temp_dir("sweep_validate");
  // 3 (rows, weight buffer) pairs (zipped) x 2 DRAM types = 6 points: rows
  // 5000 are out of range (at most 4096), so points 4 and 5 are invalid; the
  // filter skips points 2 and 3, whose weight buffer is 1 MiB. The hardware
  // section is the embedded default's (run.json gives only `run`).
  write(dir, "run.json", R"({"run": {"num_epochs": 1}})");
  write(dir, "s.json", R"({"format": "qtsim-sweep", "version": 1, "base": "run.json",
    "space": [{"zip": [{"axis": "hardware.mac_array.rows", "values": [8, 16, 5000]},
                       {"axis": "hardware.buffers.weight.capacity_bytes", "values": [65536, 1048576, 65536]}]},
              {"axis": "hardware.energy.dram_type", "values": ["lpddr4", "hbm2"]}],
    "filters": [{"sum": ["hardware.buffers.weight.capacity_bytes"], "max": 524288}]})");
  const test::ProcessResult r = test::run_qtsim("validate s.json", dir.string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(
      r.out,
      "ok: s.json: sweep of 6 points over 3 axes (hardware.mac_array.rows, "
      "hardware.buffers.weight.capacity_bytes, hardware.energy.dram_type); 2 filtered out, 2 to run; 2 invalid, "
      "recorded with their errors when swept; the first: point 4 (hardware.mac_array.rows=5000 "
      "hardware.buffers.weight.capacity_bytes=65536 hardware.energy.dram_type=\"lpddr4\"): embedded default (with "
      "--set hardware.mac_array.rows=5000, --set hardware.buffers.weight.capacity_bytes=65536, --set "
      "hardware.energy.dram_type=\"lpddr4\"): hardware.mac_array.rows: out of range, got 5000; expected an "
      "integer in [1, 4096]\n");
  fs::remove_all(dir);
}

TEST(SweepValidate, AnAxisOverAMissingKeyAndABadFileAreErrors) {
  const fs::path dir = test::make_temp_dir("sweep_validate_bad");
  write(dir, "axis.json", R"({"format": "qtsim-sweep", "version": 1,
    "space": [{"axis": "hardware.mac_array.rowz", "values": [8]}]})");
  const test::ProcessResult axis = test::run_qtsim("validate axis.json", dir.string());
  EXPECT_EQ(axis.exit_code, 1);
  EXPECT_EQ(axis.err.rfind("qtsim: error: axis.json: axis hardware.mac_array.rowz: no such key in a run document: ", 0),
            0u)
      << axis.err;
  EXPECT_NE(axis.err.find("unknown key `rowz`"), std::string::npos) << axis.err;
  write(dir, "range.json", R"({"format": "qtsim-sweep", "version": 1,
    "space": [{"axis": "hardware.mac_array.rows", "range": {"from": 8, "to": 4, "step": 2}}]})");
  const test::ProcessResult range = test::run_qtsim("validate range.json", dir.string());
  EXPECT_EQ(range.exit_code, 1);
  EXPECT_EQ(range.err,
            "qtsim: error: range.json: space[0].range.step: a step that never reaches `to`, got 2; expected a step "
            "towards `to`\n");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace qtsim
