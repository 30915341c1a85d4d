#pragma once
// `qtsim gemm`: one GEMM C (M x N) = A (M x K) * B (K x N), A held at a_bits
// and B at b_bits, simulated cycle by cycle on the configured hardware
// (reference mode; SCALE-Sim's GEMM mode). Operands are seeded random
// integers over the full range of their widths; the array's result is checked
// against a plain integer GEMM of the same operands. The job prints a short
// table and writes an output folder: config.json (hardware and GEMM),
// stats.json (every statistic with its unit, per component, and the `energy`
// group: the run's action counts priced by the energy model, sim/energy/),
// energy.csv (energy per component) and energy_provenance.json (the table, its
// node, and every entry used with its source).
#include <cstdint>
#include <ostream>
#include <string>

#include "base/json_node.h"
#include "hw_models/config/hardware_config.h"

namespace qtsim {

struct GemmRequest {
  static constexpr std::int64_t kMaxDim = std::int64_t{1} << 31;
  std::int64_t m = 0, k = 0, n = 0;
  int a_bits = 8;
  int b_bits = 8;
  std::uint64_t seed = 1;
  std::string output_dir = "qtsim_gemm_out";
  std::string vcd_path;                 // empty: no waveform
  std::int64_t memory_limit_bytes = 0;  // 0: the machine's physical memory
};

// Throws Error naming the option (--m, --a-bits, ...), the value and the range;
// also checks, before any work, that --out and --vcd may be written
// (output_folder.h, output_file.h) and that the operands fit the memory limit.
void validate_gemm_request(const GemmRequest& request);
// Bytes the job allocates: A and B as 32-bit values, C as 64-bit.
double gemm_memory_bytes(const GemmRequest& request);

struct GemmFigures {
  std::int64_t macs = 0;
  std::int64_t bitops = 0;   // MACs x a_bits x b_bits
  std::int64_t a_bytes = 0;  // A packed at a_bits, rounded up to whole bytes
  std::int64_t b_bytes = 0;
  std::int64_t c_elements = 0;
};

GemmFigures gemm_figures(const GemmRequest& request);

// Simulates, checks, writes the output folder and prints the table.
void run_gemm_job(const GemmRequest& request, const HardwareConfig& hardware, std::ostream& out);

}  // namespace qtsim
