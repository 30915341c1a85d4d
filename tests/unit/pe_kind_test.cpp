// The typed variants of the MAC array and the PE-kind registry
// (hw_models/config/mac_array_variants.h, hw_models/pe/pe_kind.h): names and
// their errors, each kind's modes for a few widths, and the energy facts each
// kind states. The expected modes are worked by hand from the rules in the
// kinds' headers (bitfusion_pe.h, bitserial_pe.h, fixed_pe.h).
#include <gtest/gtest.h>

#include "hw_models/pe/pe_kind.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

using test::error_of;

MacArrayConfig array_of(PeKindId kind, int fixed_width_bits = 8) {
  MacArrayConfig a;
  a.pe_kind = kind;
  a.fixed_width_bits = fixed_width_bits;
  return a;
}

// The message parsing `value` as mac_array.<key> gives.
template <typename Parse>
std::string parse_error(const Json& value, const std::string& key, Parse parse) {
  return error_of([&] { parse(JsonNode(value, "hw.json", "mac_array." + key)); });
}

TEST(MacArrayVariants, NamesRoundTrip) {
  for (const std::string& name : dataflow_names()) {
    EXPECT_EQ(to_string(parse_dataflow(JsonNode(Json(name), "hw.json"))), name);
  }
  for (const std::string& name : pe_kind_names()) {
    EXPECT_EQ(to_string(parse_pe_kind(JsonNode(Json(name), "hw.json"))), name);
  }
  EXPECT_EQ(parse_dataflow(JsonNode(Json("ws"), "hw.json")), Dataflow::ws);
  EXPECT_EQ(parse_pe_kind(JsonNode(Json("bitserial"), "hw.json")), PeKindId::bitserial);
}

TEST(MacArrayVariants, UnknownNamesListTheValidOnes) {
  EXPECT_EQ(parse_error(Json("is"), "dataflow", parse_dataflow),
            "hw.json: mac_array.dataflow: unknown name, got \"is\" (a string); expected one of: os, ws");
  EXPECT_EQ(parse_error(Json("systolic"), "pe_kind", parse_pe_kind),
            "hw.json: mac_array.pe_kind: unknown name, got \"systolic\" (a string); expected one of: bitfusion, "
            "bitserial, fixed");
  EXPECT_EQ(parse_error(Json(3), "pe_kind", parse_pe_kind),
            "hw.json: mac_array.pe_kind: wrong type, got 3; expected one of: bitfusion, bitserial, fixed");
}

TEST(PeKindRegistry, EveryNameHasItsKind) {
  for (const std::string& name : pe_kind_names()) {
    const PeKindId id = parse_pe_kind(JsonNode(Json(name), "hw.json"));
    const std::unique_ptr<PeKind> kind = make_pe_kind(array_of(id));
    ASSERT_NE(kind, nullptr) << name;
    EXPECT_EQ(kind->id(), id);
    EXPECT_EQ(kind->name(), name);
  }
}

struct ModeCase {
  int a_bits, b_bits;
  int a_run_bits, b_run_bits, pack;
  int a_chunks, a_chunk_bits, b_chunks, b_chunk_bits;  // slices = a_chunks x b_chunks
};

void expect_modes(const MacArrayConfig& array, const std::vector<ModeCase>& cases) {
  const std::unique_ptr<PeKind> kind = make_pe_kind(array);
  for (const ModeCase& c : cases) {
    const PeMode m = kind->mode(c.a_bits, c.b_bits);
    SCOPED_TRACE(std::string(kind->name()) + " " + m.describe());
    EXPECT_EQ(m.a_bits, c.a_bits);
    EXPECT_EQ(m.b_bits, c.b_bits);
    EXPECT_EQ(m.a_run_bits, c.a_run_bits);
    EXPECT_EQ(m.b_run_bits, c.b_run_bits);
    EXPECT_EQ(m.pack, c.pack);
    EXPECT_EQ(m.a_chunks, c.a_chunks);
    EXPECT_EQ(m.a_chunk_bits, c.a_chunk_bits);
    EXPECT_EQ(m.b_chunks, c.b_chunks);
    EXPECT_EQ(m.b_chunk_bits, c.b_chunk_bits);
    EXPECT_EQ(m.slices, c.a_chunks * c.b_chunks);
    EXPECT_EQ(m.promoted(), c.a_run_bits != c.a_bits || c.b_run_bits != c.b_bits);
    // pe_mode() is the registered kind's mode.
    const PeMode via_config = pe_mode(array, c.a_bits, c.b_bits);
    EXPECT_EQ(via_config.describe(), m.describe());
  }
}

// Each case: a_bits, b_bits -> a_run_bits, b_run_bits, pack, a_chunks,
// a_chunk_bits, b_chunks, b_chunk_bits.
TEST(PeKindModes, BitFusion) {
  const std::vector<ModeCase> cases = {
      {8, 8, 8, 8, 1, 1, 8, 1, 8},      // one 8x8 product per element
      {2, 4, 2, 4, 8, 1, 2, 1, 4},      // (8/2)(8/4) = 8 fused products
      {3, 5, 4, 8, 2, 1, 4, 1, 8},      // promoted to 4x8: (8/4)(8/8) = 2
      {1, 1, 2, 2, 16, 1, 2, 1, 2},     // promoted to 2x2: 16 products
      {16, 4, 16, 4, 2, 2, 8, 1, 4},    // A in 2 passes of 8, B's fusion kept: (8/8)(8/4) = 2
      {12, 1, 16, 2, 4, 2, 8, 1, 2},    // promoted to 16x2: 2 passes, (8/8)(8/2) = 4
      {16, 16, 16, 16, 1, 2, 8, 2, 8},  // 4 passes of 8x8
  };
  expect_modes(array_of(PeKindId::bitfusion), cases);
}

TEST(PeKindModes, BitSerial) {
  const std::vector<ModeCase> cases = {
      {4, 8, 4, 8, 1, 4, 1, 1, 8},     // one bit of A per element: 4 slices
      {1, 16, 1, 16, 1, 1, 1, 1, 16},  // 1 slice; B at its full 16 bits
      {16, 3, 16, 3, 1, 16, 1, 1, 3},  // no promotion of B
      {7, 7, 7, 7, 1, 7, 1, 1, 7},
  };
  expect_modes(array_of(PeKindId::bitserial), cases);
}

TEST(PeKindModes, Fixed) {
  const std::vector<ModeCase> width_8 = {
      {4, 4, 4, 4, 1, 1, 4, 1, 4},    // narrower than w: one element, no speed-up
      {8, 8, 8, 8, 1, 1, 8, 1, 8},    // native
      {16, 8, 16, 8, 1, 2, 8, 1, 8},  // ceil(16/8) ceil(8/8) = 2 passes
      {9, 17, 9, 17, 1, 2, 8, 3, 8},  // ceil(9/8) ceil(17/8) = 6 passes
  };
  expect_modes(array_of(PeKindId::fixed, 8), width_8);
  const std::vector<ModeCase> width_4 = {
      {3, 12, 3, 12, 1, 1, 3, 3, 4},  // 1 x ceil(12/4) = 3 passes
      {5, 4, 5, 4, 1, 2, 4, 1, 4},    // ceil(5/4) x 1 = 2 passes
  };
  expect_modes(array_of(PeKindId::fixed, 4), width_4);
}

TEST(PeKindModes, StreamLengthIsGroupsOfPackTimesSlices) {
  // K = 10: bitfusion 4x4 packs 4 products, ceil(10/4) = 3 elements; fixed
  // 8-bit at 9x17 takes 10 x 6 = 60; bitserial at 5 bits 10 x 5 = 50.
  EXPECT_EQ(make_pe_kind(array_of(PeKindId::bitfusion))->mode(4, 4).stream_length(10), 3);
  EXPECT_EQ(make_pe_kind(array_of(PeKindId::fixed))->mode(9, 17).stream_length(10), 60);
  EXPECT_EQ(make_pe_kind(array_of(PeKindId::bitserial))->mode(5, 8).stream_length(10), 50);
}

TEST(PeKindModes, WidthsNoModeReachesAreErrorsNamingKindOperandAndRange) {
  const auto bitfusion = make_pe_kind(array_of(PeKindId::bitfusion));
  const auto bitserial = make_pe_kind(array_of(PeKindId::bitserial));
  EXPECT_EQ(error_of([&] { bitfusion->mode(17, 8); }),
            "mac_array.pe_kind bitfusion: operand A at 17 bits cannot be run; expected a width in [1, 16] (modes 2, "
            "4, 8, and 16 in two passes)");
  EXPECT_EQ(error_of([&] { bitfusion->mode(8, 0); }),
            "mac_array.pe_kind bitfusion: operand B at 0 bits cannot be run; expected a width in [1, 16] (modes 2, "
            "4, 8, and 16 in two passes)");
  EXPECT_EQ(error_of([&] { bitserial->mode(0, 8); }),
            "mac_array.pe_kind bitserial: operand A at 0 bits cannot be run; expected a width in [1, 16]");
  EXPECT_EQ(error_of([&] { bitserial->mode(8, 17); }),
            "mac_array.pe_kind bitserial: operand B at 17 bits cannot be run; expected a width in [1, 16]");
  // A is checked first when both are out of range.
  EXPECT_EQ(error_of([&] { bitserial->mode(20, 20); }),
            "mac_array.pe_kind bitserial: operand A at 20 bits cannot be run; expected a width in [1, 16]");
  // A fixed PE runs any width in passes.
  EXPECT_EQ(make_pe_kind(array_of(PeKindId::fixed, 8))->mode(32, 32).slices, 16);
}

TEST(PeKindEnergy, EachKindStatesItsEntriesWidthsAndGating) {
  const PeEnergyFacts bf = make_pe_kind(array_of(PeKindId::bitfusion))->energy_facts();
  EXPECT_EQ(bf.cycle_entry, "bitfusion_pe_cycle");
  EXPECT_EQ(bf.leakage_entry, "bitfusion_pe_leakage");
  EXPECT_EQ(bf.area_entry, "bitfusion_pe_area");
  EXPECT_EQ(bf.why, "mac_array.pe_kind is bitfusion");
  EXPECT_EQ(bf.native_a, 8);
  EXPECT_EQ(bf.native_b, 8);
  EXPECT_EQ(bf.lane_a, 32);
  EXPECT_EQ(bf.lane_b, 32);
  EXPECT_FALSE(bf.gated);

  const PeEnergyFacts bs = make_pe_kind(array_of(PeKindId::bitserial))->energy_facts();
  EXPECT_EQ(bs.cycle_entry, "bitserial_pe_cycle");
  EXPECT_EQ(bs.leakage_entry, "bitserial_pe_leakage");
  EXPECT_EQ(bs.area_entry, "bitserial_pe_area");
  EXPECT_EQ(bs.why, "mac_array.pe_kind is bitserial");
  EXPECT_EQ(bs.native_a, 1);
  EXPECT_EQ(bs.native_b, 16);
  EXPECT_EQ(bs.lane_a, 1);
  EXPECT_EQ(bs.lane_b, 16);
  EXPECT_TRUE(bs.gated);

  const PeEnergyFacts fx = make_pe_kind(array_of(PeKindId::fixed, 12))->energy_facts();
  EXPECT_EQ(fx.cycle_entry, "fixed_12b_pe_cycle");
  EXPECT_EQ(fx.leakage_entry, "fixed_12b_pe_leakage");
  EXPECT_EQ(fx.area_entry, "fixed_12b_pe_area");
  EXPECT_EQ(fx.why, "mac_array.pe_kind is fixed with fixed_width_bits 12");
  EXPECT_EQ(fx.native_a, 12);
  EXPECT_EQ(fx.native_b, 12);
  EXPECT_EQ(fx.lane_a, 12);
  EXPECT_EQ(fx.lane_b, 12);
  EXPECT_TRUE(fx.gated);
}

}  // namespace
}  // namespace qtsim
