// SystolicArray, weight-stationary dataflow: one clock cycle.
#include <algorithm>
#include <cassert>

#include "hw_models/mac_array/mac_kernels.h"
#include "hw_models/mac_array/systolic_array.h"
#include "hw_models/sram/sram_buffer.h"

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
      const std::int32_t* chunk = &b_data_[static_cast<std::size_t>(c) * d.k * d.n];
      for (int p = 0; p < pack_; ++p) {
        const std::int64_t kk = pe_row * pack_ + p;
        w[c * pack_ + p] = (j < fold.cols && kk < fold.k_len) ? chunk[(fold.k0 + kk) * d.n + fold.col0 + j] : 0;
      }
    }
    w_next_fold_[j] = f;
  }
  stats_.weight_loads += cols_;
}

void SystolicArray::step_ws() {
  preload_ws(t_);
  inject_a(t_);

  const auto& folds = plan_->folds();
  int active = 0;
  int f = -1;
  // Partial sums move down one row: walk from the bottom so each row reads
  // the row above as it was in the previous cycle.
  const bool steady = interior(t_, &f);
  if (steady && delta_ok_) {
    active = step_ws_steady32(folds[f]);
  } else if (steady) {
    active = step_ws_steady(folds[f]);
  } else {
    active = step_ws_elements();
  }
  drain_ws_bottom();
  last_active_ = active;
  stats_.pe_active_cycles += active;
  current_fold_ = static_cast<std::int64_t>(std::min(row_cursor_[0], folds.size() - 1));
}

// Steady state in 32 bits (exact, see delta_ok_): the partial sums move
// down through psum32_, which takes over from acc_ for the steady state.
// Returns the active PEs.
int SystolicArray::step_ws_steady32(const Fold& fold) {
  const std::size_t per_pe = static_cast<std::size_t>(mode_.b_chunks) * pack_;
  const int cols = static_cast<int>(fold.cols);
  const int used_rows = static_cast<int>(std::min<std::int64_t>(rows_, (fold.k_len + pack_ - 1) / pack_));
  if (!psum32_live_) {
    for (std::size_t pe = 0; pe < acc_.size(); ++pe) psum32_[pe] = static_cast<std::int32_t>(acc_[pe]);
    psum32_live_ = true;
  }
  for (int i = rows_ - 1; i >= 0; --i) {
    std::int32_t* psum = &psum32_[static_cast<std::size_t>(i) * cols_];
    const std::int32_t* above = i > 0 ? &psum32_[static_cast<std::size_t>(i - 1) * cols_] : zeros_.data();
    if (i >= used_rows) {  // rows beyond the fold's K pass partial sums on
      std::copy_n(above, cols_, psum);
      continue;
    }
    pass_partial_sums(psum, above, &a_val_[a_pos(i, 0) * pack_], &w_cur_[static_cast<std::size_t>(i) * cols_ * per_pe],
                      cols, pack_);
    std::copy(above + cols, above + cols_, psum + cols);
  }
  return used_rows * cols;
}

// Steady state (weights latched, no shifts): psum(i) = psum(i-1) + a.w.
// Returns the active PEs.
int SystolicArray::step_ws_steady(const Fold& fold) {
  const std::size_t per_pe = static_cast<std::size_t>(mode_.b_chunks) * pack_;
  const int cols = static_cast<int>(fold.cols);
  const int used_rows = static_cast<int>(std::min<std::int64_t>(rows_, (fold.k_len + pack_ - 1) / pack_));
  bool out_of_range = false;
  for (int i = rows_ - 1; i >= 0; --i) {
    std::int64_t* psum = &acc_[static_cast<std::size_t>(i) * cols_];
    const std::int64_t* above = i > 0 ? &acc_[static_cast<std::size_t>(i - 1) * cols_] : nullptr;
    const std::int32_t* a = &a_val_[a_pos(i, 0) * pack_];
    const std::int32_t* w = &w_cur_[static_cast<std::size_t>(i) * cols_ * per_pe];
    if (i >= used_rows) {  // rows beyond the fold's K pass partial sums on
      for (int j = 0; j < cols_; ++j) psum[j] = above ? above[j] : 0;
      continue;
    }
    std::int64_t low = acc_min_, high = acc_max_;
    for (int j = 0; j < cols; ++j) {
      std::int64_t sum = 0;
      if (pack_ == 1) {
        sum = std::int64_t{a[j]} * w[j * per_pe];
      } else {
        for (int p = 0; p < pack_; ++p) sum += std::int64_t{a[j * pack_ + p]} * w[j * per_pe + p];
      }
      psum[j] = (above ? above[j] : 0) + sum;
      low = std::min(low, psum[j]);
      high = std::max(high, psum[j]);
    }
    out_of_range |= low < acc_min_ || high > acc_max_;
    for (int j = cols; j < cols_; ++j) psum[j] = above ? above[j] : 0;
  }
  if (out_of_range) {
    for (int i = 0; i < used_rows; ++i) {
      for (int j = 0; j < cols; ++j) acc_[static_cast<std::size_t>(i) * cols_ + j] = wrap(acc_[i * cols_ + j]);
    }
  }
  return used_rows * cols;
}

// Any other cycle (fills, drains, fold changes, slices): PE by PE, each with
// its element's fold, chunk and shift; a PE latches the weights of a new
// fold with its first element. Returns the active PEs.
int SystolicArray::step_ws_elements() {
  const auto& folds = plan_->folds();
  const std::size_t per_pe = static_cast<std::size_t>(mode_.b_chunks) * pack_;
  int active = 0;
  if (psum32_live_) {  // the steady state ended: the partial sums return to acc_
    for (std::size_t pe = 0; pe < acc_.size(); ++pe) acc_[pe] = psum32_[pe];
    psum32_live_ = false;
  }
  for (int i = rows_ - 1; i >= 0; --i) {
    for (int j = 0; j < cols_; ++j) {
      const std::size_t pe = static_cast<std::size_t>(i) * cols_ + j;
      const Element& a = a_el_[a_pos(i, j)];
      std::int64_t psum = i > 0 ? acc_[pe - cols_] : 0;
      if (a.fold >= 0) {
        if (w_cur_fold_[pe] != a.fold) {  // the new fold's first element: latch its weights
          assert(w_next_fold_[pe] == a.fold);
          std::copy_n(&w_next_[pe * per_pe], per_pe, &w_cur_[pe * per_pe]);
          w_cur_fold_[pe] = a.fold;
        }
        const Fold& fold = folds[a.fold];
        if (static_cast<std::int64_t>(i) * pack_ < fold.k_len && j < fold.cols) {
          std::int64_t sum = 0;
          const std::int32_t* av = &a_val_[a_pos(i, j) * pack_];
          const std::int32_t* w = &w_cur_[pe * per_pe + static_cast<std::size_t>(a.chunk) * pack_];
          for (int p = 0; p < pack_; ++p) sum += std::int64_t{av[p]} * w[p];
          psum = wrap(psum + sum * (std::int64_t{1} << (a.shift + a.chunk * mode_.b_chunk_bits)));
          ++active;
        }
      }
      acc_[pe] = psum;
    }
  }
  return active;
}

// Bottom edge: finished partial sums join the output accumulators; an
// element's last slice completes the fold's K products of C[m][n].
void SystolicArray::drain_ws_bottom() {
  const auto& folds = plan_->folds();
  const GemmDims& d = ops_->dims;
  const std::size_t bottom = static_cast<std::size_t>(rows_ - 1) * cols_;
  for (int j = 0; j < cols_; ++j) {
    const Element& e = a_el_[a_pos(rows_ - 1, j)];
    if (e.fold < 0) continue;
    const Fold& fold = folds[e.fold];
    if (j >= fold.cols) continue;
    std::int64_t& out = c_[(e.index / mode_.slices) * d.n + fold.col0 + j];
    out = wrap(out + (psum32_live_ ? std::int64_t{psum32_[bottom + j]} : acc_[bottom + j]));
    if (e.index % mode_.slices == mode_.slices - 1) {
      stats_.macs += fold.k_len;
      // The slices of an element combine in the bottom-edge register; the
      // row of outputs then goes to the output buffer (read back first unless
      // it is the first partial sum of these outputs).
      if (j == 0) count_output_row(fold.cols, fold.k0 > 0 || onto_partial_sums_);
    }
  }
}

}  // namespace qtsim
