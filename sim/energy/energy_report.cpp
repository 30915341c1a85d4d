#include "sim/energy/energy_report.h"

#include "sim/energy/sram_model.h"

#include "base/csv_table.h"

namespace qtsim {
namespace {

Json component_json(const ComponentEnergy& c) {
  return Json{{"dynamic_pj", c.dynamic_pj}, {"static_pj", c.static_pj}, {"total_pj", c.total_pj()}};
}

}  // namespace

Json energy_json(const EnergyBreakdown& energy, const ActionCounts& counts, const HardwareConfig& hardware,
                 const AreaBreakdown& area) {
  const EnergyFigures f = energy_figures(energy, counts, hardware.clock_mhz);
  const AreaFigures a = area_figures(area, energy, counts, hardware.clock_mhz);
  const bool known = area.total_mm2().has_value();
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
  out["tops_per_mm2"] = known ? Json(a.tops_per_mm2) : Json(nullptr);
  out["edap_pj_s_mm2"] = known ? Json(a.edap_pj_s_mm2) : Json(nullptr);
  return out;
}

StatGroup energy_stat_group(const EnergyBreakdown& energy, const ActionCounts& counts, const HardwareConfig& hardware,
                            const AreaBreakdown& area) {
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
  if (area.total_mm2()) {
    const AreaFigures a = area_figures(area, energy, counts, hardware.clock_mhz);
    g.add("tops_per_mm2", a.tops_per_mm2, "TOPS/mm2", "2 ops per algorithmic MAC / time / total area")
        .add("edap", a.edap_pj_s_mm2, "pJ*s*mm2", "energy-delay-area product: total x time x total area");
  }
  return g;
}

Json area_json(const AreaBreakdown& area) {
  Json components = Json::object();
  for (std::size_t i = 0; i < kEnergyComponents; ++i) {
    const auto c = static_cast<EnergyComponent>(i);
    if (c == EnergyComponent::dram) continue;
    components[to_string(c)] = area.mm2[i] ? Json(*area.mm2[i]) : Json(nullptr);
  }
  const std::optional<double> total = area.total_mm2();
  return Json{{"components_mm2", components}, {"total_mm2", total ? Json(*total) : Json(nullptr)}};
}

StatGroup area_stat_group(const AreaBreakdown& area) {
  StatGroup g{"area", {}};
  for (std::size_t i = 0; i < kEnergyComponents; ++i) {
    if (!area.mm2[i]) continue;
    const std::string name = to_string(static_cast<EnergyComponent>(i));
    g.add(name, *area.mm2[i], "mm2", "silicon area of " + name);
  }
  if (const std::optional<double> total = area.total_mm2()) {
    g.add("total", *total, "mm2", "silicon area of every on-chip component");
  }
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
// energy table's points (listed under entries_used) and how it relates to them.
Json buffers_provenance_json(const EnergyTable& table, const HardwareConfig& hardware) {
  Json out = Json::object();
  for (Operand o : kOperands) {
    const BufferPrice b = buffer_price(table, hardware, o, nullptr);
    if (!b.from_cacti) {
      out[to_string(o)] = Json{{"source", "energy table sram points (see entries_used)"},
                               {"status", to_string(b.status)},
                               {"read_pj", b.read_pj},
                               {"write_pj", b.write_pj},
                               {"leakage_mw", b.leakage_mw}};
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
             {"status", to_string(b.status)},
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

// The logic node the run assumes: the table's, else the SRAM table's.
double run_node_nm(const EnergyTable& table, const HardwareConfig& hardware) {
  const Json& node = table.chain().front().technology_node_nm;
  return node.is_number() ? node.get<double>() : hardware.energy.sram.node_nm;
}

// An entry is read when its source's clock and node (where it states them)
// are the run's; otherwise extrapolated, with how far: {"clock_mhz": {"source",
// "run", "factor"}, "node_nm": {...}}.
void mark_status(Json& entry, double clock_mhz, double node_nm) {
  Json outside = Json::object();
  for (const auto& [key, run] : {std::pair<const char*, double>{"clock_mhz", clock_mhz}, {"node_nm", node_nm}}) {
    if (!entry.contains(key) || !entry[key].is_number()) continue;
    const double source = entry[key].get<double>();
    if (source == run || source <= 0.0) continue;
    outside[key] = Json{{"source", source}, {"run", run}, {"factor", run / source}};
  }
  entry["status"] = outside.empty() ? "read" : "extrapolated";
  if (!outside.empty()) entry["outside"] = outside;
}

}  // namespace

Json energy_provenance_json(const EnergyTable& table, const HardwareConfig& hardware,
                            const std::set<std::string>& entries_used) {
  Json tables = Json::array();
  for (const EnergyTableInfo& t : table.chain()) {
    tables.push_back(Json{{"reference", t.reference},
                          {"name", t.name},
                          {"technology_node_nm", t.technology_node_nm},
                          {"voltage_v", t.voltage_v},
                          {"clock_mhz", t.clock_mhz},
                          {"description", t.description}});
  }
  const double node_nm = run_node_nm(table, hardware);
  Json used = Json::object();
  for (const std::string& path : entries_used) {
    const auto dot = path.find('.');
    const EnergyEntry* e = table.find(path.substr(0, dot), path.substr(dot + 1));
    Json entry = e->written;
    entry["table"] = e->table;
    mark_status(entry, hardware.clock_mhz, node_nm);
    used[path] = entry;
  }
  const EnergyConfig& en = hardware.energy;
  return Json{{"table", table.reference()},
              {"tables", tables},
              {"assumes",
               {{"clock_mhz", hardware.clock_mhz},
                {"node_nm", node_nm},
                {"sram_source", en.sram.source},
                {"sram_node_nm", en.sram.node_nm},
                {"sram_corner", en.sram.corner}}},
              {"mac_convention", en.mac_convention},
              {"dram_type", en.dram_type},
              {"idle_clock_gating", en.idle_clock_gating},
              {"buffers", buffers_provenance_json(table, hardware)},
              {"entries_used", used}};
}

}  // namespace qtsim
