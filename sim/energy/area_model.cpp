#include "sim/energy/area_model.h"

#include <memory>

#include "hw_models/pe/pe_kind.h"
#include "sim/energy/sram_model.h"

namespace qtsim {
namespace {

constexpr double kUm2PerMm2 = 1e6;

struct AreaReader {
  const EnergyTable& table;
  std::set<std::string>& used;
  double mm2(const std::string& group, const std::string& key, const std::string& why) {
    const EnergyEntry& e = table.need(group, key, EntryKind::area, why);
    used.insert(e.path());
    return e.value / kUm2PerMm2;
  }
};

}  // namespace

std::optional<double> AreaBreakdown::total_mm2() const {
  double sum = 0.0;
  for (std::size_t i = 0; i < mm2.size(); ++i) {
    if (static_cast<EnergyComponent>(i) == EnergyComponent::dram) continue;
    if (!mm2[i]) return std::nullopt;
    sum += *mm2[i];
  }
  return sum;
}

AreaBreakdown area(const EnergyTable& table, const HardwareConfig& hw) {
  AreaBreakdown out;
  AreaReader r{table, out.entries_used};
  const auto at = [&](EnergyComponent c) -> std::optional<double>& { return out.mm2[static_cast<std::size_t>(c)]; };
  const PeEnergyFacts k = make_pe_kind(hw.mac_array)->energy_facts();
  const double rows = hw.mac_array.rows, cols = hw.mac_array.cols;
  at(EnergyComponent::mac_array) = rows * cols * r.mm2("mac_array", k.area_entry, k.why);
  at(EnergyComponent::registers) =
      (rows * k.lane_a + cols * k.lane_b) * r.mm2("registers", "bit_area", "the array's edge registers");
  for (Operand o : kOperands) {
    const BufferPrice b = buffer_price(table, hw, o, nullptr);
    if (b.from_cacti) at(buffer_component(o)) = b.area_mm2;
  }
  at(EnergyComponent::vector_unit) = hw.vector_unit.lanes * r.mm2("vector_unit", "lane_area", "the vector unit");
  at(EnergyComponent::controller) = r.mm2("controller", "area", "the controller");
  return out;
}

AreaFigures area_figures(const AreaBreakdown& area, const EnergyBreakdown& energy, const ActionCounts& counts,
                         double clock_mhz) {
  AreaFigures f;
  const std::optional<double> mm2 = area.total_mm2();
  const double time_s = static_cast<double>(counts.cycles) / (clock_mhz * 1e6);
  if (!mm2 || *mm2 <= 0.0) return f;
  if (time_s > 0.0) f.tops_per_mm2 = 2.0 * static_cast<double>(counts.macs()) / time_s / 1e12 / *mm2;
  f.edap_pj_s_mm2 = energy.total_pj() * time_s * *mm2;
  return f;
}

}  // namespace qtsim
