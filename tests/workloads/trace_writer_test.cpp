#include "workloads/trace/trace_writer.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include "tests/unit/test_util.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "base/error.h"
#include "workloads/trace/trace_reader.h"

namespace qtsim {
namespace {

namespace fs = std::filesystem;

const std::string kFixtures = std::string(QTSIM_SOURCE_DIR) + "/tests/fixtures/traces/";

using test::error_of;

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// A fresh, empty folder per test, removed afterwards.
class TraceWriter : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("qtsim_trace_writer_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
};

TEST_F(TraceWriter, JsonTextIsTheCanonicalFixtureByteForByte) {
  // The fixture is written in the writer's text form (sorted keys, 2-space
  // indent, arrays of scalars on one line), so reading and re-encoding it must
  // reproduce it exactly.
  const std::string fixture = kFixtures + "small_valid.json";
  const Trace trace = read_trace(fixture);
  EXPECT_EQ(encode_trace_document(trace_to_json(trace), ".json"), file_bytes(fixture));
}

TEST_F(TraceWriter, BinaryEncodingsAreStandardCborAndMessagePack) {
  // {"a": 1}: CBOR map(1) = A1, text(1) = 61 'a', unsigned 1 = 01;
  // MessagePack fixmap(1) = 81, fixstr(1) = A1 'a', positive fixint 01.
  const Json doc = {{"a", 1}};
  EXPECT_EQ(encode_trace_document(doc, ".cbor"), std::string("\xA1\x61\x61\x01", 4));
  EXPECT_EQ(encode_trace_document(doc, ".msgpack"), std::string("\x81\xA1\x61\x01", 4));
}

TEST_F(TraceWriter, RoundTripsThroughEveryEncoding) {
  const Trace original = read_trace(kFixtures + "small_valid.json");
  const Json expected = trace_to_json(original);
  for (const std::string& extension : trace_file_extensions()) {
    const std::string out = path("trace" + extension);
    write_trace(original, out);
    const Trace back = read_trace(out);
    EXPECT_EQ(trace_to_json(back), expected) << extension;
    EXPECT_EQ(back.epochs[1].test_accuracy, -1.0) << extension;  // "not recorded" survives
  }
  // Nothing else (no temporary files) is left in the folder.
  EXPECT_EQ(listing(), (std::vector<std::string>{"trace.cbor", "trace.json", "trace.msgpack"}));
}

TEST_F(TraceWriter, ReplacesAnExistingFile) {
  const std::string out = path("trace.json");
  std::ofstream(out) << "old contents";
  write_trace(read_trace(kFixtures + "small_valid.json"), out);
  EXPECT_EQ(file_bytes(out), file_bytes(kFixtures + "small_valid.json"));
}

TEST_F(TraceWriter, RefusesAnInvalidTraceAndWritesNothing) {
  Trace trace = read_trace(kFixtures + "small_valid.json");
  trace.epochs[0].class_counts[0] = 5;  // more than the batch of 4 holds
  const std::string out = path("trace.cbor");
  EXPECT_EQ(error_of([&] { write_trace(trace, out); }),
            out +
                " (trace being written): epochs[0].class_counts[0][0]: out of range, got 5; expected an integer in "
                "[0, 4]");
  trace.epochs[0].class_counts[0] = 1;  // row 0 is now {1, 1, 1}: sums to 3 < 4
  EXPECT_EQ(error_of([&] { write_trace(trace, out); }),
            out +
                " (trace being written): epochs[0].class_counts[0]: wrong sum of class counts, got 3; expected 4, "
                "the samples of every iteration but the last (batch_size)");
  EXPECT_TRUE(listing().empty());
}

TEST_F(TraceWriter, UnknownExtensionIsAnError) {
  const std::string out = path("trace.yaml");
  EXPECT_EQ(error_of([&] { write_trace(read_trace(kFixtures + "small_valid.json"), out); }),
            out + ": unknown trace file extension `.yaml`; valid extensions: .json, .cbor, .msgpack");
  EXPECT_TRUE(listing().empty());
}

TEST_F(TraceWriter, MissingFolderIsAnErrorNamingThePath) {
  const std::string out = path("missing/trace.json");
  const std::string message = error_of([&] { write_trace(read_trace(kFixtures + "small_valid.json"), out); });
  EXPECT_EQ(message.rfind(out + ": ", 0), 0u) << message;
  EXPECT_TRUE(listing().empty());
}

}  // namespace
}  // namespace qtsim
