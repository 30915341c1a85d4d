// SystolicArray, weight-stationary dataflow: one clock cycle.
#include <algorithm>
#include <cassert>

#include "hw_models/mac_array/systolic_array.h"

namespace qtsim {

// Weights enter at the top edge and shift down for R cycles; after the last,
// PE row i holds fold f's weights for K values k0 + i*pack ... (all chunks).
void SystolicArray::preload_ws(std::int64_t t) {
  const auto& folds = plan_->folds();
  const std::int64_t r = rows_;
  while (preload_cursor_ < folds.size() && t >= plan_->fold_start(preload_cursor_)) ++preload_cursor_;
  if (preload_cursor_ == folds.size() || t < plan_->fold_start(preload_cursor_) - r) return;
  const auto f = static_cast<std::int32_t>(preload_cursor_);
  const Fold& fold = folds[f];
  const GemmDims& d = ops_->dims;
  const std::size_t per_pe = static_cast<std::size_t>(mode_.b_chunks) * pack_;
  for (int i = rows_ - 1; i > 0; --i) {
    const std::size_t row = static_cast<std::size_t>(i) * cols_, above = row - cols_;
    std::copy_n(&w_next_[above * per_pe], cols_ * per_pe, &w_next_[row * per_pe]);
    std::copy_n(&w_next_fold_[above], cols_, &w_next_fold_[row]);
  }
  const std::int64_t pe_row = r - 1 - (t - (plan_->fold_start(f) - r));  // the row this weight row is for
  for (int j = 0; j < cols_; ++j) {
    std::int32_t* w = &w_next_[static_cast<std::size_t>(j) * per_pe];
    for (int c = 0; c < mode_.b_chunks; ++c) {
      const std::int32_t* chunk = &b_chunks_[static_cast<std::size_t>(c) * d.k * d.n];
      for (int p = 0; p < pack_; ++p) {
        const std::int64_t kk = pe_row * pack_ + p;
        w[c * pack_ + p] = (j < fold.cols && kk < fold.k_len) ? chunk[(fold.k0 + kk) * d.n + fold.col0 + j] : 0;
      }
    }
    w_next_fold_[j] = f;
  }
  stats_.weight_loads += cols_;
}

void SystolicArray::inject_ws(std::int64_t t) {
  const auto& folds = plan_->folds();
  const GemmDims& d = ops_->dims;
  const int slices = mode_.slices;
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
    const int q = s % slices, ia = q / mode_.b_chunks, jb = q % mode_.b_chunks;
    a_el_[pe] = Element{f, s, ia * mode_.a_chunk_bits, jb};
    const std::int32_t* row = &a_chunks_[(ia * d.m + s / slices) * d.k + fold.k0];
    for (int p = 0; p < pack_; ++p) {
      const std::int64_t kk = static_cast<std::int64_t>(i) * pack_ + p;
      values[p] = kk < fold.k_len ? row[kk] : 0;
    }
  }
}

void SystolicArray::step_ws() {
  preload_ws(t_);
  shift_a_right();
  inject_ws(t_);

  const auto& folds = plan_->folds();
  const GemmDims& d = ops_->dims;
  const std::size_t per_pe = static_cast<std::size_t>(mode_.b_chunks) * pack_;
  int active = 0;
  // Partial sums move down one row: walk from the bottom so each row reads
  // the row above as it was in the previous cycle.
  for (int i = rows_ - 1; i >= 0; --i) {
    for (int j = 0; j < cols_; ++j) {
      const std::size_t pe = static_cast<std::size_t>(i) * cols_ + j;
      const Element& a = a_el_[pe];
      [[maybe_unused]] const Element from_above = i > 0 ? psum_el_[pe - cols_] : a;
      std::int64_t psum = i > 0 ? acc_[pe - cols_] : 0;
      if (a.fold >= 0) {
        assert(from_above.fold == a.fold && from_above.index == a.index);
        if (w_cur_fold_[pe] != a.fold) {  // the new fold's first element: latch its weights
          assert(w_next_fold_[pe] == a.fold);
          std::copy_n(&w_next_[pe * per_pe], per_pe, &w_cur_[pe * per_pe]);
          w_cur_fold_[pe] = a.fold;
        }
        const Fold& fold = folds[a.fold];
        const std::int64_t k_left = fold.k_len - static_cast<std::int64_t>(i) * pack_;
        if (k_left > 0 && j < fold.cols) {
          std::int64_t sum = 0;
          const std::int32_t* w = &w_cur_[pe * per_pe + static_cast<std::size_t>(a.chunk) * pack_];
          for (int p = 0; p < pack_; ++p) sum += static_cast<std::int64_t>(a_val_[pe * pack_ + p]) * w[p];
          psum = wrap(psum + sum * (std::int64_t{1} << (a.shift + a.chunk * mode_.b_chunk_bits)));
          ++active;
          complete_products(a.index, k_left);
        }
      }
      acc_[pe] = psum;
      psum_el_[pe] = a.fold >= 0 ? a : Element{};
    }
  }
  // Bottom edge: finished partial sums join the output accumulators.
  for (int j = 0; j < cols_; ++j) {
    const std::size_t pe = static_cast<std::size_t>(rows_ - 1) * cols_ + j;
    const Element& e = psum_el_[pe];
    if (e.fold < 0) continue;
    const Fold& fold = folds[e.fold];
    if (j >= fold.cols) continue;
    std::int64_t& out = c_[(e.index / mode_.slices) * d.n + fold.col0 + j];
    out = wrap(out + acc_[pe]);
  }
  last_active_ = active;
  stats_.pe_active_cycles += active;
  current_fold_ = static_cast<std::int64_t>(std::min(row_cursor_[0], folds.size() - 1));
}

}  // namespace qtsim
