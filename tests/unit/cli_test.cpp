// End-to-end tests of the qtsim program: exit codes, messages, output folders.
#include <gtest/gtest.h>

#include <filesystem>

#include "base/json_node.h"
#include "tests/unit/process.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

namespace fs = std::filesystem;
using test::run_qtsim;
using test::slurp;
using test::source_path;

const std::vector<std::string> kOutputFiles = {"config.json",         "summary.json",        "per_epoch.csv",
                                               "per_class_epoch.csv", "per_layer_phase.csv", "energy.csv"};

TEST(Cli, VersionAndHelpForEverySubcommand) {
  auto version = run_qtsim("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, "qtsim 0.1.0\n");
  for (const char* sub : {"run", "gemm", "validate", "trace"}) {
    auto help = run_qtsim(std::string(sub) + " --help");
    EXPECT_EQ(help.exit_code, 0) << sub;
    EXPECT_NE(help.out.find("--set"), std::string::npos) << sub << " help lacks --set:\n" << help.out;
  }
}

TEST(Cli, NoSubcommandIsAUsageError) {
  auto r = run_qtsim("");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("A subcommand is required"), std::string::npos) << r.err;
}

TEST(Cli, RunWithNoArgumentWritesAByteIdenticalFolderTwice) {
  // Two runs of the embedded default, from two folders: every file equal.
  std::string a = test::make_temp_dir("run_a"), b = test::make_temp_dir("run_b");
  auto first = run_qtsim("run", a);
  auto second = run_qtsim("run", b);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(first.out.find("compression (bits)"), std::string::npos) << first.out;
  for (const std::string& f : kOutputFiles) {
    std::string one = slurp(a + "/qtsim_out/" + f);
    EXPECT_FALSE(one.empty()) << f;
    EXPECT_EQ(one, slurp(b + "/qtsim_out/" + f)) << f;
  }
  // ...and a third run into another folder name gives the same files too.
  auto third = run_qtsim("run --out other", a);
  ASSERT_EQ(third.exit_code, 0) << third.err;
  for (const std::string& f : kOutputFiles) EXPECT_EQ(slurp(a + "/other/" + f), slurp(a + "/qtsim_out/" + f)) << f;
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Cli, FailedRunWritesNoOutputFolder) {
  std::string dir = test::make_temp_dir("run_fail");
  auto r = run_qtsim("run --set hardware.mac_array.rows=0", dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "qtsim: error: embedded default (with --set hardware.mac_array.rows=0): hardware.mac_array.rows: out of "
            "range, got 0; expected an integer in [1, 4096]\n");
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST(Cli, RunEpochRangeOutsideTheTrace) {
  std::string dir = test::make_temp_dir("run_range");
  auto r = run_qtsim("run --set run.first_epoch=200", dir);
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "qtsim: error: embedded default (with --set run.first_epoch=200): run.first_epoch: out of range, got 200; "
            "expected an epoch in [0, 199] (the trace has 200 "
            "epochs)\n");
}

TEST(Cli, GemmValidatesItsOptions) {
  auto zero = run_qtsim("gemm --m 0 --k 4 --n 4");
  EXPECT_EQ(zero.exit_code, 1);
  EXPECT_EQ(zero.err, "qtsim: error: --m: out of range, got 0; expected an integer in [1, 2147483648]\n");
  auto bits = run_qtsim("gemm --m 4 --k 4 --n 4 --a-bits 33");
  EXPECT_EQ(bits.exit_code, 1);
  EXPECT_EQ(bits.err, "qtsim: error: --a-bits: out of range, got 33; expected an integer in [1, 32]\n");
  auto missing = run_qtsim("gemm --m 4 --k 4");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--n is required"), std::string::npos) << missing.err;
}

TEST(Cli, GemmSimulatesAndWritesItsStatistics) {
  // 64 x 576 x 32 at 4 x 8 bits on the default 16x16 bitfusion os array:
  // 1,179,648 MACs; x 32 = 37,748,736 BitOPs; A = 36,864 x 4 bits = 18,432
  // bytes. Bit Fusion at 4x8 packs 2 products per element: T = 576 / 2 =
  // 288; folds = ceil(64/16) x ceil(32/16) = 8 of T + R + C - 2 = 318 cycles:
  // 2,544 cycles.
  std::string dir = test::make_temp_dir("gemm");
  auto r = run_qtsim("gemm --m 64 --k 576 --n 32 --a-bits 4 --b-bits 8 --out g --vcd wave.vcd", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("16x16 bitfusion array"), std::string::npos) << r.out;
  Json stats = Json::parse(slurp(dir + "/g/stats.json"));
  EXPECT_EQ(stats["gemm"]["macs"]["value"], 1179648);
  EXPECT_EQ(stats["gemm"]["bitops"]["value"], 37748736);
  EXPECT_EQ(stats["gemm"]["a_packed_bytes"]["value"], 18432);
  EXPECT_EQ(stats["gemm"]["values_match_plain_gemm"]["value"], true);
  EXPECT_EQ(stats["mac_array"]["cycles"]["value"], 2544);
  EXPECT_EQ(stats["mac_array"]["cycles"]["unit"], "cycles");
  EXPECT_EQ(stats["mac_array"]["products_4x8"]["value"], 1179648);
  // The waveform names the array's signals.
  const std::string vcd = slurp(dir + "/wave.vcd");
  EXPECT_NE(vcd.find("$scope module mac_array $end"), std::string::npos);
  EXPECT_NE(vcd.find("active_pes"), std::string::npos);
  EXPECT_NE(vcd.find("$enddefinitions"), std::string::npos);
  // A width the PE kind cannot run is a configuration error.
  auto wide = run_qtsim("gemm --m 4 --k 4 --n 4 --a-bits 24 --out g2", dir);
  EXPECT_EQ(wide.exit_code, 1);
  EXPECT_EQ(wide.err,
            "qtsim: error: mac_array.pe_kind bitfusion: operand A at 24 bits cannot be run; expected a "
            "width in [1, 16] (modes 2, 4, 8, and 16 in two passes)\n");
  EXPECT_FALSE(fs::exists(dir + "/g2"));
  fs::remove_all(dir);
}

TEST(Cli, TraceRegeneratesTheShippedReferenceByteForByte) {
  std::string dir = test::make_temp_dir("trace");
  auto r = run_qtsim("trace --out ref.cbor", dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string written = slurp(dir + "/ref.cbor");
  const std::string shipped = slurp(source_path("workloads/traces/cifar10_resnet20_synthetic.cbor"));
  EXPECT_GT(shipped.size(), 0u);
  EXPECT_TRUE(written == shipped) << "sizes " << written.size() << " and " << shipped.size();
  auto bad = run_qtsim("trace --out x.cbor --set epochs=0", dir);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.err,
            "qtsim: error: qtsim trace options (--set): epochs: out of range, got 0; expected an integer in [1, "
            "100000]\n");
  EXPECT_FALSE(fs::exists(dir + "/x.cbor"));
  fs::remove_all(dir);
}

// ResNet-56 and -110 (n = 9, 18 blocks per stage): 97,216n - 21,926 parameters, 14,155,776n - 1,916,288
// forward MACs and 18n + 5 GEMMs per group (closed forms derived in tests/workloads/network_test.cpp):
// 853,018, 125,485,696 and 167; 1,727,962, 252,887,680 and 329.
TEST(Cli, ReferenceTraceReplaysOnResnet56) {
  std::string dir = test::make_temp_dir("resnet56");
  auto r = run_qtsim(
      "run --set workload.network=builtin:resnet56_cifar10 --set run.first_epoch=100 --set run.num_epochs=2 "
      "--set run.num_iterations=3 --out r56",
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(": resnet56_cifar10 on cifar10 (synthetic trace), epochs 100-101,"), std::string::npos) << r.out;
  const Json network = Json::parse(slurp(dir + "/r56/summary.json")).at("network");
  EXPECT_EQ(network, Json::parse(R"({"name": "resnet56_cifar10", "parameters": 853018,
                                     "forward_macs_per_sample": 125485696, "gemms_per_precision_group": 167})"));
  fs::remove_all(dir);
}

TEST(Cli, TraceForADeeperNetworkReplaysOnIt) {
  // 3 epochs of 10 x 64 = 640 images in batches of 128: 5 iterations.
  std::string dir = test::make_temp_dir("trace110");
  auto t =
      run_qtsim("trace --out t.json --set network=resnet110_cifar10 --set epochs=3 --set images_per_class=64", dir);
  ASSERT_EQ(t.exit_code, 0) << t.err;
  EXPECT_EQ(t.out, "wrote t.json: synthetic cifar10 / resnet110 trace, seed 2022, 3 epochs x 5 iterations of 128\n");
  auto v = run_qtsim("validate t.json", dir);
  EXPECT_EQ(v.out,
            "ok: t.json: trace of resnet110_cifar10 on cifar10, 3 epochs x 5 iterations, 10 classes (synthetic)\n");
  auto r = run_qtsim(
      "run --set workload.trace=t.json --set workload.network=builtin:resnet110_cifar10 --set run.num_iterations=1 "
      "--out r110",
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json network = Json::parse(slurp(dir + "/r110/summary.json")).at("network");
  EXPECT_EQ(network, Json::parse(R"({"name": "resnet110_cifar10", "parameters": 1727962,
                                     "forward_macs_per_sample": 252887680, "gemms_per_precision_group": 329})"));
  auto bad = run_qtsim("trace --out x.json --set network=resnet18", dir);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.err,
            "qtsim: error: qtsim trace options (--set): network: unknown name, got \"resnet18\" (a string); expected "
            "one of: resnet20_cifar10, resnet32_cifar10, resnet44_cifar10, resnet56_cifar10, resnet110_cifar10\n");
  EXPECT_FALSE(fs::exists(dir + "/x.json"));
  fs::remove_all(dir);
}

TEST(Cli, ValidateAcceptsTheShippedFiles) {
  for (const char* file : {"workloads/traces/cifar10_resnet20_synthetic.cbor",
                           "workloads/networks/resnet20_cifar10.json", "tests/fixtures/configs/hw_32x32.json"}) {
    auto r = run_qtsim("validate " + source_path(file));
    EXPECT_EQ(r.exit_code, 0) << file << ": " << r.err;
    EXPECT_EQ(r.out.rfind("ok: ", 0), 0u) << r.out;
  }
}

// Every broken fixture: `qtsim validate` exits 1 and its message names the
// file, the key path or record, the value and what is expected.
TEST(Cli, ValidateNamesTheProblemInEveryBrokenFixture) {
  const std::string dir = source_path("tests/fixtures/broken");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"hw_bad_pe.json",
       "mac_array.pe_kind: unknown name, got \"systolic\" (a string); expected one of: bitfusion, bitserial, fixed"},
      {"hw_malformed.json",
       "not valid JSON: parse error at line 1, column 27: syntax error while parsing object key - unexpected '}'; "
       "expected string literal"},
      {"hw_typo.json",
       "mac_array.colums: unknown key `colums`; valid keys here: accumulator_bits, cols, dataflow, fixed_width_bits, "
       "pe_kind, pipelined_folds, rows"},
      {"hw_unknown_dataflow.json", "mac_array.dataflow: unknown name, got \"is\" (a string); expected one of: os, ws"},
      {"hw_zero_rows.json", "mac_array.rows: out of range, got 0; expected an integer in [1, 4096]"},
      {"policy_thresholds_fall.json",
       "tiers[2].min_accuracy: not above tiers[1].min_accuracy 0.9, got 0.8; expected a value > 0.9 (thresholds rise "
       "toward easier tiers)"},
      {"policy_top_k_too_many.json", "tiers[1].k: 11 exceeds the trace's 10 classes; expected at most 10"},
      {"policy_unknown_impl.json",
       "impl: unknown name, got \"mixed\" (a string); expected one of: class_difficulty, cyclic, random_assignment, "
       "uniform"},
      {"run_bad_section.json",
       "hardware: wrong type, got 42; expected a section object, or the path of a JSON file holding it"},
      {"run_too_many_epochs.json",
       "num_epochs: out of range, got 500; expected at most 200 from run.first_epoch 0 (the trace has 200 epochs)"},
      {"trace_accuracy_above_one.json",
       "epochs[1].train_accuracy[2]: out of range, got 1.5; expected a number in [0, 1]"},
      {"trace_duplicate_class.json",
       "class_names[2]: duplicate class name, got \"cat\" (a string); expected a name not used before (class_names[0] "
       "is already \"cat\")"},
      {"trace_missing_epoch.json",
       "epochs[0].epoch: wrong epoch index, got 1; expected 0 (epochs are listed in order, each once, starting at 0)"},
      {"trace_unknown_key.json",
       "epochs[0].train_acc: unknown key `train_acc`; valid keys here: class_counts, epoch, tags, test_accuracy, "
       "test_accuracy_per_class, train_accuracy, train_loss"},
      {"trace_version_2.json",
       "version: unsupported trace format version, got 2; expected 1 (the only version this build reads)"},
      {"workload_missing_trace.json",
       "trace: " + dir + "/no_such_trace.cbor: cannot open for reading: No such file or directory"},
  };
  for (const auto& [file, problem] : cases) {
    auto r = run_qtsim("validate " + dir + "/" + file);
    EXPECT_EQ(r.exit_code, 1) << file;
    EXPECT_EQ(r.err, "qtsim: error: " + dir + "/" + file + ": " + problem + "\n") << file;
    EXPECT_EQ(r.out, "") << file;
  }
  // A run file whose only key is misspelt cannot be recognised: --kind says what it is.
  auto unknown = run_qtsim("validate --kind run_file " + dir + "/run_unknown_key.json");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.err, "qtsim: error: " + dir +
                             "/run_unknown_key.json: hardwre: unknown key `hardwre`; valid keys here: "
                             "description, hardware, policy, run, workload\n");
}

TEST(Cli, SmallRunFromARunFile) {
  std::string dir = test::make_temp_dir("run_small");
  auto r = run_qtsim("run " + source_path("tests/fixtures/configs/run_small.json"), dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string& f : kOutputFiles) EXPECT_TRUE(fs::exists(dir + "/small_out/" + f)) << f;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace qtsim
