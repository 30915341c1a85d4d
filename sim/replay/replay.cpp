#include "sim/replay/replay.h"

#include <set>

#include "sim/common/progress.h"

namespace qtsim {

Composition composition_of(const std::vector<PrecisionGroup>& groups) {
  Composition c;
  c.reserve(groups.size());
  for (const PrecisionGroup& g : groups) {
    c.emplace_back(g.precision.act_bits, g.precision.weight_bits, g.precision.grad_bits, g.samples);
  }
  return c;
}

IterationMemo::IterationMemo(const HardwareConfig& hardware, const EnergyTable& table, const TrainingStep& step,
                             Mode mode)
    : hardware_(hardware),
      table_(table),
      step_(step),
      rows_(layer_phase_rows(step)),
      simulator_(hardware),
      planner_(hardware_, table, step),
      mode_(mode) {}

const IterationCost& IterationMemo::get(const std::vector<PrecisionGroup>& groups) {
  Composition key = composition_of(groups);
  auto it = costs_.find(key);
  if (it != costs_.end()) return it->second;
  ++computed_;
  IterationCost cost =
      mode_ == Mode::fast
          ? cost_iteration(simulator_, hardware_, table_, step_, rows_, groups, &planner_)
          : cost_iteration_reference(hardware_, table_, step_, rows_, groups, costs_.size() + 1, &planner_);
  return costs_.emplace(std::move(key), std::move(cost)).first->second;
}

IterationCost IterationMemo::compute(const std::vector<PrecisionGroup>& groups) {
  if (mode_ == Mode::reference) return cost_iteration_reference(hardware_, table_, step_, rows_, groups, 1, &planner_);
  FastSimulator fresh(hardware_);
  return cost_iteration(fresh, hardware_, table_, step_, rows_, groups, &planner_);
}

void IterationMemo::insert(Composition composition, IterationCost cost) {
  for (PhaseGroupEnergy& e : cost.energy) e.energy = price(e.actions, table_, hardware_);
  costs_.insert_or_assign(std::move(composition), std::move(cost));
}

EnergyBreakdown ReplaySide::total_energy() const {
  EnergyBreakdown total;
  for (const PhaseGroupEnergy& e : energy) total += e.energy;
  return total;
}

ActionCounts ReplaySide::total_actions() const {
  ActionCounts total;
  for (const PhaseGroupEnergy& e : energy) total += e.actions;
  return total;
}

namespace {

void add_scaled(EnergyBreakdown& total, const EnergyBreakdown& e, std::int64_t times) {
  const double k = static_cast<double>(times);
  for (std::size_t i = 0; i < total.components.size(); ++i) {
    total.components[i].dynamic_pj += k * e.components[i].dynamic_pj;
    total.components[i].static_pj += k * e.components[i].static_pj;
  }
  total.entries_used.insert(e.entries_used.begin(), e.entries_used.end());
}

void add_scaled(ActionCounts& total, const ActionCounts& a, std::int64_t times) {
  ActionCounts scaled = a;
  for (auto& [mode, m] : scaled.mac_modes) {
    m.pe_active_cycles *= times;
    m.macs *= times;
    m.executed_macs *= times;
  }
  scaled.edge_register_bits *= times;
  for (SramCounts& b : scaled.buffers) {
    b.read_words *= times;
    b.write_words *= times;
  }
  scaled.dram_read_bytes *= times;
  scaled.dram_write_bytes *= times;
  for (auto& [op, v] : scaled.vector_ops) {
    v.operations *= times;
    v.elements *= times;
  }
  scaled.reconfigurations *= times;
  scaled.cycles *= times;
  total += scaled;
}

PhaseGroupEnergy& energy_entry(ReplaySide& side, Phase phase, const std::string& precision) {
  for (PhaseGroupEnergy& e : side.energy) {
    if (e.phase == phase && e.precision == precision) return e;
  }
  side.energy.push_back({phase, precision, EnergyBreakdown{}, ActionCounts{}});
  return side.energy.back();
}

// Adds `n` iterations of `cost` to `side` and to its `epoch`.
void add_iterations(ReplaySide& side, EpochCost& epoch, const IterationCost& cost, std::int64_t n) {
  side.cycles.add(cost.cycles, n);
  side.macs += cost.macs * n;
  side.pe_active_cycles += cost.pe_active_cycles * n;
  side.reconfigurations += cost.reconfigurations * n;
  side.dram_read_bytes += cost.dram_read_bytes * n;
  side.dram_write_bytes += cost.dram_write_bytes * n;
  side.compulsory_dram_bytes += cost.compulsory_dram_bytes * n;
  side.iterations += n;
  for (std::size_t r = 0; r < cost.rows.size(); ++r) side.rows[r].add(cost.rows[r], n);
  for (const PhaseGroupEnergy& pg : cost.energy) {
    PhaseGroupEnergy& entry = energy_entry(side, pg.phase, pg.precision);
    add_scaled(entry.energy, pg.energy, n);
    add_scaled(entry.actions, pg.actions, n);
  }
  epoch.cycles += cost.cycles.total() * n;
  epoch.energy_pj += cost.energy_pj() * static_cast<double>(n);
}

// Adds an epoch's switches of the array between iterations (`switches`: how
// many per label of the first group of the iteration switched into) to
// `side` and to its `epoch`, each one reconfiguration.
void add_switches(ReplaySide& side, EpochCost& epoch, const std::map<std::string, std::int64_t>& switches,
                  const EnergyTable& table, const HardwareConfig& hw) {
  // One switch of the array between iterations, priced once.
  ActionCounts switch_actions;
  switch_actions.reconfigurations = 1;
  switch_actions.cycles = hw.controller.reconfig_cycles;
  for (const auto& [label, n] : switches) {
    const EnergyBreakdown energy = price(switch_actions, table, hw);
    PhaseGroupEnergy& entry = energy_entry(side, Phase::fwd, label);
    add_scaled(entry.energy, energy, n);
    add_scaled(entry.actions, switch_actions, n);
    CycleBreakdown c;
    c.reconfig = hw.controller.reconfig_cycles;
    side.cycles.add(c, n);
    side.reconfigurations += n;
    epoch.cycles += c.reconfig * n;
    epoch.energy_pj += energy.total_pj() * static_cast<double>(n);
  }
}

// Replays the epochs of `in` with `groups_of(epoch, iteration)` giving each
// iteration's groups.
template <typename GroupsOf>
ReplaySide replay_side(const RunInputs& in, IterationMemo& memo, GroupsOf groups_of, Progress& progress,
                       std::int64_t& done) {
  ReplaySide side;
  side.rows.assign(memo.rows().rows.size(), RowCost{});
  // Iterations per composition over the run: the mappings' MACs are added once per composition.
  std::map<Composition, std::pair<const IterationCost*, std::int64_t>> met;
  const IterationCost* previous = nullptr;
  for (int e = in.epochs.first; e < in.epochs.first + in.epochs.count; ++e) {
    // Summed in composition order: floating-point sums must not depend on
    // where the costs happen to lie in memory.
    std::map<Composition, std::pair<const IterationCost*, std::int64_t>> occurrences;
    std::map<std::string, std::int64_t> switches;  // per label of the first group of the iteration switched into
    for (int it = in.iterations.first; it < in.iterations.first + in.iterations.count; ++it) {
      const std::vector<PrecisionGroup> groups = groups_of(e, it);
      const IterationCost& cost = memo.get(groups);
      auto& occurrence = occurrences[composition_of(groups)];
      occurrence.first = &cost;
      ++occurrence.second;
      if (previous && cost.first_mode[0] != 0 && previous->last_mode[0] != 0 &&
          previous->last_mode != cost.first_mode) {
        ++switches[groups.front().precision.label()];
      }
      if (cost.first_mode[0] != 0) previous = &cost;
      progress.update(++done);
    }
    EpochCost epoch{e, 0, 0.0};
    for (const auto& [composition, occurrence] : occurrences) {
      const auto& [cost, n] = occurrence;
      auto& total = met[composition];
      total.first = cost;
      total.second += n;
      add_iterations(side, epoch, *cost, n);
    }
    add_switches(side, epoch, switches, memo.table(), in.config.hardware);
    side.epochs.push_back(epoch);
  }
  for (const auto& [composition, total] : met) {
    for (std::size_t r = 0; r < side.rows.size(); ++r) side.rows[r].add_mappings(total.first->rows[r], total.second);
  }
  side.compositions = static_cast<std::int64_t>(met.size());
  return side;
}

}  // namespace

ReplayReport replay(const RunInputs& in, IterationMemo& memo) {
  const Trace& trace = in.trace;
  Progress progress("replay", 2 * static_cast<std::int64_t>(in.epochs.count) * in.iterations.count, "iterations");
  std::int64_t done = 0;
  std::vector<PrecisionGrouping> groupings;
  groupings.reserve(static_cast<std::size_t>(in.epochs.count));
  for (int e = in.epochs.first; e < in.epochs.first + in.epochs.count; ++e) groupings.emplace_back(in.plans[e]);
  ReplayReport report;
  report.policy = replay_side(
      in, memo,
      [&](int e, int it) {
        return groupings[static_cast<std::size_t>(e - in.epochs.first)].split(trace.counts(e, it), it);
      },
      progress, done);
  const Precision baseline = in.config.run.baseline;
  report.baseline = replay_side(
      in, memo,
      [&](int, int it) {
        return std::vector<PrecisionGroup>{{baseline, trace.iteration_samples(it)}};
      },
      progress, done);
  progress.finish();
  return report;
}

}  // namespace qtsim
