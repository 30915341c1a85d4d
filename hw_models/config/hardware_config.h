#pragma once
// HardwareConfig: the resolved, validated description of one accelerator
// design (docs/hardware_model.md). Parsed from the `hardware` section of a run
// (a file or inline object); every default is a member initialiser below and
// nowhere else. The hardware models (cycle-level MAC array, buffers, DRAM,
// controller) read it; the foundation uses it to validate `qtsim gemm` and to
// record the design in every output folder.
#include <string>
#include <vector>

#include "base/json_node.h"
#include "hw_models/config/mac_array_variants.h"
#include "hw_models/config/mapper_config.h"
#include "hw_models/config/memory_config.h"
#include "hw_models/config/vector_unit_config.h"

namespace qtsim {

struct MacArrayConfig {
  int rows = 16;
  int cols = 16;
  Dataflow dataflow = Dataflow::os;        // mac_array_variants.h
  PeKindId pe_kind = PeKindId::bitfusion;  // what each kind does: hw_models/pe/pe_kind.h
  int fixed_width_bits = 8;                // native operand width of a `fixed` PE
  bool pipelined_folds = false;            // next fold's fill under the previous drain
  int accumulator_bits = 32;               // two's-complement accumulators; wider sums wrap and are reported
};

struct ControllerConfig {
  std::int64_t reconfig_cycles = 16;  // cycles to switch the array to another precision mode
};

// How the energy model prices the actions of this design (sim/energy/README.md).
struct EnergyConfig {
  static inline const std::vector<std::string> kMacConventions = {"per_pe_cycle", "per_product"};
  static inline const std::vector<std::string> kDramTypes = {"lpddr4", "ddr4", "hbm2", "gddr5"};

  // `builtin:<name>` (an embedded table) or a path, resolved against the folder
  // of the file that holds the hardware section.
  std::string table = "builtin:45nm";
  std::string mac_convention = "per_pe_cycle";  // per_pe_cycle (Bit Fusion's) | per_product
  std::string dram_type = "lpddr4";             // selects the table's dram.<type> energy per bit
  // Share of idle PE-cycles (every cycle a PE computes nothing: array fill and
  // drain, stalls, vector work, transfers) whose clock is gated; the rest cost
  // the table's mac_array.idle_pe_cycle fraction of a full PE-cycle.
  double idle_clock_gating = 0.0;
  // How buffers are priced (sim/energy/cacti_table.h): from the CACTI 7 table
  // ("cacti7") at a node and corner, or from the energy table's `sram` points
  // ("table", the earlier model).
  struct Sram {
    static inline const std::vector<std::string> kSources = {"cacti7", "table"};
    static inline const std::vector<std::string> kCorners = {"a", "b", "c", "d"};
    static inline const std::vector<std::string> kLeakage = {"total", "subthreshold"};
    std::string source = "cacti7";
    int node_nm = 45;                  // 45, 32 or 22
    std::string corner = "b";          // a: hp 360 K (pessimistic, Bit Fusion's) ... d: lstp 300 K
    std::string leakage = "total";     // total (subthreshold + gate) | subthreshold (Bit Fusion's sweep)
    bool allow_extrapolation = false;  // price buffers outside the table's grid (marked extrapolated)
  } sram;
};

struct HardwareConfig {
  double clock_mhz = 1000.0;
  MacArrayConfig mac_array;
  BuffersConfig buffers;
  DramConfig dram;
  ControllerConfig controller;
  VectorUnitConfig vector_unit;
  MapperConfig mapper;
  EnergyConfig energy;
};

// Reads a hardware section; `node` is its root. Unknown keys and values out of
// range are errors naming the key path. `base_dir`: the folder of the file
// holding the section, against which a relative energy.table path is resolved
// ("" leaves it as written, i.e. relative to the current folder).
HardwareConfig parse_hardware_config(const JsonNode& node, const std::string& base_dir = "");
Json to_json(const HardwareConfig& config);

}  // namespace qtsim
