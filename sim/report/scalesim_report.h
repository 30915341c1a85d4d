#pragma once
// SCALE-Sim's per-layer reports (v2: COMPUTE_REPORT.csv and the SRAM columns
// of DETAILED_ACCESS_REPORT.csv), computed from qtsim's fold plan of the
// layer's whole GEMM (hw_models/mac_array/fold_plan.h), for `qtsim layers`
// (README "Coming from SCALE-Sim"; the conventions in docs/fidelity.md).
// Plain C++, no SystemC.
//
// SCALE-Sim's conventions, kept so that its files and these `diff` clean:
// the layer's GEMM is mapped whole (no tiling; operands always in SRAM), its
// cycles are numbered from 0 (Total Cycles = the folds' cycles - 1), every
// fold costs a full fold's cycles, the os output writes include R + C per
// fold (SCALE-Sim counts its padded tile's edge), reads count the output
// rows that read past the input's edge (the ceil rule of
// workloads/topology/scalesim_topology.h), folds run column fold outer, and
// the input-stationary dataflow (`is`) is weight stationary on the
// transposed GEMM. Stall Cycles are 0: SCALE-Sim stalls only when its
// prefetch buffers miss, which qtsim does not model (its own memory model's
// stalls are in layers.csv). Numbers print as Python prints them.
//
// Holds only where a PE does one product per cycle (8 x 8 bits on Bit Fusion,
// a fixed PE at its native width) and folds do not overlap: scalesim_rows()
// throws Error otherwise, naming what differs.
#include <cstdint>
#include <string>
#include <vector>

#include "hw_models/config/hardware_config.h"
#include "workloads/topology/scalesim_topology.h"

namespace qtsim {

struct ScaleSimRow {
  std::int64_t total_cycles = 0;
  double overall_util_percent = 0, mapping_efficiency_percent = 0, compute_util_percent = 0;
  std::int64_t ifmap_start = 0, ifmap_stop = 0, ifmap_reads = 0;
  std::int64_t filter_start = 0, filter_stop = 0, filter_reads = 0;
  std::int64_t ofmap_start = 0, ofmap_stop = 0, ofmap_writes = 0;
};

// `dataflow`: "os", "ws" or "is". `hardware` gives the array (rows, cols, PE
// kind) at a_bits x b_bits.
ScaleSimRow scalesim_row(const TopologyLayer& layer, const std::string& dataflow, const HardwareConfig& hardware,
                         int a_bits, int b_bits);

// The files, byte for byte in SCALE-Sim's layout (", " separators, a trailing
// comma, Python's float repr).
std::string compute_report_csv(const std::vector<ScaleSimRow>& rows);
std::string sram_report_csv(const std::vector<ScaleSimRow>& rows);

// Python's repr() of a double: the shortest digits that round-trip, fixed
// notation for 1e-4 <= |x| < 1e16, else d.ddde+XX; integral values end in .0.
std::string python_float_repr(double value);

}  // namespace qtsim
