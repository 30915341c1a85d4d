#include "workloads/network/network.h"

namespace qtsim {

namespace {
const std::string kInputName = "input";
}  // namespace

std::int64_t Network::parameters() const {
  std::int64_t total = 0;
  for (const Layer& layer : layers) total += layer.parameters();
  return total;
}

std::int64_t Network::forward_macs_per_sample() const {
  std::int64_t total = 0;
  for (const Layer& layer : layers) total += layer.forward_macs_per_sample();
  return total;
}

int Network::gemm_layer_count() const {
  int count = 0;
  for (const Layer& layer : layers) count += layer.is_gemm() ? 1 : 0;
  return count;
}

const TensorShape& Network::output_shape(int index) const {
  return index == Layer::kNetworkInput ? input : layers.at(static_cast<std::size_t>(index)).out;
}

const std::string& Network::tensor_name(int index) const {
  return index == Layer::kNetworkInput ? kInputName : layers.at(static_cast<std::size_t>(index)).name;
}

int Network::consumer_count(int index) const {
  int count = 0;
  for (const Layer& layer : layers) {
    for (int input : layer.inputs) count += input == index ? 1 : 0;
  }
  return count;
}

Json Network::to_json() const {
  Json out_layers = Json::array();
  for (const Layer& layer : layers) {
    Json inputs = Json::array();
    for (int input : layer.inputs) inputs.push_back(tensor_name(input));
    Json j = {{"name", layer.name}, {"type", to_string(layer.type)}, {"inputs", inputs}};
    switch (layer.type) {
      case LayerType::conv:
        j["out_channels"] = layer.out_channels;
        j["kernel"] = layer.kernel;
        j["stride"] = layer.stride;
        j["padding"] = layer.padding;
        j["bias"] = layer.bias;
        break;
      case LayerType::fully_connected:
        j["out_features"] = layer.out_features;
        j["bias"] = layer.bias;
        break;
      case LayerType::shortcut_pad:
        j["out_channels"] = layer.out_channels;
        j["stride"] = layer.stride;
        break;
      case LayerType::max_pool:
        j["kernel"] = layer.kernel;
        j["stride"] = layer.stride;
        j["padding"] = layer.padding;
        break;
      default:
        break;
    }
    out_layers.push_back(std::move(j));
  }
  Json j = {{"name", name},
            {"input", {{"channels", input.channels}, {"height", input.height}, {"width", input.width}}},
            {"num_classes", num_classes},
            {"layers", std::move(out_layers)}};
  if (!description.empty()) j["description"] = description;
  return j;
}

}  // namespace qtsim
