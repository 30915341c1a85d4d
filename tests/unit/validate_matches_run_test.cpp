// `qtsim validate` accepts exactly what `qtsim run` accepts. The error classes
// that `qtsim run` can raise after loading its inputs are derived from the
// code: every source file of the simulation side (hardware models, energy,
// fast and reference mode, replay, reports, common) that throws an Error.
// Each must have a bad input below on which `run` and `validate` fail alike,
// or a stated reason why a run's files cannot reach it; a new file with a
// throw fails this test until it is classified.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "base/json_file.h"
#include "tests/unit/process.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

namespace fs = std::filesystem;

std::set<std::string> files_that_throw() {
  const std::regex throws(R"(throw Error\(|\.fail\(|fail_value\()");
  std::set<std::string> files;
  const fs::path root = QTSIM_SOURCE_DIR;
  for (const char* dir :
       {"hw_models", "sim/energy", "sim/fast", "sim/replay", "sim/reference", "sim/report", "sim/common"}) {
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      if (e.path().extension() != ".cpp" && e.path().extension() != ".h") continue;
      if (std::regex_search(test::slurp(e.path().string()), throws)) {
        files.insert(fs::relative(e.path(), root).string());
      }
    }
  }
  return files;
}

struct BadRun {
  std::string file;    // the run file's content
  std::string expect;  // a piece of the message
};

// Files of the simulation side whose errors a run file can reach, with one
// such run file each.
std::map<std::string, std::vector<BadRun>> reachable() {
  return {
      {"hw_models/pe/pe_kind.cpp",
       {{R"({"run": {"baseline": {"act_bits": 8, "weight_bits": 8, "grad_bits": 32}}})",
         "run.baseline (8/8/32): mac_array.pe_kind bitfusion: operand"},
        {R"({"policy": {"tiers": [{"name": "hard", "precision": {"act_bits": 17, "weight_bits": 8, "grad_bits": 16}},
                                  {"name": "easy", "precision": {"act_bits": 4, "weight_bits": 4, "grad_bits": 8},
                                   "min_accuracy": 0.9}]}})",
         "policy class_difficulty, tier `hard` in epoch 0 (17/8/16): mac_array.pe_kind bitfusion: operand"},
        {R"({"hardware": {"mac_array": {"pe_kind": "bitserial"}},
             "policy": {"impl": "uniform", "precision": {"act_bits": 20, "weight_bits": 8, "grad_bits": 16}}})",
         "policy uniform, tier `all` in epoch 0 (20/8/16): mac_array.pe_kind bitserial: operand A at 20 bits"}}},
      {"hw_models/memory/tiler.cpp",
       {{R"({"hardware": {"buffers": {"weight": {"capacity_bytes": 16}},
                          "energy": {"sram": {"allow_extrapolation": true}}}})",
         "capacity_bytes: too small for the smallest tile"}}},
      {"hw_models/config/mapper_config.cpp",
       {{R"({"hardware": {"mapper": {"pins": [{"phase": "fwd"}]}}})", "mapper.pins[0]: missing or empty `layer`"}}},
      {"hw_models/controller/tile_sequencer.cpp",
       {{R"({"hardware": {"mapper": {"pins": [{"layer": "conv1", "phase": "fwd", "samples": 128}]}}})",
         "hardware.mapper.pins[0]: the mapping m,n,k s128 y32 x32 p3 q16 does not fit"}}},
      {"sim/replay/mapping_planner.cpp",
       {{R"({"hardware": {"mapper": {"pins": [{"layer": "conv1", "phase": "bwd_data"}]}}})",
         "mapper.pins[0]: layer 'conv1' has no GEMM in phase bwd_data"}}},
      {"sim/energy/cacti_table.cpp",
       {{R"({"hardware": {"buffers": {"weight": {"capacity_bytes": 8388608}}}})",
         "buffers.weight: 8388608 bytes, 64-bit words, 4 banks lies outside the CACTI table"}}},
      {"sim/energy/energy_table.cpp",
       {{R"({"hardware": {"energy": {"table": "no_such_table.json"}}})", "no_such_table.json: cannot open for reading"},
        {R"({"hardware": {"energy": {"table": "no_pe_area.json"}}})",
         "no_pe_area.json: entries.mac_array.bitfusion_pe_area: missing entry; the hardware needs it"}}},
      {"sim/energy/sram_model.cpp",
       {{R"({"hardware": {"energy": {"table": "one_leakage_point.json", "sram": {"source": "table"}}}})",
         "leakage point(s); expected at least two"}}},
      {"sim/common/memory_limit.cpp",
       {{R"({"run": {"mode": "reference"}, "workload": {"network": {"name": "huge", "input": {"channels": 64, "height": 4096, "width": 4096},
           "num_classes": 10, "layers": [
             {"name": "conv", "type": "conv", "inputs": ["input"], "out_channels": 64, "kernel": 3, "stride": 1, "padding": 1},
             {"name": "pool", "type": "global_avg_pool", "inputs": ["conv"]},
             {"name": "fc", "type": "fully_connected", "inputs": ["pool"], "out_features": 10},
             {"name": "loss", "type": "softmax_cross_entropy", "inputs": ["fc"]}]}}})",
         "run.mode reference: needs about"}}},
      {"sim/report/output_folder.cpp",
       {{R"({"run": {"output_dir": "thesis"}})", "thesis: not replaced: it holds notes.txt"}}},
  };
}

// Files whose errors no run file can reach, and why.
const std::map<std::string, std::string> kUnreachableFromRunFiles = {
    {"hw_models/config/hardware_config.cpp", "configuration parsing: part of loading, shared by run and validate"},
    {"hw_models/config/memory_config.cpp", "configuration parsing: part of loading, shared by run and validate"},
    {"hw_models/controller/job.cpp", "an empty DMA transfer: the schedule never builds one"},
    {"sim/reference/reference_top.cpp", "--vcd twice in one process: qtsim gemm only"},
    {"sim/report/scalesim_report.cpp", "SCALE-Sim's report of a topology: qtsim layers only"},
    {"sim/report/output_file.cpp", "qtsim trace --out and qtsim gemm --vcd only"},
    {"sim/replay/memo_file.cpp", "--memo and --memo-verify: command-line options of run, checked before any work"},
};

TEST(ValidateMatchesRun, EveryRunTimeErrorClassIsCovered) {
  const auto cases = reachable();
  for (const std::string& file : files_that_throw()) {
    EXPECT_TRUE(cases.count(file) || kUnreachableFromRunFiles.count(file))
        << file << " throws Errors: add a bad run file for it here, or say why no run file reaches it";
  }
}

TEST(ValidateMatchesRun, ValidateRejectsWhatRunRejectsWithTheSameMessage) {
  const fs::path dir = test::make_temp_dir("validate_matches_run");
  fs::create_directories(dir / "thesis");
  std::ofstream(dir / "thesis" / "notes.txt") << "mine";
  Json table = read_json_file(std::string(QTSIM_SOURCE_DIR) + "/sim/energy/tables/45nm.json");
  Json& sram = table["entries"]["sram"];
  bool kept = false;
  for (auto it = sram.begin(); it != sram.end();) {
    if (it.value()["access"] == "leakage" && kept) {
      it = sram.erase(it);
    } else {
      kept = kept || it.value()["access"] == "leakage";
      ++it;
    }
  }
  std::ofstream(dir / "one_leakage_point.json") << table.dump(2);
  // A table that prices everything but the PEs' area (the area model needs it).
  std::ofstream(dir / "no_pe_area.json")
      << R"({"format": "qtsim-energy-table", "version": 1, "name": "no_pe_area", "description": "test",
             "extends": "builtin:45nm", "entries": {"mac_array": {"bitfusion_pe_area": null}}})";
  int n = 0;
  for (const auto& [source, bad_runs] : reachable()) {
    for (const BadRun& bad : bad_runs) {
      const std::string name = "bad" + std::to_string(n++) + ".json";
      std::ofstream(dir / name) << bad.file;
      const test::ProcessResult run = test::run_qtsim("run " + name + " --set run.num_epochs=1", dir.string());
      const test::ProcessResult validate =
          test::run_qtsim("validate " + name + " --set run.num_epochs=1", dir.string());
      EXPECT_EQ(run.exit_code, 1) << source << ": " << run.err;
      EXPECT_NE(run.err.find(bad.expect), std::string::npos) << source << ": " << run.err;
      EXPECT_EQ(validate.exit_code, 1) << source << ": " << validate.out;
      EXPECT_EQ(validate.err, run.err) << source;
    }
  }
  EXPECT_EQ(test::slurp((dir / "thesis/notes.txt").string()), "mine");
}

}  // namespace
}  // namespace qtsim
