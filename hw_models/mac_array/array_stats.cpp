#include "hw_models/mac_array/array_stats.h"

namespace qtsim {

StatGroup array_stat_group(const ArrayStats& s, const MacArrayConfig& array, const PeMode& mode) {
  const std::int64_t pes = static_cast<std::int64_t>(array.rows) * array.cols;
  StatGroup g{"mac_array", {}};
  g.add("cycles", s.cycles, "cycles", "cycles from the GEMM's first injection (ws: its first preload) to its end")
      .add("folds", s.folds, "folds", "folds of the GEMM on the array")
      .add("pe_active_cycles", s.pe_active_cycles, "pe_cycles", "PE-cycles that processed a stream element")
      .add("utilisation",
           s.cycles ? static_cast<double>(s.pe_active_cycles) / static_cast<double>(s.cycles * pes) : 0.0, "fraction",
           "pe_active_cycles / (cycles x PEs)")
      .add("macs", s.macs, "macs", "products of the GEMM completed")
      .add("products_" + std::to_string(mode.a_run_bits) + "x" + std::to_string(mode.b_run_bits), s.macs, "macs",
           "products at the precision pair the PEs ran (after promotion)")
      .add("weight_loads", s.weight_loads, "weights",
           "ws: weight values entering the array at its top edge (R x C per fold)")
      .add("accumulator_overflows", s.overflows, "accumulations",
           "accumulations that wrapped at the accumulator width");
  return g;
}

StatGroup buffer_stat_group(const ArrayStats& s, const std::string& a_buffer, const std::string& b_buffer) {
  StatGroup g{"buffers", {}};
  g.add(a_buffer + "_reads", s.a_read_words, "words", "A operand vectors read at the array's left edge")
      .add(a_buffer + "_read_elements", s.a_read_elements, "elements", "stream elements of A read")
      .add(b_buffer + "_reads", s.b_read_words, "words", "B operand vectors read (os: top edge; ws: weight preload)")
      .add(b_buffer + "_read_elements", s.b_read_elements, "elements", "stream elements of B read")
      .add("output_writes", s.out_write_words, "words", "output rows written at the accumulator width")
      .add("output_write_values", s.out_write_values, "values", "outputs written")
      .add("output_reads", s.out_read_words, "words", "partial sums read back to accumulate onto")
      .add("output_read_values", s.out_read_values, "values", "partial sums read back");
  return g;
}

}  // namespace qtsim
