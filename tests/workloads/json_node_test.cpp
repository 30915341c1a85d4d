#include "base/json_node.h"

#include <gtest/gtest.h>

#include "base/error.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

using test::error_of;

TEST(JsonNode, ReadsTypedValuesWithDefaults) {
  Json doc = Json::parse(R"({"rows": 16, "name": "os", "scale": 0.5, "on": true})");
  JsonNode node(doc, "hw.json");
  EXPECT_EQ(node.get_int("rows", 8, 1, 4096), 16);
  EXPECT_EQ(node.get_int("cols", 8, 1, 4096), 8);
  EXPECT_EQ(node.get_choice("name", "ws", {"os", "ws"}), "os");
  EXPECT_DOUBLE_EQ(node.get_double("scale", 1.0, 0.0, 1.0), 0.5);
  EXPECT_TRUE(node.get_bool("on", false));
  node.reject_unknown_keys();
}

TEST(JsonNode, OutOfRangeNamesFileKeyValueAndRange) {
  Json doc = Json::parse(R"({"mac_array": {"rows": 0}})");
  JsonNode node(doc, "hw.json");
  EXPECT_EQ(error_of([&] { node.at("mac_array").get_int("rows", 8, 1, 4096); }),
            "hw.json: mac_array.rows: out of range, got 0; expected an integer in [1, 4096]");
}

TEST(JsonNode, WrongTypeIsDescribed) {
  Json doc = Json::parse(R"({"rows": "16"})");
  JsonNode node(doc, "hw.json");
  EXPECT_EQ(error_of([&] { node.get_int("rows", 8, 1, 64); }),
            "hw.json: rows: wrong type, got \"16\" (a string); expected an integer in [1, 64]");
}

TEST(JsonNode, NonIntegralNumberIsNotAnInteger) {
  Json doc = Json::parse(R"({"rows": 2.5})");
  JsonNode node(doc, "f");
  EXPECT_EQ(error_of([&] { node.get_int("rows", 8, 1, 64); }),
            "f: rows: not an integer, got 2.5; expected an integer in [1, 64]");
}

TEST(JsonNode, UnknownKeyListsValidOnes) {
  Json doc = Json::parse(R"({"rows": 4, "colz": 4})");
  JsonNode node(doc, "hw.json", "mac_array");
  node.get_int("rows", 8, 1, 64);
  node.get_int("cols", 8, 1, 64);
  EXPECT_EQ(error_of([&] { node.reject_unknown_keys(); }),
            "hw.json: mac_array.colz: unknown key `colz`; valid keys here: cols, rows");
}

TEST(JsonNode, UnknownChoiceListsChoices) {
  Json doc = Json::parse(R"({"dataflow": "is"})");
  JsonNode node(doc, "hw.json");
  EXPECT_EQ(error_of([&] {
              node.get_choice("dataflow", "os", {"os", "ws"});
            }),
            "hw.json: dataflow: unknown name, got \"is\" (a string); expected one of: os, ws");
}

TEST(JsonNode, MissingRequiredKeyAndArrayIndexPaths) {
  Json doc = Json::parse(R"({"tiers": [{"a": 1}, {}]})");
  JsonNode node(doc, "p.json");
  JsonNode second = node.at("tiers").at(std::size_t{1});
  EXPECT_EQ(second.path(), "tiers[1]");
  EXPECT_EQ(error_of([&] { second.at("precision"); }),
            "p.json: tiers[1]: missing required key `precision` (tiers[1].precision)");
}

}  // namespace
}  // namespace qtsim
