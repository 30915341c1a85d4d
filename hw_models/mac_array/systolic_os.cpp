// SystolicArray, output-stationary dataflow: one clock cycle.
#include <algorithm>
#include <cassert>

#include "hw_models/mac_array/systolic_array.h"

namespace qtsim {

void SystolicArray::drain_os_pe(int i, int j) {
  const std::size_t pe = static_cast<std::size_t>(i) * cols_ + j;
  if (acc_fold_[pe] < 0) return;
  const Fold& fold = plan_->folds()[acc_fold_[pe]];
  c_[(fold.row0 + i) * ops_->dims.n + fold.col0 + j] = acc_[pe];
  acc_fold_[pe] = -1;
  acc_[pe] = 0;
}

void SystolicArray::inject_os(std::int64_t t) {
  const auto& folds = plan_->folds();
  const GemmDims& d = ops_->dims;
  const int slices = mode_.slices;
  // Left edge: row i carries element s of A row (row0 + i), skewed by i cycles.
  for (int i = 0; i < rows_; ++i) {
    const std::size_t pe = static_cast<std::size_t>(i) * cols_;
    const int f = fold_at(row_cursor_, i, t, i);
    std::int32_t* values = &a_val_[pe * pack_];
    if (f < 0) {
      a_el_[pe] = Element{};
      std::fill_n(values, pack_, 0);
      continue;
    }
    const Fold& fold = folds[f];
    const auto s = static_cast<std::int32_t>(t - plan_->fold_start(f) - i);
    const int q = s % slices, ia = q / mode_.b_chunks;
    a_el_[pe] = Element{f, s, ia * mode_.a_chunk_bits, 0};
    const std::int64_t k0 = static_cast<std::int64_t>(s / slices) * pack_;
    const std::int32_t* row = &a_chunks_[(ia * d.m + fold.row0 + i) * d.k];
    for (int p = 0; p < pack_; ++p) {
      values[p] = (i < fold.rows && k0 + p < d.k) ? row[k0 + p] : 0;
    }
  }
  // Top edge: column j carries element s of B column (col0 + j), skewed by j cycles.
  for (int j = 0; j < cols_; ++j) {
    const int f = fold_at(col_cursor_, j, t, j);
    std::int32_t* values = &b_val_[static_cast<std::size_t>(j) * pack_];
    if (f < 0) {
      b_el_[j] = Element{};
      std::fill_n(values, pack_, 0);
      continue;
    }
    const Fold& fold = folds[f];
    const auto s = static_cast<std::int32_t>(t - plan_->fold_start(f) - j);
    const int q = s % slices, jb = q % mode_.b_chunks;
    b_el_[j] = Element{f, s, jb * mode_.b_chunk_bits, jb};
    const std::int64_t k0 = static_cast<std::int64_t>(s / slices) * pack_;
    const std::int32_t* chunk = &b_chunks_[static_cast<std::size_t>(jb) * d.k * d.n];
    for (int p = 0; p < pack_; ++p) {
      values[p] = (j < fold.cols && k0 + p < d.k) ? chunk[(k0 + p) * d.n + fold.col0 + j] : 0;
    }
  }
}

void SystolicArray::step_os() {
  // Registers move: A one PE right, B one PE down; then the edges take new elements.
  shift_a_right();
  for (int i = rows_ - 1; i > 0; --i) {
    const std::size_t row = static_cast<std::size_t>(i) * cols_, above = row - cols_;
    std::copy_n(&b_el_[above], cols_, &b_el_[row]);
    std::copy_n(&b_val_[above * pack_], static_cast<std::size_t>(cols_) * pack_, &b_val_[row * pack_]);
  }
  inject_os(t_);

  const auto& folds = plan_->folds();
  int active = 0;
  for (int i = 0; i < rows_; ++i) {
    for (int j = 0; j < cols_; ++j) {
      const std::size_t pe = static_cast<std::size_t>(i) * cols_ + j;
      const Element& a = a_el_[pe];
      if (a.fold < 0) continue;
      assert(b_el_[pe].fold == a.fold && b_el_[pe].index == a.index);
      const Fold& fold = folds[a.fold];
      if (i >= fold.rows || j >= fold.cols) continue;  // padding of a partial fold
      if (acc_fold_[pe] != a.fold) {
        drain_os_pe(i, j);
        acc_fold_[pe] = a.fold;
      }
      std::int64_t sum = 0;
      for (int p = 0; p < pack_; ++p) {
        sum += static_cast<std::int64_t>(a_val_[pe * pack_ + p]) * b_val_[pe * pack_ + p];
      }
      acc_[pe] = wrap(acc_[pe] + sum * (std::int64_t{1} << (a.shift + b_el_[pe].shift)));
      ++active;
      complete_products(a.index, ops_->dims.k - static_cast<std::int64_t>(a.index / mode_.slices) * pack_);
    }
  }
  last_active_ = active;
  stats_.pe_active_cycles += active;
  current_fold_ = static_cast<std::int64_t>(std::min(row_cursor_[0], folds.size() - 1));
}

}  // namespace qtsim
