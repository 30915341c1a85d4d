#include "sim/replay/mapping_planner.h"

#include "base/error.h"
#include "hw_models/controller/tile_sequencer.h"
#include "sim/energy/action_counts.h"
#include "sim/energy/energy_model.h"
#include "sim/fast/fast_simulator.h"

namespace qtsim {

MappingPlanner::MappingPlanner(const HardwareConfig& hardware, const EnergyTable& table, const TrainingStep& step)
    : hardware_(hardware), table_(table), step_(step), pin_of_gemm_(step.gemms.size(), nullptr) {
  for (const MapperPin& pin : hardware.mapper.pins) {
    bool found = false;
    for (std::size_t i = 0; i < step.gemms.size(); ++i) {
      if (step.gemms[i].layer == pin.layer && to_string(step.gemms[i].phase) == pin.phase) {
        pin_of_gemm_[i] = &pin;
        found = true;
      }
    }
    if (!found) {
      throw Error(pin.key + ": layer '" + pin.layer + "' has no GEMM in phase " + pin.phase +
                  "; expected a conv or fully_connected layer of the network (the first GEMM layer has no bwd_data)");
    }
  }
}

void MappingPlanner::apply(IterationSchedule& schedule) {
  const bool search = hardware_.mapper.objective != "dram_bytes";
  for (std::size_t i = 0; i < schedule.jobs.size(); ++i) {
    Job& job = schedule.jobs[i];
    const int gemm = schedule.tags[i].gemm;
    if (!job.is_gemm() || gemm < 0) continue;
    if (const MapperPin* pin = pin_of_gemm_[static_cast<std::size_t>(gemm)]) {
      Mapping m;
      m.order = pin->order == "n,m,k" ? LoopOrder::n_outer : LoopOrder::m_outer;
      m.samples = pin->samples;
      m.rows = pin->rows;
      m.cols = pin->cols;
      m.p = pin->p;
      m.q = pin->q;
      job.mapping = normalise_mapping(job.tensors, m);
      job.mapping_source = "hardware." + pin->key;
    } else if (search) {
      job.mapping = choose(job);
      job.mapping_source = "hardware.mapper.objective";
    }
  }
}

double MappingPlanner::score(const Job& gemm) const {
  const FastRun run = simulate_jobs_fast(hardware_, {gemm});
  const double cycles = static_cast<double>(run.controller.cycles);
  if (hardware_.mapper.objective == "cycles") return cycles;
  const double energy = price(run_actions(hardware_, {gemm}, run.jobs, run.controller), table_, hardware_).total_pj();
  return hardware_.mapper.objective == "energy" ? energy : energy * cycles;
}

Mapping MappingPlanner::choose(const Job& gemm) {
  const GemmKey key = gemm_key(gemm);
  const auto found = chosen_.find(key);
  if (found != chosen_.end()) return found->second;
  const GemmStorage storage = gemm_storage(hardware_, gemm, pe_mode(hardware_.mac_array, gemm.a_bits, gemm.b_bits));
  const std::vector<Mapping> candidates = candidate_mappings(gemm.tensors, storage);
  if (candidates.empty()) map_gemm(gemm.tensors, storage);  // throws the error naming the buffer
  Mapping best = candidates.front();
  double best_score = 0;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    Job trial = gemm;
    trial.mapping = candidates[i];
    const double s = score(trial);
    if (i == 0 || s < best_score) {
      best = candidates[i];
      best_score = s;
    }
  }
  return chosen_[key] = best;
}

}  // namespace qtsim
