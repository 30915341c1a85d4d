#pragma once
// Reference mode: the true per-cycle SystemC model of the accelerator.
//
// simulate_gemm() runs one GEMM C = A B on the configured hardware, cycle by
// cycle, and returns its cycle count, statistics and the array's integer
// results. The SystemC kernel can elaborate only once per process, so the
// top-level modules (clock, MAC array, controller) are built on the first
// call and reused by later ones: every structural parameter (array size, PE
// kind, dataflow) is plain C++ configuration read at each GEMM's start, so one
// elaborated top serves any hardware configuration. Waveforms (VCD) can only
// be requested on the first call of a process (the trace file must exist
// before the kernel starts); the waveform's time unit is 1 ns per cycle.
#include <cstdint>
#include <string>
#include <vector>

#include "hw_models/hardware_config.h"
#include "hw_models/mac_array/systolic_array.h"

namespace qtsim {

struct GemmSimulation {
  PeMode mode;
  ArrayStats array;
  std::int64_t cycles = 0;
  std::vector<std::int64_t> result;  // C, M x N, at the accumulator width
};

struct ReferenceOptions {
  std::string vcd_path;  // empty: no waveform
};

GemmSimulation simulate_gemm(const HardwareConfig& hardware, const GemmOperands& operands,
                             const ReferenceOptions& options = {});

}  // namespace qtsim
