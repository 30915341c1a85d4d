// SystolicArray, output-stationary dataflow: one clock cycle.
#include <algorithm>
#include <cassert>

#include "hw_models/mac_array/systolic_array.h"
#include "hw_models/memory/sram_buffer.h"

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

// Top edge: column j takes element s of B column (col0 + j), skewed by j
// cycles; the cycle's row of the B delay line is t mod R.
void SystolicArray::inject_b_os(std::int64_t t) {
  const auto& folds = plan_->folds();
  const GemmDims& d = ops_->dims;
  const int slices = mode_.slices;
  const std::size_t row = static_cast<std::size_t>(b_head_) * cols_;
  for (int j = 0; j < cols_; ++j) {
    Element& e = b_el_[row + j];
    std::int32_t* values = &b_val_[(row + j) * pack_];
    const int f = fold_at(col_cursor_, j, t, j);
    if (f < 0) {
      e = Element{};
      std::fill_n(values, pack_, 0);
      continue;
    }
    const Fold& fold = folds[f];
    const auto s = static_cast<std::int32_t>(t - plan_->fold_start(f) - j);
    if (slices == 1 && pack_ == 1) {  // the common case, without divisions
      e = Element{f, s, 0, 0};
      values[0] = j < fold.cols ? b_chunks_[static_cast<std::int64_t>(s) * d.n + fold.col0 + j] : 0;
      continue;
    }
    const int q = s % slices, jb = q % mode_.b_chunks;
    e = Element{f, s, jb * mode_.b_chunk_bits, jb};
    const std::int64_t k0 = static_cast<std::int64_t>(s / slices) * pack_;
    const std::int32_t* chunk = &b_chunks_[static_cast<std::size_t>(jb) * d.k * d.n];
    for (int p = 0; p < pack_; ++p) {
      values[p] = (j < fold.cols && k0 + p < d.k) ? chunk[(k0 + p) * d.n + fold.col0 + j] : 0;
    }
  }
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
    const Fold& fold = folds[f];
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
    active = rows * cols;
  } else {
    for (int i = 0; i < rows_; ++i) {
      for (int j = 0; j < cols_; ++j) {
        const Element& a = a_el_[a_pos(i, j)];
        if (a.fold < 0) continue;
        const Element& b = b_el_[b_pos(i, j)];
        assert(b.fold == a.fold && b.index == a.index);
        const Fold& fold = folds[a.fold];
        if (i >= fold.rows || j >= fold.cols) continue;  // padding of a partial fold
        const std::size_t pe = static_cast<std::size_t>(i) * cols_ + j;
        if (acc_fold_[pe] != a.fold) {
          drain_os_pe(i, j);
          acc_fold_[pe] = a.fold;
        }
        const std::int32_t* av = &a_val_[a_pos(i, j) * pack_];
        const std::int32_t* bv = &b_val_[b_pos(i, j) * pack_];
        std::int64_t sum = 0;
        for (int p = 0; p < pack_; ++p) sum += std::int64_t{av[p]} * bv[p];
        acc_[pe] = wrap(acc_[pe] + sum * (std::int64_t{1} << (a.shift + b.shift)));
        ++active;
      }
    }
  }
  last_active_ = active;
  stats_.pe_active_cycles += active;
  current_fold_ = static_cast<std::int64_t>(std::min(row_cursor_[0], folds.size() - 1));
}

}  // namespace qtsim
