#include "sim/report/replay_report.h"

#include <cstdio>

#include "sim/energy/energy_report.h"

namespace qtsim {
namespace {

Json cycles_json(const CycleBreakdown& c) {
  return Json{{"total", c.total()},
              {"compute", c.compute},
              {"vector", c.vector},
              {"port_stall", c.port_stall},
              {"load_stall", c.load_stall},
              {"store_stall", c.store_stall},
              {"store_drain", c.store_drain},
              {"reconfig", c.reconfig}};
}

double ratio(double numerator, double denominator) { return denominator != 0 ? numerator / denominator : 0.0; }

Json side_json(const ReplaySide& side, const HardwareConfig& hw) {
  const double pe_cycles = static_cast<double>(side.cycles.total()) * hw.mac_array.rows * hw.mac_array.cols;
  const EnergyBreakdown energy = side.total_energy();
  const ActionCounts actions = side.total_actions();
  Json by_phase_group = Json::array();
  for (const PhaseGroupEnergy& e : side.energy) {
    by_phase_group.push_back({{"phase", to_string(e.phase)},
                              {"precision_group", e.precision},
                              {"dynamic_pj", e.energy.dynamic_pj()},
                              {"static_pj", e.energy.static_pj()},
                              {"total_pj", e.energy.total_pj()}});
  }
  return Json{{"iterations", side.iterations},
              {"distinct_group_compositions", side.compositions},
              {"cycles", cycles_json(side.cycles)},
              {"time_s", static_cast<double>(side.cycles.total()) / (hw.clock_mhz * 1e6)},
              {"macs", side.macs},
              {"pe_utilisation_fraction", ratio(static_cast<double>(side.pe_active_cycles), pe_cycles)},
              {"reconfigurations", side.reconfigurations},
              {"dram_read_bytes", side.dram_read_bytes},
              {"dram_write_bytes", side.dram_write_bytes},
              {"energy", energy_json(energy, actions, hw)},
              {"energy_by_phase_group", by_phase_group}};
}

}  // namespace

double speedup(const ReplayReport& r) {
  return ratio(static_cast<double>(r.baseline.cycles.total()), static_cast<double>(r.policy.cycles.total()));
}

double energy_saving(const ReplayReport& r) {
  return 1.0 - ratio(r.policy.total_energy().total_pj(), r.baseline.total_energy().total_pj());
}

Json replay_summary_json(const RunInputs& in, const ReplayReport& r) {
  return Json{{"mode", in.config.run.mode},
              {"iterations_per_epoch", {{"first", in.iterations.first}, {"count", in.iterations.count}}},
              {"policy", side_json(r.policy, in.config.hardware)},
              {"baseline", side_json(r.baseline, in.config.hardware)},
              {"speedup", speedup(r)},
              {"energy_saving_fraction", energy_saving(r)}};
}

std::string replay_energy_csv(const ReplayReport& r) {
  CsvTable table({"side", "phase", "precision_group", "component", "dynamic_pj", "static_pj", "total_pj"});
  for (const auto& [name, side] : {std::pair<const char*, const ReplaySide*>{"policy", &r.policy},
                                   std::pair<const char*, const ReplaySide*>{"baseline", &r.baseline}}) {
    for (const PhaseGroupEnergy& e : side->energy) {
      for (std::size_t c = 0; c < kEnergyComponents; ++c) {
        const ComponentEnergy& ce = e.energy.components[c];
        table.row().add(name).add(to_string(e.phase)).add(e.precision)
            .add(to_string(static_cast<EnergyComponent>(c))).add(ce.dynamic_pj).add(ce.static_pj).add(ce.total_pj());
      }
    }
  }
  return table.str();
}

std::string per_layer_phase_csv(const LayerPhaseRows& rows, const ReplayReport& r) {
  std::vector<std::string> columns = {"layer", "phase"};
  for (const char* side : {"policy", "baseline"}) {
    for (const char* c : {"cycles", "compute_cycles", "vector_cycles", "port_stall_cycles", "load_stall_cycles",
                          "store_stall_cycles", "reconfig_cycles", "macs"}) {
      columns.push_back(std::string(side) + "_" + c);
    }
  }
  columns.push_back("speedup");
  CsvTable table(columns);
  for (std::size_t i = 0; i < rows.rows.size(); ++i) {
    table.row().add(rows.rows[i].layer).add(to_string(rows.rows[i].phase));
    for (const ReplaySide* side : {&r.policy, &r.baseline}) {
      const RowCost& c = side->rows[i];
      table.add(c.cycles.total()).add(c.cycles.compute).add(c.cycles.vector).add(c.cycles.port_stall)
          .add(c.cycles.load_stall).add(c.cycles.store_stall).add(c.cycles.reconfig).add(c.macs);
    }
    table.add(ratio(static_cast<double>(r.baseline.rows[i].cycles.total()),
                    static_cast<double>(r.policy.rows[i].cycles.total())));
  }
  return table.str();
}

void add_replay_epoch_columns(std::vector<std::string>& columns) {
  for (const char* c : {"policy_cycles", "baseline_cycles", "speedup", "policy_energy_pj", "baseline_energy_pj",
                        "energy_saving_fraction"}) {
    columns.push_back(c);
  }
}

void add_replay_epoch_cells(CsvTable& table, const ReplayReport& r, std::size_t i) {
  const EpochCost& p = r.policy.epochs[i];
  const EpochCost& b = r.baseline.epochs[i];
  table.add(p.cycles).add(b.cycles).add(ratio(static_cast<double>(b.cycles), static_cast<double>(p.cycles)))
      .add(p.energy_pj).add(b.energy_pj).add(1.0 - ratio(p.energy_pj, b.energy_pj));
}

void print_replay_headline(const RunInputs& in, const ReplayReport& r, std::ostream& out) {
  const HardwareConfig& hw = in.config.hardware;
  char line[256];
  std::snprintf(line, sizeof line, "hardware: %dx%d %s %s array at %.0f MHz (%s mode)\n", hw.mac_array.rows,
                hw.mac_array.cols, to_string(hw.mac_array.pe_kind), to_string(hw.mac_array.dataflow), hw.clock_mhz,
                in.config.run.mode.c_str());
  out << line;
  std::snprintf(line, sizeof line, "  %-22s %22s %22s\n", "", "policy", "baseline");
  out << line;
  std::snprintf(line, sizeof line, "  %-22s %22lld %22lld\n", "cycles", static_cast<long long>(r.policy.cycles.total()),
                static_cast<long long>(r.baseline.cycles.total()));
  out << line;
  std::snprintf(line, sizeof line, "  %-22s %22.3f %22.3f\n", "time_s",
                static_cast<double>(r.policy.cycles.total()) / (hw.clock_mhz * 1e6),
                static_cast<double>(r.baseline.cycles.total()) / (hw.clock_mhz * 1e6));
  out << line;
  std::snprintf(line, sizeof line, "  %-22s %22.6g %22.6g\n", "energy_j", r.policy.total_energy().total_pj() * 1e-12,
                r.baseline.total_energy().total_pj() * 1e-12);
  out << line;
  std::snprintf(line, sizeof line, "  speedup %.4fx, energy saving %.2f%% against the baseline\n", speedup(r),
                100.0 * energy_saving(r));
  out << line;
}

}  // namespace qtsim
