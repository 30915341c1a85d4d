#pragma once
// IterationCost: what one training iteration costs on the hardware, from
// fast mode (sim/fast/): cycles by cause in total and per layer x phase, and
// energy per phase x precision group, priced by the energy model. A pure
// function of (hardware, lowering, the iteration's precision groups), so the
// replay computes it once per distinct group composition and reuses it.
//
// An iteration is one run of the precision controller (iteration_schedule.h):
// it starts with empty buffers and ends when its last store has completed.
// The switch of the array from the previous iteration's last mode to this
// one's first is not part of it: the replay charges it between iterations
// (replay.h), since it depends on the pair.
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "hw_models/controller/cycle_breakdown.h"
#include "sim/energy/energy_model.h"
#include "sim/fast/fast_simulator.h"
#include "sim/replay/iteration_schedule.h"
#include "sim/replay/mapping_planner.h"

namespace qtsim {

// A row of per_layer_phase.csv: one (layer, phase) of the lowering.
struct LayerPhase {
  std::string layer;
  Phase phase;
};
// The rows of a lowering, in order of first appearance (GEMMs, then vector
// work of layers without a GEMM in that phase), and which row each GEMM and
// vector operation belongs to.
struct LayerPhaseRows {
  std::vector<LayerPhase> rows;
  std::vector<int> gemm_row;        // per TrainingStep::gemms
  std::vector<int> vector_row;      // per TrainingStep::vector_ops
  std::array<int, 4> transfer_row;  // per Phase: the DRAM transfers of that phase ("(dram transfers)")
};
LayerPhaseRows layer_phase_rows(const TrainingStep& step);

struct RowCost {
  CycleBreakdown cycles;
  std::int64_t macs = 0;
  std::int64_t dram_read_bytes = 0, dram_write_bytes = 0, compulsory_dram_bytes = 0;
  // MACs per GEMM mapping label (mapping_label()): which mappings carried the row's work.
  std::map<std::string, std::int64_t> mapping_macs;
  // Adds `times` x other's cycles, MACs and bytes (not its mappings: add_mappings).
  void add(const RowCost& other, std::int64_t times);
  void add_mappings(const RowCost& other, std::int64_t times);
  // The label with the most MACs (the first in name order among equals), or "".
  std::string main_mapping() const;
};
// "a8 b8 S128: m,n,k s1 y16 x32 p16 q16": a GEMM's operand widths, its
// samples and the mapping the mapper chose for it.
std::string mapping_label(const Job& gemm, const Mapping& mapping);

// Energy of one (phase, precision group) of an iteration; `precision` is the
// group's label ("8/8/16"), or "iteration" for the once-per-iteration work
// (the optimizer step and the wait for the last stores).
struct PhaseGroupEnergy {
  Phase phase;
  std::string precision;
  EnergyBreakdown energy;
  ActionCounts actions;
};

struct IterationCost {
  CycleBreakdown cycles;
  std::int64_t macs = 0, pe_active_cycles = 0, reconfigurations = 0;
  std::int64_t dram_read_bytes = 0, dram_write_bytes = 0, compulsory_dram_bytes = 0;
  // The run widths (a, b) of the first and last GEMM; {0, 0} without GEMMs.
  std::array<int, 2> first_mode{0, 0}, last_mode{0, 0};
  std::vector<RowCost> rows;  // per LayerPhaseRows::rows
  std::vector<PhaseGroupEnergy> energy;
  double energy_pj() const;
};

// What the controller reported for an iteration's schedule, from either mode.
struct IterationRun {
  const std::vector<JobResult>& jobs;
  const ControllerStats& controller;
  const DmaStats& dma;
};

// The cost of `groups` from a run of their schedule (iteration_schedule()).
IterationCost iteration_cost(const HardwareConfig& hardware, const EnergyTable& table, const LayerPhaseRows& rows,
                             const std::vector<PrecisionGroup>& groups, const IterationSchedule& schedule,
                             const IterationRun& run);
// Fast mode: the schedule run by `simulator`.
// `planner` (may be null) fixes the pinned mappings and the objective's.
IterationCost cost_iteration(FastSimulator& simulator, const HardwareConfig& hardware, const EnergyTable& table,
                             const TrainingStep& step, const LayerPhaseRows& rows,
                             const std::vector<PrecisionGroup>& groups, MappingPlanner* planner = nullptr);
// The schedule's jobs for reference mode: GEMMs on random operands at their
// widths (uniform over each width's range, from `seed`), kept in `operands`.
std::vector<Job> reference_jobs(const IterationSchedule& schedule, std::uint64_t seed,
                                std::deque<GemmOperands>& operands);
// Reference mode: the schedule simulated cycle by cycle through SystemC, on
// random operands at their widths (seeded by `seed`; timing and every count
// but accumulator overflows are independent of the values).
IterationCost cost_iteration_reference(const HardwareConfig& hardware, const EnergyTable& table,
                                       const TrainingStep& step, const LayerPhaseRows& rows,
                                       const std::vector<PrecisionGroup>& groups, std::uint64_t seed,
                                       MappingPlanner* planner = nullptr);

}  // namespace qtsim
