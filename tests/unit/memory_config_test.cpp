// Memory configuration (hardware.buffers, hardware.dram): defaults, round
// trip, and one test per validation rule with its exact message.
#include "hw_models/config/memory_config.h"

#include <gtest/gtest.h>

#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

using test::error_of;

// Parses `text` as the value of hardware.buffers, read the way the hardware
// section reads it (so key paths start at "buffers").
BuffersConfig buffers_from(const std::string& text) {
  const Json doc = Json::parse(R"({"buffers": )" + text + "}");
  return parse_buffers_config(*JsonNode(doc, "hw.json").find("buffers"));
}

DramConfig dram_from(const std::string& text) {
  const Json doc = Json::parse(R"({"dram": )" + text + "}");
  return parse_dram_config(*JsonNode(doc, "hw.json").find("dram"));
}

TEST(MemoryConfig, EmptySectionsGiveTheDefaults) {
  const BuffersConfig b = buffers_from("{}");
  for (Operand operand : kOperands) {
    SCOPED_TRACE(to_string(operand));
    EXPECT_EQ(b.at(operand).capacity_bytes, 65536);
    EXPECT_EQ(b.at(operand).banks, 4);
    EXPECT_EQ(b.at(operand).word_bits, 64);
    EXPECT_EQ(b.at(operand).ports, 1);
    EXPECT_EQ(b.at(operand).capacity_words(), 8192);  // 65536 bytes / 8 bytes per word
  }
  const DramConfig d = dram_from("{}");
  EXPECT_EQ(d.bandwidth_bytes_per_cycle, 16.0);
  EXPECT_EQ(d.latency_cycles, 100);
  EXPECT_EQ(d.burst_bytes, 64);
}

TEST(MemoryConfig, EachBufferIsReadFromItsOwnKey) {
  const BuffersConfig b = buffers_from(R"({"weight": {"capacity_bytes": 4096, "word_bits": 128},
                                           "output": {"banks": 8, "ports": 2}})");
  EXPECT_EQ(b.weight.capacity_bytes, 4096);
  EXPECT_EQ(b.weight.word_bits, 128);
  EXPECT_EQ(b.weight.banks, 4);
  EXPECT_EQ(b.weight.capacity_words(), 256);  // 4096 / 16
  EXPECT_EQ(b.output.banks, 8);
  EXPECT_EQ(b.output.ports, 2);
  EXPECT_EQ(b.output.capacity_bytes, 65536);
  EXPECT_EQ(b.activation, BufferConfig{});
  EXPECT_EQ(b.gradient, BufferConfig{});
}

TEST(MemoryConfig, PartialLastWordIsUnused) {
  // 100 bytes of 8-byte words: 12 whole words.
  EXPECT_EQ(buffers_from(R"({"activation": {"capacity_bytes": 100}})").activation.capacity_words(), 12);
}

TEST(MemoryConfig, ToJsonWritesEveryKeyAndReadsBack) {
  BuffersConfig b;
  b.gradient = BufferConfig{1024, 2, 32, 3};
  const Json j = to_json(b);
  EXPECT_EQ(j.dump(), R"({"activation":{"banks":4,"capacity_bytes":65536,"ports":1,"word_bits":64},)"
                      R"("gradient":{"banks":2,"capacity_bytes":1024,"ports":3,"word_bits":32},)"
                      R"("output":{"banks":4,"capacity_bytes":65536,"ports":1,"word_bits":64},)"
                      R"("weight":{"banks":4,"capacity_bytes":65536,"ports":1,"word_bits":64}})");
  EXPECT_EQ(buffers_from(j.dump()), b);

  DramConfig d;
  d.bandwidth_bytes_per_cycle = 0.5;
  d.latency_cycles = 7;
  d.burst_bytes = 32;
  EXPECT_EQ(to_json(d).dump(), R"({"bandwidth_bytes_per_cycle":0.5,"burst_bytes":32,"latency_cycles":7})");
  EXPECT_EQ(dram_from(to_json(d).dump()), d);
}

TEST(MemoryConfig, FractionalBandwidthIsExactInMillionths) {
  EXPECT_EQ(dram_from(R"({"bandwidth_bytes_per_cycle": 0.5})").bandwidth_micro_bytes_per_cycle(), 500000);
  EXPECT_EQ(dram_from(R"({"bandwidth_bytes_per_cycle": 12.8})").bandwidth_micro_bytes_per_cycle(), 12800000);
  EXPECT_EQ(dram_from(R"({"bandwidth_bytes_per_cycle": 0.123456})").bandwidth_micro_bytes_per_cycle(), 123456);
  EXPECT_EQ(dram_from(R"({"bandwidth_bytes_per_cycle": 99999.999999})").bandwidth_micro_bytes_per_cycle(), 99999999999);
}

// One test per rule.

TEST(MemoryConfig, UnknownBufferIsAnError) {
  EXPECT_EQ(error_of([] { buffers_from(R"({"weights": {}})"); }),
            "hw.json: buffers.weights: unknown key `weights`; valid keys here: activation, gradient, output, weight");
}

TEST(MemoryConfig, UnknownBufferKeyIsAnError) {
  EXPECT_EQ(error_of([] { buffers_from(R"({"weight": {"size_bytes": 1}})"); }),
            "hw.json: buffers.weight.size_bytes: unknown key `size_bytes`; valid keys here: banks, capacity_bytes, "
            "ports, word_bits");
}

TEST(MemoryConfig, BufferMustBeAnObject) {
  EXPECT_EQ(error_of([] { buffers_from(R"({"weight": 5})"); }),
            "hw.json: buffers.weight: wrong type, got 5; expected an object");
  EXPECT_EQ(error_of([] { buffers_from("[]"); }),
            "hw.json: buffers: wrong type, got an array of 0; expected an object");
}

TEST(MemoryConfig, WordBitsRange) {
  EXPECT_EQ(error_of([] { buffers_from(R"({"activation": {"word_bits": 4}})"); }),
            "hw.json: buffers.activation.word_bits: out of range, got 4; expected an integer in [8, 1024]");
  EXPECT_EQ(error_of([] { buffers_from(R"({"activation": {"word_bits": 2048}})"); }),
            "hw.json: buffers.activation.word_bits: out of range, got 2048; expected an integer in [8, 1024]");
}

TEST(MemoryConfig, WordBitsMultipleOfEight) {
  EXPECT_EQ(error_of([] { buffers_from(R"({"gradient": {"word_bits": 12}})"); }),
            "hw.json: buffers.gradient.word_bits: not a whole number of bytes, got 12; expected an integer in [8, "
            "1024], a multiple of 8");
}

TEST(MemoryConfig, CapacityAtLeastOneWord) {
  // 128-bit words are 16 bytes.
  EXPECT_EQ(error_of([] { buffers_from(R"({"output": {"word_bits": 128, "capacity_bytes": 8}})"); }),
            "hw.json: buffers.output.capacity_bytes: out of range, got 8; expected an integer in [16, 1099511627776]");
  EXPECT_EQ(buffers_from(R"({"output": {"word_bits": 128, "capacity_bytes": 16}})").output.capacity_words(), 1);
  EXPECT_EQ(error_of([] { buffers_from(R"({"output": {"capacity_bytes": "64k"}})"); }),
            "hw.json: buffers.output.capacity_bytes: wrong type, got \"64k\" (a string); expected an integer in [8, "
            "1099511627776]");
}

TEST(MemoryConfig, BanksAtLeastOne) {
  EXPECT_EQ(error_of([] { buffers_from(R"({"weight": {"banks": 0}})"); }),
            "hw.json: buffers.weight.banks: out of range, got 0; expected an integer in [1, 4096]");
  EXPECT_EQ(buffers_from(R"({"weight": {"banks": 3}})").weight.banks, 3);  // not necessarily a power of two
}

TEST(MemoryConfig, PortsAtLeastOne) {
  EXPECT_EQ(error_of([] { buffers_from(R"({"weight": {"ports": 0}})"); }),
            "hw.json: buffers.weight.ports: out of range, got 0; expected an integer in [1, 64]");
}

TEST(MemoryConfig, DramBandwidthRange) {
  EXPECT_EQ(error_of([] { dram_from(R"({"bandwidth_bytes_per_cycle": 0})"); }),
            "hw.json: dram.bandwidth_bytes_per_cycle: out of range, got 0; expected a number in [0.001, 100000]");
}

TEST(MemoryConfig, DramBandwidthAtMostSixDecimals) {
  EXPECT_EQ(error_of([] { dram_from(R"({"bandwidth_bytes_per_cycle": 0.3333333})"); }),
            "hw.json: dram.bandwidth_bytes_per_cycle: more than 6 decimals, got 0.3333333; expected a number in "
            "[0.001, 100000] with at most 6 decimals");
}

TEST(MemoryConfig, DramLatencyRange) {
  EXPECT_EQ(error_of([] { dram_from(R"({"latency_cycles": -1})"); }),
            "hw.json: dram.latency_cycles: out of range, got -1; expected an integer in [0, 1000000]");
  EXPECT_EQ(dram_from(R"({"latency_cycles": 0})").latency_cycles, 0);
}

TEST(MemoryConfig, DramBurstRange) {
  EXPECT_EQ(error_of([] { dram_from(R"({"burst_bytes": 0})"); }),
            "hw.json: dram.burst_bytes: out of range, got 0; expected an integer in [1, 65536]");
}

TEST(MemoryConfig, DramUnknownKeyIsAnError) {
  EXPECT_EQ(error_of([] { dram_from(R"({"latency": 5})"); }),
            "hw.json: dram.latency: unknown key `latency`; valid keys here: bandwidth_bytes_per_cycle, burst_bytes, "
            "latency_cycles");
}

}  // namespace
}  // namespace qtsim
