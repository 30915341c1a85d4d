#include "workloads/network/layer.h"

namespace qtsim {

std::string TensorShape::to_string() const {
  return std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width);
}

const char* to_string(LayerType type) {
  switch (type) {
    case LayerType::conv:
      return "conv";
    case LayerType::fully_connected:
      return "fully_connected";
    case LayerType::batch_norm:
      return "batch_norm";
    case LayerType::relu:
      return "relu";
    case LayerType::add:
      return "add";
    case LayerType::shortcut_pad:
      return "shortcut_pad";
    case LayerType::global_avg_pool:
      return "global_avg_pool";
    case LayerType::max_pool:
      return "max_pool";
    case LayerType::softmax_cross_entropy:
      return "softmax_cross_entropy";
  }
  return "?";
}

const std::vector<std::string>& layer_type_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all;
    for (int t = 0; t <= static_cast<int>(LayerType::softmax_cross_entropy); ++t) {
      all.push_back(to_string(static_cast<LayerType>(t)));
    }
    return all;
  }();
  return names;
}

std::int64_t Layer::weight_elements() const {
  switch (type) {
    case LayerType::conv:
      return out_channels * in.channels * kernel * kernel;
    case LayerType::fully_connected:
      return out_features * in.elements();
    default:
      return 0;
  }
}

std::int64_t Layer::parameters() const {
  switch (type) {
    case LayerType::conv:
      return weight_elements() + (bias ? out_channels : 0);
    case LayerType::fully_connected:
      return weight_elements() + (bias ? out_features : 0);
    case LayerType::batch_norm:
      return 2 * in.channels;
    default:
      return 0;
  }
}

std::int64_t Layer::forward_macs_per_sample() const {
  // One MAC per weight per output position: conv Ho*Wo*(Cout*Cin*k*k), fc 1*(out*in).
  return is_gemm() ? out.height * out.width * weight_elements() : 0;
}

}  // namespace qtsim
