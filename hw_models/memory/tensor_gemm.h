#pragma once
// TensorGemm: a GEMM as the loop nest of a convolution over tensors stored in
// their own layout in DRAM (hw_models/memory/README.md, "Tensors in DRAM").
// The DMA moves blocks of these tensors; the on-chip address generator turns
// the resident blocks into the GEMM's operand streams (im2col, the
// transposed convolution, the weight-gradient patches), so the array sees the
// same GEMM as before while DRAM sees each tensor at its own size.
//
// Loops: S samples, Y x X positions per sample, P and Q channels, and the
// whole R = kernel x kernel window. How they make the GEMM and its operands:
//
// | form   | M       | K       | N     | A (M x K)           | B (K x N)          | C (M x N)                 |
// |--------|---------|---------|-------|---------------------|--------------------|---------------------------|
// | conv   | S Y X   | P R     | Q     | haloed[S][P]        | weights[Q][P][R]   | plain[S][Q][Y][X]         |
// | col2im | S Y X   | P       | Q R   | plain[S][P][Y][X]   | weights[P][Q][R]   | haloed[S][Q] (scattered)  |
// | wgrad  | P       | S Y X   | Q R   | plain[S][P][Y][X]   | haloed[S][Q]       | weights[P][Q][R]          |
//
// "haloed" is the tensor a convolution window reads, of `in_h` x `in_w`
// values per channel and sample: positions y0 .. y1 of a tile need its rows
// y0 * stride - pad .. y1 * stride - pad + kernel - 1, clipped to [0, in_h)
// (padding is generated on chip, never moved), and likewise its columns.
// A GEMM's M (and wgrad's K) index runs over samples, then rows, then
// columns; conv's K over channels, then the window; col2im's and wgrad's N
// over channels, then the window. A plain GEMM (no tensor behind it) is the
// conv form of a 1 x 1 convolution: S = M, Y = X = 1, P = K, Q = N.
#include <cstdint>

#include "hw_models/mac_array/fold_plan.h"

namespace qtsim {

enum class GemmForm { conv, col2im, wgrad };
const char* to_string(GemmForm form);  // "conv", "col2im", "wgrad"

struct TensorGemm {
  GemmForm form = GemmForm::conv;
  std::int64_t samples = 1;
  std::int64_t out_h = 1, out_w = 1;  // Y, X: the positions the loop nest runs over
  std::int64_t in_h = 1, in_w = 1;    // the haloed tensor's height and width
  std::int64_t p = 1, q = 1;          // channels
  std::int64_t kernel = 1, stride = 1, pad = 0;

  std::int64_t window() const { return kernel * kernel; }
  std::int64_t positions() const { return samples * out_h * out_w; }
  GemmDims dims() const;
  // Rows (columns) of the haloed tensor that positions [y0, y0 + len) read.
  std::int64_t halo_rows(std::int64_t y0, std::int64_t len) const { return span(y0, len, in_h); }
  std::int64_t halo_cols(std::int64_t x0, std::int64_t len) const { return span(x0, len, in_w); }
  // Every value each operand's tensor holds that the GEMM reads or writes,
  // once: A, B and C (compulsory traffic is these at their widths).
  std::int64_t a_values() const;
  std::int64_t b_values() const;
  std::int64_t c_values() const;
  // Which operand is the haloed tensor: 'A' (conv), 'C' (col2im) or 'B' (wgrad).
  char haloed_operand() const;

 private:
  std::int64_t span(std::int64_t first, std::int64_t len, std::int64_t size) const;
};

// The conv form of a 1 x 1 convolution with the GEMM's shape.
TensorGemm plain_gemm(const GemmDims& dims);

}  // namespace qtsim
