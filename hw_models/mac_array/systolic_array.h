#pragma once
// SystolicArray: the cycle-level R x C MAC array of reference mode, stepped
// one clock cycle at a time by its SystemC module (mac_array.h) and
// usable without a kernel in tests.
//
// Registers move every cycle: in `os`, stream elements of A enter row i at
// the left edge and move right, elements of B enter column j at the top and
// move down, and each PE accumulates its own output; in `ws`, each PE holds
// `pack` weights (all their chunks), loaded by shifting rows down the columns
// for R cycles, elements of A move right and partial sums move down, leaving
// the bottom edge into the output accumulators. An element carries `pack`
// operand chunks and its slice's shift (pe_mode.h), so the datapath computes
// real values: results equal a plain integer GEMM of the same operands,
// wrapped to the accumulator width, bit for bit. Folds follow FoldPlan
// (timing identical to its closed forms, pipelined or not); a fold starts
// when its first element is injected, per FoldPlan::fold_start.
//
// Accumulators are `accumulator_bits` wide (two's complement); an
// accumulation whose result leaves that range wraps and is counted in
// `overflows`.
#include <cstdint>
#include <memory>
#include <vector>

#include "hw_models/mac_array/fold_plan.h"
#include "hw_models/pe/pe_mode.h"
#include "hw_models/sram/sram_buffer.h"

namespace qtsim {

// A GEMM's operands as integers at their bit widths (row-major).
struct GemmOperands {
  GemmDims dims;
  int a_bits = 8, b_bits = 8;
  std::vector<std::int32_t> a;  // M x K
  std::vector<std::int32_t> b;  // K x N
};

// Word widths of the buffers the array's edges read and write (buffer word_bits).
struct EdgeBuffers {
  int a_word_bits = 64, b_word_bits = 64, out_word_bits = 64;
};

struct ArrayStats {
  std::int64_t cycles = 0;            // cycles from the first injection of fold 0 (ws: its preload) to the end
  std::int64_t pe_active_cycles = 0;  // PE-cycles that processed a stream element
  std::int64_t macs = 0;              // products of the GEMM completed (M x K x N when done)
  std::int64_t weight_loads = 0;      // ws: PE weight-register loads
  std::int64_t overflows = 0;         // accumulations that wrapped
  std::int64_t folds = 0;
  // Buffer traffic at the array's edges. Each stream step reads one vector
  // from the A buffer (os: the step's values of the fold's rows; ws: the K
  // values of one row of A) and, in os, one from the B buffer; a skew
  // register chain then delays it by one cycle per row or column. ws reads
  // each weight row once at preload. Outputs are written one fold row (C
  // values) at a time at the accumulator width, and read back first when
  // they accumulate onto earlier partial sums. Words per SramBuffer::words_for.
  std::int64_t a_read_elements = 0, a_read_words = 0;
  std::int64_t b_read_elements = 0, b_read_words = 0;
  std::int64_t out_read_values = 0, out_read_words = 0;
  std::int64_t out_write_values = 0, out_write_words = 0;
  // Cycles the array held its registers because an edge read was not
  // granted in full by the buffer's banks and ports (only with attached buffers).
  std::int64_t port_stall_cycles = 0;

  ArrayStats& operator+=(const ArrayStats& o) {
    cycles += o.cycles;
    pe_active_cycles += o.pe_active_cycles;
    macs += o.macs;
    weight_loads += o.weight_loads;
    overflows += o.overflows;
    folds += o.folds;
    a_read_elements += o.a_read_elements;
    a_read_words += o.a_read_words;
    b_read_elements += o.b_read_elements;
    b_read_words += o.b_read_words;
    out_read_values += o.out_read_values;
    out_read_words += o.out_read_words;
    out_write_values += o.out_write_values;
    out_write_words += o.out_write_words;
    port_stall_cycles += o.port_stall_cycles;
    return *this;
  }
};

class SystolicArray {
 public:
  SystolicArray(const MacArrayConfig& array, const PeMode& mode, int accumulator_bits,
                EdgeBuffers buffers = EdgeBuffers{});

  // True when this array was built for the same design, mode and buffers.
  bool same_setup(const MacArrayConfig& array, const PeMode& mode, int accumulator_bits, EdgeBuffers buffers) const;
  // With buffers attached, each cycle's edge reads are requested from them
  // (banks x ports per cycle, sram_buffer.h) before the registers move; a
  // request not granted in full holds every register for the cycle and is
  // completed in the next (a port stall; each buffer that refused words
  // counts one conflict stall cycle, a buffer holding both A and B one). Each
  // edge streams through its buffer from word 0 (every start()), in address
  // order, wrapping at the end. Without buffers, reads are never refused.
  void attach_buffers(SramBuffer* a_buffer, SramBuffer* b_buffer) {
    a_sram_ = a_buffer;
    b_sram_ = b_buffer;
  }
  // Starts a GEMM; `operands` must outlive the run. Values must fit their
  // widths. `onto_partial_sums`: C accumulates onto earlier partial sums (a
  // K tile after the first), so its first fold reads the outputs back too.
  void start(const GemmOperands& operands, bool onto_partial_sums = false);
  // Advances one clock cycle; returns true while the GEMM is still running.
  bool step();
  bool busy() const { return running_; }

  const ArrayStats& stats() const { return stats_; }
  const FoldPlan& plan() const { return *plan_; }
  // The result C (M x N), valid when !busy().
  const std::vector<std::int64_t>& result() const { return c_; }
  // PEs that processed an element in the last cycle (for waveforms).
  int active_pes() const { return last_active_; }
  std::int64_t current_fold() const { return current_fold_; }

 private:
  struct Element {
    std::int32_t fold = -1;  // -1: bubble
    std::int32_t index = 0;  // stream index s within the fold
    std::int32_t shift = 0;  // shift of this operand's chunk
    std::int32_t chunk = 0;  // ws: which B chunk the slice multiplies
  };

  void chunk_operands();
  // The value at the accumulator width: in range it is kept, else it wraps
  // (counted in overflows).
  std::int64_t wrap(std::int64_t value) {
    return value >= acc_min_ && value <= acc_max_ ? value : wrap_overflow(value);
  }
  std::int64_t wrap_overflow(std::int64_t value);
  void inject_a(std::int64_t t);
  void inject_a_same_fold(int f0, std::int64_t t);
  void inject_b_os(std::int64_t t);
  void step_os();
  int step_os_deltas(const Fold& fold);
  int step_os_steady(const Fold& fold);
  int step_os_folds();
  void step_ws();
  int step_ws_steady32(const Fold& fold);
  int step_ws_steady(const Fold& fold);
  int step_ws_elements();
  void drain_ws_bottom();
  void preload_ws(std::int64_t t);
  void drain_os_pe(int i, int j);
  int fold_at(std::vector<std::size_t>& cursor, int lane, std::int64_t t, std::int64_t lane_delay) const;
  // True when every PE holds an element of one fold f that is neither its
  // first nor needs a shift (slices == 1): the vectorised steady state.
  bool interior(std::int64_t t, int* fold) const;
  // The A register of PE (i, j) at the current cycle: the element row i took
  // in j cycles ago, i.e. position rev(t) + j of the row's delay line.
  std::size_t a_pos(int i, int j) const { return static_cast<std::size_t>(i) * 2 * cols_ + a_head_ + j; }
  // The B register of PE (i, j): the element column j took in i cycles ago.
  std::size_t b_pos(int i, int j) const {
    const int row = b_head_ - i;
    return static_cast<std::size_t>(row < 0 ? row + rows_ : row) * cols_ + j;
  }

  void count_output_row(std::int64_t values, bool read_back);
  struct EdgeRead {
    std::int64_t elements = 0, words = 0;
  };
  // The vector each edge reads at cycle t (os: A at the left, B at the top;
  // ws: a row of A, and a weight row during preloads); zero when none.
  EdgeRead edge_read_a(std::int64_t t);
  EdgeRead edge_read_b(std::int64_t t);
  // Requests the cycle's edge reads; false when the array must stall.
  bool grant_edge_reads(const EdgeRead& a, const EdgeRead& b);
  std::int64_t step_values(std::int64_t index, std::int64_t k_len) const;
  // SramBuffer::words_for of an edge's last request size, remembered: an
  // edge reads the same number of values step after step.
  struct WordsMemo {
    std::int64_t values = -1, words = 0;
    std::int64_t of(std::int64_t v, int bits, int word_bits) {
      if (v != values) {
        values = v;
        words = SramBuffer::words_for(v, bits, word_bits);
      }
      return words;
    }
  };
  WordsMemo a_words_, b_words_;

  MacArrayConfig array_;
  PeMode mode_;
  EdgeBuffers buffers_;
  bool onto_partial_sums_ = false;
  int accumulator_bits_;
  std::int64_t acc_min_, acc_max_;
  const GemmOperands* ops_ = nullptr;
  std::unique_ptr<FoldPlan> plan_;
  // Operand chunks, [a_chunk][M][K] and [b_chunk][K][N]; with one chunk per
  // operand the operands themselves (a_data_/b_data_ point at what is used).
  std::vector<std::int32_t> a_chunks_, b_chunks_;
  const std::int32_t* a_data_ = nullptr;
  const std::int32_t* b_data_ = nullptr;
  // With one chunk and one value per element, the operand each lane reads
  // down a column of (os: B, ws: A) again, transposed, so that the steady
  // state's lanes read consecutive addresses: os B as [N][K], ws A as [K][M].
  std::vector<std::int32_t> lane_major_;
  int rows_, cols_, pack_;
  bool os_;               // dataflow: output stationary, else weight stationary
  bool narrow_products_;  // a chunk product always fits 31 bits
  // No partial sum of this GEMM can leave the accumulator range (K times the
  // largest product fits), so the steady state may skip the range check.
  bool cannot_overflow_ = false;
  // ... and every partial sum even fits 32 bits (and no slices): the steady
  // state then runs in 32-bit arithmetic (vectorisable; mac_kernels.h). os
  // accumulates a fold's products into 32-bit deltas, added to the
  // accumulators when the steady state ends. Exact: no sum can wrap.
  bool delta_ok_ = false;
  bool delta_live_ = false;
  std::vector<std::int32_t> delta_;  // [pe]
  void flush_delta();
  // ws, likewise: in the steady state the moving partial sums live in 32 bits.
  bool psum32_live_ = false;
  std::vector<std::int32_t> psum32_;  // [pe]
  std::vector<std::int32_t> zeros_;   // [col]: what enters the top row

  // Operand registers as delay lines (a shift register of length L read at
  // tap d holds what entered d cycles ago): A per row, 2C entries (mirrored so
  // that a row's C taps are contiguous), B per cycle modulo R, C columns wide.
  // Values are [position][pack].
  std::vector<Element> a_el_;  // ws only: os derives every element from the time (step_os_folds)
  std::vector<std::int32_t> a_val_, b_val_;
  std::size_t a_head_ = 0;                    // rev(t) = (-t) mod C
  int b_head_ = 0;                            // t mod R
  std::vector<std::int64_t> acc_;             // os: output accumulators; ws: partial sums moving down
  std::vector<std::int32_t> acc_fold_;        // os: fold whose output the accumulator holds
  std::vector<std::int32_t> w_cur_, w_next_;  // ws: weights [pe][b_chunk][pack]
  std::vector<std::int32_t> w_cur_fold_, w_next_fold_;

  std::vector<std::size_t> row_cursor_, col_cursor_;
  std::size_t os_oldest_fold_ = 0;  // os: the first fold with elements still in the array
  std::vector<int> slice_shift_;    // [s mod slices]: shift of that slice's product
  std::size_t preload_cursor_ = 0;
  SramBuffer* a_sram_ = nullptr;
  SramBuffer* b_sram_ = nullptr;
  std::int64_t a_pending_ = -1, b_pending_ = -1;  // words still to be granted this step (-1: not requested)
  std::int64_t a_address_ = 0, b_address_ = 0;    // next word of each edge's stream, in [0, capacity)
  std::vector<std::int64_t> c_;
  std::int64_t t_ = 0;
  std::int64_t end_ = 0;
  std::int64_t current_fold_ = 0;
  int last_active_ = 0;
  bool running_ = false;
  ArrayStats stats_;
};

}  // namespace qtsim
