#pragma once
// expected_access_counts: the buffer accesses of one tile computed on the
// systolic array, in closed form, per dataflow. The integrated reference
// model (array + buffers) counts the same accesses cycle by cycle and its
// tests compare against this; fast mode uses it directly. Plain C++.
//
// Model of the array's buffer traffic (hw_models/memory/README.md, "Buffer
// accesses of one tile"). The tile's folds are those of FoldPlan for a GEMM
// of m_len x k_len x n_len; P = mode.pack, S = mode.slices. Values are stored
// at their bits (mode.a_bits, mode.b_bits, accumulator_bits), packed per
// SramBuffer::words_for. A *stream element* is one lane's operand for one
// stream step: up to P values along K (fewer only in the last K group).
// Every edge read of one stream step is one vector request; its words are
// words_for(values of the step) in the buffer of that operand.
//   os: per stream step of a fold, each active row reads one element of A
//       and each active column one element of B (re-read for every slice);
//       each output is written once when its fold drains (one vector of
//       cols_f values per output row), and, in a K tile other than the
//       first, first read (the partial sum of the previous K tiles).
//   ws: per fold, the preload reads each weight once: one element per
//       active PE row and column (ceil(k_f / P) rows of up to P values);
//       per stream step each active row reads one element of A (one vector
//       of the fold's k_f values of one row of A, re-read for every slice);
//       per fold each output row leaves the bottom edge as one vector of
//       cols_f partial sums (its S slices combined in the edge register) and
//       is written once; it is read first unless the fold is the first along
//       K of the first K tile.
#include <cstdint>
#include <string>

#include "hw_models/config/memory_config.h"
#include "hw_models/memory/tiler.h"
#include "hw_models/pe/pe_mode.h"

namespace qtsim {

struct AccessCounts {
  std::int64_t a_read_elements = 0, a_read_words = 0;    // A buffer
  std::int64_t b_read_elements = 0, b_read_words = 0;    // B buffer
  std::int64_t out_read_values = 0, out_read_words = 0;  // output buffer, at accumulator_bits
  std::int64_t out_write_values = 0, out_write_words = 0;
  bool operator==(const AccessCounts& other) const;
};

// Uses tile.m_len, k_len, n_len and first_k.
AccessCounts expected_access_counts(Dataflow dataflow, const Tile& tile, const PeMode& mode, int accumulator_bits,
                                    const BufferConfig& a_buffer, const BufferConfig& b_buffer,
                                    const BufferConfig& out_buffer, int array_rows, int array_cols);

}  // namespace qtsim
