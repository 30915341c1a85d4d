#include "sim/energy/energy_report.h"

#include "sim/energy/sram_model.h"

#include "base/csv_table.h"

namespace qtsim {
namespace {

Json component_json(const ComponentEnergy& c) {
  return Json{{"dynamic_pj", c.dynamic_pj}, {"static_pj", c.static_pj}, {"total_pj", c.total_pj()}};
}

}  // namespace

Json energy_json(const EnergyBreakdown& energy, const ActionCounts& counts, const HardwareConfig& hardware) {
  const EnergyFigures f = energy_figures(energy, counts, hardware.clock_mhz);
  Json out = Json::object();
  for (std::size_t i = 0; i < kEnergyComponents; ++i) {
    out["components"][to_string(static_cast<EnergyComponent>(i))] = component_json(energy.components[i]);
  }
  out["total"] =
      Json{{"dynamic_pj", energy.dynamic_pj()}, {"static_pj", energy.static_pj()}, {"total_pj", energy.total_pj()}};
  out["macs"] = counts.macs();
  out["executed_macs"] = counts.executed_macs();
  out["time_s"] = f.time_s;
  out["pj_per_algorithmic_mac"] = f.pj_per_algorithmic_mac;
  out["pj_per_executed_mac"] = f.pj_per_executed_mac;
  out["tops_per_w"] = f.tops_per_w;
  out["edp_pj_s"] = f.edp_pj_s;
  return out;
}

StatGroup energy_stat_group(const EnergyBreakdown& energy, const ActionCounts& counts, const HardwareConfig& hardware) {
  const EnergyFigures f = energy_figures(energy, counts, hardware.clock_mhz);
  StatGroup g{"energy", {}};
  for (std::size_t i = 0; i < kEnergyComponents; ++i) {
    const std::string name = to_string(static_cast<EnergyComponent>(i));
    g.add(name + ".dynamic", energy.components[i].dynamic_pj, "pJ", "dynamic energy of " + name)
        .add(name + ".static", energy.components[i].static_pj, "pJ", "leakage power x time of " + name);
  }
  g.add("total.dynamic", energy.dynamic_pj(), "pJ", "dynamic energy of every component")
      .add("total.static", energy.static_pj(), "pJ", "leakage energy of every component")
      .add("total", energy.total_pj(), "pJ", "dynamic + static")
      .add("pj_per_algorithmic_mac", f.pj_per_algorithmic_mac, "pJ/MAC", "total / (M x K x N)")
      .add("pj_per_executed_mac", f.pj_per_executed_mac, "pJ/MAC", "total / (PE-active cycles x products per element)")
      .add("tops_per_w", f.tops_per_w, "TOPS/W", "2 ops per algorithmic MAC / total energy")
      .add("edp", f.edp_pj_s, "pJ*s", "energy-delay product: total x cycles / clock");
  return g;
}

std::string energy_csv(const std::vector<EnergyRow>& rows) {
  CsvTable csv({"phase", "precision_group", "component", "dynamic_pj", "static_pj", "total_pj"});
  for (const EnergyRow& r : rows) {
    for (std::size_t i = 0; i < kEnergyComponents; ++i) {
      const ComponentEnergy& c = r.energy.components[i];
      csv.row()
          .add(r.phase)
          .add(r.precision_group)
          .add(to_string(static_cast<EnergyComponent>(i)))
          .add(c.dynamic_pj)
          .add(c.static_pj)
          .add(c.total_pj());
    }
  }
  return csv.str();
}

namespace {

// How each buffer was priced: its CACTI point(s), status and values, or the
// energy table's points (listed under entries_used).
Json buffers_provenance_json(const EnergyTable& table, const HardwareConfig& hardware) {
  Json out = Json::object();
  for (Operand o : kOperands) {
    const BufferPrice b = buffer_price(table, hardware, o, nullptr);
    if (!b.from_cacti) {
      out[to_string(o)] = Json{{"source", "energy table sram points (see entries_used)"}};
      continue;
    }
    const SramQuery& q = b.query;
    const SramPrice& p = b.cacti;
    out[to_string(o)] =
        Json{{"source", "CACTI 7 (HewlettPackard/cacti 1ffd8df), sim/energy/tables/cacti7/README.md"},
             {"node_nm", q.node_nm},
             {"corner", std::string(1, q.corner)},
             {"ports", to_string(q.ports)},
             {"capacity_bytes", q.capacity_bytes},
             {"width_bits", q.width_bits},
             {"banks", q.banks},
             {"status", to_string(p.status)},
             {"outside_grid_factor", {{"capacity", p.outside[0]}, {"width", p.outside[1]}, {"banks", p.outside[2]}}},
             {"points", p.points},
             {"leakage", hardware.energy.sram.leakage},
             {"read_pj", b.read_pj},
             {"write_pj", b.write_pj},
             {"leakage_mw", b.leakage_mw},
             {"area_mm2", b.area_mm2},
             {"cycle_ns", b.cycle_ns},
             {"meets_clock", meets_clock(b, hardware.clock_mhz)}};
  }
  return out;
}

}  // namespace

Json energy_provenance_json(const EnergyTable& table, const HardwareConfig& hardware, const EnergyBreakdown& energy) {
  Json tables = Json::array();
  for (const EnergyTableInfo& t : table.chain()) {
    tables.push_back(Json{{"reference", t.reference},
                          {"name", t.name},
                          {"technology_node_nm", t.technology_node_nm},
                          {"voltage_v", t.voltage_v},
                          {"clock_mhz", t.clock_mhz},
                          {"description", t.description}});
  }
  Json used = Json::object();
  for (const std::string& path : energy.entries_used) {
    const auto dot = path.find('.');
    const EnergyEntry* e = table.find(path.substr(0, dot), path.substr(dot + 1));
    Json entry = e->written;
    entry["table"] = e->table;
    used[path] = entry;
  }
  return Json{{"table", table.reference()},
              {"tables", tables},
              {"mac_convention", hardware.energy.mac_convention},
              {"dram_type", hardware.energy.dram_type},
              {"buffers", buffers_provenance_json(table, hardware)},
              {"entries_used", used}};
}

}  // namespace qtsim
