#pragma once
// TileSequencer: the precision controller's order of work, written once, in
// plain C++ (docs/hardware_model.md, "Controller"). Both modes drive it:
// reference mode from the SystemC PrecisionController, whose backend waits on
// the clock and on the memory system's events; fast mode from
// FastSimulator (sim/fast/), whose backend advances a cycle counter by closed
// forms. The sequence, per job in list order:
//   - a GEMM: planned (pe_mode(), plan_tiles()); if its run widths differ from
//     the previous GEMM's, the array is reconfigured first
//     (controller.reconfig_cycles; reconfigures(), pe_mode.h); then, with
//     double buffering, the DMA loads tile i + 1 (A before B) into the free
//     halves while the array computes tile i; before tile i the sequencer
//     waits for its loads (load stall) and, when tile i starts an output
//     block, for the store of the block two blocks back, whose output half it
//     reuses (store stall); partial sums of K tiles accumulate in the output
//     buffer, and a finished block is stored to DRAM at the accumulator width;
//   - a vector operation: the vector unit, ceil(elements / lanes) cycles;
//   - a transfer: a read is waited for (load stall), a write is not;
// and at the end the wait for every store and transfer write (store drain).
// Cycle accounting is exact: the run's cycles are the sum of its causes
// (cycle_breakdown.h), the controller spending none of its own.
//
// Buffer words (ControllerStats::buffers, per bank; hw_models/memory/
// README.md, "Words per buffer and bank"): the array's edge reads are the
// backend's (arbitrated per cycle in reference mode); every other access is
// counted, not arbitrated, through SequencerBackend::count_words:
//   - the n-th DMA fill of a buffer in the run (fills of A and B count
//     together when they share the buffer) writes the tile part's words into
//     half n mod 2, which starts at word 0 or floor(capacity_words / 2);
//   - output block b of the run (b = 0, 1, ...: the blocks stored so far when
//     it starts) lives in output half b mod 2: each of its tiles writes its
//     ArrayStats::out_write_words and reads back its out_read_words from that
//     half's base, and the store reads the block's Tile::c_words from there;
//   - a transfer writes (read) or reads (write) its words_for(bytes, 8 bits)
//     words from word 0 of its buffer;
// all as consecutive words from that address, wrapping at the buffer's end.
#include <array>
#include <cstdint>
#include <vector>

#include "hw_models/config/hardware_config.h"
#include "hw_models/controller/controller_stats.h"
#include "hw_models/controller/job.h"

namespace qtsim {

// A GEMM's PE mode and tile plan on `hardware`; an Error when the PE kind
// cannot run its widths or one tile does not fit the buffers.
struct JobPlan {
  PeMode mode;
  TilePlan tiles;
};
JobPlan plan_job(const HardwareConfig& hardware, const Job& gemm);

// One tile to compute, as the sequencer hands it to the backend.
struct TileStep {
  const Job& job;
  const PeMode& mode;
  const Tile& tile;
  JobResult& result;  // reference mode accumulates C here
};

// What the sequencer needs of the hardware it drives. Handles of transfers
// are the backend's; kNoTransfer stands for none.
class SequencerBackend {
 public:
  static constexpr std::int64_t kNoTransfer = -1;
  virtual ~SequencerBackend() = default;
  virtual std::int64_t now() const = 0;  // cycles
  // Starts a DMA transfer now and returns its handle.
  virtual std::int64_t issue(Operand buffer, DmaDirection direction, std::int64_t bytes) = 0;
  // Waits until the transfer is done (at once for kNoTransfer or a done one).
  virtual void wait_for(std::int64_t transfer) = 0;
  // Lets `cycles` clock cycles pass.
  virtual void idle(std::int64_t cycles) = 0;
  // Runs one tile on the array and returns its statistics (its edge reads
  // are counted in the buffers by the backend).
  virtual const ArrayStats& compute(const TileStep& step) = 0;
  // Counts a port-free access of `words` consecutive words from `address`.
  virtual void count_words(Operand buffer, SramAccess kind, std::int64_t address, std::int64_t words) = 0;
};

class TileSequencer {
 public:
  TileSequencer(const HardwareConfig& hardware, SequencerBackend& backend);
  // Runs `jobs` in order and waits for the last stores; ControllerStats'
  // buffers and vector_ops are the caller's to fill (they live in the backend
  // and the vector unit).
  void run(const std::vector<Job>& jobs);
  const ControllerStats& stats() const { return stats_; }
  ControllerStats& stats() { return stats_; }
  std::vector<JobResult>& results() { return results_; }
  const VectorUnit& vector_unit() const { return vector_unit_; }

 private:
  struct Loads {
    std::int64_t a = SequencerBackend::kNoTransfer, b = SequencerBackend::kNoTransfer;
  };
  void gemm(const Job& job);
  void vector(const Job& job);
  void transfer(const Job& job);
  void reconfigure_for(const PeMode& mode, JobStats& js);
  Loads load(const Job& job, const Tile& tile, JobStats& js);
  void compute(const Job& job, const PeMode& mode, const Tile& tile, JobResult& result);
  // Waits for `transfer`, charging the cycles waited to `cause` (run and job).
  void wait(std::int64_t transfer, std::int64_t CycleBreakdown::*cause, JobStats* js);
  void count(Operand buffer, SramAccess kind, std::int64_t address, std::int64_t words, JobStats& js);
  std::int64_t half_base(Operand buffer, std::int64_t half) const;

  const HardwareConfig& hw_;
  SequencerBackend& backend_;
  VectorUnit vector_unit_;
  ControllerStats stats_;
  std::vector<JobResult> results_;
  bool have_mode_ = false;
  PeMode mode_;
  std::vector<std::int64_t> stores_;                    // the store of each finished output block
  std::vector<std::int64_t> transfer_writes_;           // transfer jobs' writes, waited for by the drain only
  std::array<std::int64_t, kOperands.size()> fills_{};  // DMA fills of each buffer so far
};

}  // namespace qtsim
