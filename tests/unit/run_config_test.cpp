#include "sim/config/run_config.h"

#include <gtest/gtest.h>

#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

using test::error_of;
using test::source_path;

const std::string kConfigs = "tests/fixtures/configs/";
const std::string kBroken = "tests/fixtures/broken/";

RunConfig resolve(RunDocumentInputs inputs) { return resolve_run_config(load_run_document(inputs)); }

TEST(RunConfig, EmbeddedDefaultNeedsNoFile) {
  RunConfig c = resolve({});
  // The defaults, as documented in README "Configuration reference".
  EXPECT_EQ(c.hardware.mac_array.rows, 16);
  EXPECT_EQ(c.hardware.mac_array.cols, 16);
  EXPECT_EQ(c.hardware.mac_array.pe_kind, PeKindId::bitfusion);
  EXPECT_EQ(c.hardware.clock_mhz, 1000.0);
  EXPECT_EQ(c.workload.network, "builtin:resnet20_cifar10");
  EXPECT_EQ(c.workload.trace, "builtin:cifar10_resnet20_synthetic");
  EXPECT_EQ(c.run.baseline, (Precision{8, 8, 16}));
  EXPECT_EQ(c.run.output_dir, "qtsim_out");
}

TEST(RunConfig, SectionsByReferenceResolveRelativeToTheRunFile) {
  RunDocumentInputs in;
  in.run_file = source_path(kConfigs + "run_refs.json");
  RunConfig c = resolve(in);
  EXPECT_EQ(c.hardware.mac_array.rows, 32);
  EXPECT_EQ(c.hardware.mac_array.pe_kind, PeKindId::fixed);
  EXPECT_EQ(c.hardware.clock_mhz, 500.0);
  EXPECT_EQ(c.workload.trace, source_path("tests/fixtures/traces/small_valid.json"));
  EXPECT_EQ(c.run.num_epochs, 2);
  EXPECT_EQ(c.description, "sections by reference");
}

TEST(RunConfig, SetOverridesWinAndCreateMissingObjects) {
  RunDocumentInputs in;
  in.run_file = source_path(kConfigs + "run_refs.json");
  in.overrides = {parse_override("hardware.mac_array.rows=8"), parse_override("hardware.mac_array.dataflow=ws"),
                  parse_override("run.baseline.grad_bits=32")};
  RunConfig c = resolve(in);
  EXPECT_EQ(c.hardware.mac_array.rows, 8);
  EXPECT_EQ(c.hardware.mac_array.cols, 32);
  EXPECT_EQ(c.hardware.mac_array.dataflow, Dataflow::ws);
  EXPECT_EQ(c.run.baseline, (Precision{8, 8, 32}));
}

TEST(RunConfig, SectionFileFromCommandLineReplacesTheRunFiles) {
  RunDocumentInputs in;
  in.run_file = source_path(kConfigs + "run_refs.json");
  in.section_files["hardware"] = source_path(kBroken + "hw_zero_rows.json");
  EXPECT_EQ(error_of([&] { resolve(in); }),
            source_path(kBroken + "hw_zero_rows.json") +
                ": mac_array.rows: out of range, got 0; expected an integer in [1, 4096]");
}

TEST(RunConfig, UnknownKeyInASectionFile) {
  RunDocumentInputs in;
  in.section_files["hardware"] = source_path(kBroken + "hw_typo.json");
  EXPECT_EQ(error_of([&] { resolve(in); }),
            source_path(kBroken + "hw_typo.json") +
                ": mac_array.colums: unknown key `colums`; valid keys here: accumulator_bits, cols, dataflow, "
                "fixed_width_bits, pe_kind, pipelined_folds, rows");
}

TEST(RunConfig, UnknownVariantNameListsTheValidOnes) {
  RunDocumentInputs in;
  in.section_files["hardware"] = source_path(kBroken + "hw_bad_pe.json");
  EXPECT_EQ(error_of([&] { resolve(in); }),
            source_path(kBroken + "hw_bad_pe.json") +
                ": mac_array.pe_kind: unknown name, got \"systolic\" (a string); expected one of: bitfusion, "
                "bitserial, fixed");
}

TEST(RunConfig, MalformedJsonNamesFileLineAndColumn) {
  RunDocumentInputs in;
  in.section_files["hardware"] = source_path(kBroken + "hw_malformed.json");
  std::string message = error_of([&] { resolve(in); });
  EXPECT_EQ(message.rfind(
                source_path(kBroken + "hw_malformed.json") + ": not valid JSON: parse error at line 1, column 27", 0),
            0u)
      << message;
}

TEST(RunConfig, EmbeddedSectionErrorsCarryTheSectionPrefixAndTheOverride) {
  RunDocumentInputs in;
  in.overrides = {parse_override("run.first_epoch=-1")};
  EXPECT_EQ(error_of([&] { resolve(in); }),
            "embedded default (with --set run.first_epoch=-1): run.first_epoch: out of range, got -1; expected an "
            "integer in [0, 1000000]");
}

TEST(RunConfig, SectionOfTheWrongType) {
  RunDocumentInputs in;
  in.run_file = source_path(kBroken + "run_bad_section.json");
  EXPECT_EQ(error_of([&] { resolve(in); }),
            source_path(kBroken + "run_bad_section.json") +
                ": hardware: wrong type, got 42; expected a section object, or the path of a JSON file holding it");
}

TEST(RunConfig, UnknownTopLevelKeyInARunFile) {
  RunDocumentInputs in;
  in.run_file = source_path(kBroken + "run_unknown_key.json");
  EXPECT_EQ(error_of([&] { resolve(in); }),
            source_path(kBroken + "run_unknown_key.json") +
                ": hardwre: unknown key `hardwre`; valid keys here: description, hardware, policy, run, workload");
}

TEST(RunConfig, MissingFileIsNamed) {
  RunDocumentInputs in;
  in.run_file = "no/such/run.json";
  EXPECT_EQ(error_of([&] { resolve(in); }), "no/such/run.json: cannot open for reading: No such file or directory");
}

TEST(RunConfig, WrongTypeForBaselineBits) {
  RunDocumentInputs in;
  in.overrides = {parse_override("run.baseline.act_bits=0")};
  EXPECT_EQ(error_of([&] { resolve(in); }),
            "embedded default (with --set run.baseline.act_bits=0): run.baseline.act_bits: out of range, got 0; "
            "expected an integer in [1, 32]");
}

TEST(RunConfig, ResolvedConfigRoundTrips) {
  // The resolved configuration written to an output folder, read back as a
  // run file, resolves to the same configuration.
  RunDocumentInputs in;
  in.run_file = source_path(kConfigs + "run_refs.json");
  RunConfig first = resolve(in);
  Json written = to_json(first);
  RunDocument doc;
  for (const std::string& name : kSectionNames) {
    doc.root[name] = written.at(name);
    doc.origins[name] = SectionOrigin{"config.json", name, ""};
  }
  doc.root["description"] = written.at("description");
  EXPECT_EQ(to_json(resolve_run_config(doc)), written);
}

TEST(RunConfig, SetCanEditTheDefaultTierList) {
  // The embedded default policy is {}: its tiers exist only as defaults. An
  // override indexing into them edits the resolved default list.
  RunDocumentInputs in;
  in.overrides = {parse_override("policy.tiers.1.min_accuracy=0.8"),
                  parse_override("policy.tiers.1.precision.act_bits=2")};
  RunConfig c = resolve(in);
  EXPECT_EQ(c.policy.at("tiers").at(1).at("min_accuracy"), 0.8);
  EXPECT_EQ(c.policy.at("tiers").at(1).at("precision").at("act_bits"), 2);
  EXPECT_EQ(c.policy.at("tiers").at(0).at("name"), "hard");
}

TEST(RunConfig, HardwareBlocksAreValidated) {
  auto message = [](const std::string& set) {
    RunDocumentInputs in;
    in.overrides = {parse_override(set)};
    return error_of([&] { resolve(in); });
  };
  EXPECT_EQ(message("hardware.vector_unit.lanes=0"),
            "embedded default (with --set hardware.vector_unit.lanes=0): hardware.vector_unit.lanes: out of range, "
            "got 0; expected an integer in [1, 65536]");
  EXPECT_EQ(
      message("hardware.controller.reconfig_cycles=-1"),
      "embedded default (with --set hardware.controller.reconfig_cycles=-1): hardware.controller.reconfig_cycles: "
      "out of range, got -1; expected an integer in [0, 1000000]");
  EXPECT_EQ(message("hardware.controller.reconfig=3"),
            "embedded default (with --set hardware.controller.reconfig=3): hardware.controller.reconfig: unknown key "
            "`reconfig`; valid keys here: reconfig_cycles");
  EXPECT_EQ(
      message("hardware.mac_array.accumulator_bits=64"),
      "embedded default (with --set hardware.mac_array.accumulator_bits=64): hardware.mac_array.accumulator_bits: "
      "out of range, got 64; expected an integer in [8, 48]");
  RunDocumentInputs in;
  in.overrides = {parse_override("hardware.vector_unit.lanes=32"), parse_override("hardware.dram.latency_cycles=7")};
  RunConfig c = resolve(in);
  EXPECT_EQ(c.hardware.vector_unit.lanes, 32);
  EXPECT_EQ(c.hardware.dram.latency_cycles, 7);
}

TEST(Overrides, ValuesParseAsJsonOrElseAsStrings) {
  Json doc = Json::object();
  apply_override(doc, parse_override("a.b=3"));
  apply_override(doc, parse_override("a.c=os"));
  apply_override(doc, parse_override("a.d=[1,2]"));
  apply_override(doc, parse_override("a.d.1=5"));
  EXPECT_EQ(doc, Json::parse(R"({"a": {"b": 3, "c": "os", "d": [1, 5]}})"));
}

TEST(Overrides, Errors) {
  EXPECT_EQ(error_of([] { parse_override("rows"); }),
            "--set rows: no key path before `=`; expected --set key.path=value, e.g. --set "
            "hardware.mac_array.rows=32");
  EXPECT_EQ(error_of([] { parse_override("a..b=1"); }),
            "--set a..b=1: empty component in key path `a..b`; expected --set key.path=value, e.g. --set "
            "hardware.mac_array.rows=32");
  Json doc = Json::parse(R"({"a": {"b": 3, "t": [1]}})");
  EXPECT_EQ(error_of([&] { apply_override(doc, parse_override("a.b.c=1")); }),
            "--set a.b.c=1: `a.b` is 3, which has no key `c`");
  EXPECT_EQ(error_of([&] { apply_override(doc, parse_override("a.t.4=1")); }),
            "--set a.t.4=1: `a.t` is an array of 1; expected an index in [0, 1) at `4`");
  RunDocumentInputs in;
  in.overrides = {parse_override("hardwar.x=1")};
  EXPECT_EQ(error_of([&] { load_run_document(in); }),
            "--set hardwar.x=1: unknown section `hardwar`; valid: hardware, workload, policy, run, description");
}

}  // namespace
}  // namespace qtsim
