// Hostile inputs through the qtsim program: every input error is exit status
// 1 with a message naming the file and the key or record; nothing ends in a
// signal, and no file qtsim did not write is changed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/unit/process.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// Expects exit status 1 and every piece of `expected` in the message.
void expect_input_error(const test::ProcessResult& r, const std::vector<std::string>& expected) {
  EXPECT_EQ(r.exit_code, 1) << r.err;
  for (const std::string& piece : expected) EXPECT_NE(r.err.find(piece), std::string::npos) << piece << " in " << r.err;
}

// The bytes of a small synthetic trace in `format` with its first class name
// replaced by `replacement` (same length).
std::string corrupted_trace(const fs::path& dir, const std::string& extension, const std::string& replacement) {
  const std::string path = (dir / ("t" + extension)).string();
  EXPECT_EQ(test::run_qtsim("trace --out '" + path + "' --set epochs=1 --set images_per_class=8 --set batch_size=16")
                .exit_code,
            0);
  std::string bytes = test::slurp(path);
  const auto at = bytes.find("airplane");
  EXPECT_NE(at, std::string::npos);
  bytes.replace(at, replacement.size(), replacement);
  return bytes;
}

TEST(HostileInput, NumbersKeysAndNestingInJson) {
  const fs::path dir = test::make_temp_dir("hostile_json");
  write_file(dir / "big.json", R"({"hardware": {"clock_mhz": 1e309}})");
  expect_input_error(test::run_qtsim("run big.json", dir.string()),
                     {"big.json: hardware.clock_mhz: number overflow parsing '1e309'"});
  write_file(dir / "dup.json", R"({"run": {"num_epochs": 1, "num_epochs": 2}})");
  expect_input_error(test::run_qtsim("validate dup.json", dir.string()),
                     {"dup.json: run.num_epochs: duplicate key `num_epochs`"});
  write_file(dir / "deep.json", std::string(1000000, '[') + std::string(1000000, ']'));
  expect_input_error(test::run_qtsim("validate deep.json", dir.string()), {"deep.json: ", "nested deeper than 128"});
  write_file(dir / "int.json", R"({"run": {"num_epochs": 123456789012345678901234567890}})");
  expect_input_error(test::run_qtsim("run int.json", dir.string()),
                     {"int.json: run.num_epochs: integer 123456789012345678901234567890 out of range"});
  expect_input_error(test::run_qtsim("run --set policy.tiers.18446744073709551616.min_accuracy=0.5", dir.string()),
                     {"--set policy.tiers.18446744073709551616.min_accuracy=0.5: `policy.tiers` is an array of 2"});
  expect_input_error(test::run_qtsim("run --set hardware.clock_mhz=1e400", dir.string()),
                     {"--set hardware.clock_mhz=1e400: the top level: number overflow parsing '1e400'"});
  std::string deep_key = "hardware";
  for (int i = 0; i < 50000; ++i) deep_key += ".a";
  expect_input_error(test::run_qtsim("run --set " + deep_key + "=1", dir.string()),
                     {"--set: a key path of more than 128 components"});
  EXPECT_FALSE(fs::exists(dir / "qtsim_out"));
}

TEST(HostileInput, BinaryTraces) {
  const fs::path dir = test::make_temp_dir("hostile_binary");
  write_file(dir / "bad.cbor", corrupted_trace(dir, ".cbor", "\xff"));
  expect_input_error(test::run_qtsim("validate bad.cbor", dir.string()),
                     {"bad.cbor: class_names[0]: not a valid CBOR document: at byte", "string is not valid UTF-8"});
  expect_input_error(test::run_qtsim("run --set workload.trace=bad.cbor", dir.string()), {"bad.cbor: class_names[0]"});
  write_file(dir / "bad.msgpack", corrupted_trace(dir, ".msgpack", "\xc3\x28"));
  expect_input_error(test::run_qtsim("validate bad.msgpack", dir.string()),
                     {"bad.msgpack: class_names[0]: not a valid MessagePack document", "not valid UTF-8"});
  // A count below -2^63 (CBOR 3B 80 00 ... 00) where the batch size is expected.
  std::string cbor = test::slurp((dir / "t.cbor").string());
  const auto key = cbor.find("batch_size");
  ASSERT_NE(key, std::string::npos);
  const std::size_t value = key + 10;  // the byte after the key: 0x10 (16)
  ASSERT_EQ(cbor[value], '\x10');
  cbor.replace(value, 1, std::string("\x3b\x80\0\0\0\0\0\0\0", 9));
  write_file(dir / "neg.cbor", cbor);
  expect_input_error(test::run_qtsim("validate neg.cbor", dir.string()),
                     {"neg.cbor: batch_size: not a valid CBOR document", "below -2^63"});
  fs::create_symlink("/dev/zero", dir / "zero.json");
  expect_input_error(test::run_qtsim("run --set workload.trace=zero.json", dir.string()),
                     {"workload.trace: zero.json: is a device; expected a file"});
  expect_input_error(test::run_qtsim("validate missing.json", dir.string()),
                     {"missing.json: cannot open for reading: No such file or directory"});
  expect_input_error(test::run_qtsim("validate .", dir.string()), {".: is a folder; expected a file"});
}

TEST(HostileInput, OutputsAndMemoAreCheckedBeforeAnyWork) {
  const fs::path dir = test::make_temp_dir("hostile_outputs");
  write_file(dir / "memo_file", "not a folder");
  expect_input_error(test::run_qtsim("run --set run.num_epochs=1 --memo memo_file", dir.string()),
                     {"--memo memo_file: exists and is not a folder"});
  EXPECT_FALSE(fs::exists(dir / "qtsim_out"));  // checked before the output folder is written
  EXPECT_EQ(test::slurp((dir / "memo_file").string()), "not a folder");
  expect_input_error(test::run_qtsim("run --out memo_file/sub --set run.num_epochs=1", dir.string()),
                     {"memo_file/sub: cannot be created: memo_file is not a folder"});
  expect_input_error(test::run_qtsim("gemm --m 4 --k 4 --n 4 --vcd memo_file/w.vcd", dir.string()),
                     {"memo_file/w.vcd: cannot be created: memo_file is not a folder"});
  expect_input_error(test::run_qtsim("run --out res --memo res/memo --set run.num_epochs=1", dir.string()),
                     {"--memo res/memo: inside the output folder res, which each run replaces as a whole"});
  expect_input_error(test::run_qtsim("run --out res --memo res/ --set run.num_epochs=1", dir.string()),
                     {"--memo res/: inside the output folder res"});
  EXPECT_FALSE(fs::exists(dir / "res"));
  expect_input_error(test::run_qtsim("run --out . --set run.num_epochs=1", dir.string()),
                     {".: not written: it is the working folder or one of its parents"});
  fs::create_directories(dir / "home" / "thesis");
  write_file(dir / "home" / "thesis" / "ch1.tex", "chapter");
  expect_input_error(test::run_qtsim("run --out home/thesis --set run.num_epochs=1", dir.string()),
                     {"home/thesis: not replaced: it holds ch1.tex, which qtsim did not write"});
  expect_input_error(test::run_qtsim("gemm --m 4 --k 4 --n 4 --out home/thesis", dir.string()),
                     {"home/thesis: not replaced: it holds ch1.tex"});
  expect_input_error(test::run_qtsim("trace --out home/thesis/ch1.tex", dir.string()),
                     {"home/thesis/ch1.tex: not replaced: it exists and is not a qtsim trace"});
  EXPECT_EQ(test::slurp((dir / "home/thesis/ch1.tex").string()), "chapter");
  expect_input_error(test::run_qtsim("gemm --m 4 --k 4 --n 4 --vcd home/thesis/ch1.tex", dir.string()),
                     {"--vcd home/thesis/ch1.tex: expected a file name ending in .vcd"});
  EXPECT_EQ(test::slurp((dir / "home/thesis/ch1.tex").string()), "chapter");
}

TEST(HostileInput, MemoryEstimatesStopHugeJobsBeforeAllocating) {
  const fs::path dir = test::make_temp_dir("hostile_memory");
  expect_input_error(test::run_qtsim("gemm --m 1000000 --k 1000000 --n 1000 --memory-limit-mib 1024", dir.string()),
                     {"gemm 1000000 x 1000000 x 1000: needs about 3826142 MiB (A and B as 32-bit values, C as 64-bit); "
                      "the memory limit is 1024 MiB"});
  // Reference mode at batch 128: the operands of one ResNet-20 iteration.
  expect_input_error(
      test::run_qtsim("run --mode reference --memory-limit-mib 100 --set run.num_epochs=1", dir.string()),
      {"run.mode reference: needs about", "the memory limit is 100 MiB"});
  EXPECT_FALSE(fs::exists(dir / "qtsim_out"));
  // 100,000 epochs of ceil(10 x 10^6 / 128) = 78,125 iterations x 10 counts x 64 bytes = 5e12 bytes.
  expect_input_error(
      test::run_qtsim("trace --out t.cbor --set epochs=100000 --set images_per_class=1000000", dir.string()),
      {"qtsim trace: needs about 4768372 MiB"});
  EXPECT_FALSE(fs::exists(dir / "t.cbor"));
}

}  // namespace
}  // namespace qtsim
