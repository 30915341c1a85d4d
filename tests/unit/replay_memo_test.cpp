// Memo files (sim/replay/memo_file.h): a saved memo gives the same replay as
// costs computed afresh; stale and corrupt files are recognised and never
// trusted; the key follows the hardware but not the energy table.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "base/error.h"
#include "base/hash.h"
#include "base/json_file.h"
#include "sim/replay/memo_file.h"
#include "sim/report/replay_report.h"
#include "tests/unit/process.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

namespace fs = std::filesystem;

RunInputs reference_trace_inputs(const std::vector<std::string>& sets) {
  RunDocumentInputs in;
  for (const std::string& s : sets) in.overrides.push_back(parse_override(s));
  return load_run_inputs(load_run_document(in));
}

std::string only_file(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".lock") files.push_back(entry.path().string());  // the writers' lock
  }
  EXPECT_EQ(files.size(), 1u);
  return files.empty() ? std::string() : files.front();
}

TEST(ReplayMemo, SavedMemoReplaysExactlyAsComputedCosts) {
  const RunInputs in = reference_trace_inputs({"run.first_epoch=80", "run.num_epochs=1", "run.num_iterations=30"});
  const HardwareConfig& hw = in.config.hardware;
  const EnergyTable table = EnergyTable::load(hw.energy.table);
  const std::string dir = test::make_temp_dir("memo");
  IterationMemo computed(hw, table, in.step);
  const ReplayReport a = replay(in, computed);
  const std::string key = memo_key(hw, in.step, computed.mode());
  save_memo(dir, key, computed);

  IterationMemo loaded(hw, table, in.step);
  EXPECT_EQ(load_memo(dir, key, loaded), MemoLoad::loaded);
  EXPECT_EQ(loaded.size(), computed.size());
  const ReplayReport b = replay(in, loaded);
  EXPECT_EQ(loaded.computed(), 0);  // every cost came from the file
  const AreaBreakdown chip;         // the area does not depend on the replay
  EXPECT_EQ(replay_summary_json(in, a, chip).dump(), replay_summary_json(in, b, chip).dump());
  EXPECT_EQ(per_layer_phase_csv(computed.rows(), a), per_layer_phase_csv(loaded.rows(), b));
  EXPECT_EQ(replay_energy_csv(a), replay_energy_csv(b));
  fs::remove_all(dir);
}

TEST(ReplayMemo, CorruptAndStaleFilesAreNeverTrusted) {
  const RunInputs in = reference_trace_inputs({"run.num_epochs=1", "run.num_iterations=2"});
  const HardwareConfig& hw = in.config.hardware;
  const EnergyTable table = EnergyTable::load(hw.energy.table);
  const std::string dir = test::make_temp_dir("memo_bad");
  IterationMemo memo(hw, table, in.step);
  replay(in, memo);
  const std::string key = memo_key(hw, in.step, memo.mode());
  save_memo(dir, key, memo);
  const std::string path = only_file(dir);
  std::string bytes;
  {
    std::ifstream f(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
  auto load_bytes = [&](const std::string& content) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    IterationMemo fresh(hw, table, in.step);
    const MemoLoad result = load_memo(dir, key, fresh);
    EXPECT_EQ(fresh.size(), result == MemoLoad::loaded ? memo.size() : 0u);
    return result;
  };
  EXPECT_EQ(load_bytes(bytes), MemoLoad::loaded);
  EXPECT_EQ(load_bytes(bytes.substr(0, bytes.size() / 2)), MemoLoad::corrupt);  // truncated (a killed writer)
  EXPECT_EQ(load_bytes("not a memo"), MemoLoad::corrupt);
  // One cycle count changed: the checksum no longer matches.
  Json doc = Json::from_cbor(bytes);
  doc["entries"][0]["cycles"][0] = doc["entries"][0]["cycles"][0].get<std::int64_t>() + 1;
  const auto tampered = Json::to_cbor(doc);
  EXPECT_EQ(load_bytes(std::string(tampered.begin(), tampered.end())), MemoLoad::corrupt);
  // A file written under another key (other hardware), found under this name.
  doc = Json::from_cbor(bytes);
  doc["key"] = "fnv1a64:0000000000000000";
  const auto stale = Json::to_cbor(doc);
  EXPECT_EQ(load_bytes(std::string(stale.begin(), stale.end())), MemoLoad::stale);
  fs::remove_all(dir);
  IterationMemo none(hw, table, in.step);
  EXPECT_EQ(load_memo(dir, key, none), MemoLoad::missing);
}

// A hand-edited memo whose checksum was recomputed passes the load, and
// --memo-verify finds the edit by recomputing the entry.
TEST(ReplayMemo, VerifyFindsAnEditedEntryWithAValidChecksum) {
  const RunInputs in = reference_trace_inputs({"run.first_epoch=50", "run.num_epochs=1", "run.num_iterations=1"});
  const HardwareConfig& hw = in.config.hardware;
  const EnergyTable table = EnergyTable::load(hw.energy.table);
  const std::string dir = test::make_temp_dir("memo_verify");
  IterationMemo memo(hw, table, in.step);
  replay(in, memo);
  ASSERT_EQ(memo.size(), 2u);  // the policy's composition and the baseline's
  const std::string key = memo_key(hw, in.step, memo.mode());
  save_memo(dir, key, memo);
  {
    IterationMemo loaded(hw, table, in.step);
    ASSERT_EQ(load_memo(dir, key, loaded), MemoLoad::loaded);
    EXPECT_EQ(verify_memo(loaded, "memo.cbor", 5, 1), "2 of 2 entries recomputed, all equal");
  }
  const std::string path = only_file(dir);
  Json doc = Json::from_cbor(test::slurp(path));
  doc["entries"][1]["cycles"][0] = doc["entries"][1]["cycles"][0].get<std::int64_t>() + 1;
  doc["checksum"] = hash_hex(dump_json(doc["entries"]));
  const std::vector<std::uint8_t> edited = Json::to_cbor(doc);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << std::string(edited.begin(), edited.end());
  IterationMemo loaded(hw, table, in.step);
  ASSERT_EQ(load_memo(dir, key, loaded), MemoLoad::loaded);
  try {
    verify_memo(loaded, "memo.cbor", 2, 1);
    ADD_FAILURE() << "the edit was not found";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--memo-verify: memo.cbor: the stored cost of the iteration with"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("differs from the cost computed again"), std::string::npos);
  }
  fs::remove_all(dir);
}

TEST(ReplayMemo, KeyFollowsTheHardwareButNotTheEnergyTable) {
  const RunInputs in = reference_trace_inputs({});
  HardwareConfig hw = in.config.hardware;
  const std::string key = memo_key(hw, in.step, IterationMemo::Mode::fast);
  EXPECT_EQ(key, memo_key(hw, in.step, IterationMemo::Mode::fast));
  EXPECT_NE(key, memo_key(hw, in.step, IterationMemo::Mode::reference));
  HardwareConfig other = hw;
  other.dram.bandwidth_bytes_per_cycle = 8;
  EXPECT_NE(key, memo_key(other, in.step, IterationMemo::Mode::fast));
  other = hw;
  other.energy.dram_type = "hbm2";
  other.energy.mac_convention = "per_product";
  EXPECT_EQ(key, memo_key(other, in.step, IterationMemo::Mode::fast));
}

TEST(ReplayMemo, RunWithAMemoWritesTheSameFolderColdAndWarm) {
  const std::string dir = test::make_temp_dir("memo_cli");
  const std::string args = "run --set run.first_epoch=150 --set run.num_epochs=2 --memo memo --out ";
  const auto cold = test::run_qtsim(args + "cold", dir);
  const auto warm = test::run_qtsim(args + "warm", dir);
  ASSERT_EQ(cold.exit_code, 0) << cold.err;
  ASSERT_EQ(warm.exit_code, 0) << warm.err;
  EXPECT_NE(cold.err.find("memo memo: none yet"), std::string::npos) << cold.err;
  EXPECT_NE(warm.err.find("memo memo: loaded"), std::string::npos) << warm.err;
  for (const char* f : {"summary.json", "per_epoch.csv", "per_layer_phase.csv", "energy.csv"}) {
    EXPECT_EQ(test::slurp(dir + "/cold/" + f), test::slurp(dir + "/warm/" + f)) << f;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace qtsim
