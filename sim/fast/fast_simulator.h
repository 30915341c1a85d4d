#pragma once
// Fast mode (DESIGN.md section 5; sim/fast/README.md): the statistics of
// reference mode's simulate_jobs() (sim/reference/reference_top.h) computed
// without simulating cycle by cycle and without operand values.
//
// Contract: for the same hardware and jobs, every field of FastRun equals the
// field of the same name of JobsSimulation, exactly, except the two that
// depend on operand values: ArrayStats::overflows (always 0 here) and
// JobResult::c (always empty). tests/unit/fast_*_test.cpp check this field by
// field against reference mode. Configuration errors (a width the PE kind
// cannot run, buffers too small for one tile) are the same qtsim::Error.
//
// How: PrecisionController's sequencing (loads issued one tile ahead, waits
// for loads and for the store two output blocks back, reconfigurations,
// vector operations, transfer jobs, the final store drain) is replayed at
// event level in controller cycles (fast_simulator.cpp), the DMA channel per
// transfer (dram_channel.h), and each tile's array cycles, port stalls and
// buffer reads come from a closed form (tile_model.h), computed once per
// distinct tile; the port-free buffer words (fills, output writes, stores,
// transfers) are counted per use with the reference's own functions.
#include <cstdint>
#include <vector>

#include "hw_models/controller/precision_controller.h"
#include "hw_models/hardware_config.h"
#include "hw_models/memory/dma.h"
#include "sim/fast/fast_job.h"
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
  FastRun run(const std::vector<FastJob>& jobs);
  const TileMemo& memo() const { return memo_; }

 private:
  HardwareConfig hardware_;
  TileMemo memo_;
};

FastRun simulate_jobs_fast(const HardwareConfig& hardware, const std::vector<FastJob>& jobs);

}  // namespace qtsim
