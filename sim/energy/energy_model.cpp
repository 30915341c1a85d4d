#include "sim/energy/energy_model.h"

#include <algorithm>
#include <memory>

#include "hw_models/pe/pe_kind.h"
#include "sim/energy/sram_model.h"

namespace qtsim {
namespace {

// mW x us = nJ = 1000 pJ.
constexpr double kPjPerMwUs = 1000.0;
// The widest dedicated PE the per_product floor looks for.
constexpr int kMaxDedicatedBits = 64;

struct Pricer {
  const EnergyTable& table;
  std::set<std::string>& used;
  double need(const std::string& group, const std::string& key, EntryKind kind, const std::string& why) {
    const EnergyEntry& e = table.need(group, key, kind, why);
    used.insert(e.path());
    return e.value;
  }
};

// The cheapest dedicated PE the table prices whose width covers an a x b
// product: fixed_<w>b_pe_cycle for the smallest w >= max(a, b). 0 when the
// table has none (no floor then).
double dedicated_pe_pj(Pricer& p, int a_bits, int b_bits) {
  for (int w = std::max(a_bits, b_bits); w <= kMaxDedicatedBits; ++w) {
    const std::string key = "fixed_" + std::to_string(w) + "b_pe_cycle";
    if (p.table.find("mac_array", key)) {
      return p.need("mac_array", key, EntryKind::energy,
                    "the per_product floor of a " + std::to_string(a_bits) + "x" + std::to_string(b_bits) + " product");
    }
  }
  return 0.0;
}

// Dynamic energy of the products of one mode, under the configured convention.
double mode_pj(Pricer& p, const HardwareConfig& hw, const PeEnergyFacts& k, double cycle_pj, double gated_share,
               const MacMode& mode, const MacModeCounts& c) {
  const double native = static_cast<double>(k.native_a) * k.native_b;
  if (hw.energy.mac_convention == "per_pe_cycle") {
    const double scale =
        k.gated ? (1.0 - gated_share) + gated_share * mode.a_chunk_bits * mode.b_chunk_bits / native : 1.0;
    return static_cast<double>(c.pe_active_cycles) * cycle_pj * scale;
  }
  const double per_product = mode.a_run_bits * mode.b_run_bits * cycle_pj / native;
  const double floor = dedicated_pe_pj(p, mode.a_run_bits, mode.b_run_bits);
  return static_cast<double>(c.macs) * std::max(per_product, floor);
}

// The PE kind says which entries price it and at which widths (pe_kind.h).
void price_mac_array(Pricer& p, const ActionCounts& counts, const HardwareConfig& hw, double pes, double t_us,
                     EnergyBreakdown& out) {
  const std::unique_ptr<PeKind> kind = make_pe_kind(hw.mac_array);
  const PeEnergyFacts k = kind->energy_facts();
  const double cycle_pj = p.need("mac_array", k.cycle_entry, EntryKind::energy, k.why);
  const double leakage_mw = p.need("mac_array", k.leakage_entry, EntryKind::power, k.why);
  const double idle = p.need("mac_array", "idle_pe_cycle", EntryKind::fraction, "every PE kind");
  double gated_share = 0.0;
  if (k.gated && hw.energy.mac_convention == "per_pe_cycle") {
    gated_share = p.need("mac_array", "gated_share", EntryKind::fraction,
                         std::string("mac_array.pe_kind ") + kind->name() + " under mac_convention per_pe_cycle");
  }
  ComponentEnergy& e = out.at(EnergyComponent::mac_array);
  for (const auto& [mode, c] : counts.mac_modes) e.dynamic_pj += mode_pj(p, hw, k, cycle_pj, gated_share, mode, c);
  const double idle_pe_cycles =
      std::max(0.0, pes * static_cast<double>(counts.cycles) - static_cast<double>(counts.pe_active_cycles()));
  e.dynamic_pj += idle_pe_cycles * (1.0 - hw.energy.idle_clock_gating) * idle * cycle_pj;
  e.static_pj = pes * leakage_mw * t_us * kPjPerMwUs;

  ComponentEnergy& r = out.at(EnergyComponent::registers);
  const std::string why = "the array's edge registers";
  r.dynamic_pj =
      static_cast<double>(counts.edge_register_bits) * p.need("registers", "bit_write", EntryKind::energy_per_bit, why);
  const double lane_bits =
      static_cast<double>(hw.mac_array.rows) * k.lane_a + static_cast<double>(hw.mac_array.cols) * k.lane_b;
  r.static_pj = lane_bits * p.need("registers", "bit_leakage", EntryKind::power, why) * t_us * kPjPerMwUs;
}

}  // namespace

const char* to_string(EnergyComponent component) {
  switch (component) {
    case EnergyComponent::mac_array:
      return "mac_array";
    case EnergyComponent::registers:
      return "registers";
    case EnergyComponent::buffer_activation:
      return "buffer.activation";
    case EnergyComponent::buffer_weight:
      return "buffer.weight";
    case EnergyComponent::buffer_gradient:
      return "buffer.gradient";
    case EnergyComponent::buffer_output:
      return "buffer.output";
    case EnergyComponent::dram:
      return "dram";
    case EnergyComponent::vector_unit:
      return "vector_unit";
    case EnergyComponent::controller:
      return "controller";
  }
  return "?";
}

EnergyComponent buffer_component(Operand operand) {
  switch (operand) {
    case Operand::activation:
      return EnergyComponent::buffer_activation;
    case Operand::weight:
      return EnergyComponent::buffer_weight;
    case Operand::gradient:
      return EnergyComponent::buffer_gradient;
    case Operand::output:
      return EnergyComponent::buffer_output;
  }
  return EnergyComponent::buffer_output;
}

double EnergyBreakdown::dynamic_pj() const {
  double sum = 0.0;
  for (const ComponentEnergy& c : components) sum += c.dynamic_pj;
  return sum;
}

double EnergyBreakdown::static_pj() const {
  double sum = 0.0;
  for (const ComponentEnergy& c : components) sum += c.static_pj;
  return sum;
}

EnergyBreakdown& EnergyBreakdown::operator+=(const EnergyBreakdown& o) {
  for (std::size_t i = 0; i < components.size(); ++i) {
    components[i].dynamic_pj += o.components[i].dynamic_pj;
    components[i].static_pj += o.components[i].static_pj;
  }
  entries_used.insert(o.entries_used.begin(), o.entries_used.end());
  return *this;
}

EnergyBreakdown price(const ActionCounts& counts, const EnergyTable& table, const HardwareConfig& hw) {
  EnergyBreakdown out;
  Pricer p{table, out.entries_used};
  const double t_us = static_cast<double>(counts.cycles) / hw.clock_mhz;
  const double pes = static_cast<double>(hw.mac_array.rows) * hw.mac_array.cols;
  price_mac_array(p, counts, hw, pes, t_us, out);

  for (Operand o : kOperands) {
    const BufferPrice b = buffer_price(table, hw, o, &out.entries_used);
    const SramCounts& s = counts.buffer(o);
    ComponentEnergy& e = out.at(buffer_component(o));
    e.dynamic_pj = static_cast<double>(s.read_words) * b.read_pj + static_cast<double>(s.write_words) * b.write_pj;
    e.static_pj = b.leakage_mw * t_us * kPjPerMwUs;
  }

  const double dram_bits = 8.0 * static_cast<double>(counts.dram_read_bytes + counts.dram_write_bytes);
  const std::string dram_why = "energy.dram_type is " + hw.energy.dram_type;
  ComponentEnergy& d = out.at(EnergyComponent::dram);
  d.dynamic_pj = dram_bits * p.need("dram", hw.energy.dram_type, EntryKind::energy_per_bit, dram_why);
  d.static_pj = p.need("dram", hw.energy.dram_type + "_background", EntryKind::power, dram_why) * t_us * kPjPerMwUs;

  ComponentEnergy& v = out.at(EnergyComponent::vector_unit);
  const std::string vector_why = "the vector unit";
  const double element_op = p.need("vector_unit", "element_op", EntryKind::energy, vector_why);
  for (const auto& [op, c] : counts.vector_ops) {
    const double price = table.find("vector_unit", op)
                             ? p.need("vector_unit", op, EntryKind::energy, "vector operation " + op)
                             : element_op;
    v.dynamic_pj += static_cast<double>(c.elements) * price;
  }
  v.static_pj =
      hw.vector_unit.lanes * p.need("vector_unit", "lane_leakage", EntryKind::power, vector_why) * t_us * kPjPerMwUs;

  ComponentEnergy& k = out.at(EnergyComponent::controller);
  k.dynamic_pj = static_cast<double>(counts.reconfigurations) * pes *
                 p.need("controller", "reconfiguration_per_pe", EntryKind::energy, "controller reconfigurations");
  k.static_pj = p.need("controller", "leakage", EntryKind::power, "the controller") * t_us * kPjPerMwUs;
  return out;
}

EnergyFigures energy_figures(const EnergyBreakdown& energy, const ActionCounts& counts, double clock_mhz) {
  EnergyFigures f;
  const double total = energy.total_pj();
  f.time_s = static_cast<double>(counts.cycles) / (clock_mhz * 1e6);
  const std::int64_t macs = counts.macs();
  const std::int64_t executed = counts.executed_macs();
  if (macs > 0) f.pj_per_algorithmic_mac = total / static_cast<double>(macs);
  if (executed > 0) f.pj_per_executed_mac = total / static_cast<double>(executed);
  if (total > 0.0) f.tops_per_w = 2.0 * static_cast<double>(macs) / total;
  f.edp_pj_s = total * f.time_s;
  return f;
}

}  // namespace qtsim
