#pragma once
// Layer and TensorShape: one layer of a network description, with its shapes
// already inferred (docs/training_lowering.md; schema in workloads/network/README.md).
//
// Built only by parse_network() (network_parser.h), which validates every
// field and infers `in`/`out`; read by the lowering (lower_training_step) and
// by reports. A Layer that exists is consistent: its shapes agree with its
// parameters and with the layers it reads.
#include <cstdint>
#include <string>
#include <vector>

namespace qtsim {

// A per-sample activation tensor: channels x height x width (a vector of F
// features is F x 1 x 1).
struct TensorShape {
  std::int64_t channels = 0;
  std::int64_t height = 0;
  std::int64_t width = 0;

  std::int64_t elements() const { return channels * height * width; }
  std::string to_string() const;  // "16x32x32"

  friend bool operator==(const TensorShape& a, const TensorShape& b) {
    return a.channels == b.channels && a.height == b.height && a.width == b.width;
  }
  friend bool operator!=(const TensorShape& a, const TensorShape& b) { return !(a == b); }
};

enum class LayerType {
  conv,             // 2-D convolution, square kernel
  fully_connected,  // flattens its input
  batch_norm,       // per-channel gamma and beta
  relu,
  add,                    // residual add of two equal shapes
  shortcut_pad,           // ResNet option A shortcut: subsample by `stride`, zero-pad channels
  global_avg_pool,        // C x H x W -> C x 1 x 1
  max_pool,               // maximum over square windows, per channel
  softmax_cross_entropy,  // the loss; the last layer
};
const char* to_string(LayerType type);  // the JSON name, e.g. "fully_connected"
// The JSON names of all layer types, in declaration order.
const std::vector<std::string>& layer_type_names();

struct Layer {
  // Index in `inputs` that stands for the network input (JSON name "input").
  static constexpr int kNetworkInput = -1;

  std::string name;
  LayerType type = LayerType::relu;
  std::vector<int> inputs;  // indices of earlier layers, or kNetworkInput; 2 for add, else 1
  TensorShape in;           // shape of inputs[0] (both inputs of an add have this shape)
  TensorShape out;

  // Type parameters (defaults here are the JSON defaults); unused ones stay at
  // their defaults and are not written by Network::to_json().
  std::int64_t out_channels = 0;  // conv, shortcut_pad
  std::int64_t out_features = 0;  // fully_connected
  // stride: conv (default 1), shortcut_pad (default 2, kShortcutPadStride), max_pool (default: kernel);
  // padding: conv (zeros on each border), max_pool (positions on each border no window maximum takes).
  std::int64_t kernel = 1;  // conv, max_pool: kernel x kernel
  std::int64_t stride = 1;
  std::int64_t padding = 0;
  bool bias = false;  // conv default false, fully_connected default true

  static constexpr std::int64_t kShortcutPadStride = 2;
  static constexpr bool kConvBias = false;
  static constexpr bool kFullyConnectedBias = true;

  // conv and fully_connected: the layers that lower to GEMMs.
  bool is_gemm() const { return type == LayerType::conv || type == LayerType::fully_connected; }
  // GEMM weights without bias: Cout*Cin*k*k (conv), out*in (fully_connected); 0 otherwise.
  std::int64_t weight_elements() const;
  // Trainable parameters: weights + bias, or 2*C for batch_norm; 0 otherwise.
  std::int64_t parameters() const;
  // Multiply-accumulates of the forward GEMM for one sample: Ho*Wo*Cout*Cin*k*k
  // (conv), in*out (fully_connected), 0 for every other type.
  std::int64_t forward_macs_per_sample() const;
};

}  // namespace qtsim
