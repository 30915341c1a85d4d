#include "hw_models/memory/tensor_gemm.h"

#include <algorithm>

namespace qtsim {

const char* to_string(GemmForm form) {
  switch (form) {
    case GemmForm::conv:
      return "conv";
    case GemmForm::col2im:
      return "col2im";
    case GemmForm::wgrad:
      return "wgrad";
  }
  return "conv";
}

GemmDims TensorGemm::dims() const {
  switch (form) {
    case GemmForm::conv:
      return {positions(), p * window(), q};
    case GemmForm::col2im:
      return {positions(), p, q * window()};
    case GemmForm::wgrad:
      return {p, positions(), q * window()};
  }
  return {};
}

std::int64_t TensorGemm::span(std::int64_t first, std::int64_t len, std::int64_t size) const {
  const std::int64_t lo = std::max<std::int64_t>(0, first * stride - pad);
  const std::int64_t hi = std::min<std::int64_t>(size, (first + len - 1) * stride - pad + kernel);
  return std::max<std::int64_t>(0, hi - lo);
}

char TensorGemm::haloed_operand() const { return form == GemmForm::conv ? 'A' : form == GemmForm::col2im ? 'C' : 'B'; }

namespace {
std::int64_t haloed_values(const TensorGemm& g, std::int64_t channels) {
  return g.samples * channels * g.halo_rows(0, g.out_h) * g.halo_cols(0, g.out_w);
}
}  // namespace

std::int64_t TensorGemm::a_values() const { return form == GemmForm::conv ? haloed_values(*this, p) : positions() * p; }

std::int64_t TensorGemm::b_values() const {
  return form == GemmForm::wgrad ? haloed_values(*this, q) : p * q * window();
}

std::int64_t TensorGemm::c_values() const {
  switch (form) {
    case GemmForm::conv:
      return positions() * q;
    case GemmForm::col2im:
      return haloed_values(*this, q);
    case GemmForm::wgrad:
      return p * q * window();
  }
  return 0;
}

TensorGemm plain_gemm(const GemmDims& dims) {
  TensorGemm g;
  g.samples = dims.m;
  g.p = dims.k;
  g.q = dims.n;
  return g;
}

}  // namespace qtsim
