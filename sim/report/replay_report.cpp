#include "sim/report/replay_report.h"

#include <cstdio>

#include "sim/energy/energy_report.h"

namespace qtsim {
namespace {

double ratio(double numerator, double denominator) { return denominator != 0 ? numerator / denominator : 0.0; }

// The figures of one side, declared with their units.
StatGroup side_stat_group(const ReplaySide& side, const HardwareConfig& hw) {
  const double pe_cycles = static_cast<double>(side.cycles.total()) * hw.mac_array.rows * hw.mac_array.cols;
  StatGroup g{"replay", {}};
  g.add("iterations", side.iterations, "iterations", "iterations replayed on the hardware")
      .add("distinct_group_compositions", side.compositions, "compositions",
           "distinct precision-group compositions, each costed once")
      .add("time_s", static_cast<double>(side.cycles.total()) / (hw.clock_mhz * 1e6), "s", "cycles at clock_mhz")
      .add("macs", side.macs, "macs", "algorithmic multiply-accumulates")
      .add("pe_utilisation_fraction", ratio(static_cast<double>(side.pe_active_cycles), pe_cycles), "fraction",
           "PE-active cycles / (cycles x rows x cols)")
      .add("reconfigurations", side.reconfigurations, "switches", "precision-mode switches")
      .add("dram_read_bytes", side.dram_read_bytes, "bytes", "packed bytes read from DRAM")
      .add("dram_write_bytes", side.dram_write_bytes, "bytes", "packed bytes written to DRAM")
      .add("compulsory_dram_bytes", side.compulsory_dram_bytes, "bytes",
           "bytes that must cross DRAM if every tensor moves exactly once")
      .add("dram_bytes_per_mac",
           ratio(static_cast<double>(side.dram_read_bytes + side.dram_write_bytes), static_cast<double>(side.macs)),
           "bytes/mac", "DRAM bytes read and written per algorithmic MAC")
      .add("dram_over_compulsory",
           ratio(static_cast<double>(side.dram_read_bytes + side.dram_write_bytes),
                 static_cast<double>(side.compulsory_dram_bytes)),
           "ratio", "DRAM bytes moved / compulsory DRAM bytes");
  return g;
}

Json side_json(const ReplaySide& side, const HardwareConfig& hw, const AreaBreakdown& area) {
  Json by_phase_group = Json::array();
  for (const PhaseGroupEnergy& e : side.energy) {
    by_phase_group.push_back({{"phase", to_string(e.phase)},
                              {"precision_group", e.precision},
                              {"dynamic_pj", e.energy.dynamic_pj()},
                              {"static_pj", e.energy.static_pj()},
                              {"total_pj", e.energy.total_pj()}});
  }
  Json out = values_json(side_stat_group(side, hw));
  out["cycles"] = values_json(cycle_stat_group(side.cycles, "cycles"));
  out["energy"] = energy_json(side.total_energy(), side.total_actions(), hw, area);
  out["energy_by_phase_group"] = by_phase_group;
  return out;
}

}  // namespace

double speedup(const ReplayReport& r) {
  return ratio(static_cast<double>(r.baseline.cycles.total()), static_cast<double>(r.policy.cycles.total()));
}

double energy_saving(const ReplayReport& r) {
  return 1.0 - ratio(r.policy.total_energy().total_pj(), r.baseline.total_energy().total_pj());
}

Json replay_summary_json(const RunInputs& in, const ReplayReport& r, const AreaBreakdown& area) {
  return Json{{"mode", in.config.run.mode},
              {"iterations_per_epoch", {{"first", in.iterations.first}, {"count", in.iterations.count}}},
              {"area", area_json(area)},
              {"policy", side_json(r.policy, in.config.hardware, area)},
              {"baseline", side_json(r.baseline, in.config.hardware, area)},
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
        table.row()
            .add(name)
            .add(to_string(e.phase))
            .add(e.precision)
            .add(to_string(static_cast<EnergyComponent>(c)))
            .add(ce.dynamic_pj)
            .add(ce.static_pj)
            .add(ce.total_pj());
      }
    }
  }
  return table.str();
}

// A row is a layer x phase of jobs; the wait for the last stores belongs to
// no job (cycle_breakdown.h), so the rows list every cause but store_drain.
bool in_rows(const CycleBreakdown::Cause& c) { return c.field != &CycleBreakdown::store_drain; }

std::string per_layer_phase_csv(const LayerPhaseRows& rows, const ReplayReport& r) {
  std::vector<std::string> columns = {"layer", "phase"};
  for (const char* side : {"policy", "baseline"}) {
    columns.push_back(std::string(side) + "_cycles");
    for (const CycleBreakdown::Cause& c : CycleBreakdown::kCauses) {
      if (in_rows(c)) columns.push_back(std::string(side) + "_" + c.name + "_cycles");
    }
    for (const char* c : {"_macs", "_dram_read_bytes", "_dram_write_bytes", "_compulsory_dram_bytes",
                          "_dram_over_compulsory", "_mapping"}) {
      columns.push_back(side + std::string(c));
    }
  }
  columns.push_back("speedup");
  CsvTable table(columns);
  for (std::size_t i = 0; i < rows.rows.size(); ++i) {
    table.row().add(rows.rows[i].layer).add(to_string(rows.rows[i].phase));
    for (const ReplaySide* side : {&r.policy, &r.baseline}) {
      const RowCost& row = side->rows[i];
      table.add(row.cycles.total());
      for (const CycleBreakdown::Cause& c : CycleBreakdown::kCauses) {
        if (in_rows(c)) table.add(row.cycles.*c.field);
      }
      table.add(row.macs).add(row.dram_read_bytes).add(row.dram_write_bytes).add(row.compulsory_dram_bytes);
      if (row.compulsory_dram_bytes > 0) {
        table.add(static_cast<double>(row.dram_read_bytes + row.dram_write_bytes) /
                  static_cast<double>(row.compulsory_dram_bytes));
      } else {
        table.add(std::string());  // no DRAM traffic of its own
      }
      table.add(row.main_mapping());
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
  table.add(p.cycles)
      .add(b.cycles)
      .add(ratio(static_cast<double>(b.cycles), static_cast<double>(p.cycles)))
      .add(p.energy_pj)
      .add(b.energy_pj)
      .add(1.0 - ratio(p.energy_pj, b.energy_pj));
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
