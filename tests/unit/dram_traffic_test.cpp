// DRAM traffic of a whole ResNet-20 training iteration: compulsory bytes per
// layer and phase against a second derivation from the network's layer
// shapes alone; with buffers that hold every layer's working set, actual
// bytes equal compulsory bytes in every row; on the default buffers, the
// iteration stays within 1.5x of compulsory.
#include <gtest/gtest.h>

#include <map>

#include "sim/replay/replay.h"
#include "tests/unit/test_util.h"

namespace qtsim {
namespace {

RunInputs default_run(const std::vector<std::string>& sets = {}) {
  RunDocumentInputs in;
  for (const std::string& s : sets) in.overrides.push_back(parse_override(s));
  return load_run_inputs(load_run_document(in));
}

std::vector<PrecisionGroup> uniform_batch() {
  PrecisionGroup g;
  g.precision = Precision{8, 8, 16};
  g.samples = 128;
  return {g};
}

// Compulsory bytes per (layer, phase) from the layer shapes: inputs at 8
// bits, weights at 8 bits, output gradients at 16 bits, every GEMM output
// (activations, input gradients, weight gradients) at the 32-bit accumulator
// width, every tensor once.
std::map<std::pair<std::string, Phase>, std::int64_t> compulsory_by_hand(const Network& net, std::int64_t samples) {
  std::map<std::pair<std::string, Phase>, std::int64_t> out;
  bool first = true;
  for (const Layer& l : net.layers) {
    if (l.type != LayerType::conv && l.type != LayerType::fully_connected) continue;
    const std::int64_t in = samples * l.in.elements(), out_values = samples * l.out.elements();
    const std::int64_t w = l.weight_elements();
    out[{l.name, Phase::fwd}] = in + w + 4 * out_values;
    // The layer reading the network input computes no input gradient.
    if (!first) out[{l.name, Phase::bwd_data}] = 2 * out_values + w + 4 * in;
    out[{l.name, Phase::wgrad}] = 2 * out_values + in + 4 * w;
    first = false;
  }
  return out;
}

TEST(DramTraffic, EveryGemmsTensorsGiveItsLoweredShape) {
  for (const char* network : {"builtin:resnet20_cifar10", "builtin:resnet20_cifar10_option_b"}) {
    const RunInputs in = default_run({std::string("workload.network=") + network});
    for (const GemmSpec& spec : in.step.gemms) {
      for (std::int64_t samples : {1, 7, 128}) {
        const GemmDims d = tensor_gemm(spec, samples).dims();
        const GemmShape s = spec.shape(samples);
        EXPECT_EQ(d.m, s.m) << network << " " << spec.layer << " " << to_string(spec.phase);
        EXPECT_EQ(d.k, s.k) << network << " " << spec.layer << " " << to_string(spec.phase);
        EXPECT_EQ(d.n, s.n) << network << " " << spec.layer << " " << to_string(spec.phase);
      }
    }
  }
}

TEST(DramTraffic, CompulsoryBytesPerLayerAndPhaseFromTheLayerShapes) {
  const RunInputs in = default_run();
  const EnergyTable table = EnergyTable::load(in.config.hardware.energy.table);
  IterationMemo memo(in.config.hardware, table, in.step);
  const IterationCost& cost = memo.get(uniform_batch());
  const auto expected = compulsory_by_hand(in.network, 128);
  int checked = 0;
  for (std::size_t r = 0; r < memo.rows().rows.size(); ++r) {
    const LayerPhase& row = memo.rows().rows[r];
    const auto it = expected.find({row.layer, row.phase});
    if (it == expected.end()) continue;
    EXPECT_EQ(cost.rows[r].compulsory_dram_bytes, it->second) << row.layer << " " << to_string(row.phase);
    ++checked;
  }
  EXPECT_EQ(checked, 3 * 20 - 1);  // 19 convolutions and the FC layer, no bwd_data for the first
}

TEST(DramTraffic, BuffersHoldingEveryWorkingSetMoveExactlyTheCompulsoryBytes) {
  std::vector<std::string> sets;
  for (const char* b : {"activation", "weight", "gradient", "output"}) {
    sets.push_back(std::string("hardware.buffers.") + b + ".capacity_bytes=67108864");
  }
  sets.push_back("hardware.energy.sram.allow_extrapolation=true");  // 64 MiB: past the CACTI table
  const RunInputs in = default_run(sets);
  const EnergyTable table = EnergyTable::load(in.config.hardware.energy.table);
  IterationMemo memo(in.config.hardware, table, in.step);
  const IterationCost& cost = memo.get(uniform_batch());
  for (std::size_t r = 0; r < cost.rows.size(); ++r) {
    const RowCost& row = cost.rows[r];
    EXPECT_EQ(row.dram_read_bytes + row.dram_write_bytes, row.compulsory_dram_bytes)
        << memo.rows().rows[r].layer << " " << to_string(memo.rows().rows[r].phase);
  }
  EXPECT_EQ(cost.dram_read_bytes + cost.dram_write_bytes, cost.compulsory_dram_bytes);
}

TEST(DramTraffic, DefaultBuffersStayWithinOneAndAHalfTimesCompulsory) {
  const RunInputs in = default_run();
  const EnergyTable table = EnergyTable::load(in.config.hardware.energy.table);
  IterationMemo memo(in.config.hardware, table, in.step);
  const IterationCost& cost = memo.get(uniform_batch());
  const std::int64_t moved = cost.dram_read_bytes + cost.dram_write_bytes;
  EXPECT_GT(moved, cost.compulsory_dram_bytes);  // 64 KiB cannot hold every working set
  EXPECT_LE(static_cast<double>(moved), 1.5 * static_cast<double>(cost.compulsory_dram_bytes));
}

}  // namespace
}  // namespace qtsim
