#include "hw_models/mac_array/systolic_array.h"

#include "hw_models/sram/sram_buffer.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace qtsim {
namespace {

// Chunk `index` of `value` split into `chunks` chunks of `bits`: the top chunk
// keeps the sign (arithmetic shift), the others are unsigned.
std::int32_t chunk_of(std::int32_t value, int index, int chunks, int bits) {
  const std::int64_t shifted = static_cast<std::int64_t>(value) >> (index * bits);
  if (index == chunks - 1) return static_cast<std::int32_t>(shifted);
  return static_cast<std::int32_t>(shifted & ((std::int64_t{1} << bits) - 1));
}

}  // namespace

SystolicArray::SystolicArray(const MacArrayConfig& array, const PeMode& mode, int accumulator_bits, EdgeBuffers buffers)
    : array_(array),
      mode_(mode),
      buffers_(buffers),
      accumulator_bits_(accumulator_bits),
      rows_(array.rows),
      cols_(array.cols),
      pack_(mode.pack),
      os_(array.dataflow == Dataflow::os),
      narrow_products_(mode.a_chunk_bits + mode.b_chunk_bits <= 30) {
  acc_min_ = -(std::int64_t{1} << (accumulator_bits - 1));
  acc_max_ = (std::int64_t{1} << (accumulator_bits - 1)) - 1;
  const std::size_t pes = static_cast<std::size_t>(rows_) * cols_;
  a_el_.assign(2 * pes, Element{});
  a_val_.assign(2 * pes * pack_, 0);
  b_val_.assign(pes * pack_, 0);
  acc_.assign(pes, 0);
  delta_.assign(pes, 0);
  psum32_.assign(pes, 0);
  for (int q = 0; q < mode.slices; ++q) {
    slice_shift_.push_back(q / mode.b_chunks * mode.a_chunk_bits + q % mode.b_chunks * mode.b_chunk_bits);
  }
  zeros_.assign(cols_, 0);
  acc_fold_.assign(pes, -1);
  w_cur_.assign(pes * mode.b_chunks * pack_, 0);
  w_next_.assign(pes * mode.b_chunks * pack_, 0);
  w_cur_fold_.assign(pes, -1);
  w_next_fold_.assign(pes, -1);
}

bool SystolicArray::same_setup(const MacArrayConfig& array, const PeMode& mode, int accumulator_bits,
                               EdgeBuffers buffers) const {
  const MacArrayConfig& a = array_;
  return a.rows == array.rows && a.cols == array.cols && a.dataflow == array.dataflow && a.pe_kind == array.pe_kind &&
         a.fixed_width_bits == array.fixed_width_bits && a.pipelined_folds == array.pipelined_folds &&
         accumulator_bits_ == accumulator_bits && mode_.a_bits == mode.a_bits && mode_.b_bits == mode.b_bits &&
         buffers_.a_word_bits == buffers.a_word_bits && buffers_.b_word_bits == buffers.b_word_bits &&
         buffers_.out_word_bits == buffers.out_word_bits;
}

void SystolicArray::chunk_operands() {
  const GemmDims& d = ops_->dims;
  lane_major_.clear();
  if (mode_.slices == 1) {  // one chunk per operand: the values themselves
    a_data_ = ops_->a.data();
    b_data_ = ops_->b.data();
    if (pack_ != 1) return;
    // Transposed in 16 x 16 blocks, so that both sides stay in cache.
    const std::int32_t* m = os_ ? b_data_ : a_data_;  // rows x cols, row-major
    const std::int64_t rows = os_ ? d.k : d.m, cols = os_ ? d.n : d.k;
    lane_major_.resize(static_cast<std::size_t>(rows * cols));
    constexpr std::int64_t kBlock = 16;
    for (std::int64_t r0 = 0; r0 < rows; r0 += kBlock) {
      for (std::int64_t c0 = 0; c0 < cols; c0 += kBlock) {
        const std::int64_t r1 = std::min(rows, r0 + kBlock), c1 = std::min(cols, c0 + kBlock);
        for (std::int64_t r = r0; r < r1; ++r) {
          for (std::int64_t c = c0; c < c1; ++c) lane_major_[c * rows + r] = m[r * cols + c];
        }
      }
    }
    return;
  }
  a_chunks_.resize(static_cast<std::size_t>(mode_.a_chunks) * d.m * d.k);
  for (int c = 0; c < mode_.a_chunks; ++c) {
    for (std::int64_t i = 0; i < d.m * d.k; ++i) {
      a_chunks_[c * d.m * d.k + i] = chunk_of(ops_->a[i], c, mode_.a_chunks, mode_.a_chunk_bits);
    }
  }
  b_chunks_.resize(static_cast<std::size_t>(mode_.b_chunks) * d.k * d.n);
  for (int c = 0; c < mode_.b_chunks; ++c) {
    for (std::int64_t i = 0; i < d.k * d.n; ++i) {
      b_chunks_[c * d.k * d.n + i] = chunk_of(ops_->b[i], c, mode_.b_chunks, mode_.b_chunk_bits);
    }
  }
  a_data_ = a_chunks_.data();
  b_data_ = b_chunks_.data();
}

void SystolicArray::start(const GemmOperands& operands, bool onto_partial_sums) {
  ops_ = &operands;
  onto_partial_sums_ = onto_partial_sums;
  plan_ = std::make_unique<FoldPlan>(array_, mode_, operands.dims);
  chunk_operands();
  {
    // |product| <= 2^(a-1) 2^(b-1); every partial sum and output is a sum of at most K products.
    const int bits = operands.a_bits + operands.b_bits - 2;
    const long double bound = static_cast<long double>(operands.dims.k) * std::pow(2.0L, bits);
    cannot_overflow_ = bound <= static_cast<long double>(acc_max_);
    delta_ok_ = cannot_overflow_ && narrow_products_ && mode_.slices == 1 &&
                bound <= static_cast<long double>(std::numeric_limits<std::int32_t>::max());
  }
  std::fill(delta_.begin(), delta_.end(), 0);
  delta_live_ = false;
  psum32_live_ = false;
  os_oldest_fold_ = 0;
  c_.assign(static_cast<std::size_t>(operands.dims.m * operands.dims.n), 0);
  std::fill(a_el_.begin(), a_el_.end(), Element{});
  a_head_ = 0;
  a_pending_ = b_pending_ = -1;
  a_address_ = b_address_ = 0;
  std::fill(acc_.begin(), acc_.end(), 0);
  std::fill(acc_fold_.begin(), acc_fold_.end(), -1);
  std::fill(w_cur_fold_.begin(), w_cur_fold_.end(), -1);
  std::fill(w_next_fold_.begin(), w_next_fold_.end(), -1);
  row_cursor_.assign(rows_, 0);
  preload_cursor_ = 0;
  col_cursor_.assign(cols_, 0);
  stats_ = ArrayStats{};
  stats_.folds = static_cast<std::int64_t>(plan_->folds().size());
  t_ = 0;
  end_ = plan_->total_cycles();
  current_fold_ = 0;
  running_ = end_ > 0;
}

std::int64_t SystolicArray::wrap_overflow(std::int64_t value) {
  ++stats_.overflows;
  const std::uint64_t span = std::uint64_t{1} << accumulator_bits_;
  const std::uint64_t offset = (static_cast<std::uint64_t>(value) - static_cast<std::uint64_t>(acc_min_)) & (span - 1);
  return acc_min_ + static_cast<std::int64_t>(offset);
}

// The fold whose stream passes lane `lane` (a row or column) at cycle t, where
// the lane sees stream element s of fold f at t = fold_start(f) + lane_delay + s;
// -1 when none. Cursors only move forward, as t does.
int SystolicArray::fold_at(std::vector<std::size_t>& cursor, int lane, std::int64_t t, std::int64_t lane_delay) const {
  const auto& folds = plan_->folds();
  std::size_t& f = cursor[lane];
  while (f < folds.size() && t >= plan_->fold_start(f) + lane_delay + folds[f].stream) ++f;
  if (f == folds.size() || t < plan_->fold_start(f) + lane_delay) return -1;
  return static_cast<int>(f);
}

// Values a stream element carries: pack, but fewer in the K span's last group.
std::int64_t SystolicArray::step_values(std::int64_t index, std::int64_t k_len) const {
  const std::int64_t group = index / mode_.slices;
  return std::min<std::int64_t>(pack_, k_len - group * pack_);
}

void SystolicArray::count_output_row(std::int64_t values, bool read_back) {
  const std::int64_t words = SramBuffer::words_for(values, accumulator_bits_, buffers_.out_word_bits);
  stats_.out_write_values += values;
  stats_.out_write_words += words;
  if (read_back) {
    stats_.out_read_values += values;
    stats_.out_read_words += words;
  }
}

bool SystolicArray::interior(std::int64_t t, int* fold) const {
  if (mode_.slices != 1) return false;
  const std::size_t f = row_cursor_[rows_ - 1];
  if (f >= plan_->folds().size() || row_cursor_[0] != f) return false;
  const std::int64_t start = plan_->fold_start(f);
  // The far corner (R-1, C-1) got its first element before this cycle, and
  // the corner (0, 0) still holds one.
  if (t < start + rows_ + cols_ - 1 || t >= start + plan_->folds()[f].stream) return false;
  *fold = static_cast<int>(f);
  return true;
}

// inject_a when every row takes an element of fold f0 (row i is i elements
// behind row 0), one value each (slices and pack of 1).
void SystolicArray::inject_a_same_fold(int f0, std::int64_t t) {
  const Fold& fold = plan_->folds()[f0];
  const GemmDims& d = ops_->dims;
  const bool os = os_;
  const auto s0 = static_cast<std::int32_t>(t - plan_->fold_start(f0));
  for (int i = 0; i < rows_; ++i) {
    row_cursor_[i] = static_cast<std::size_t>(f0);
    const std::size_t pos = a_pos(i, 0);
    const std::int32_t s = s0 - i;
    const std::int32_t value = os ? (i < fold.rows ? a_data_[(fold.row0 + i) * d.k + s] : 0)
                                  : (i < fold.k_len ? lane_major_[(fold.k0 + i) * d.m + s] : 0);
    a_val_[pos] = value;
    a_val_[pos + cols_] = value;
    if (!os) a_el_[pos] = a_el_[pos + cols_] = Element{f0, s, 0, 0};  // ws reads it at the bottom edge
  }
}

// Left edge: row i takes element s of its lane, skewed by i cycles; written
// at rev(t) and rev(t) + C of the row's mirrored delay line.
void SystolicArray::inject_a(std::int64_t t) {
  const auto& folds = plan_->folds();
  const GemmDims& d = ops_->dims;
  const int slices = mode_.slices;
  const bool os = os_;
  a_head_ = static_cast<std::size_t>((cols_ - t % cols_) % cols_);
  // In a fold's steady state every row takes an element of the fold that
  // row 0 takes (row i is i elements behind): no search per row.
  const int f0 = fold_at(row_cursor_, 0, t, 0);
  const bool same_fold = f0 >= 0 && t - plan_->fold_start(f0) >= rows_ - 1;
  if (same_fold && slices == 1 && pack_ == 1) {
    inject_a_same_fold(f0, t);
    return;
  }
  for (int i = 0; i < rows_; ++i) {
    const std::size_t pos = a_pos(i, 0);
    Element& e = a_el_[pos];
    std::int32_t* values = &a_val_[pos * pack_];
    const int f = same_fold ? f0 : fold_at(row_cursor_, i, t, i);
    if (same_fold) row_cursor_[i] = static_cast<std::size_t>(f0);
    if (f < 0) {
      e = Element{};
      std::fill_n(values, pack_, 0);
    } else {
      const Fold& fold = folds[f];
      const auto s = static_cast<std::int32_t>(t - plan_->fold_start(f) - i);
      if (slices == 1 && pack_ == 1) {  // the common case, without divisions
        e = Element{f, s, 0, 0};
        values[0] = os ? (i < fold.rows ? a_data_[(fold.row0 + i) * d.k + s] : 0)
                       : (i < fold.k_len ? a_data_[static_cast<std::int64_t>(s) * d.k + fold.k0 + i] : 0);
        a_el_[pos + cols_] = e;
        a_val_[(pos + cols_) * pack_] = values[0];
        continue;
      }
      const int q = s % slices, ia = q / mode_.b_chunks, jb = q % mode_.b_chunks;
      e = Element{f, s, ia * mode_.a_chunk_bits, jb};
      if (os) {  // row0 + i of A, the element's K group
        const std::int64_t k0 = static_cast<std::int64_t>(s / slices) * pack_;
        const std::int32_t* row = &a_data_[(ia * d.m + fold.row0 + i) * d.k];
        for (int p = 0; p < pack_; ++p) values[p] = (i < fold.rows && k0 + p < d.k) ? row[k0 + p] : 0;
      } else {  // row s / slices of A, the K values this PE row holds
        const std::int32_t* row = &a_data_[(ia * d.m + s / slices) * d.k + fold.k0];
        for (int p = 0; p < pack_; ++p) {
          const std::int64_t kk = static_cast<std::int64_t>(i) * pack_ + p;
          values[p] = kk < fold.k_len ? row[kk] : 0;
        }
      }
    }
    a_el_[pos + cols_] = e;
    std::copy_n(values, pack_, &a_val_[(pos + cols_) * pack_]);
  }
}

SystolicArray::EdgeRead SystolicArray::edge_read_a(std::int64_t t) {
  const int f = fold_at(row_cursor_, 0, t, 0);
  if (f < 0) return {};
  const Fold& fold = plan_->folds()[f];
  if (os_) {
    const auto s = t - plan_->fold_start(f);
    return {fold.rows, a_words_.of(fold.rows * step_values(s, ops_->dims.k), mode_.a_bits, buffers_.a_word_bits)};
  }
  return {(fold.k_len + pack_ - 1) / pack_, a_words_.of(fold.k_len, mode_.a_bits, buffers_.a_word_bits)};
}

SystolicArray::EdgeRead SystolicArray::edge_read_b(std::int64_t t) {
  const auto& folds = plan_->folds();
  if (os_) {
    const int f = fold_at(col_cursor_, 0, t, 0);
    if (f < 0) return {};
    const auto s = t - plan_->fold_start(f);
    return {folds[f].cols,
            b_words_.of(folds[f].cols * step_values(s, ops_->dims.k), mode_.b_bits, buffers_.b_word_bits)};
  }
  // ws: the weight row entering the top edge during fold f's preload.
  const std::int64_t r = rows_;
  while (preload_cursor_ < folds.size() && t >= plan_->fold_start(preload_cursor_)) ++preload_cursor_;
  if (preload_cursor_ == folds.size() || t < plan_->fold_start(preload_cursor_) - r) return {};
  const Fold& fold = folds[preload_cursor_];
  const std::int64_t pe_row = r - 1 - (t - (plan_->fold_start(preload_cursor_) - r));
  if (pe_row * pack_ >= fold.k_len) return {};
  const std::int64_t values = std::min<std::int64_t>(pack_, fold.k_len - pe_row * pack_);
  return {fold.cols, SramBuffer::words_for(fold.cols * values, mode_.b_bits, buffers_.b_word_bits)};
}

bool SystolicArray::grant_edge_reads(const EdgeRead& a, const EdgeRead& b) {
  if (!a_sram_) return true;
  if (a_pending_ < 0) {
    a_pending_ = a.words;
    b_pending_ = b.words;
  }
  a_sram_->step();
  if (b_sram_ != a_sram_) b_sram_->step();
  // Operands stream through each buffer in address order, wrapping at its
  // end: a request of w words at the edge's next address x starts at x, or at
  // 0 when x + w would cross the end; the next address is right after the
  // words granted (a partly granted request continues there next cycle).
  auto request = [](SramBuffer* buffer, std::int64_t& address, std::int64_t words) {
    const std::int64_t capacity = buffer->capacity_words();
    words = std::min(words, capacity);
    const std::int64_t start = address + words > capacity ? 0 : address;
    const std::int64_t granted = buffer->access(SramAccess::read, start, words);
    address = start + granted == capacity ? 0 : start + granted;
    return granted;
  };
  if (a_pending_ > 0) a_pending_ -= request(a_sram_, a_address_, a_pending_);
  if (b_pending_ > 0) b_pending_ -= request(b_sram_, b_address_, b_pending_);
  if (a_pending_ > 0 || b_pending_ > 0) {
    // Each buffer that refused part of a read stalls for the cycle, once
    // (a buffer holding both A and B counts one, whichever was refused).
    if (a_pending_ > 0) a_sram_->add_conflict_stall_cycles(1);
    if (b_pending_ > 0 && (b_sram_ != a_sram_ || a_pending_ <= 0)) b_sram_->add_conflict_stall_cycles(1);
    return false;
  }
  a_pending_ = b_pending_ = -1;
  return true;
}

bool SystolicArray::step() {
  if (!running_) return false;
  const EdgeRead a = edge_read_a(t_), b = edge_read_b(t_);
  if (!grant_edge_reads(a, b)) {  // a port stall: every register holds
    ++stats_.port_stall_cycles;
    ++stats_.cycles;
    last_active_ = 0;
    return true;
  }
  stats_.a_read_elements += a.elements;
  stats_.a_read_words += a.words;
  stats_.b_read_elements += b.elements;
  stats_.b_read_words += b.words;
  b_head_ = static_cast<int>(t_ % rows_);
  if (os_) {
    step_os();
  } else {
    step_ws();
  }
  ++t_;
  ++stats_.cycles;
  if (t_ == end_) {
    if (os_) {
      flush_delta();
      for (int i = 0; i < rows_; ++i) {
        for (int j = 0; j < cols_; ++j) drain_os_pe(i, j);
      }
    }
    running_ = false;
  }
  return running_;
}

}  // namespace qtsim
