#include "sim/replay/iteration_cost.h"

#include <deque>
#include <map>
#include <random>
#include <utility>

#include "sim/energy/action_counts.h"
#include "sim/reference/reference_top.h"

namespace qtsim {

LayerPhaseRows layer_phase_rows(const TrainingStep& step) {
  LayerPhaseRows out;
  std::map<std::pair<std::string, int>, int> index;
  auto row_of = [&](const std::string& layer, Phase phase) {
    const auto key = std::make_pair(layer, static_cast<int>(phase));
    auto it = index.find(key);
    if (it != index.end()) return it->second;
    out.rows.push_back({layer, phase});
    return index[key] = static_cast<int>(out.rows.size() - 1);
  };
  for (const GemmSpec& g : step.gemms) out.gemm_row.push_back(row_of(g.layer, g.phase));
  for (const VectorSpec& v : step.vector_ops) {
    out.vector_row.push_back(row_of(v.layer.empty() ? std::string("(network)") : v.layer, v.phase));
  }
  for (Phase p : {Phase::fwd, Phase::bwd_data, Phase::wgrad, Phase::update}) {
    out.transfer_row[static_cast<std::size_t>(p)] = row_of("(dram transfers)", p);
  }
  return out;
}

void RowCost::add(const RowCost& o, std::int64_t times) {
  cycles.add(o.cycles, times);
  macs += o.macs * times;
  dram_read_bytes += o.dram_read_bytes * times;
  dram_write_bytes += o.dram_write_bytes * times;
  compulsory_dram_bytes += o.compulsory_dram_bytes * times;
}

void RowCost::add_mappings(const RowCost& o, std::int64_t times) {
  for (const auto& [label, m] : o.mapping_macs) mapping_macs[label] += m * times;
}

std::string RowCost::main_mapping() const {
  std::string best;
  std::int64_t most = -1;
  for (const auto& [label, m] : mapping_macs) {
    if (m > most) {
      best = label;
      most = m;
    }
  }
  return best;
}

std::string mapping_label(const Job& gemm, const Mapping& mapping) {
  return "a" + std::to_string(gemm.a_bits) + " b" + std::to_string(gemm.b_bits) + " S" +
         std::to_string(gemm.tensors.samples) + ": " + to_string(mapping);
}

double IterationCost::energy_pj() const {
  double total = 0;
  for (const PhaseGroupEnergy& e : energy) total += e.energy.total_pj();
  return total;
}

IterationCost iteration_cost(const HardwareConfig& hardware, const EnergyTable& table, const LayerPhaseRows& rows,
                             const std::vector<PrecisionGroup>& groups, const IterationSchedule& schedule,
                             const IterationRun& run) {
  IterationCost cost;
  const ControllerStats& s = run.controller;
  cost.cycles = s.causes;
  cost.macs = s.array.macs;
  cost.pe_active_cycles = s.array.pe_active_cycles;
  cost.reconfigurations = s.reconfigurations;
  for (const DmaOperandStats& o : run.dma.operands) {
    cost.dram_read_bytes += o.read_bytes;
    cost.dram_write_bytes += o.write_bytes;
  }
  cost.rows.assign(rows.rows.size(), RowCost{});

  // Actions per (phase, group label), in first-seen order.
  std::vector<PhaseGroupEnergy>& energy = cost.energy;
  auto entry = [&](Phase phase, const std::string& precision) -> ActionCounts& {
    for (PhaseGroupEnergy& e : energy) {
      if (e.phase == phase && e.precision == precision) return e.actions;
    }
    energy.push_back({phase, precision, EnergyBreakdown{}, ActionCounts{}});
    return energy.back().actions;
  };
  const PeMode* previous = nullptr;
  for (std::size_t i = 0; i < schedule.jobs.size(); ++i) {
    const Job& job = schedule.jobs[i];
    const JobTag& tag = schedule.tags[i];
    const JobResult& result = run.jobs[i];
    bool reconfigured = false;
    if (job.is_gemm()) {
      reconfigured = previous && reconfigures(*previous, result.mode);
      previous = &result.mode;
      const std::array<int, 2> mode{result.mode.a_run_bits, result.mode.b_run_bits};
      if (cost.first_mode[0] == 0) cost.first_mode = mode;
      cost.last_mode = mode;
    }
    const int row = tag.gemm >= 0     ? rows.gemm_row[tag.gemm]
                    : tag.vector >= 0 ? rows.vector_row[tag.vector]
                                      : rows.transfer_row[static_cast<std::size_t>(tag.phase)];
    RowCost& r = cost.rows[row];
    r.cycles.add(result.stats.causes);
    r.macs += result.stats.array.macs;
    r.dram_read_bytes += result.stats.dram_read_bytes;
    r.dram_write_bytes += result.stats.dram_write_bytes;
    r.compulsory_dram_bytes += result.stats.compulsory_dram_bytes;
    cost.compulsory_dram_bytes += result.stats.compulsory_dram_bytes;
    if (job.is_gemm()) r.mapping_macs[mapping_label(job, result.tiles.mapping)] += result.stats.array.macs;
    const std::string label = tag.group >= 0 ? groups[tag.group].precision.label() : "iteration";
    entry(tag.phase, label) += job_actions(hardware, job, result, reconfigured);
  }
  // The wait for the last stores belongs to the iteration as a whole.
  ActionCounts drain;
  drain.cycles = s.causes.store_drain;
  entry(Phase::update, "iteration") += drain;
  for (PhaseGroupEnergy& e : energy) e.energy = price(e.actions, table, hardware);
  return cost;
}

IterationCost cost_iteration(FastSimulator& simulator, const HardwareConfig& hardware, const EnergyTable& table,
                             const TrainingStep& step, const LayerPhaseRows& rows,
                             const std::vector<PrecisionGroup>& groups, MappingPlanner* planner) {
  IterationSchedule schedule = iteration_schedule(step, groups);
  if (planner) planner->apply(schedule);
  const FastRun run = simulator.run(schedule.jobs);
  return iteration_cost(hardware, table, rows, groups, schedule, {run.jobs, run.controller, run.dma});
}

std::vector<Job> reference_jobs(const IterationSchedule& schedule, std::uint64_t seed,
                                std::deque<GemmOperands>& operands) {
  std::mt19937_64 rng(seed);
  std::vector<Job> jobs = schedule.jobs;
  for (Job& job : jobs) {
    if (!job.is_gemm()) continue;
    GemmOperands& g = operands.emplace_back();
    g.dims = job.dims;
    g.a_bits = job.a_bits;
    g.b_bits = job.b_bits;
    auto fill = [&](std::vector<std::int32_t>& v, std::int64_t size, int bits) {
      const std::int64_t half = std::int64_t{1} << (bits - 1);
      std::uniform_int_distribution<std::int64_t> value(-half, half - 1);
      v.resize(static_cast<std::size_t>(size));
      for (std::int32_t& x : v) x = static_cast<std::int32_t>(value(rng));
    };
    fill(g.a, job.dims.m * job.dims.k, job.a_bits);
    fill(g.b, job.dims.k * job.dims.n, job.b_bits);
    job.values = &g;
  }
  return jobs;
}

IterationCost cost_iteration_reference(const HardwareConfig& hardware, const EnergyTable& table,
                                       const TrainingStep& step, const LayerPhaseRows& rows,
                                       const std::vector<PrecisionGroup>& groups, std::uint64_t seed,
                                       MappingPlanner* planner) {
  IterationSchedule schedule = iteration_schedule(step, groups);
  if (planner) planner->apply(schedule);
  std::deque<GemmOperands> operands;  // stable addresses for the jobs
  const std::vector<Job> jobs = reference_jobs(schedule, seed, operands);
  const JobsSimulation run = simulate_jobs(hardware, jobs);
  return iteration_cost(hardware, table, rows, groups, schedule, {run.jobs, run.controller, run.dma});
}

}  // namespace qtsim
