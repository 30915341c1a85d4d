#pragma once
// FoldPlan: how a GEMM C (M x N) = A (M x K) B (K x N) maps onto an R x C
// systolic array, fold by fold, and the closed-form cycle counts of
// docs/hardware_model.md (SCALE-Sim's formulation), which the cycle-level
// array reproduces exactly (tests/unit/mac_array_test.cpp):
//
//   os (output stationary): a fold holds R rows of M and C columns of N; the
//       dot products stream along K: T = ceil(K / pack) * slices elements;
//       a fold takes T + R + C - 2 cycles.
//   ws (weight stationary): a fold holds R * pack values of K (each PE keeps
//       `pack` weights) and C columns of N, preloaded in R cycles; the rows of
//       A stream through: T = M * slices; a fold takes T + 2R + C - 2 cycles.
//
// Partial folds (fewer rows or columns than the array) take the same time as
// full ones: operands skew through the whole array and the fold ends when its
// wavefront leaves the far corner (SCALE-Sim's convention). By default folds
// do not overlap. With pipelined folds, the next fold's fill runs under the
// previous fold's drain: os costs sum(T) + R + C - 2 (each PE hands its result
// to the output when the next fold's first element reaches it); ws preloads
// the next fold's weights into a second weight register under the current
// stream, which may begin once every PE has latched the current fold's
// weights (R + C - 1 cycles after its stream started), so a fold's stream
// starts max(T_prev, 2R + C - 1) after the previous one's:
// R + sum_{f < last} max(T_f, 2R + C - 1) + T_last + R + C - 2.
#include <cstdint>
#include <vector>

#include "hw_models/config/hardware_config.h"
#include "hw_models/pe/pe_mode.h"

namespace qtsim {

struct GemmDims {
  std::int64_t m = 0, k = 0, n = 0;
};

struct Fold {
  // os: rows of M [row0, row0 + rows), all of K. ws: K values [k0, k0 + k_len), all of M.
  std::int64_t row0 = 0, rows = 0;
  std::int64_t k0 = 0, k_len = 0;
  std::int64_t col0 = 0, cols = 0;  // columns of N
  std::int64_t stream = 0;          // T, stream elements
};

class FoldPlan {
 public:
  FoldPlan(const MacArrayConfig& array, const PeMode& mode, const GemmDims& gemm);

  const std::vector<Fold>& folds() const { return folds_; }
  // Cycles of one fold on its own (fill, stream, drain).
  std::int64_t fold_cycles(const Fold& fold) const;
  // Cycles of all folds in order (non-overlapped, or pipelined per the config).
  std::int64_t total_cycles() const;
  // Cycle at which fold `index` starts streaming (its first injection), from
  // the start of the GEMM; used by the cycle-level array and the tests.
  std::int64_t fold_start(std::size_t index) const { return starts_[index]; }

 private:
  MacArrayConfig array_;
  PeMode mode_;
  GemmDims gemm_;
  std::vector<Fold> folds_;
  std::vector<std::int64_t> starts_;
  std::int64_t total_ = 0;
};

}  // namespace qtsim
