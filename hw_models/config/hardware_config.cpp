#include "hw_models/config/hardware_config.h"

#include <filesystem>

namespace qtsim {
namespace {

constexpr int kMaxArrayDim = 4096;
constexpr double kMaxClockMhz = 10000.0;

MacArrayConfig parse_mac_array(const JsonNode& node) {
  node.require_object();
  const MacArrayConfig fallback;
  MacArrayConfig c;
  c.rows = static_cast<int>(node.get_int("rows", fallback.rows, 1, kMaxArrayDim));
  c.cols = static_cast<int>(node.get_int("cols", fallback.cols, 1, kMaxArrayDim));
  if (auto dataflow = node.find("dataflow")) c.dataflow = parse_dataflow(*dataflow);
  if (auto pe_kind = node.find("pe_kind")) c.pe_kind = parse_pe_kind(*pe_kind);
  c.fixed_width_bits = static_cast<int>(node.get_int("fixed_width_bits", fallback.fixed_width_bits, 1, 32));
  c.pipelined_folds = node.get_bool("pipelined_folds", fallback.pipelined_folds);
  c.accumulator_bits = static_cast<int>(node.get_int("accumulator_bits", fallback.accumulator_bits, 8, 48));
  node.reject_unknown_keys();
  return c;
}

EnergyConfig parse_energy(const JsonNode& node, const std::string& base_dir) {
  node.require_object();
  const EnergyConfig fallback;
  EnergyConfig c;
  if (auto table = node.find("table")) {
    c.table = table->as_string();
    if (c.table.empty()) table->fail_value("empty table reference", "builtin:<name> or a path to a table file");
    namespace fs = std::filesystem;
    if (c.table.rfind("builtin:", 0) != 0 && !fs::path(c.table).is_absolute() && !base_dir.empty()) {
      c.table = (fs::path(base_dir) / c.table).lexically_normal().string();
    }
  }
  c.mac_convention = node.get_choice("mac_convention", fallback.mac_convention, EnergyConfig::kMacConventions);
  c.dram_type = node.get_choice("dram_type", fallback.dram_type, EnergyConfig::kDramTypes);
  c.idle_clock_gating = node.get_double("idle_clock_gating", fallback.idle_clock_gating, 0.0, 1.0);
  if (auto sram = node.find("sram")) {
    sram->require_object();
    const EnergyConfig::Sram f;
    c.sram.source = sram->get_choice("source", f.source, EnergyConfig::Sram::kSources);
    c.sram.node_nm = static_cast<int>(sram->get_int("node_nm", f.node_nm, 22, 45));
    if (c.sram.node_nm != 45 && c.sram.node_nm != 32 && c.sram.node_nm != 22) {
      sram->at("node_nm").fail_value("no CACTI table at this node", "45, 32 or 22");
    }
    c.sram.corner = sram->get_choice("corner", f.corner, EnergyConfig::Sram::kCorners);
    c.sram.leakage = sram->get_choice("leakage", f.leakage, EnergyConfig::Sram::kLeakage);
    c.sram.allow_extrapolation = sram->get_bool("allow_extrapolation", f.allow_extrapolation);
    sram->reject_unknown_keys();
  }
  node.reject_unknown_keys();
  return c;
}

}  // namespace

HardwareConfig parse_hardware_config(const JsonNode& node, const std::string& base_dir) {
  node.require_object();
  const HardwareConfig fallback;
  HardwareConfig c;
  c.clock_mhz = node.get_double("clock_mhz", fallback.clock_mhz, 1.0, kMaxClockMhz);
  if (auto array = node.find("mac_array")) c.mac_array = parse_mac_array(*array);
  if (auto buffers = node.find("buffers")) c.buffers = parse_buffers_config(*buffers);
  if (auto dram = node.find("dram")) c.dram = parse_dram_config(*dram);
  if (auto vector_unit = node.find("vector_unit")) c.vector_unit = parse_vector_unit_config(*vector_unit);
  if (auto energy = node.find("energy")) c.energy = parse_energy(*energy, base_dir);
  if (auto mapper = node.find("mapper")) c.mapper = parse_mapper_config(*mapper);
  if (auto controller = node.find("controller")) {
    controller->require_object();
    c.controller.reconfig_cycles =
        controller->get_int("reconfig_cycles", fallback.controller.reconfig_cycles, 0, 1000000);
    controller->reject_unknown_keys();
  }
  node.reject_unknown_keys();
  return c;
}

Json to_json(const HardwareConfig& config) {
  const MacArrayConfig& a = config.mac_array;
  return Json{{"clock_mhz", config.clock_mhz},
              {"buffers", to_json(config.buffers)},
              {"dram", to_json(config.dram)},
              {"controller", {{"reconfig_cycles", config.controller.reconfig_cycles}}},
              {"vector_unit", to_json(config.vector_unit)},
              {"mapper", to_json(config.mapper)},
              {"energy",
               {{"table", config.energy.table},
                {"mac_convention", config.energy.mac_convention},
                {"dram_type", config.energy.dram_type},
                {"idle_clock_gating", config.energy.idle_clock_gating},
                {"sram",
                 {{"source", config.energy.sram.source},
                  {"node_nm", config.energy.sram.node_nm},
                  {"corner", config.energy.sram.corner},
                  {"leakage", config.energy.sram.leakage},
                  {"allow_extrapolation", config.energy.sram.allow_extrapolation}}}}},
              {"mac_array",
               {{"rows", a.rows},
                {"cols", a.cols},
                {"dataflow", to_string(a.dataflow)},
                {"pe_kind", to_string(a.pe_kind)},
                {"fixed_width_bits", a.fixed_width_bits},
                {"pipelined_folds", a.pipelined_folds},
                {"accumulator_bits", a.accumulator_bits}}}};
}

}  // namespace qtsim
