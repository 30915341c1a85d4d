#pragma once
// `qtsim gemm`: one GEMM C (M x N) = A (M x K) * B (K x N), A held at a_bits
// and B at b_bits, on the configured hardware (SCALE-Sim's GEMM mode). In
// reference mode (the default) it is simulated cycle by cycle: operands are
// seeded random integers over the full range of their widths and the array's
// result is checked against a plain integer GEMM of the same operands. In fast
// mode the same statistics come from the closed forms (sim/fast/), without
// operand values, so nothing is checked and no waveform exists. The job prints a short
// table and writes an output folder: config.json (hardware and GEMM),
// stats.json (every statistic with its unit, per component, and the `energy`
// group: the run's action counts priced by the energy model, sim/energy/),
// energy.csv (energy per component) and energy_provenance.json (the table, its
// node, and every entry used with its source).
#include <cstdint>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "base/json_node.h"
#include "base/stats.h"
#include "hw_models/config/hardware_config.h"
#include "hw_models/controller/controller_stats.h"
#include "hw_models/controller/job.h"
#include "hw_models/mac_array/systolic_array.h"
#include "hw_models/memory/dma.h"
#include "hw_models/pe/pe_mode.h"
#include "sim/energy/energy_model.h"
#include "sim/energy/energy_table.h"

namespace qtsim {

struct GemmRequest {
  static constexpr std::int64_t kMaxDim = std::int64_t{1} << 31;
  std::int64_t m = 0, k = 0, n = 0;
  int a_bits = 8;
  int b_bits = 8;
  std::uint64_t seed = 1;
  std::string output_dir = "qtsim_gemm_out";
  bool fast = false;                    // fast mode: closed forms, no operand values
  std::string vcd_path;                 // empty: no waveform (reference mode only)
  std::int64_t memory_limit_bytes = 0;  // 0: the machine's physical memory
};

// Throws Error naming the option (--m, --a-bits, ...), the value and the range;
// also checks, before any work, that --vcd may be written (output_file.h) and
// that the operands fit the memory limit. run_gemm_job checks --out.
void validate_gemm_request(const GemmRequest& request);
// Bytes the job allocates: A and B as 32-bit values, C as 64-bit (reference
// mode; fast mode allocates none of them).
double gemm_memory_bytes(const GemmRequest& request);

struct GemmFigures {
  std::int64_t macs = 0;
  std::int64_t bitops = 0;   // MACs x a_bits x b_bits
  std::int64_t a_bytes = 0;  // A packed at a_bits, rounded up to whole bytes
  std::int64_t b_bytes = 0;
  std::int64_t c_elements = 0;
};

GemmFigures gemm_figures(const GemmRequest& request);

// Seeded random operands over the full range of their widths (reference mode's).
GemmOperands random_operands(const GemmDims& dims, int a_bits, int b_bits, std::uint64_t seed);

// The statistics groups of simulated jobs (controller, mac_array, buffers,
// banks, dma, energy, area: stats.json's components after `gemm`), their
// energy and the energy-table entries used. `results` is non-empty; the PE
// mode and buffer names are the first job's. `qtsim layers` shares it.
struct PricedJobs {
  std::vector<StatGroup> groups;
  EnergyBreakdown energy;
  std::set<std::string> entries_used;
};
PricedJobs price_jobs(const HardwareConfig& hardware, const EnergyTable& table, const std::vector<Job>& jobs,
                      const std::vector<JobResult>& results, const ControllerStats& controller, const DmaStats& dma);

// What the job computes, before anything is written: config.json's document,
// the statistics groups (stats.json), energy.csv and energy_provenance.json.
struct GemmReport {
  PeMode mode;
  Json config;
  std::vector<StatGroup> groups;
  std::string energy_csv;
  Json energy_provenance;
  std::string table_reference;  // the energy table, for the printed table
};
// Checks the request (not its output folder), simulates and prices the GEMM.
GemmReport compute_gemm(const GemmRequest& request, const HardwareConfig& hardware);

// Checks --out, computes, writes the output folder and prints the table.
void run_gemm_job(const GemmRequest& request, const HardwareConfig& hardware, std::ostream& out);

}  // namespace qtsim
