#pragma once
// TileSequencer: the precision controller's order of work, written once, in
// plain C++ (docs/hardware_model.md, "Controller"). Both modes drive it:
// reference mode from the SystemC PrecisionController, its backend, which
// waits on the clock and on the memory system's events; fast mode from
// FastSimulator (sim/fast/), whose backend advances a cycle counter by closed
// forms. The backend is a template parameter, so that fast mode's calls
// inline (a virtual call per fill, store and tile cost fast mode about 15%). The sequence, per job in list order:
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
// counted, not arbitrated, through the backend's count_words:
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
#include <map>
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
// The mapper's choices by GEMM (gemm_key()), for one hardware configuration:
// fast mode keeps one across a run, since the same GEMMs recur.
using MappingMemo = std::map<GemmKey, Mapping>;
// `memo` (may be null) is looked up and filled for GEMMs without Job::mapping.
JobPlan plan_job(const HardwareConfig& hardware, const Job& gemm, MappingMemo* memo = nullptr);
// Where a GEMM's blocks live on `hardware` in `mode`, with the array's units
// (os: M rows, K pack, N columns; ws: M 1, K rows x pack, N columns).
GemmStorage gemm_storage(const HardwareConfig& hardware, const Job& gemm, const PeMode& mode);

// One tile to compute, as the sequencer hands it to the backend.
struct TileStep {
  const Job& job;
  const PeMode& mode;
  const Tile& tile;
  JobResult& result;  // reference mode accumulates C here
};

// A GEMM's compulsory DRAM bytes (JobStats::compulsory_dram_bytes).
std::int64_t compulsory_bytes(const Job& gemm, int accumulator_bits);

// No transfer: a handle the backends' wait_for() returns from at once.
inline constexpr std::int64_t kNoTransfer = -1;

// TileSequencer<Backend>: `Backend` provides, in cycles of the controller's clock,
//   JobPlan plan(const Job& gemm);  plan_job(), with or without a memo
//   std::int64_t now() const;
//   std::int64_t issue(Operand buffer, DmaDirection direction, std::int64_t bytes);
//       starts a DMA transfer now and returns its handle (never kNoTransfer);
//   void wait_for(std::int64_t transfer);  until it is done (at once for kNoTransfer or a done one)
//   void idle(std::int64_t cycles);        lets `cycles` clock cycles pass
//   const ArrayStats& compute(const TileStep& step);
//       runs one tile on the array; its edge reads are counted in the buffers by the backend
//   void count_words(Operand buffer, SramAccess kind, std::int64_t address, std::int64_t words);
//       counts a port-free access of `words` consecutive words from `address`
template <typename Backend>
class TileSequencer {
 public:
  TileSequencer(const HardwareConfig& hardware, Backend& backend)
      : hw_(hardware), backend_(backend), vector_unit_(hardware.vector_unit) {}
  // Runs `jobs` in order and waits for the last stores; ControllerStats'
  // buffers are the caller's to fill (they live in the backend).
  void run(const std::vector<Job>& jobs);
  ControllerStats& stats() { return stats_; }
  std::vector<JobResult>& results() { return results_; }

 private:
  struct Loads {
    std::int64_t a = kNoTransfer, b = kNoTransfer;
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
  std::int64_t half_base(Operand buffer, std::int64_t half) const {
    return half * (hw_.buffers.at(buffer).capacity_words() / 2);
  }

  const HardwareConfig& hw_;
  Backend& backend_;
  VectorUnit vector_unit_;
  ControllerStats stats_;
  std::vector<JobResult> results_;
  bool have_mode_ = false;
  PeMode mode_;
  std::vector<std::int64_t> stores_;                    // the store of each finished output block
  std::vector<std::int64_t> transfer_writes_;           // transfer jobs' writes, waited for by the drain only
  std::array<std::int64_t, kOperands.size()> fills_{};  // DMA fills of each buffer so far
};

template <typename Backend>
void TileSequencer<Backend>::run(const std::vector<Job>& jobs) {
  const std::int64_t start = backend_.now();
  results_.reserve(jobs.size());
  for (const Job& job : jobs) {
    if (job.is_gemm()) {
      gemm(job);
    } else if (job.is_transfer()) {
      transfer(job);
    } else {
      vector(job);
    }
  }
  for (std::int64_t store : stores_) wait(store, &CycleBreakdown::store_drain, nullptr);
  for (std::int64_t write : transfer_writes_) wait(write, &CycleBreakdown::store_drain, nullptr);
  stats_.vector_ops = vector_unit_.stats();
  stats_.cycles = backend_.now() - start;
}

template <typename Backend>
void TileSequencer<Backend>::wait(std::int64_t transfer, std::int64_t CycleBreakdown::*cause, JobStats* js) {
  const std::int64_t before = backend_.now();
  backend_.wait_for(transfer);
  const std::int64_t waited = backend_.now() - before;
  stats_.causes.*cause += waited;
  if (js) js->causes.*cause += waited;
}

template <typename Backend>
void TileSequencer<Backend>::count(Operand buffer, SramAccess kind, std::int64_t address, std::int64_t words,
                                   JobStats& js) {
  backend_.count_words(buffer, kind, address, words);
  BufferWords& b = js.buffer(buffer);
  (kind == SramAccess::read ? b.reads_words : b.writes_words) += words;
}

template <typename Backend>
void TileSequencer<Backend>::vector(const Job& job) {
  const std::int64_t cycles = vector_unit_.run(job.vector_op, job.vector_elements);
  backend_.idle(cycles);
  stats_.causes.vector += cycles;
  results_.emplace_back().stats.causes.vector = cycles;
}

template <typename Backend>
void TileSequencer<Backend>::transfer(const Job& job) {
  JobStats& js = results_.emplace_back().stats;
  const Operand o = job.transfer_operand;
  const std::int64_t words = SramBuffer::words_for(job.transfer_bytes, 8, hw_.buffers.at(o).word_bits);
  const std::int64_t id = backend_.issue(o, job.transfer_direction, job.transfer_bytes);
  js.compulsory_dram_bytes = job.transfer_bytes;
  if (job.transfer_direction == DmaDirection::read) {  // DRAM -> buffer: wait for it
    count(o, SramAccess::write, 0, words, js);
    js.dram_read_bytes += job.transfer_bytes;
    wait(id, &CycleBreakdown::load_stall, &js);
  } else {  // buffer -> DRAM: the final drain waits for it
    count(o, SramAccess::read, 0, words, js);
    js.dram_write_bytes += job.transfer_bytes;
    transfer_writes_.push_back(id);
  }
}

template <typename Backend>
void TileSequencer<Backend>::reconfigure_for(const PeMode& mode, JobStats& js) {
  if (have_mode_ && reconfigures(mode_, mode)) {
    const std::int64_t cycles = hw_.controller.reconfig_cycles;
    backend_.idle(cycles);
    stats_.causes.reconfig += cycles;
    js.causes.reconfig = cycles;
    ++stats_.reconfigurations;
  }
  have_mode_ = true;
  mode_ = mode;
}

// A tile's loads, A before B, each a DMA fill of the next half of its buffer.
template <typename Backend>
typename TileSequencer<Backend>::Loads TileSequencer<Backend>::load(const Job& job, const Tile& t, JobStats& js) {
  Loads ids;
  if (t.load_a) {
    ids.a = backend_.issue(job.a_buffer, DmaDirection::read, t.a_bytes);
    const auto a = static_cast<std::size_t>(job.a_buffer);
    count(job.a_buffer, SramAccess::write, half_base(job.a_buffer, fills_[a]++ % 2), t.a_words, js);
    js.dram_read_bytes += t.a_bytes;
  }
  if (t.load_b) {
    ids.b = backend_.issue(job.b_buffer, DmaDirection::read, t.b_bytes);
    const auto b = static_cast<std::size_t>(job.b_buffer);
    count(job.b_buffer, SramAccess::write, half_base(job.b_buffer, fills_[b]++ % 2), t.b_words, js);
    js.dram_read_bytes += t.b_bytes;
  }
  return ids;
}

template <typename Backend>
void TileSequencer<Backend>::gemm(const Job& job) {
  JobResult& result = results_.emplace_back();
  JobPlan plan = backend_.plan(job);
  reconfigure_for(plan.mode, result.stats);
  result.stats.compulsory_dram_bytes = compulsory_bytes(job, hw_.mac_array.accumulator_bits);
  result.mode = plan.mode;
  result.tiles = std::move(plan.tiles);
  const std::vector<Tile>& tiles = result.tiles.tiles;
  Loads loads = load(job, tiles.front(), result.stats);
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    wait(loads.a, &CycleBreakdown::load_stall, &result.stats);
    wait(loads.b, &CycleBreakdown::load_stall, &result.stats);
    // The output half this block writes was last used two blocks ago (in this run, any job).
    const std::size_t blocks_done = stores_.size();
    if (tiles[i].first_k && blocks_done >= 2) {
      wait(stores_[blocks_done - 2], &CycleBreakdown::store_stall, &result.stats);
    }
    if (i + 1 < tiles.size()) loads = load(job, tiles[i + 1], result.stats);
    compute(job, result.mode, tiles[i], result);
  }
}

template <typename Backend>
void TileSequencer<Backend>::compute(const Job& job, const PeMode& mode, const Tile& t, JobResult& result) {
  JobStats& js = result.stats;
  // The block's output half: block b = the blocks stored so far, in half b mod 2.
  const std::int64_t out_base = half_base(Operand::output, static_cast<std::int64_t>(stores_.size() % 2));
  const ArrayStats& s = backend_.compute(TileStep{job, mode, t, result});
  stats_.causes.compute += s.cycles - s.port_stall_cycles;
  stats_.causes.port_stall += s.port_stall_cycles;
  stats_.array += s;
  ++stats_.tiles;
  js.causes.compute += s.cycles - s.port_stall_cycles;
  js.causes.port_stall += s.port_stall_cycles;
  js.array += s;
  ++js.tiles;
  js.buffer(job.a_buffer).reads_words += s.a_read_words;  // per bank: the backend's
  js.buffer(job.b_buffer).reads_words += s.b_read_words;
  count(Operand::output, SramAccess::read, out_base, s.out_read_words, js);
  count(Operand::output, SramAccess::write, out_base, s.out_write_words, js);
  if (t.last_k) {
    count(Operand::output, SramAccess::read, out_base, t.c_words, js);
    stores_.push_back(backend_.issue(Operand::output, DmaDirection::write, t.c_bytes));
    js.dram_write_bytes += t.c_bytes;
  }
}

}  // namespace qtsim
