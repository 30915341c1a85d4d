// Faults and concurrency through the qtsim program: kills at random moments
// leave the old or the new complete output folder; runs sharing a memo folder
// and a parent folder all succeed with the results of sequential runs.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "tests/unit/process.h"
#include "tests/unit/spawn.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

namespace fs = std::filesystem;

// Every file of a folder (relative path -> bytes).
std::map<std::string, std::string> contents(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = test::slurp(e.path().string());
  }
  return files;
}

std::vector<std::string> small_run(const std::string& out, int epochs, const std::string& mode) {
  const std::string fixtures = std::string(QTSIM_SOURCE_DIR) + "/tests/fixtures/";
  return {"run",   fixtures + "configs/run_small.json",       "--out", out, "--mode", mode,
          "--set", "run.num_epochs=" + std::to_string(epochs)};
}

// Kills `qtsim run` replacing `out` after random delays; after each kill the
// folder is one of the two complete folders.
void kill_while_replacing(const std::vector<std::string>& old_args, const std::vector<std::string>& new_args,
                          const fs::path& dir, int kills) {
  ASSERT_EQ(test::wait_for(test::spawn_qtsim(old_args, dir.string())), 0);
  const auto old_files = contents(dir / "out");
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(test::wait_for(test::spawn_qtsim(new_args, dir.string())), 0);
  const int run_us = static_cast<int>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
  const auto new_files = contents(dir / "out");
  ASSERT_NE(old_files, new_files);
  // Kills spread over the whole run, most of them near its end, where the
  // folder is written and swapped in.
  std::mt19937 rng(2026);
  std::uniform_int_distribution<int> anywhere(0, run_us), near_end(run_us * 6 / 10, run_us * 11 / 10);
  int old_seen = 0, new_seen = 0;
  for (int i = 0; i < kills; ++i) {
    const pid_t pid = test::spawn_qtsim(i % 2 ? old_args : new_args, dir.string());
    std::this_thread::sleep_for(std::chrono::microseconds(i % 4 == 0 ? anywhere(rng) : near_end(rng)));
    ::kill(pid, SIGKILL);
    test::wait_for(pid);
    const auto now = contents(dir / "out");
    ASSERT_TRUE(now == old_files || now == new_files) << "after kill " << i << ": a mixed or partial folder";
    (now == old_files ? old_seen : new_seen)++;
  }
  // A later run cleans the staging folders the kills left and succeeds.
  std::string command;
  for (const std::string& a : new_args) command += "'" + a + "' ";
  const test::ProcessResult last = test::run_qtsim(command, dir.string());
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_EQ(last.err.find("warning"), std::string::npos) << last.err;
  EXPECT_EQ(contents(dir / "out"), new_files);
  for (const auto& e : fs::directory_iterator(dir)) EXPECT_EQ(e.path().filename(), "out");
  EXPECT_GT(old_seen + new_seen, 0);
}

TEST(Faults, KillsDuringFastRunsLeaveAWholeFolder) {
  const fs::path dir = test::make_temp_dir("faults_fast");
  kill_while_replacing(small_run("out", 1, "fast"), small_run("out", 2, "fast"), dir, 60);
}

TEST(Faults, KillsDuringReferenceRunsLeaveAWholeFolder) {
  const fs::path dir = test::make_temp_dir("faults_reference");
  kill_while_replacing(small_run("out", 1, "reference"), small_run("out", 2, "reference"), dir, 30);
}

TEST(Faults, ConcurrentRunsShareAMemoAndAParentFolder) {
  const fs::path dir = test::make_temp_dir("faults_concurrent");
  auto args = [&](const std::string& out, int epochs, const std::string& memo) {
    std::vector<std::string> a = {"run",
                                  "--out",
                                  out,
                                  "--set",
                                  "run.num_epochs=" + std::to_string(epochs),
                                  "--set",
                                  "run.first_epoch=" + std::to_string(epochs * 10)};
    if (!memo.empty()) a.insert(a.end(), {"--memo", memo});
    return a;
  };
  // Sequential references, without a memo.
  for (int k = 1; k <= 4; ++k)
    ASSERT_EQ(test::wait_for(test::spawn_qtsim(args("seq" + std::to_string(k), k, ""), dir.string())), 0);
  // Twice, 6 processes at once: 4 distinct runs (2 of them twice), one memo folder, one parent.
  for (int round = 0; round < 2; ++round) {
    std::vector<pid_t> pids;
    for (int k = 1; k <= 4; ++k)
      pids.push_back(test::spawn_qtsim(args("par" + std::to_string(k), k, "memo"), dir.string()));
    for (int k = 1; k <= 2; ++k)
      pids.push_back(test::spawn_qtsim(args("par" + std::to_string(k), k, "memo"), dir.string()));
    for (pid_t pid : pids) EXPECT_EQ(test::wait_for(pid), 0);
    for (int k = 1; k <= 4; ++k) {
      EXPECT_EQ(contents(dir / ("par" + std::to_string(k))), contents(dir / ("seq" + std::to_string(k)))) << k;
    }
  }
  // The memo holds every run's entries: a run verifying all of them passes.
  const test::ProcessResult verify = test::run_qtsim(
      "run --out seq1 --set run.num_epochs=1 --set run.first_epoch=10 --memo memo --memo-verify 1000000", dir.string());
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_NE(verify.err.find("all equal"), std::string::npos) << verify.err;
  for (const auto& e : fs::directory_iterator(dir)) {
    EXPECT_EQ(e.path().filename().string().find(".qtsim-"), std::string::npos) << e.path();
  }
}

}  // namespace
}  // namespace qtsim
