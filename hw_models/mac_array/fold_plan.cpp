#include "hw_models/mac_array/fold_plan.h"

#include <algorithm>

namespace qtsim {

FoldPlan::FoldPlan(const MacArrayConfig& array, const PeMode& mode, const GemmDims& gemm)
    : array_(array), mode_(mode), gemm_(gemm) {
  const std::int64_t r = array.rows, c = array.cols;
  if (array.dataflow == Dataflow::os) {
    const std::int64_t stream = mode.stream_length(gemm.k);
    for (std::int64_t row0 = 0; row0 < gemm.m; row0 += r) {
      for (std::int64_t col0 = 0; col0 < gemm.n; col0 += c) {
        folds_.push_back(Fold{row0, std::min(r, gemm.m - row0), 0, gemm.k, col0, std::min(c, gemm.n - col0), stream});
      }
    }
  } else {
    const std::int64_t k_per_fold = r * mode.pack;
    const std::int64_t stream = gemm.m * mode.slices;
    for (std::int64_t k0 = 0; k0 < gemm.k; k0 += k_per_fold) {
      for (std::int64_t col0 = 0; col0 < gemm.n; col0 += c) {
        folds_.push_back(
            Fold{0, gemm.m, k0, std::min(k_per_fold, gemm.k - k0), col0, std::min(c, gemm.n - col0), stream});
      }
    }
  }
  // Cycle at which each fold's stream starts (ws: after its weight preload).
  const std::int64_t preload = array.dataflow == Dataflow::ws ? r : 0;
  const std::int64_t drain = r + c - 2;  // the wavefront's trip from the first to the far corner
  for (std::size_t i = 0; i < folds_.size(); ++i) {
    if (i == 0) {
      starts_.push_back(preload);
    } else if (!array.pipelined_folds) {
      starts_.push_back(starts_[i - 1] + fold_cycles(folds_[i - 1]));
    } else if (array.dataflow == Dataflow::os) {
      starts_.push_back(starts_[i - 1] + folds_[i - 1].stream);
    } else {
      starts_.push_back(starts_[i - 1] + std::max(folds_[i - 1].stream, 2 * r + c - 1));
    }
  }
  if (!folds_.empty()) total_ = starts_.back() + folds_.back().stream + drain;
}

std::int64_t FoldPlan::fold_cycles(const Fold& fold) const {
  const std::int64_t r = array_.rows, c = array_.cols;
  return array_.dataflow == Dataflow::os ? fold.stream + r + c - 2 : fold.stream + 2 * r + c - 2;
}

std::int64_t FoldPlan::total_cycles() const { return total_; }

}  // namespace qtsim
