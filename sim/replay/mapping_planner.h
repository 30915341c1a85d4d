#pragma once
// MappingPlanner: the mappings the controller is told to use, for the two
// cases the hardware's own mapper (map_gemm, closed-form DRAM bytes) does not
// decide (docs/hardware_model.md, "Mapper"):
//   - pins (hardware.mapper.pins): a mapping fixed for one layer and phase,
//     applied to that GEMM in every precision group;
//   - an objective other than dram_bytes (hardware.mapper.objective): every
//     candidate of the mapper's set (candidate_mappings()) runs alone in
//     fast mode, on an idle machine (empty buffers, idle DRAM, no
//     reconfiguration before it, its stores drained), and the one with the
//     fewest cycles, the least energy, or the smallest energy x cycles wins
//     (ties: the first candidate). Choices are memoised per distinct GEMM
//     (tensors, widths, buffers), so each is searched once per run.
// Both modes run the schedule the planner annotated, so they use the same
// mappings.
#include <map>
#include <vector>

#include "sim/energy/energy_table.h"
#include "sim/replay/iteration_schedule.h"

namespace qtsim {

class MappingPlanner {
 public:
  // Checks every pin against `step` (an Error names the pin, "mapper.pins[i]",
  // when its layer has no GEMM in its phase).
  MappingPlanner(const HardwareConfig& hardware, const EnergyTable& table, const TrainingStep& step);
  // Sets Job::mapping of the schedule's GEMMs that a pin or the objective decides.
  void apply(IterationSchedule& schedule);
  // The objective's choice for one GEMM (objective != dram_bytes).
  Mapping choose(const Job& gemm);

 private:
  double score(const Job& gemm) const;

  const HardwareConfig& hardware_;
  const EnergyTable& table_;
  const TrainingStep& step_;
  std::vector<const MapperPin*> pin_of_gemm_;  // per TrainingStep::gemms; null: not pinned
  std::map<GemmKey, Mapping> chosen_;
};

}  // namespace qtsim
