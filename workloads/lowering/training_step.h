#pragma once
// The lowering of one training step of a network into GEMMs, vector work and
// activation-stash traffic (docs/training_lowering.md), for one precision group of
// `samples` samples.
//
// Called once per network by the compression metrics and by replay; the
// result is independent of the sample count: every GEMM has exactly one
// dimension that scales with the samples (M for fwd and bwd_data, K for
// wgrad), every activation/gradient tensor scales with them, weights do not.
// GemmSpec::shape(samples) gives the concrete GEMM.
//
// Promises: bwd_data MACs == fwd MACs for every conv/fc layer (strided layers
// use the col2im form, whose scatter-add is vector work); the first GEMM layer
// has no bwd_data (more precisely: no layer computes a gradient for a tensor
// that depends on no trainable parameter); so a network with L conv/fc layers,
// one of which reads the network input, lowers to 3L - 1 GEMMs per precision
// group (ResNet-20 option A: 59, option B: 65). What each list counts:
// workloads/network/README.md, "Lowering".
#include <cstdint>
#include <string>
#include <vector>

namespace qtsim {

enum class Phase { fwd, bwd_data, wgrad, update };
const char* to_string(Phase phase);  // "fwd", "bwd_data", "wgrad", "update"

// Which bit width an operand is held at: bA, bW or bG of its group.
enum class Role { activation, weight, gradient };
const char* to_string(Role role);  // "activation", "weight", "gradient"

// A GEMM operand, counted as the tensor it is read from (not its im2col view).
struct OperandSpec {
  Role role = Role::activation;
  std::int64_t elements_per_sample = 0;  // activation and gradient tensors
  std::int64_t elements_fixed = 0;       // weights (independent of the samples)
  std::int64_t elements(std::int64_t samples) const { return elements_per_sample * samples + elements_fixed; }
};

struct GemmShape {
  std::int64_t m = 0, k = 0, n = 0;
  std::int64_t macs() const { return m * k * n; }
};

// The tensors behind a GEMM, per sample: the loop nest of a convolution
// (samples x out_h x out_w positions, channels p and q, a kernel x kernel
// window) that the accelerator's DMA and on-chip address generator work from
// (hw_models/memory/tensor_gemm.h, which this mirrors without depending on
// the hardware models; docs/training_lowering.md, "Tensors"):
//   conv:   M = positions, K = p x window, N = q (forward; backward data in
//           the direct form, a stride-1 convolution of the output gradient
//           with pad kernel - 1 - padding); A is the haloed tensor
//           (in_h x in_w), C the output;
//   col2im: M = positions, K = p, N = q x window; C, scattered on chip, is
//           the haloed tensor (the input gradient);
//   wgrad:  M = p, K = positions, N = q x window; B is the haloed tensor.
// A fully-connected layer is a 1 x 1 convolution on a 1 x 1 image.
struct GemmTensors {
  enum class Form { conv, col2im, wgrad };
  Form form = Form::conv;
  std::int64_t out_h = 1, out_w = 1, in_h = 1, in_w = 1;
  std::int64_t p = 1, q = 1;
  std::int64_t kernel = 1, stride = 1, pad = 0;
};

// C (M x N) = A (M x K) * B (K x N).
struct GemmSpec {
  enum class BatchDim { m, k };
  std::string layer;
  Phase phase = Phase::fwd;
  std::int64_t m = 0, k = 0, n = 0;  // with the batch dimension given per sample
  BatchDim batch_dim = BatchDim::m;
  OperandSpec a, b;
  bool col2im = false;  // bwd_data in the col2im form (strided or shape-changing layer)
  GemmTensors tensors;

  GemmShape shape(std::int64_t samples) const;
  std::int64_t macs_per_sample() const { return m * k * n; }
};

enum class VectorOp {
  quantize,  // FP32 -> operand width (bits of `role`)
  batch_norm_fwd,
  batch_norm_bwd,
  relu_fwd,
  relu_bwd,
  add_fwd,           // residual add
  add_bwd,           // gradient fan-in at a residual fork
  shortcut_pad_fwd,  // option A: stride-2 subsample + zero channels
  shortcut_pad_bwd,
  pool_fwd,  // global average pooling: input elements; max pooling: window elements read
  pool_bwd,
  softmax_ce_fwd,
  softmax_ce_bwd,
  col2im,           // scatter-add of a col2im bwd_data GEMM's output
  bias_grad,        // reduction of the output gradient over samples and positions
  grad_accumulate,  // FP32 weight-gradient accumulation across precision groups
  sgd_momentum,     // optimizer step on FP32 master weights (once per iteration)
};
const char* to_string(VectorOp op);

struct VectorSpec {
  std::string layer;
  Phase phase = Phase::fwd;
  VectorOp op = VectorOp::relu_fwd;
  Role role = Role::activation;          // for quantize: which width it produces
  std::int64_t elements_per_sample = 0;  // elements processed per sample
  std::int64_t elements_fixed = 0;       // per group (or per iteration for sgd_momentum)
  std::int64_t elements(std::int64_t samples) const { return elements_per_sample * samples + elements_fixed; }
};

// A tensor saved in forward and read back in backward.
struct StashSpec {
  // pool_index: per max_pool output, the position of its maximum in the window, index_bits each.
  enum class Format { activation_bits, mask_1bit, fp32, pool_index };
  std::string layer;
  Format format = Format::activation_bits;
  std::int64_t elements_per_sample = 0;
  int index_bits = 0;  // pool_index only: ceil(log2(kernel^2)), at least 1
  // Read back by a conv/FC layer's weight-gradient GEMM (as its A operand,
  // loaded by the GEMM's own tiles), not by vector work.
  bool read_by_gemm = false;
  // elements_per_sample x (act_bits, 1, 32 or index_bits by format).
  std::int64_t bits_per_sample(int act_bits) const;
};

struct TrainingStep {
  std::vector<GemmSpec> gemms;  // in execution order: all fwd, then backward layer by layer
  std::vector<VectorSpec> vector_ops;
  std::vector<StashSpec> stash;
  std::int64_t parameters = 0;  // trainable parameters (FP32 master weights)

  // Sums of GemmSpec::macs_per_sample(): over all GEMMs, or over one phase's.
  std::int64_t macs_per_sample() const;
  std::int64_t macs_per_sample(Phase phase) const;
};

struct Network;
TrainingStep lower_training_step(const Network& network);

}  // namespace qtsim
