#include "workloads/trace/trace_reader.h"

#include <gtest/gtest.h>

#include "tests/unit/test_util.h"

#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>

#include "base/error.h"

namespace qtsim {
namespace {

const std::string kFixtures = std::string(QTSIM_SOURCE_DIR) + "/tests/fixtures/traces/";

using test::error_of;

Json small_valid() {
  std::ifstream in(kFixtures + "small_valid.json");
  std::stringstream text;
  text << in.rdbuf();
  return Json::parse(text.str());
}

// The message parse_trace gives for the small valid fixture after `edit`.
std::string error_after(const std::function<void(Json&)>& edit) {
  Json doc = small_valid();
  edit(doc);
  return error_of([&] { parse_trace(doc, "t.json"); });
}

TEST(TraceReader, ReadsTheSmallValidFixture) {
  const Trace trace = read_trace(kFixtures + "small_valid.json");
  EXPECT_EQ(trace.network, "tiny_net");
  EXPECT_EQ(trace.dataset, "hand-written");
  EXPECT_EQ(trace.class_names, (std::vector<std::string>{"cat", "dog", "ship"}));
  EXPECT_EQ(trace.batch_size, 4);
  EXPECT_EQ(trace.iterations_per_epoch, 3);
  EXPECT_EQ(trace.train_samples_per_epoch, 10);
  ASSERT_EQ(trace.num_epochs(), 2);
  // Last batch rule: 10 - (3 - 1) * 4 = 2 samples in iteration 2.
  EXPECT_EQ(trace.iteration_samples(0), 4);
  EXPECT_EQ(trace.iteration_samples(1), 4);
  EXPECT_EQ(trace.iteration_samples(2), 2);

  const TraceEpoch& e0 = trace.epochs[0];
  EXPECT_EQ(e0.train_accuracy, (std::vector<double>{0.3, 0.4, 0.9}));
  EXPECT_EQ(e0.train_loss, (std::vector<double>{1.5, 1.25, 0.125}));
  EXPECT_EQ(e0.test_accuracy, 0.5);
  EXPECT_EQ(e0.test_accuracy_per_class, (std::vector<double>{0.25, 0.5, 0.75}));
  EXPECT_EQ(e0.tags, (std::vector<int>{0, 0, 1}));
  EXPECT_EQ(e0.class_counts, (std::vector<std::uint16_t>{2, 1, 1, 1, 2, 1, 0, 1, 1}));
  EXPECT_EQ(trace.counts(0, 1)[1], 2);

  // Epoch 1 records only the required fields.
  const TraceEpoch& e1 = trace.epochs[1];
  EXPECT_EQ(e1.train_accuracy, (std::vector<double>{0.5, 0.6, 1.0}));
  EXPECT_TRUE(e1.train_loss.empty());
  EXPECT_EQ(e1.test_accuracy, -1.0);
  EXPECT_TRUE(e1.test_accuracy_per_class.empty());
  EXPECT_TRUE(e1.tags.empty());
  EXPECT_EQ(trace.counts(1, 2)[1], 2);

  // Stored as is (qtsim run replays it by default, so the fixture records a policy qtsim reads).
  EXPECT_EQ(trace.policy.at("impl"), "class_difficulty");
  EXPECT_EQ(trace.policy.at("tiers").at(1).at("min_accuracy"), 0.8);
  EXPECT_EQ(trace.provenance.at("kind"), "recorded");
}

TEST(TraceReader, PolicyMayBeNullOrAbsent) {
  Json doc = small_valid();
  doc["policy"] = nullptr;
  EXPECT_TRUE(parse_trace(doc, "t.json").policy.is_null());
  doc.erase("policy");
  EXPECT_TRUE(parse_trace(doc, "t.json").policy.is_null());
}

// --- File-level errors -----------------------------------------------------

TEST(TraceReader, UnknownExtensionListsTheValidOnes) {
  EXPECT_EQ(error_of([] { read_trace("run/trace.txt"); }),
            "run/trace.txt: unknown trace file extension `.txt`; valid extensions: .json, .cbor, .msgpack");
  EXPECT_EQ(error_of([] { read_trace("run/trace"); }),
            "run/trace: unknown trace file extension (none); valid extensions: .json, .cbor, .msgpack");
}

TEST(TraceReader, MissingFileIsNamed) {
  const std::string path = kFixtures + "no_such_trace.json";
  EXPECT_EQ(error_of([&] { read_trace(path); }), path + ": cannot open for reading: No such file or directory");
}

TEST(TraceReader, MalformedJsonNamesTheFileAndPosition) {
  const std::string path = kFixtures + "malformed.json";
  const std::string message = error_of([&] { read_trace(path); });
  // The file's 25 lines stop after `"epoch": 1`: the parser meets the end of input on line 26.
  EXPECT_EQ(message, path +
                         ": not valid JSON: parse error at line 26, column 1: syntax error while parsing object - "
                         "unexpected end of input; expected '}'");
}

TEST(TraceReader, TruncatedCborNamesTheFile) {
  const std::string path = kFixtures + "truncated.cbor";
  const std::string message = error_of([&] { read_trace(path); });
  // The file ends 4 bytes into the 8-byte double (header 0xfb at byte 195) of train_accuracy[1].
  EXPECT_EQ(message, path +
                         ": epochs[0].train_accuracy[1]: not a valid CBOR document: at byte 196: truncated: needs 8 "
                         "more bytes, 4 remain");
}

TEST(TraceReader, ErrorInAFileNamesFileAndRecord) {
  const std::string path = kFixtures + "wrong_sum.json";
  EXPECT_EQ(error_of([&] { read_trace(path); }),
            path +
                ": epochs[1].class_counts[2]: wrong sum of class counts, got 3; expected 2, the samples of the last "
                "iteration (train_samples_per_epoch - (iterations_per_epoch - 1) * batch_size)");
}

// --- One test per validation rule --------------------------------------------

TEST(TraceReader, RootMustBeAnObject) {
  EXPECT_EQ(error_of([] { parse_trace(Json::array(), "t.json"); }),
            "t.json: wrong type, got an array of 0; expected an object");
}

TEST(TraceReader, FormatMustBeQtsimTrace) {
  EXPECT_EQ(error_after([](Json& d) { d["format"] = "dramsys-trace"; }),
            "t.json: format: not a qtsim trace, got \"dramsys-trace\" (a string); expected \"qtsim-trace\"");
  EXPECT_EQ(error_after([](Json& d) { d.erase("format"); }), "t.json: missing required key `format` (format)");
}

TEST(TraceReader, VersionMustBeOne) {
  EXPECT_EQ(error_after([](Json& d) { d["version"] = 2; }),
            "t.json: version: unsupported trace format version, got 2; expected 1 (the only version this build "
            "reads)");
  EXPECT_EQ(error_after([](Json& d) { d["version"] = "1"; }),
            "t.json: version: wrong type, got \"1\" (a string); expected an integer in [-9223372036854775808, "
            "9223372036854775807]");
}

TEST(TraceReader, NetworkAndDatasetAreNonEmptyStrings) {
  EXPECT_EQ(error_after([](Json& d) { d.erase("network"); }), "t.json: missing required key `network` (network)");
  EXPECT_EQ(error_after([](Json& d) { d["network"] = ""; }),
            "t.json: network: empty, got \"\" (a string); expected a non-empty string");
  EXPECT_EQ(error_after([](Json& d) { d["dataset"] = 10; }), "t.json: dataset: wrong type, got 10; expected a string");
}

TEST(TraceReader, ClassNamesNonEmptyAndUnique) {
  EXPECT_EQ(error_after([](Json& d) { d["class_names"] = Json::array(); }),
            "t.json: class_names: empty, got an array of 0; expected at least one class name");
  EXPECT_EQ(error_after([](Json& d) { d["class_names"][1] = ""; }),
            "t.json: class_names[1]: empty, got \"\" (a string); expected a non-empty string");
  EXPECT_EQ(error_after([](Json& d) { d["class_names"][2] = "cat"; }),
            "t.json: class_names[2]: duplicate class name, got \"cat\" (a string); expected a name not used before "
            "(class_names[0] is already \"cat\")");
}

TEST(TraceReader, BatchSizeAtLeastOne) {
  EXPECT_EQ(error_after([](Json& d) { d["batch_size"] = 0; }),
            "t.json: batch_size: out of range, got 0; expected an integer in [1, 65535]");
}

TEST(TraceReader, IterationsAtLeastOne) {
  EXPECT_EQ(error_after([](Json& d) { d["iterations_per_epoch"] = 0; }),
            "t.json: iterations_per_epoch: out of range, got 0; expected an integer in [1, 2147483647]");
}

TEST(TraceReader, LastBatchRule) {
  // 3 iterations of 4: two full batches (8 samples), then 1 to 4 more: [9, 12].
  const std::string expected_tail =
      "; expected an integer in [9, 12] (iterations_per_epoch - 1 full batches, then a last batch of 1 to "
      "batch_size samples)";
  EXPECT_EQ(error_after([](Json& d) { d["train_samples_per_epoch"] = 13; }),
            "t.json: train_samples_per_epoch: inconsistent with batch_size 4 and iterations_per_epoch 3, got 13" +
                expected_tail);
  EXPECT_EQ(error_after([](Json& d) { d["train_samples_per_epoch"] = 8; }),
            "t.json: train_samples_per_epoch: inconsistent with batch_size 4 and iterations_per_epoch 3, got 8" +
                expected_tail);
}

TEST(TraceReader, EpochsPresentInOrder) {
  EXPECT_EQ(error_after([](Json& d) { d["epochs"] = Json::array(); }),
            "t.json: epochs: empty, got an array of 0; expected at least one epoch");
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][1]["epoch"] = 2; }),
            "t.json: epochs[1].epoch: wrong epoch index, got 2; expected 1 (epochs are listed in order, each once, "
            "starting at 0)");
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0].erase("epoch"); }),
            "t.json: epochs[0]: missing required key `epoch` (epochs[0].epoch)");
}

TEST(TraceReader, ClassCountsHaveOneRowPerIteration) {
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0]["class_counts"].erase(2); }),
            "t.json: epochs[0].class_counts: wrong number of rows, got an array of 2; expected 3 rows, one per "
            "iteration (iterations_per_epoch)");
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0].erase("class_counts"); }),
            "t.json: epochs[0]: missing required key `class_counts` (epochs[0].class_counts)");
}

TEST(TraceReader, ClassCountRowsHaveOneCountPerClass) {
  EXPECT_EQ(error_after([](Json& d) {
              d["epochs"][0]["class_counts"][1] = Json::array({2, 2});
            }),
            "t.json: epochs[0].class_counts[1]: wrong length, got an array of 2; expected 3 counts, one per class");
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0]["class_counts"][1] = 4; }),
            "t.json: epochs[0].class_counts[1]: wrong type, got 4; expected an array");
}

TEST(TraceReader, ClassCountsAreNonNegativeIntegersWithinTheBatch) {
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0]["class_counts"][1][0] = -1; }),
            "t.json: epochs[0].class_counts[1][0]: out of range, got -1; expected an integer in [0, 4]");
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0]["class_counts"][1][0] = 1.5; }),
            "t.json: epochs[0].class_counts[1][0]: not an integer, got 1.5; expected an integer in [0, 4]");
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0]["class_counts"][1][2] = "1"; }),
            "t.json: epochs[0].class_counts[1][2]: wrong type, got \"1\" (a string); expected an integer in [0, 4]");
  // The last iteration holds 2 samples, so one class cannot hold 3.
  EXPECT_EQ(error_after([](Json& d) {
              d["epochs"][1]["class_counts"][2] = Json::array({3, 0, 0});
            }),
            "t.json: epochs[1].class_counts[2][0]: out of range, got 3; expected an integer in [0, 2]");
}

TEST(TraceReader, IntegralFloatCountsAreAccepted) {
  Json doc = small_valid();
  doc["epochs"][0]["class_counts"][0][0] = 2.0;
  EXPECT_EQ(parse_trace(doc, "t.json").epochs[0].class_counts[0], 2);
}

TEST(TraceReader, ClassCountsSumToTheIterationSamples) {
  EXPECT_EQ(error_after([](Json& d) {
              d["epochs"][0]["class_counts"][1] = Json::array({1, 1, 1});
            }),
            "t.json: epochs[0].class_counts[1]: wrong sum of class counts, got 3; expected 4, the samples of every "
            "iteration but the last (batch_size)");
  EXPECT_EQ(error_after([](Json& d) {
              d["epochs"][0]["class_counts"][2] = Json::array({0, 1, 0});
            }),
            "t.json: epochs[0].class_counts[2]: wrong sum of class counts, got 1; expected 2, the samples of the last "
            "iteration (train_samples_per_epoch - (iterations_per_epoch - 1) * batch_size)");
}

TEST(TraceReader, TrainAccuracyOnePerClassInUnitRange) {
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0]["train_accuracy"][2] = 1.5; }),
            "t.json: epochs[0].train_accuracy[2]: out of range, got 1.5; expected a number in [0, 1]");
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0]["train_accuracy"].erase(2); }),
            "t.json: epochs[0].train_accuracy: wrong length, got an array of 2; expected 3 accuracies, one per class");
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][1].erase("train_accuracy"); }),
            "t.json: epochs[1]: missing required key `train_accuracy` (epochs[1].train_accuracy)");
}

TEST(TraceReader, TrainLossFiniteAndNonNegative) {
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0]["train_loss"][0] = -0.5; }),
            "t.json: epochs[0].train_loss[0]: out of range, got -0.5; expected a finite number >= 0");
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0]["train_loss"][1] = true; }),
            "t.json: epochs[0].train_loss[1]: wrong type, got true (a boolean); expected a finite number >= 0");
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0]["train_loss"] = Json::array({1.0}); }),
            "t.json: epochs[0].train_loss: wrong length, got an array of 1; expected 3 losses, one per class");
}

TEST(TraceReader, InfiniteLossFromCborIsRejected) {
  // JSON text cannot hold infinity, CBOR can.
  Json doc = small_valid();
  doc["epochs"][0]["train_loss"][2] = std::numeric_limits<double>::infinity();
  EXPECT_EQ(error_of([&] { parse_trace(Json::from_cbor(Json::to_cbor(doc)), "t.cbor"); }),
            "t.cbor: epochs[0].train_loss[2]: out of range, got inf; expected a finite number >= 0");
  doc = small_valid();
  doc["epochs"][0]["train_accuracy"][0] = std::nan("");
  EXPECT_EQ(error_of([&] { parse_trace(Json::from_cbor(Json::to_cbor(doc)), "t.cbor"); }),
            "t.cbor: epochs[0].train_accuracy[0]: out of range, got NaN; expected a number in [0, 1]");
}

TEST(TraceReader, TestAccuracyInUnitRange) {
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0]["test_accuracy"] = 1.25; }),
            "t.json: epochs[0].test_accuracy: out of range, got 1.25; expected a number in [0, 1]");
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0]["test_accuracy_per_class"][1] = -0.25; }),
            "t.json: epochs[0].test_accuracy_per_class[1]: out of range, got -0.25; expected a number in [0, 1]");
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0]["test_accuracy_per_class"] = Json::array({0.5}); }),
            "t.json: epochs[0].test_accuracy_per_class: wrong length, got an array of 1; expected 3 accuracies, one "
            "per class");
}

TEST(TraceReader, TagsAreNonNegativeIntegers) {
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0]["tags"][1] = -1; }),
            "t.json: epochs[0].tags[1]: out of range, got -1; expected an integer in [0, 2147483647]");
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][0]["tags"][1] = 0.5; }),
            "t.json: epochs[0].tags[1]: not an integer, got 0.5; expected an integer in [0, 2147483647]");
  EXPECT_EQ(error_after([](Json& d) {
              d["epochs"][0]["tags"] = Json::array({0, 1, 2, 3});
            }),
            "t.json: epochs[0].tags: wrong length, got an array of 4; expected 3 tags, one per class");
}

TEST(TraceReader, UnknownKeysAreRejected) {
  EXPECT_EQ(error_after([](Json& d) { d["notes"] = "x"; }),
            "t.json: notes: unknown key `notes`; valid keys here: batch_size, class_names, dataset, epochs, format, "
            "iterations_per_epoch, network, policy, provenance, train_samples_per_epoch, version");
  EXPECT_EQ(error_after([](Json& d) { d["epochs"][1]["test_acc"] = 0.5; }),
            "t.json: epochs[1].test_acc: unknown key `test_acc`; valid keys here: class_counts, epoch, tags, "
            "test_accuracy, test_accuracy_per_class, train_accuracy, train_loss");
}

TEST(TraceReader, PolicyIsAnObject) {
  EXPECT_EQ(error_after([](Json& d) { d["policy"] = 3; }),
            "t.json: policy: wrong type, got 3; expected an object, or null when training used none");
}

TEST(TraceReader, ProvenanceHasAKnownKind) {
  EXPECT_EQ(error_after([](Json& d) { d["provenance"]["kind"] = "measured"; }),
            "t.json: provenance.kind: unknown name, got \"measured\" (a string); expected one of: synthetic, "
            "recorded");
  EXPECT_EQ(error_after([](Json& d) { d["provenance"].erase("kind"); }),
            "t.json: provenance: missing required key `kind` (provenance.kind)");
  EXPECT_EQ(error_after([](Json& d) { d["provenance"] = "synthetic"; }),
            "t.json: provenance: wrong type, got \"synthetic\" (a string); expected an object");
}

}  // namespace
}  // namespace qtsim
