// hardware.mapper: parsing, pins applied to their layer and phase in every
// group, the objectives' choice against brute force over the candidate set,
// errors naming the pin, and fast mode equal to reference mode under pins and
// under an objective other than dram_bytes.
#include <gtest/gtest.h>

#include "base/error.h"
#include "base/strict_json.h"
#include "hw_models/controller/tile_sequencer.h"
#include "sim/fast/fast_simulator.h"
#include "sim/replay/replay.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

using test::error_of;
using test::source_path;

RunInputs small_run(const std::vector<std::string>& sets = {}) {
  RunDocumentInputs in;
  in.run_file = source_path("tests/fixtures/configs/run_small.json");
  for (const std::string& s : sets) in.overrides.push_back(parse_override(s));
  return load_run_inputs(load_run_document(in));
}

MapperConfig parse(const std::string& text) {
  const Json doc = decode_json_text("{\"mapper\": " + text + "}", "hw.json");
  return parse_mapper_config(*JsonNode(doc, "hw.json").find("mapper"));
}

TEST(MapperConfig, DefaultsPinsAndErrors) {
  const MapperConfig d = parse("{}");
  EXPECT_EQ(d.objective, "dram_bytes");
  EXPECT_TRUE(d.pins.empty());
  const MapperConfig c = parse(R"({"objective": "edp", "pins": [{"layer": "conv", "phase": "wgrad", "rows": 2}]})");
  EXPECT_EQ(c.objective, "edp");
  ASSERT_EQ(c.pins.size(), 1u);
  EXPECT_EQ(c.pins[0].layer, "conv");
  EXPECT_EQ(c.pins[0].phase, "wgrad");
  EXPECT_EQ(c.pins[0].order, "m,n,k");
  EXPECT_EQ(c.pins[0].rows, 2);
  EXPECT_EQ(c.pins[0].samples, 0);
  EXPECT_EQ(c.pins[0].key, "mapper.pins[0]");
  EXPECT_EQ(to_json(c)["pins"][0]["rows"], 2);
  EXPECT_EQ(error_of([] { parse(R"({"objective": "fast"})"); }),
            "hw.json: mapper.objective: unknown name, got \"fast\" (a string); expected one of: dram_bytes, cycles, "
            "energy, edp");
  EXPECT_NE(error_of([] { parse(R"({"pins": [{"layer": "conv", "tile": 3}]})"); }).find("mapper.pins[0].tile"),
            std::string::npos);
}

// The mapping label of a (layer, phase) row, both sides.
std::string mapping_of(IterationMemo& memo, const RunInputs& in, const std::string& layer, Phase phase) {
  PrecisionGroup g;
  g.precision = in.config.run.baseline;
  g.samples = 4;
  const IterationCost& cost = memo.get({g});
  for (std::size_t r = 0; r < memo.rows().rows.size(); ++r) {
    if (memo.rows().rows[r].layer == layer && memo.rows().rows[r].phase == phase) return cost.rows[r].main_mapping();
  }
  return "";
}

TEST(MapperPins, APinFixesItsLayerAndPhaseOnly) {
  // tiny3's conv: 1 input channel, 2 output channels, 4 x 4 output. The pin's
  // rows 1 makes a row tile, so one sample per tile; cols, p and q 0: whole.
  const RunInputs in = small_run({R"(hardware.mapper.pins=[{"layer": "conv", "phase": "fwd", "rows": 1,
                                      "order": "n,m,k"}])"});
  const EnergyTable table = EnergyTable::load(in.config.hardware.energy.table);
  IterationMemo memo(in.config.hardware, table, in.step);
  EXPECT_EQ(mapping_of(memo, in, "conv", Phase::fwd), "a8 b8 S4: n,m,k s1 y1 x4 p1 q2");
  const RunInputs plain = small_run();
  IterationMemo unpinned(plain.config.hardware, table, plain.step);
  EXPECT_NE(mapping_of(unpinned, plain, "conv", Phase::fwd), "a8 b8 S4: n,m,k s1 y1 x4 p1 q2");
  EXPECT_EQ(mapping_of(memo, in, "conv", Phase::wgrad), mapping_of(unpinned, plain, "conv", Phase::wgrad));
}

TEST(MapperPins, PinErrorsNameThePin) {
  const RunInputs in = small_run({R"(hardware.mapper.pins=[{"layer": "fc", "phase": "fwd"}, {"layer": "relu"}])"});
  const EnergyTable table = EnergyTable::load(in.config.hardware.energy.table);
  EXPECT_EQ(error_of([&] { MappingPlanner(in.config.hardware, table, in.step); }),
            "mapper.pins[1]: layer 'relu' has no GEMM in phase fwd; expected a conv or fully_connected layer of the "
            "network (the first GEMM layer has no bwd_data)");
  // A pin that cannot fit: the whole conv at once in 64-byte buffers.
  HardwareConfig hw;
  for (Operand o : kOperands) hw.buffers.at(o).capacity_bytes = 64;
  TensorGemm t;
  t.samples = 4;
  t.out_h = t.out_w = t.in_h = t.in_w = 4;
  t.kernel = 3;
  t.pad = 1;
  t.q = 2;
  Job job = Job::gemm(t, 8, 8, Operand::activation, Operand::weight);
  job.mapping = Mapping{};
  job.mapping->samples = 4, job.mapping->rows = 4, job.mapping->cols = 4, job.mapping->q = 2;
  job.mapping_source = "hardware.mapper.pins[0]";
  EXPECT_EQ(error_of([&] { plan_job(hw, job); }),
            "hardware.mapper.pins[0]: the mapping m,n,k s4 y4 x4 p1 q2 does not fit the buffers' halves for the conv "
            "GEMM 64 x 9 x 2 at 8 x 8 bits; expected smaller tiles or larger buffers");
}

TEST(MapperObjective, ChoiceIsTheBestCandidateRunAlone) {
  // Brute force: every candidate run alone by a fresh fast simulator.
  const RunInputs in =
      small_run({"hardware.buffers.activation.capacity_bytes=128", "hardware.buffers.output.capacity_bytes=256",
                 "hardware.energy.sram.allow_extrapolation=true"});
  const EnergyTable table = EnergyTable::load(in.config.hardware.energy.table);
  for (const char* objective : {"cycles", "energy", "edp"}) {
    HardwareConfig hw = in.config.hardware;
    hw.mapper.objective = objective;
    MappingPlanner planner(hw, table, in.step);
    TensorGemm t;
    t.samples = 3;
    t.out_h = t.out_w = t.in_h = t.in_w = 5;
    t.kernel = 3;
    t.pad = 1;
    t.p = 3;
    t.q = 4;
    const Job job = Job::gemm(t, 8, 8, Operand::activation, Operand::weight);
    const std::vector<Mapping> candidates = candidate_mappings(t, gemm_storage(hw, job, pe_mode(hw.mac_array, 8, 8)));
    ASSERT_GT(candidates.size(), 2u);
    double best = -1;
    Mapping expected;
    for (const Mapping& m : candidates) {
      Job trial = job;
      trial.mapping = m;
      const FastRun run = simulate_jobs_fast(hw, {trial});
      const double cycles = static_cast<double>(run.controller.cycles);
      const double energy = price(run_actions(hw, {trial}, run.jobs, run.controller), table, hw).total_pj();
      const double score = std::string(objective) == "cycles"   ? cycles
                           : std::string(objective) == "energy" ? energy
                                                                : energy * cycles;
      if (best < 0 || score < best) best = score, expected = m;
    }
    EXPECT_EQ(to_string(planner.choose(job)), to_string(expected)) << objective;
  }
}

TEST(MapperObjective, FastModeEqualsReferenceModeUnderPinsAndObjectives) {
  // Every input is loaded before the first reference simulation: loading
  // throws and catches (parse_override), and an exception thrown after the
  // SystemC kernel has switched stacks confuses AddressSanitizer (a false
  // stack-buffer-overflow).
  const std::vector<std::string> sets = {
      R"(hardware.mapper.pins=[{"layer": "conv", "phase": "wgrad", "samples": 1, "order": "n,m,k"}])",
      "hardware.mapper.objective=cycles"};
  std::vector<RunInputs> inputs;
  inputs.reserve(sets.size());
  for (const std::string& set : sets) inputs.push_back(small_run({set}));
  for (std::size_t i = 0; i < sets.size(); ++i) {
    const RunInputs& in = inputs[i];
    const std::string& set = sets[i];
    const EnergyTable table = EnergyTable::load(in.config.hardware.energy.table);
    IterationMemo fast(in.config.hardware, table, in.step, IterationMemo::Mode::fast);
    IterationMemo reference(in.config.hardware, table, in.step, IterationMemo::Mode::reference);
    const ReplayReport a = replay(in, fast), b = replay(in, reference);
    EXPECT_EQ(a.policy.cycles.total(), b.policy.cycles.total()) << set;
    EXPECT_EQ(a.baseline.cycles.total(), b.baseline.cycles.total()) << set;
    EXPECT_EQ(a.policy.dram_read_bytes, b.policy.dram_read_bytes) << set;
    EXPECT_EQ(a.policy.total_energy().total_pj(), b.policy.total_energy().total_pj()) << set;
    for (std::size_t r = 0; r < a.policy.rows.size(); ++r) {
      EXPECT_EQ(a.policy.rows[r].mapping_macs, b.policy.rows[r].mapping_macs) << set;
    }
  }
}

}  // namespace
}  // namespace qtsim
