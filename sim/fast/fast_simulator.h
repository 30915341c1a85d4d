#pragma once
// Fast mode (docs/fidelity.md; sim/fast/README.md): the statistics of
// reference mode's simulate_jobs() (sim/reference/reference_top.h) computed
// without simulating cycle by cycle and without operand values.
//
// Contract: for the same hardware and jobs, every field of FastRun equals the
// field of the same name of JobsSimulation, exactly, except the two that
// depend on operand values: ArrayStats::overflows (always 0 here) and
// JobResult::c (always empty). tests/unit/fast_*_test.cpp check this field by
// field against reference mode. Configuration errors (a width the PE kind
// cannot run, buffers too small for the smallest tile) are the same qtsim::Error.
//
// How: the controller's own TileSequencer (hw_models/controller/
// tile_sequencer.h) runs the jobs against a backend that keeps time as a
// cycle counter: a transfer's completion comes from the DMA channel's closed
// form (dram_channel.h), each tile's array cycles, port stalls and edge reads
// from a closed form computed once per distinct tile (tile_model.h), and the
// port-free buffer words are added per bank once per distinct access.
#include <cstdint>
#include <vector>

#include "hw_models/config/hardware_config.h"
#include "hw_models/controller/controller_stats.h"
#include "hw_models/controller/job.h"
#include "hw_models/controller/tile_sequencer.h"
#include "hw_models/memory/dma.h"
#include "sim/fast/tile_model.h"

namespace qtsim {

struct FastRun {
  std::vector<JobResult> jobs;  // JobResult::c empty
  ControllerStats controller;   // array.overflows 0
  DmaStats dma;
};

// Runs job lists on one hardware configuration, reusing tile costs across
// runs (the memo belongs to the simulator).
class FastSimulator {
 public:
  explicit FastSimulator(const HardwareConfig& hardware) : hardware_(hardware), memo_(hardware) {}
  FastRun run(const std::vector<Job>& jobs);
  const TileMemo& memo() const { return memo_; }

 private:
  HardwareConfig hardware_;
  TileMemo memo_;
  MappingMemo mappings_;  // the mapper's choices, by GEMM
};

FastRun simulate_jobs_fast(const HardwareConfig& hardware, const std::vector<Job>& jobs);

}  // namespace qtsim
