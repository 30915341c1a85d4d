#pragma once
// PrecisionController: the SystemC module that runs a list of jobs on the
// accelerator in reference mode, cycle by cycle. What it does and in which
// order is the TileSequencer's (tile_sequencer.h), written once for both
// modes; this module is the sequencer's clocked backend: it waits on the clock
// for reconfigurations and vector work, on the memory system's events for
// transfers, and on the MAC array's `done` for tiles, whose edge reads go
// through the banks and ports of the buffers (sram_buffer.h), stalling when a
// read is not granted in full.
#include <map>
#include <memory>
#include <vector>

#include <systemc>

#include "hw_models/config/hardware_config.h"
#include "hw_models/controller/tile_sequencer.h"
#include "hw_models/mac_array/mac_array.h"
#include "hw_models/memory/memory_system.h"

namespace qtsim {

class PrecisionController : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk;
  sc_core::sc_event finished;

  SC_HAS_PROCESS(PrecisionController);
  // `period`: the clock period, to count cycles.
  PrecisionController(const sc_core::sc_module_name& name, MacArray& array, MemorySystem& memory,
                      const sc_core::sc_time& period);

  // Runs `jobs` on `hardware` (both must outlive the run); `finished` fires
  // when the last store has completed.
  void run(const HardwareConfig& hardware, const std::vector<Job>& jobs);
  const ControllerStats& stats() const { return stats_; }
  const std::vector<JobResult>& results() const { return results_; }

 private:
  friend class TileSequencer<PrecisionController>;
  void control();
  // The sequencer's backend (tile_sequencer.h), on the clock.
  JobPlan plan(const Job& gemm) { return plan_job(*hardware_, gemm); }
  std::int64_t now() const;
  std::int64_t issue(Operand buffer, DmaDirection direction, std::int64_t bytes);
  void wait_for(std::int64_t transfer);
  void idle(std::int64_t cycles);
  const ArrayStats& compute(const TileStep& step);
  void count_words(Operand buffer, SramAccess kind, std::int64_t address, std::int64_t words);

  MacArray& array_;
  MemorySystem& memory_;
  sc_core::sc_time period_;
  const HardwareConfig* hardware_ = nullptr;
  const std::vector<Job>* jobs_ = nullptr;
  sc_core::sc_event command_;
  ControllerStats stats_;
  std::vector<JobResult> results_;
  std::map<Operand, std::unique_ptr<SramBuffer>> srams_;
};

}  // namespace qtsim
