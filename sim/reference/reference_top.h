#pragma once
// Reference mode: the true per-cycle SystemC model of the accelerator.
//
// simulate_gemm() runs one GEMM C = A B on the configured hardware, cycle by
// cycle (A from the activation buffer, B from the weight buffer, C to the
// output buffer, through the DMA from DRAM and back), and returns its cycle
// counts by cause, statistics and the array's integer results. The SystemC kernel can elaborate only once per process,
// so the top-level modules (clock, MAC array, controller) are built on the first call and reused by later ones: every
// structural parameter (array size, PE kind, dataflow) is plain C++ configuration read at each GEMM's start, so one
// elaborated top serves any hardware configuration. Waveforms (VCD) can only
// be requested on the first call of a process (the trace file must exist
// before the kernel starts); the waveform's time unit is 1 ns per cycle.
#include <cstdint>
#include <string>
#include <vector>

#include "hw_models/config/hardware_config.h"
#include "hw_models/controller/controller_stats.h"
#include "hw_models/controller/job.h"
#include "hw_models/mac_array/systolic_array.h"
#include "hw_models/memory/dma.h"

namespace qtsim {

struct GemmSimulation {
  PeMode mode;
  TilePlan tiles;
  ControllerStats controller;  // cycles by cause, and the array's statistics summed over the tiles
  DmaStats dma;
  std::vector<std::int64_t> result;  // C, M x N, at the accumulator width
};

// Closes the waveform file of --vcd (written as the simulation runs), so that
// it is complete on disk; also run at exit. Does nothing without a waveform.
void close_waveform();

struct ReferenceOptions {
  std::string vcd_path;  // empty: no waveform
};

GemmSimulation simulate_gemm(const HardwareConfig& hardware, const GemmOperands& operands,
                             const ReferenceOptions& options = {});

// A sequence of jobs (GEMMs, e.g. the precision groups of one layer, vector
// operations, DMA transfers), run back to back by the precision controller;
// per-job results, totals over the run. Every GEMM must carry its operand
// values (Job::values).
struct JobsSimulation {
  std::vector<JobResult> jobs;
  ControllerStats controller;
  DmaStats dma;
};
JobsSimulation simulate_jobs(const HardwareConfig& hardware, const std::vector<Job>& jobs,
                             const ReferenceOptions& options = {});

}  // namespace qtsim
