// SystolicArray, output-stationary dataflow: one clock cycle.
#include <algorithm>
#include <cassert>

#include "hw_models/mac_array/mac_kernels.h"
#include "hw_models/mac_array/systolic_array.h"
#include "hw_models/sram/sram_buffer.h"

namespace qtsim {

// A PE hands its finished output on when the next fold's first element
// reaches it (or at the end); it has then completed the K products of C[m][n].
void SystolicArray::drain_os_pe(int i, int j) {
  const std::size_t pe = static_cast<std::size_t>(i) * cols_ + j;
  if (acc_fold_[pe] < 0) return;
  const Fold& fold = plan_->folds()[acc_fold_[pe]];
  c_[(fold.row0 + i) * ops_->dims.n + fold.col0 + j] = acc_[pe];
  stats_.macs += ops_->dims.k;
  if (j == 0) count_output_row(fold.cols, onto_partial_sums_);
  acc_fold_[pe] = -1;
  acc_[pe] = 0;
}

void SystolicArray::flush_delta() {
  if (!delta_live_) return;
  for (std::size_t pe = 0; pe < delta_.size(); ++pe) {
    acc_[pe] += delta_[pe];
    delta_[pe] = 0;
  }
  delta_live_ = false;
}

// Top edge: column j takes element s of B column (col0 + j), skewed by j
// cycles; the cycle's row of the B delay line is t mod R.
void SystolicArray::inject_b_os(std::int64_t t) {
  const auto& folds = plan_->folds();
  const GemmDims& d = ops_->dims;
  const int slices = mode_.slices;
  const std::size_t row = static_cast<std::size_t>(b_head_) * cols_;
  // In a fold's steady state every column takes an element of the fold that
  // column 0 takes: no search per column.
  const int f0 = fold_at(col_cursor_, 0, t, 0);
  const bool same_fold = f0 >= 0 && t - plan_->fold_start(f0) >= cols_ - 1;
  if (same_fold && slices == 1 && pack_ == 1) {
    const Fold& fold = folds[f0];
    const auto s0 = static_cast<std::int32_t>(t - plan_->fold_start(f0));
    const std::int64_t cols = fold.cols;
    for (int j = 0; j < cols_; ++j) {
      col_cursor_[j] = static_cast<std::size_t>(f0);
      b_val_[row + j] = j < cols ? lane_major_[(fold.col0 + j) * d.k + s0 - j] : 0;
    }
    return;
  }
  for (int j = 0; j < cols_; ++j) {
    std::int32_t* values = &b_val_[(row + j) * pack_];
    const int f = same_fold ? f0 : fold_at(col_cursor_, j, t, j);
    if (same_fold) col_cursor_[j] = static_cast<std::size_t>(f0);
    if (f < 0) {
      std::fill_n(values, pack_, 0);
      continue;
    }
    const Fold& fold = folds[f];
    const auto s = static_cast<std::int32_t>(t - plan_->fold_start(f) - j);
    if (slices == 1 && pack_ == 1) {  // the common case, without divisions
      values[0] = j < fold.cols ? b_data_[static_cast<std::int64_t>(s) * d.n + fold.col0 + j] : 0;
      continue;
    }
    const int jb = s % slices % mode_.b_chunks;
    const std::int64_t k0 = static_cast<std::int64_t>(s / slices) * pack_;
    const std::int32_t* chunk = &b_data_[static_cast<std::size_t>(jb) * d.k * d.n];
    for (int p = 0; p < pack_; ++p) {
      values[p] = (j < fold.cols && k0 + p < d.k) ? chunk[(k0 + p) * d.n + fold.col0 + j] : 0;
    }
  }
}

// Every fold with elements in the array: PE (i, j) holds element
// s = t - start - i - j of fold f when 0 <= s < stream, so within row i
// each fold occupies one run of columns, whose registers are contiguous
// (a_pos, b_pos); no per-PE metadata is needed. A PE's first element of a
// fold (s = 0) hands its previous output on. Returns the active PEs.
int SystolicArray::step_os_folds() {
  const auto& folds = plan_->folds();
  const std::int64_t t = t_;
  while (os_oldest_fold_ < folds.size() &&
         t >= plan_->fold_start(os_oldest_fold_) + folds[os_oldest_fold_].stream + rows_ + cols_ - 2) {
    ++os_oldest_fold_;
  }
  int active = 0;
  for (std::size_t f = os_oldest_fold_; f < folds.size() && plan_->fold_start(f) <= t; ++f) {
    const Fold& fold = folds[f];
    const std::int64_t base = t - plan_->fold_start(f);  // s + i + j
    const int rows = static_cast<int>(std::min<std::int64_t>(fold.rows, base + 1));
    for (int i = 0; i < rows; ++i) {
      const std::int64_t first = base - i;  // the column holding s = 0
      const int j_lo = static_cast<int>(std::max<std::int64_t>(0, first - fold.stream + 1));
      const int j_hi = static_cast<int>(std::min<std::int64_t>(fold.cols - 1, first));
      if (j_lo > j_hi) continue;
      if (first <= j_hi) {  // the first element of fold f reaches PE (i, first)
        const std::size_t pe = static_cast<std::size_t>(i) * cols_ + first;
        drain_os_pe(i, static_cast<int>(first));
        acc_fold_[pe] = static_cast<std::int32_t>(f);
      }
      const std::int32_t* av = &a_val_[a_pos(i, 0) * pack_];
      const std::int32_t* bv = &b_val_[b_pos(i, 0) * pack_];
      std::int64_t* acc = &acc_[static_cast<std::size_t>(i) * cols_];
      for (int j = j_lo; j <= j_hi; ++j) {
        std::int64_t sum = 0;
        for (int p = 0; p < pack_; ++p) sum += std::int64_t{av[j * pack_ + p]} * bv[j * pack_ + p];
        const int shift = slice_shift_[static_cast<std::size_t>((first - j) % mode_.slices)];
        const std::int64_t value = acc[j] + sum * (std::int64_t{1} << shift);
        acc[j] = cannot_overflow_ ? value : wrap(value);
      }
      active += j_hi - j_lo + 1;
    }
  }
  return active;
}

void SystolicArray::step_os() {
  inject_a(t_);
  inject_b_os(t_);
  const auto& folds = plan_->folds();
  int active = 0;
  int f = -1;
  if (interior(t_, &f)) {
    // Steady state: every used PE multiplies its A and B registers and
    // accumulates (no first elements, no shifts); vectorisable over j.
    active = delta_ok_ ? step_os_deltas(folds[f]) : step_os_steady(folds[f]);
  } else {
    flush_delta();
    active = step_os_folds();
  }
  last_active_ = active;
  stats_.pe_active_cycles += active;
  current_fold_ = static_cast<std::int64_t>(std::min(row_cursor_[0], folds.size() - 1));
}

// The steady state in 32-bit deltas, exact (see delta_ok_); no range check
// needed. Returns the active PEs.
int SystolicArray::step_os_deltas(const Fold& fold) {
  const int rows = static_cast<int>(fold.rows), cols = static_cast<int>(fold.cols);
  for (int i = 0; i < rows; ++i) {
    const std::int32_t* a = &a_val_[a_pos(i, 0) * pack_];
    const std::int32_t* b = &b_val_[b_pos(i, 0) * pack_];
    std::int32_t* delta = &delta_[static_cast<std::size_t>(i) * cols_];
    if (pack_ == 1) {
      accumulate_products(delta, a, b, cols);
    } else {
      accumulate_dot_products(delta, a, b, cols, pack_);
    }
  }
  delta_live_ = true;
  return rows * cols;
}

// The steady state into the 64-bit accumulators, which wrap at the
// accumulator width. Returns the active PEs.
int SystolicArray::step_os_steady(const Fold& fold) {
  const int rows = static_cast<int>(fold.rows), cols = static_cast<int>(fold.cols);
  bool out_of_range = false;
  for (int i = 0; i < rows; ++i) {
    const std::int32_t* a = &a_val_[a_pos(i, 0) * pack_];
    const std::int32_t* b = &b_val_[b_pos(i, 0) * pack_];
    std::int64_t* acc = &acc_[static_cast<std::size_t>(i) * cols_];
    std::int64_t low = acc_min_, high = acc_max_;
    if (pack_ == 1 && narrow_products_ && cannot_overflow_) {  // no range check needed
      for (int j = 0; j < cols; ++j) acc[j] += static_cast<std::int32_t>(a[j] * b[j]);
    } else if (pack_ == 1 && narrow_products_) {  // products fit 32 bits
      for (int j = 0; j < cols; ++j) {
        acc[j] += static_cast<std::int32_t>(a[j] * b[j]);
        low = std::min(low, acc[j]);
        high = std::max(high, acc[j]);
      }
    } else if (pack_ == 1) {
      for (int j = 0; j < cols; ++j) {
        acc[j] += std::int64_t{a[j]} * b[j];
        low = std::min(low, acc[j]);
        high = std::max(high, acc[j]);
      }
    } else {
      for (int j = 0; j < cols; ++j) {
        std::int64_t sum = 0;
        for (int p = 0; p < pack_; ++p) sum += std::int64_t{a[j * pack_ + p]} * b[j * pack_ + p];
        acc[j] += sum;
        low = std::min(low, acc[j]);
        high = std::max(high, acc[j]);
      }
    }
    out_of_range |= low < acc_min_ || high > acc_max_;
  }
  if (out_of_range) {
    for (int i = 0; i < rows; ++i) {
      for (int j = 0; j < cols; ++j) acc_[static_cast<std::size_t>(i) * cols_ + j] = wrap(acc_[i * cols_ + j]);
    }
  }
  return rows * cols;
}

}  // namespace qtsim
