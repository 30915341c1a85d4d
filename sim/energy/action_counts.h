#pragma once
// ActionCounts: everything the accelerator did that costs energy, as counts
// only (docs/conventions.md: timing counts, the energy model prices). Additive:
// the replay builds one per job, sums them per (phase, precision group) with
// operator+=, and prices each sum with price() (energy_model.h).
//
// Built from what the timing models report (hw_models/controller/controller_stats.h):
//  - job_actions(): one job (a GEMM, a vector operation or a DMA transfer) of
//    a run, from its Job (its kind; the vector operation and its
//    elements; the transfer's bytes and direction) and its JobResult (PE
//    mode, tile plan, JobStats);
//  - run_actions(): a whole run of the controller: every job, plus the wait
//    for the last stores (ControllerStats::store_drain_cycles), so that its
//    cycles equal ControllerStats::cycles and its DRAM bytes the DMA's
//    burst-rounded bytes.
// What is counted, per job (sim/energy/README.md, "Action counts"):
//  - per PE mode (kind, requested and run widths): PE-active cycles, PE-idle
//    cycles (array cycles x R x C - active), algorithmic products (MACs) and
//    executed products (active cycles x pack);
//  - bits latched into the array's edge registers (one element per edge read);
//  - SRAM words read and written per buffer: JobStats::buffer_words, i.e.
//    every word the controller counted in the buffers for the job, once: the
//    array's edge reads and output writes/reads, the DMA's fills (a tile's
//    A/B words when loaded), the store of each finished C tile (its words
//    read out), and a transfer's words;
//  - DRAM bytes read and written, rounded up to whole bursts as the channel moves them;
//  - vector-unit operations and elements, per operation name;
//  - reconfigurations of the array (the controller's rule: the run widths change);
//  - cycles (for static power).
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "hw_models/config/hardware_config.h"
#include "hw_models/controller/controller_stats.h"
#include "hw_models/controller/job.h"

namespace qtsim {

// A precision mode of the array, as the PE ran it (pe_mode.h).
struct MacMode {
  std::string pe_kind;
  int a_bits = 8, b_bits = 8;          // requested
  int a_run_bits = 8, b_run_bits = 8;  // after promotion
  int a_chunk_bits = 8, b_chunk_bits = 8;
  int pack = 1;
  std::string label() const;  // "8x8", or "3x5 (run 4x8)"
  bool operator<(const MacMode& o) const { return fields() < o.fields(); }
  bool operator==(const MacMode& o) const { return fields() == o.fields(); }

 private:
  std::tuple<const std::string&, int, int, int, int, int, int, int> fields() const {
    return std::tie(pe_kind, a_bits, b_bits, a_run_bits, b_run_bits, a_chunk_bits, b_chunk_bits, pack);
  }
};
MacMode mac_mode(const MacArrayConfig& array, const PeMode& mode);

struct MacModeCounts {
  std::int64_t pe_active_cycles = 0;  // PE-cycles with an element (every other PE-cycle of the run is idle)
  std::int64_t macs = 0;              // algorithmic products (M x K x N)
  std::int64_t executed_macs = 0;     // product slots used: active cycles x pack
  MacModeCounts& operator+=(const MacModeCounts& o);
};

struct SramCounts {
  std::int64_t read_words = 0, write_words = 0;
};

struct VectorOpCounts {
  std::int64_t operations = 0, elements = 0;
};

struct ActionCounts {
  std::map<MacMode, MacModeCounts> mac_modes;
  std::int64_t edge_register_bits = 0;
  std::array<SramCounts, kOperands.size()> buffers;        // indexed by Operand
  std::int64_t dram_read_bytes = 0, dram_write_bytes = 0;  // burst-rounded
  std::map<std::string, VectorOpCounts> vector_ops;
  std::int64_t reconfigurations = 0;
  std::int64_t cycles = 0;

  ActionCounts& operator+=(const ActionCounts& o);
  SramCounts& buffer(Operand o) { return buffers[static_cast<std::size_t>(o)]; }
  const SramCounts& buffer(Operand o) const { return buffers[static_cast<std::size_t>(o)]; }
  std::int64_t macs() const;              // algorithmic, over all modes
  std::int64_t executed_macs() const;     // over all modes
  std::int64_t pe_active_cycles() const;  // over all modes
};

// One job. `reconfigured`: the array was switched to this job's mode before
// it (see reconfigures(); always false for a vector operation).
ActionCounts job_actions(const HardwareConfig& hardware, const Job& job, const JobResult& result, bool reconfigured);
// A whole run: `jobs` and `results` as given to and returned by the controller.
ActionCounts run_actions(const HardwareConfig& hardware, const std::vector<Job>& jobs,
                         const std::vector<JobResult>& results, const ControllerStats& stats);

}  // namespace qtsim
