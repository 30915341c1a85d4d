#pragma once
// The edge reads of one tile on the systolic array, as a time-ordered list of
// runs of identical stream steps: what SystolicArray::edge_read_a/b
// (hw_models/mac_array/systolic_array.cpp) request at each array step, without
// stepping the array. Used by the tile model (tile_model.h).
//
// Per fold of FoldPlan (array step t counts steps that were not port stalls):
//   os: steps [start, start + T): A reads one element per fold row, B one per
//       fold column, of `pack` values each, fewer in the last K group;
//   ws: steps [start, start + M S): A reads one row of the fold's k_len
//       values (ceil(k_len / pack) elements); steps [start - R, start): the
//       weight preload reads one row of B per used PE row, from the bottom PE
//       row up (the top used row, read first, holds the last K group).
// Steps with no read on either edge are left out: they never stall.
#include <cstdint>
#include <vector>

#include "hw_models/mac_array/fold_plan.h"
#include "hw_models/mac_array/systolic_array.h"

namespace qtsim {

struct EdgeRun {
  std::int64_t steps = 0;  // consecutive array steps with these requests
  std::int64_t a_elements = 0, a_words = 0;
  std::int64_t b_elements = 0, b_words = 0;
};

// `plan` is the tile's FoldPlan (on its m x k x n); bits are the mode's requested widths.
std::vector<EdgeRun> edge_schedule(const MacArrayConfig& array, const PeMode& mode, const FoldPlan& plan,
                                   const GemmDims& tile, const EdgeBuffers& buffers);

}  // namespace qtsim
