#pragma once
// What the precision controller reports for a run of jobs, in either mode:
// per job (JobResult) and for the whole run (ControllerStats). Fast mode
// reports every field reference mode does, equal field by field, except the
// two that depend on operand values: ArrayStats::overflows and JobResult::c
// (docs/fidelity.md).
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/stats.h"
#include "hw_models/controller/cycle_breakdown.h"
#include "hw_models/mac_array/systolic_array.h"
#include "hw_models/memory/tiler.h"
#include "hw_models/pe/pe_mode.h"
#include "hw_models/sram/sram_buffer.h"
#include "hw_models/vector_unit/vector_unit.h"

namespace qtsim {

// Words a job read and wrote in one buffer (granted edge reads and port-free
// accesses alike, as counted in ControllerStats::buffers).
struct BufferWords {
  std::int64_t reads_words = 0, writes_words = 0;
};

// What one job did. Cycles are attributed to the job during which they
// passed: its reconfiguration (before it), its load, store and port stalls,
// its compute (or vector) cycles; a transfer read's wait is its load stall.
// The wait for the run's last stores and transfer writes (store_drain)
// belongs to no job, so the jobs' cycles plus the run's store_drain add up
// to ControllerStats::cycles.
struct JobStats {
  CycleBreakdown causes;  // store_drain always 0
  std::int64_t tiles = 0;
  ArrayStats array;  // summed over the job's tiles
  // Useful (packed) bytes of the DMA transfers the job issued.
  std::int64_t dram_read_bytes = 0, dram_write_bytes = 0;
  // The bytes that must cross DRAM if every tensor moves exactly once: a
  // GEMM's A, B and C tensors (TensorGemm::a_values() etc.) at their widths,
  // C at the accumulator width; a transfer's bytes.
  std::int64_t compulsory_dram_bytes = 0;
  // Words the job moved in each buffer, indexed by Operand: summed over the
  // jobs they are ControllerStats::buffers' reads_words and writes_words.
  std::array<BufferWords, kOperands.size()> buffer_words;
  BufferWords& buffer(Operand o) { return buffer_words[static_cast<std::size_t>(o)]; }
  const BufferWords& buffer(Operand o) const { return buffer_words[static_cast<std::size_t>(o)]; }
  std::int64_t cycles() const { return causes.total(); }
};

struct JobResult {
  PeMode mode;                  // a vector operation or transfer: default
  TilePlan tiles;               // a vector operation or transfer: no tiles
  std::vector<std::int64_t> c;  // M x N at the accumulator width; reference mode's GEMMs only
  JobStats stats;
};

struct ControllerStats {
  std::int64_t cycles = 0;  // from the run's start to its last store; equals causes.total()
  CycleBreakdown causes;
  std::int64_t reconfigurations = 0;
  std::int64_t tiles = 0;
  ArrayStats array;                      // summed over every tile
  std::map<Operand, SramStats> buffers;  // all four buffers' reads and writes, per bank
  std::map<std::string, VectorOpStats> vector_ops;
};

// The run's statistics for reports: cycles in total and by cause, switches, tiles.
StatGroup controller_stat_group(const ControllerStats& stats);
// Cycles by cause under their plain names, and their total ("total"), as
// `component`.
StatGroup cycle_stat_group(const CycleBreakdown& cycles, std::string component);

}  // namespace qtsim
