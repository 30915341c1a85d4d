#include "workloads/lowering/training_step.h"

namespace qtsim {

const char* to_string(Phase phase) {
  switch (phase) {
    case Phase::fwd:
      return "fwd";
    case Phase::bwd_data:
      return "bwd_data";
    case Phase::wgrad:
      return "wgrad";
    case Phase::update:
      return "update";
  }
  return "?";
}

const char* to_string(Role role) {
  switch (role) {
    case Role::activation:
      return "activation";
    case Role::weight:
      return "weight";
    case Role::gradient:
      return "gradient";
  }
  return "?";
}

const char* to_string(VectorOp op) {
  switch (op) {
    case VectorOp::quantize:
      return "quantize";
    case VectorOp::batch_norm_fwd:
      return "batch_norm_fwd";
    case VectorOp::batch_norm_bwd:
      return "batch_norm_bwd";
    case VectorOp::relu_fwd:
      return "relu_fwd";
    case VectorOp::relu_bwd:
      return "relu_bwd";
    case VectorOp::add_fwd:
      return "add_fwd";
    case VectorOp::add_bwd:
      return "add_bwd";
    case VectorOp::shortcut_pad_fwd:
      return "shortcut_pad_fwd";
    case VectorOp::shortcut_pad_bwd:
      return "shortcut_pad_bwd";
    case VectorOp::pool_fwd:
      return "pool_fwd";
    case VectorOp::pool_bwd:
      return "pool_bwd";
    case VectorOp::softmax_ce_fwd:
      return "softmax_ce_fwd";
    case VectorOp::softmax_ce_bwd:
      return "softmax_ce_bwd";
    case VectorOp::col2im:
      return "col2im";
    case VectorOp::bias_grad:
      return "bias_grad";
    case VectorOp::grad_accumulate:
      return "grad_accumulate";
    case VectorOp::sgd_momentum:
      return "sgd_momentum";
  }
  return "?";
}

GemmShape GemmSpec::shape(std::int64_t samples) const {
  return batch_dim == BatchDim::m ? GemmShape{m * samples, k, n} : GemmShape{m, k * samples, n};
}

std::int64_t StashSpec::bits_per_sample(int act_bits) const {
  constexpr std::int64_t kFp32Bits = 32;
  switch (format) {
    case Format::activation_bits:
      return elements_per_sample * act_bits;
    case Format::mask_1bit:
      return elements_per_sample;
    case Format::fp32:
      return elements_per_sample * kFp32Bits;
    case Format::pool_index:
      return elements_per_sample * index_bits;
  }
  return 0;
}

std::int64_t TrainingStep::macs_per_sample() const {
  std::int64_t total = 0;
  for (const GemmSpec& gemm : gemms) total += gemm.macs_per_sample();
  return total;
}

std::int64_t TrainingStep::macs_per_sample(Phase phase) const {
  std::int64_t total = 0;
  for (const GemmSpec& gemm : gemms) total += gemm.phase == phase ? gemm.macs_per_sample() : 0;
  return total;
}

}  // namespace qtsim
