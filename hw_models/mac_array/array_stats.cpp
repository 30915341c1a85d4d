#include "hw_models/mac_array/array_stats.h"

namespace qtsim {

StatGroup array_stat_group(const ArrayStats& s, const MacArrayConfig& array, const PeMode& mode) {
  const std::int64_t pes = static_cast<std::int64_t>(array.rows) * array.cols;
  StatGroup g{"mac_array", {}};
  g.add("cycles", s.cycles, "cycles", "cycles from the GEMM's first injection (ws: its first preload) to its end")
      .add("folds", s.folds, "folds", "folds of the GEMM on the array")
      .add("pe_active_cycles", s.pe_active_cycles, "pe_cycles", "PE-cycles that processed a stream element")
      .add("utilisation", s.cycles ? static_cast<double>(s.pe_active_cycles) / static_cast<double>(s.cycles * pes) : 0.0,
           "fraction", "pe_active_cycles / (cycles x PEs)")
      .add("macs", s.macs, "macs", "products of the GEMM completed")
      .add("products_" + std::to_string(mode.a_run_bits) + "x" + std::to_string(mode.b_run_bits), s.macs, "macs",
           "products at the precision pair the PEs ran (after promotion)")
      .add("weight_loads", s.weight_loads, "weights", "ws: weight values entering the array at its top edge (R x C per fold)")
      .add("accumulator_overflows", s.overflows, "accumulations", "accumulations that wrapped at the accumulator width");
  return g;
}

}  // namespace qtsim
