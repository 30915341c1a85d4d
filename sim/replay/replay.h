#pragma once
// Replay (docs/precision_and_policies.md, hardware_model.md, fidelity.md and outputs.md): a whole training trace
// through the hardware in fast mode, under the policy and under the uniform baseline, on the same hardware.
//
// Per epoch, the policy's plan gives each class its tier; per iteration, the
// trace's class counts give the precision groups (precision_groups.h); the
// baseline trains every iteration as one group at the baseline precision.
// Each distinct group composition (the groups' precisions and sizes) is
// costed once (iteration_cost.h, memoised in an IterationMemo) and counted as
// often as it occurs. Between two iterations, the array is switched from the
// first's last mode to the second's first when they differ: one
// reconfiguration (controller.reconfig_cycles), charged to the second
// iteration's forward phase of its first group. Iterations do not overlap.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "sim/config/run_inputs.h"
#include "sim/replay/iteration_cost.h"

namespace qtsim {

// A composition: per group, (act, weight, grad bits, samples), in group order.
using Composition = std::vector<std::tuple<int, int, int, std::int64_t>>;
Composition composition_of(const std::vector<PrecisionGroup>& groups);

// Iteration costs by composition, for one hardware configuration and one
// lowering; computed on first use, in fast mode (keeping its tile memo) or in
// reference mode (cycle by cycle on random operands, seeded by the
// composition; each distinct composition once: its timing and counts do not
// depend on the values).
class IterationMemo {
 public:
  enum class Mode { fast, reference };
  IterationMemo(const HardwareConfig& hardware, const EnergyTable& table, const TrainingStep& step,
                Mode mode = Mode::fast);
  const IterationCost& get(const std::vector<PrecisionGroup>& groups);
  // The cost computed afresh (not looked up, not stored).
  IterationCost compute(const std::vector<PrecisionGroup>& groups);
  const LayerPhaseRows& rows() const { return rows_; }
  const EnergyTable& table() const { return table_; }
  std::size_t size() const { return costs_.size(); }
  Mode mode() const { return mode_; }
  const HardwareConfig& hardware() const { return hardware_; }
  const std::map<Composition, IterationCost>& costs() const { return costs_; }
  // Adds a cost read from a memo file (memo_file.h), pricing its energy from
  // its actions.
  void insert(Composition composition, IterationCost cost);
  std::int64_t computed() const { return computed_; }  // costs computed (not found) since construction

 private:
  HardwareConfig hardware_;
  const EnergyTable& table_;
  const TrainingStep& step_;
  LayerPhaseRows rows_;
  FastSimulator simulator_;
  MappingPlanner planner_;
  Mode mode_;
  std::map<Composition, IterationCost> costs_;
  std::int64_t computed_ = 0;
};

struct EpochCost {
  int epoch = 0;
  std::int64_t cycles = 0;
  double energy_pj = 0;
};

// One side of the comparison (the policy, or the baseline), summed over the
// replayed epochs.
struct ReplaySide {
  CycleBreakdown cycles;
  std::int64_t macs = 0, pe_active_cycles = 0, reconfigurations = 0;
  std::int64_t dram_read_bytes = 0, dram_write_bytes = 0, compulsory_dram_bytes = 0;
  std::int64_t iterations = 0;
  std::int64_t compositions = 0;         // distinct group compositions met
  std::vector<RowCost> rows;             // per layer x phase
  std::vector<PhaseGroupEnergy> energy;  // per (phase, group), in first-seen order
  std::vector<EpochCost> epochs;
  EnergyBreakdown total_energy() const;
  ActionCounts total_actions() const;
};

struct ReplayReport {
  ReplaySide policy, baseline;
};

ReplayReport replay(const RunInputs& inputs, IterationMemo& memo);

}  // namespace qtsim
