#pragma once
// PrecisionController: the SystemC module that sequences work on the
// accelerator in reference mode (DESIGN.md section 4).
//
// It takes a list of GEMMs, each with its precision (the bit widths of A and
// B) and the buffers its operands live in (A: activation or gradient; B:
// weight or activation; C: output). Between GEMMs of different PE modes it
// reconfigures the array (controller.reconfig_cycles). Each GEMM is tiled to
// its buffers (tiler.h) and run with double buffering: the DMA loads tile
// i + 1 into the free halves while the array computes tile i; the array
// stalls when a tile's operands have not arrived (load stall) or when the
// output half it would write still awaits its store to DRAM (store stall);
// partial sums of K tiles accumulate in the output buffer, and a finished C
// tile is stored to DRAM at the accumulator width. The run ends when the last
// store and the last transfer write complete (the wait counts as store drain).
//
// The array reads its edge vectors from the A and B buffers through their
// banks and ports (sram_buffer.h), stalling when a read is not granted in
// full. Vector operations run on the vector unit in list order, ceil(elements
// / lanes) cycles each. Transfer jobs move bytes of one operand between DRAM
// and its buffer through the DMA alone: a read is waited for (load stall), a
// write is not (the final drain waits for it); they are not output blocks, so
// the store rule above ignores them. Cycle accounting, exact: total =
// reconfig + load_stall + store_stall + store_drain + port_stall + compute +
// vector, compute being the array's own cycles (fold formulas), since the
// controller spends no cycle of its own between them.
//
// Buffer words (ControllerStats::buffers, per bank; hw_models/memory/README.md,
// "Words per buffer and bank"): the array's edge reads are arbitrated per
// cycle (above); every other access uses a port of its own and is counted,
// not arbitrated (SramBuffer::count_words), at its issue:
//   - a DMA fill (tile load) writes the tile part's words into a half of its
//     buffer: the n-th fill of a buffer in the run (n = 0, 1, ...; fills of A
//     and B count together when they share the buffer) goes to half n mod 2,
//     which starts at word 0 or floor(capacity_words / 2);
//   - output block b of the run (b = 0, 1, ...: the blocks stored so far when
//     it starts) lives in output half b mod 2: each of its tiles writes its
//     ArrayStats::out_write_words and reads back its out_read_words from that
//     half's base, and the C store reads the block's words (Tile::c_words)
//     from there;
//   - a transfer writes (read job) or reads (write job) its
//     words_for(bytes, 8 bits) words from word 0 of its buffer;
// all as consecutive words from that address (word x in bank x mod banks),
// wrapping at the buffer's end.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "hw_models/hardware_config.h"
#include "hw_models/mac_array/mac_array.h"
#include "hw_models/memory/memory_system.h"
#include "hw_models/memory/tiler.h"
#include "hw_models/vector_unit/vector_unit.h"

namespace qtsim {

// One item of work: a GEMM (operands set), a vector operation (`vector_op`
// on `vector_elements` elements, run by the vector unit) or a DMA transfer
// (`transfer_bytes` useful bytes of `transfer_operand` between DRAM and its
// buffer; for the replay's activation stash, master weights and gradients).
struct GemmJob {
  enum class Kind { gemm, vector, transfer };
  Kind kind = Kind::gemm;
  const GemmOperands* operands = nullptr;
  Operand a_buffer = Operand::activation;
  Operand b_buffer = Operand::weight;
  std::string vector_op;
  std::int64_t vector_elements = 0;
  Operand transfer_operand = Operand::activation;
  DmaDirection transfer_direction = DmaDirection::read;
  std::int64_t transfer_bytes = 0;
  bool is_gemm() const { return kind == Kind::gemm; }
  bool is_vector() const { return kind == Kind::vector; }
  bool is_transfer() const { return kind == Kind::transfer; }

  static GemmJob gemm(const GemmOperands* operands, Operand a_buffer, Operand b_buffer) {
    GemmJob job;
    job.operands = operands;
    job.a_buffer = a_buffer;
    job.b_buffer = b_buffer;
    return job;
  }
  static GemmJob vector(std::string op, std::int64_t elements) {
    GemmJob job;
    job.kind = Kind::vector;
    job.vector_op = std::move(op);
    job.vector_elements = elements;
    return job;
  }
  // `bytes` >= 1 (else an Error). read: DRAM -> buffer; write: buffer -> DRAM.
  static GemmJob transfer(Operand operand, DmaDirection direction, std::int64_t bytes);
};

// Words a job read and wrote in one buffer (granted edge reads and port-free
// accesses alike, as counted in ControllerStats::buffers).
struct BufferWords {
  std::int64_t reads_words = 0, writes_words = 0;
};

struct ControllerStats {
  std::int64_t cycles = 0;
  std::int64_t compute_cycles = 0;
  std::int64_t port_stall_cycles = 0;  // the array waiting for buffer banks/ports
  std::int64_t load_stall_cycles = 0;
  std::int64_t store_stall_cycles = 0;
  std::int64_t store_drain_cycles = 0;
  std::int64_t reconfig_cycles = 0;
  std::int64_t reconfigurations = 0;
  std::int64_t vector_cycles = 0;
  std::int64_t tiles = 0;
  ArrayStats array;  // summed over every tile
  std::map<Operand, SramStats> buffers;  // all four buffers' reads and writes, per bank (see above)
  std::map<std::string, VectorOpStats> vector_ops;
};

// What one job did. Cycles are attributed to the job during which they
// passed: its reconfiguration (before it), its load, store and port stalls,
// its compute (or vector) cycles; a transfer read's wait is its load stall.
// The wait for the run's last stores and transfer writes (store_drain)
// belongs to no job, so the jobs' cycles plus the run's
// store_drain_cycles add up to ControllerStats::cycles.
struct JobStats {
  std::int64_t reconfig_cycles = 0;
  std::int64_t load_stall_cycles = 0;
  std::int64_t store_stall_cycles = 0;
  std::int64_t port_stall_cycles = 0;
  std::int64_t compute_cycles = 0;
  std::int64_t vector_cycles = 0;
  std::int64_t tiles = 0;
  ArrayStats array;  // summed over the job's tiles
  // Useful (packed) bytes of the DMA transfers the job issued.
  std::int64_t dram_read_bytes = 0, dram_write_bytes = 0;
  // Words the job moved in each buffer, indexed by Operand: summed over the
  // jobs they are ControllerStats::buffers' reads_words and writes_words.
  std::array<BufferWords, kOperands.size()> buffer_words;
  BufferWords& buffer(Operand o) { return buffer_words[static_cast<std::size_t>(o)]; }
  const BufferWords& buffer(Operand o) const { return buffer_words[static_cast<std::size_t>(o)]; }
  std::int64_t cycles() const {
    return reconfig_cycles + load_stall_cycles + store_stall_cycles + port_stall_cycles + compute_cycles + vector_cycles;
  }
};

struct JobResult {
  PeMode mode;  // a vector operation or transfer: default
  TilePlan tiles;  // a vector operation or transfer: no tiles
  std::vector<std::int64_t> c;  // M x N at the accumulator width; empty for a vector operation or transfer
  JobStats stats;
};

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
  void run(const HardwareConfig& hardware, const std::vector<GemmJob>& jobs);
  const ControllerStats& stats() const { return stats_; }
  const std::vector<JobResult>& results() const { return results_; }

 private:
  void control();
  void run_job(const GemmJob& job);
  void run_transfer(const GemmJob& job);
  // Counts port-free words in `buffer` (SramBuffer::count_words) and for the job.
  void count_words(Operand buffer, SramAccess kind, std::int64_t address, std::int64_t words, JobStats& job);
  // The word address of half `half` (0 or 1) of `buffer`.
  std::int64_t half_base(Operand buffer, std::int64_t half) const;
  std::int64_t now_cycles() const;
  // Waits until `transfer` is done, adding the cycles waited to both counters.
  void wait_for(std::int64_t transfer, std::int64_t* stall, std::int64_t* job_stall = nullptr);

  MacArray& array_;
  MemorySystem& memory_;
  sc_core::sc_time period_;
  const HardwareConfig* hardware_ = nullptr;
  const std::vector<GemmJob>* jobs_ = nullptr;
  sc_core::sc_event command_;
  ControllerStats stats_;
  std::vector<JobResult> results_;
  bool have_mode_ = false;
  PeMode mode_;
  std::vector<std::int64_t> stores_;  // store transfer per finished output block
  std::vector<std::int64_t> transfer_writes_;  // transfer jobs' writes, waited for by the drain only
  std::map<Operand, std::int64_t> fills_;  // DMA fills of each buffer so far (their halves alternate)
  std::map<Operand, std::unique_ptr<SramBuffer>> srams_;
};

}  // namespace qtsim
