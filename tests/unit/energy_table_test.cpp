// The energy table: the built-in 45 nm table, strict loading, extension by a
// user table, and the errors a user can act on (sim/energy/energy_table.h).
#include <gtest/gtest.h>

#include "sim/energy/embedded_tables.h"
#include "sim/energy/energy_model.h"
#include "sim/energy/energy_table.h"
#include "tests/unit/process.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

const std::string kFixtures = "tests/fixtures/energy/";

Json builtin_document() { return Json::parse(std::string(*find_embedded(embedded_energy_tables(), "45nm"))); }

TEST(EnergyTable, BuiltinLoadsAndEveryEntryHasASource) {
  const EnergyTable table = EnergyTable::load("builtin:45nm");
  EXPECT_EQ(table.reference(), "builtin:45nm");
  ASSERT_EQ(table.chain().size(), 1u);
  EXPECT_EQ(table.chain().front().technology_node_nm, 45.0);
  EXPECT_EQ(EnergyTable::builtin_names(), std::vector<std::string>{"builtin:45nm"});
  // Every entry of the shipped file carries a non-empty source.
  const Json doc = builtin_document();
  int entries = 0;
  for (const auto& [group, items] : doc.at("entries").items()) {
    for (const auto& [key, entry] : items.items()) {
      ++entries;
      ASSERT_TRUE(entry.contains("source")) << group << "." << key;
      EXPECT_FALSE(entry.at("source").get<std::string>().empty()) << group << "." << key;
      EXPECT_NE(table.find(group, key), nullptr) << group << "." << key;
    }
  }
  EXPECT_GT(entries, 40);
}

TEST(EnergyTable, ValuesAreHeldInCanonicalUnits) {
  const EnergyTable table = EnergyTable::load("builtin:45nm");
  // 459.1875 fJ = 0.4591875 pJ (Bit Fusion's fusion unit, dynamic, per cycle).
  EXPECT_DOUBLE_EQ(table.find("mac_array", "bitfusion_pe_cycle")->value, 0.4591875);
  // 59,327.5 nW = 0.0593275 mW.
  EXPECT_DOUBLE_EQ(table.find("mac_array", "bitfusion_pe_leakage")->value, 0.0593275);
  // Areas in um2: 27,752.83558 um2 / 16 PEs.
  EXPECT_EQ(table.find("mac_array", "bitfusion_pe_area")->kind, EntryKind::area);
  EXPECT_DOUBLE_EQ(table.find("mac_array", "bitfusion_pe_area")->value, 1734.55222375);
  // 73.95312 nW = 7.395312e-05 mW (Aladdin's register bit).
  EXPECT_DOUBLE_EQ(table.find("registers", "bit_leakage")->value, 7.395312e-05);
  EXPECT_EQ(table.find("dram", "hbm2")->kind, EntryKind::energy_per_bit);
  EXPECT_DOUBLE_EQ(table.find("dram", "hbm2")->value, 3.9);
  const EnergyEntry* sram = table.find("sram", "read_64b_32kb");
  EXPECT_EQ(sram->access, "read");
  EXPECT_EQ(sram->capacity_bytes, 32768);
  EXPECT_EQ(sram->word_bits, 64);
  EXPECT_DOUBLE_EQ(sram->value, 20.0);
}

TEST(EnergyTable, NegativeEnergyIsAnErrorNamingTheEntry) {
  const std::string path = test::source_path(kFixtures + "negative_energy.json");
  EXPECT_EQ(test::error_of([&] { EnergyTable::load(path); }),
            path + ": entries.sram.read_64b_32kb.energy: negative energy, got -1; expected >= 0");
}

TEST(EnergyTable, UnknownUnitIsAnErrorListingTheUnits) {
  const std::string path = test::source_path(kFixtures + "unknown_unit.json");
  EXPECT_EQ(test::error_of([&] { EnergyTable::load(path); }),
            path +
                ": entries.dram.lpddr4.unit: unknown unit, got \"pj/bit\" (a string); expected one of fJ, pJ, nJ, "
                "fJ/bit, pJ/bit, nW, uW, mW, um2, mm2");
}

TEST(EnergyTable, MissingEntryTheHardwareNeedsIsAnErrorNamingIt) {
  const std::string path = test::source_path(kFixtures + "missing_fused_unit.json");
  const EnergyTable table = EnergyTable::load(path);  // loads: the entry is removed, not malformed
  EXPECT_EQ(test::error_of([&] { price(ActionCounts{}, table, HardwareConfig{}); }),
            path +
                ": entries.mac_array.bitfusion_pe_cycle: missing entry; the hardware needs it (mac_array.pe_kind "
                "is bitfusion); expected an energy per action (fJ, pJ or nJ) with its source, in this table or in "
                "one it extends");
  // A fixed PE of a width the built-in table has no synthesis for.
  HardwareConfig hw;
  hw.mac_array.pe_kind = PeKindId::fixed;
  hw.mac_array.fixed_width_bits = 12;
  EXPECT_EQ(test::error_of([&] { price(ActionCounts{}, EnergyTable::load("builtin:45nm"), hw); }),
            "builtin:45nm: entries.mac_array.fixed_12b_pe_cycle: missing entry; the hardware needs it "
            "(mac_array.pe_kind is fixed with fixed_width_bits 12); expected an energy per action (fJ, pJ or nJ) "
            "with its source, in this table or in one it extends");
}

TEST(EnergyTable, OtherInvalidEntriesAreErrorsNamingTheKey) {
  auto error_with = [](const std::string& group, const std::string& key, const Json& entry) {
    Json doc = builtin_document();
    doc["entries"][group][key] = entry;
    return test::error_of([&] { EnergyTable::parse(doc, "t.json", ""); });
  };
  EXPECT_EQ(error_with("dram", "lpddr4", {{"energy", 8}, {"unit", "mW"}, {"source", "s"}}),
            "t.json: entries.dram.lpddr4.unit: not a unit of energy, got \"mW\" (a string); expected one of fJ, pJ, "
            "nJ, fJ/bit, pJ/bit");
  EXPECT_EQ(error_with("dram", "lpddr4", {{"energy", 8}, {"unit", "pJ/bit"}, {"source", ""}}),
            "t.json: entries.dram.lpddr4.source: empty source, got \"\" (a string); expected the publication or "
            "derivation of the value");
  EXPECT_EQ(error_with("mac_array", "gated_share", {{"fraction", 1.5}, {"source", "s"}}),
            "t.json: entries.mac_array.gated_share.fraction: fraction out of range, got 1.5; expected a number in "
            "[0, 1]");
  EXPECT_EQ(error_with("dram", "lpddr4", {{"energy", 8}, {"unit", "pJ/bit"}, {"source", "s"}, {"sorce", "s"}}),
            "t.json: entries.dram.lpddr4.sorce: unknown key `sorce`; valid keys here: clock_mhz, energy, node_nm, "
            "note, source, unit, voltage_v");
  EXPECT_EQ(error_with("sram", "read_32b_8kb",
                       {{"access", "read"},
                        {"capacity_bytes", 8192},
                        {"word_bits", 32},
                        {"energy", 6.39163},
                        {"unit", "pJ"},
                        {"source", "s"}}),
            "t.json: entries.sram: read_32b_8kb and read_64b_8kb are both read points at capacity_bytes 8192; "
            "expected one point per capacity (set one to null to remove it)");
  // A dram entry given per access, not per bit, is the wrong kind when the hardware needs it.
  Json doc = builtin_document();
  doc["entries"]["dram"]["lpddr4"] = {{"energy", 8}, {"unit", "pJ"}, {"source", "s"}};
  const EnergyTable table = EnergyTable::parse(doc, "t.json", "");
  EXPECT_EQ(test::error_of([&] { price(ActionCounts{}, table, HardwareConfig{}); }),
            "t.json: entries.dram.lpddr4: wrong kind of value, got an energy per action (fJ, pJ or nJ); expected an "
            "energy per bit (fJ/bit or pJ/bit) (energy.dram_type is lpddr4)");
  EXPECT_EQ(test::error_of([] { EnergyTable::load("builtin:7nm"); }),
            "builtin:7nm: no such built-in energy table; built-in tables: builtin:45nm");
}

TEST(EnergyTable, UserTableExtendsTheBuiltinEntryByEntry) {
  const std::string path = test::source_path(kFixtures + "user_extends.json");
  const EnergyTable table = EnergyTable::load(path);
  ASSERT_EQ(table.chain().size(), 2u);
  EXPECT_EQ(table.chain()[0].reference, path);
  EXPECT_EQ(table.chain()[1].reference, "builtin:45nm");
  // Replaced: 10 pJ/bit, from the user's file.
  EXPECT_DOUBLE_EQ(table.find("dram", "lpddr4")->value, 10.0);
  EXPECT_EQ(table.find("dram", "lpddr4")->table, path);
  // Added: 500 fJ = 0.5 pJ.
  EXPECT_DOUBLE_EQ(table.find("vector_unit", "relu_fwd")->value, 0.5);
  // Inherited unchanged.
  EXPECT_DOUBLE_EQ(table.find("dram", "hbm2")->value, 3.9);
  EXPECT_EQ(table.find("dram", "hbm2")->table, "builtin:45nm");
  // Without `extends` a table replaces the built-in one entirely: only what it holds.
  Json doc = Json::parse(test::slurp(path));
  doc.erase("extends");
  const EnergyTable alone = EnergyTable::parse(doc, "alone.json", "");
  EXPECT_EQ(alone.find("dram", "hbm2"), nullptr);
  EXPECT_EQ(alone.group("mac_array").size(), 0u);
}

}  // namespace
}  // namespace qtsim
