// Output folders (sim/report/output_folder.h): what may be replaced, the
// marker, and staging folders of live and dead writers.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/error.h"
#include "sim/report/output_folder.h"
#include "tests/unit/process.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string error_of_check(const std::string& target) {
  try {
    check_output_folder(target);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

void write_output(const std::string& target, const std::string& text) {
  OutputFolder folder(target, "test");
  folder.write("b.txt", text);
  folder.write("a.txt", text);
  folder.commit();
}

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(OutputFolder, WritesTheMarkerListingItsFiles) {
  const fs::path dir = test::make_temp_dir("out_marker");
  write_output((dir / "x" / "y").string(), "1");  // missing parents are created
  EXPECT_EQ(
      test::slurp((dir / "x/y/.qtsim_output.json").string()),
      "{\n  \"files\": [\n    \"a.txt\",\n    \"b.txt\"\n  ],\n  \"format\": \"qtsim-output\",\n  \"version\": 1,\n"
      "  \"writer\": \"test\"\n}\n");
  EXPECT_EQ(entries(dir / "x"), std::vector<std::string>{"y"});  // no staging folder left
}

TEST(OutputFolder, ReplacesOnlyWhatQtsimWrote) {
  const fs::path dir = test::make_temp_dir("out_replace");
  const std::string target = (dir / "out").string();
  write_output(target, "old");
  write_output(target, "new");
  EXPECT_EQ(test::slurp(target + "/a.txt"), "new");
  EXPECT_EQ(entries(dir), std::vector<std::string>{"out"});

  write_file(dir / "out" / "notes.txt", "mine");
  EXPECT_EQ(error_of_check(target), target +
                                        ": not replaced: it holds notes.txt, which qtsim did not write (no "
                                        ".qtsim_output.json lists it); choose a new folder, or move its contents away "
                                        "yourself");
  EXPECT_THROW(write_output(target, "newer"), Error);
  EXPECT_EQ(test::slurp(target + "/notes.txt"), "mine");
  EXPECT_EQ(test::slurp(target + "/a.txt"), "new");
  EXPECT_EQ(entries(dir), std::vector<std::string>{"out"});
}

TEST(OutputFolder, RefusesFoldersFilesLinksAndTheWorkingFolder) {
  const fs::path dir = test::make_temp_dir("out_refuse");
  fs::create_directories(dir / "thesis");
  write_file(dir / "thesis" / "chapter1.tex", "text");
  EXPECT_NE(error_of_check((dir / "thesis").string()).find("it holds chapter1.tex"), std::string::npos);
  write_file(dir / "file", "x");
  EXPECT_EQ(error_of_check((dir / "file").string()),
            (dir / "file").string() +
                ": not written: it exists and is not a folder; choose a new folder, or move its "
                "contents away yourself");
  fs::create_directory_symlink(dir / "thesis", dir / "link");
  EXPECT_NE(error_of_check((dir / "link").string()).find("it is a symbolic link"), std::string::npos);
  EXPECT_NE(error_of_check(".").find("it is the working folder or one of its parents"), std::string::npos);
  EXPECT_NE(error_of_check("..").find("it is the working folder or one of its parents"), std::string::npos);
  EXPECT_NE(error_of_check("/").find("it is the working folder or one of its parents"), std::string::npos);
  // A marked folder with a symbolic link or a foreign subfolder inside is not qtsim's either.
  write_output((dir / "out").string(), "1");
  fs::create_symlink(dir / "file", dir / "out" / "a_link");
  EXPECT_NE(error_of_check((dir / "out").string()).find("it holds a_link"), std::string::npos);
  fs::remove(dir / "out" / "a_link");
  fs::create_directories(dir / "out" / "sub");
  write_file(dir / "out" / "sub" / "x", "x");
  EXPECT_NE(error_of_check((dir / "out").string()).find("it holds sub/x"), std::string::npos);
}

TEST(OutputFolder, AcceptsEmptyFoldersAndNestedQtsimFolders) {
  const fs::path dir = test::make_temp_dir("out_nested");
  fs::create_directories(dir / "empty");
  write_output((dir / "empty").string(), "1");
  EXPECT_EQ(test::slurp((dir / "empty/a.txt").string()), "1");
  write_output((dir / "run").string(), "1");
  write_output((dir / "run" / "figures").string(), "fig");  // e.g. scripts/plot_run.py's figures
  EXPECT_EQ(error_of_check((dir / "run").string()), "no error");
  write_output((dir / "run").string(), "2");
  EXPECT_FALSE(fs::exists(dir / "run" / "figures"));
}

TEST(OutputFolder, FailureBeforeCommitLeavesTheOldFolder) {
  const fs::path dir = test::make_temp_dir("out_fail");
  write_output((dir / "out").string(), "old");
  {
    OutputFolder folder((dir / "out").string(), "test");
    folder.write("a.txt", "half");
  }  // destroyed without commit: a failed run
  EXPECT_EQ(test::slurp((dir / "out/a.txt").string()), "old");
  EXPECT_EQ(entries(dir), std::vector<std::string>{"out"});
}

TEST(OutputFolder, RemovesStagingFoldersOfDeadWritersOnly) {
  const fs::path dir = test::make_temp_dir("out_stale");
  fs::create_directories(dir / ".out.qtsim-staging-1-dead");
  write_file(dir / ".out.qtsim-staging-1-dead" / "x", "x");
  fs::create_directories(dir / ".out.qtsim-staging-2-alive");
  const int fd = ::open((dir / ".out.qtsim-staging-2-alive").c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);                           // a live writer holds its lock
  fs::create_directories(dir / ".other.qtsim-staging-3-dead");  // another target's: not ours to judge
  // Killed while writing its marker: unfinished, removed.
  fs::create_directories(dir / ".out.qtsim-staging-4-half-marker");
  write_file(dir / ".out.qtsim-staging-4-half-marker" / "a.txt", "1");
  write_file(dir / ".out.qtsim-staging-4-half-marker" / ".qtsim_output.json", "{\n  \"files\": [");
  // A swapped-out old output into which someone put a file: kept.
  write_output((dir / ".out.qtsim-staging-5-old").string(), "old");
  write_file(dir / ".out.qtsim-staging-5-old" / "notes.txt", "mine");
  write_output((dir / "out").string(), "1");
  EXPECT_EQ(entries(dir), (std::vector<std::string>{".other.qtsim-staging-3-dead", ".out.qtsim-staging-2-alive",
                                                    ".out.qtsim-staging-5-old", "out"}));
  EXPECT_EQ(test::slurp((dir / ".out.qtsim-staging-5-old/notes.txt").string()), "mine");
  ::close(fd);
}

}  // namespace
}  // namespace qtsim
