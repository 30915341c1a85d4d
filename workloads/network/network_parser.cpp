#include "workloads/network/network_parser.h"

#include <algorithm>
#include <map>
#include <optional>

#include "base/error.h"

namespace qtsim {
namespace {

// Ranges of the integer fields. A layer's forward MACs per sample are capped
// so that every count the lowering derives (times any realistic sample count)
// stays far from int64 overflow.
constexpr std::int64_t kMaxDimension = 65536;  // channels, features, height, width
constexpr std::int64_t kMaxKernel = 255;
constexpr std::int64_t kMaxStride = 255;
constexpr std::int64_t kMaxClasses = 1000000;
constexpr double kMaxMacsPerSample = 1e12;

std::string backticked(const std::string& s) { return "`" + s + "`"; }

std::string non_empty_string(const JsonNode& node) {
  std::string s = node.as_string();
  if (s.empty()) node.fail_value("must not be empty", "a non-empty string");
  return s;
}

class Parser {
 public:
  explicit Parser(const JsonNode& layers, Network& net) : layers_(layers), net_(net) {
    // Names as written, before validation, so that a reference to a later
    // layer can be told apart from a reference to no layer at all.
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const Json& layer = layers.value()[i];
      auto it = layer.is_object() ? layer.find("name") : layer.end();
      if (layer.is_object() && it != layer.end() && it->is_string()) {
        written_.emplace(it->get<std::string>(), static_cast<int>(i));
      }
    }
  }

  void parse_all() {
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      net_.layers.push_back(parse_layer(layers_.at(i), static_cast<int>(i)));
    }
    const JsonNode last = layers_.at(layers_.size() - 1);
    if (net_.layers.back().type != LayerType::softmax_cross_entropy) {
      last.at("type").fail_value("the last layer must be the loss", "\"softmax_cross_entropy\"");
    }
    for (std::size_t i = 0; i + 1 < net_.layers.size(); ++i) {
      if (net_.consumer_count(static_cast<int>(i)) == 0) {
        layers_.at(i).fail("output of layer " + backticked(net_.layers[i].name) +
                           " is never read; every layer but the loss must feed a later layer");
      }
    }
  }

 private:
  Layer parse_layer(const JsonNode& node, int index) {
    node.require_object();
    Layer layer;
    parse_name(node.at("name"), index, layer);
    JsonNode type_node = node.at("type");
    std::string type = type_node.as_choice(layer_type_names());
    for (std::size_t t = 0; t < layer_type_names().size(); ++t) {
      if (layer_type_names()[t] == type) layer.type = static_cast<LayerType>(t);
    }
    const int count = static_cast<int>(layers_.size());
    if (layer.type == LayerType::softmax_cross_entropy && index != count - 1) {
      type_node.fail_value("the loss must be the last layer (this is layers[" + std::to_string(index) + "] of " +
                               std::to_string(count) + ")",
                           "another type");
    }
    JsonNode inputs = node.at("inputs");
    parse_inputs(inputs, index, layer);
    std::optional<JsonNode> in_features;
    switch (layer.type) {
      case LayerType::conv:
        layer.out_channels = node.at("out_channels").as_int(1, kMaxDimension);
        layer.kernel = node.at("kernel").as_int(1, kMaxKernel);
        layer.stride = node.get_int("stride", layer.stride, 1, kMaxStride);
        layer.padding = node.get_int("padding", layer.padding, 0, layer.kernel - 1);
        layer.bias = node.get_bool("bias", Layer::kConvBias);
        break;
      case LayerType::fully_connected:
        layer.out_features = node.at("out_features").as_int(1, kMaxDimension);
        layer.bias = node.get_bool("bias", Layer::kFullyConnectedBias);
        in_features = node.find("in_features");
        break;
      case LayerType::shortcut_pad:
        layer.out_channels = node.at("out_channels").as_int(1, kMaxDimension);
        layer.stride = node.get_int("stride", Layer::kShortcutPadStride, 1, kMaxStride);
        break;
      case LayerType::max_pool:  // PyTorch's defaults and bound: stride = kernel, padding at most kernel / 2
        layer.kernel = node.at("kernel").as_int(1, kMaxKernel);
        layer.stride = node.get_int("stride", layer.kernel, 1, kMaxStride);
        layer.padding = node.get_int("padding", layer.padding, 0, layer.kernel / 2);
        break;
      default:
        break;
    }
    node.reject_unknown_keys();
    infer_shape(node, inputs, in_features, layer);
    return layer;
  }

  void parse_name(const JsonNode& name_node, int index, Layer& layer) {
    layer.name = non_empty_string(name_node);
    if (layer.name == net_.tensor_name(Layer::kNetworkInput)) {
      name_node.fail_value("reserved name (it stands for the network input)", "another name");
    }
    auto it = index_.find(layer.name);
    if (it != index_.end()) {
      name_node.fail_value("duplicate layer name (already used by layers[" + std::to_string(it->second) + "])",
                           "a unique name");
    }
    index_.emplace(layer.name, index);
  }

  void parse_inputs(const JsonNode& inputs, int index, Layer& layer) {
    const std::size_t wanted = layer.type == LayerType::add ? 2 : 1;
    if (inputs.size() != wanted) {
      inputs.fail_value(std::string("wrong number of inputs for a layer of type ") + to_string(layer.type),
                        std::to_string(wanted) + (wanted == 1 ? " name" : " names"));
    }
    const std::string expected = "\"input\" or the name of an earlier layer";
    for (std::size_t i = 0; i < wanted; ++i) {
      JsonNode ref = inputs.at(i);
      std::string name = ref.as_string();
      if (name == net_.tensor_name(Layer::kNetworkInput)) {
        layer.inputs.push_back(Layer::kNetworkInput);
        continue;
      }
      auto it = index_.find(name);
      if (it != index_.end() && it->second < index) {
        layer.inputs.push_back(it->second);
        continue;
      }
      auto later = written_.find(name);
      if (later != written_.end() && later->second >= index) {
        ref.fail_value(
            "not an earlier layer (it is layers[" + std::to_string(later->second) + "]; layers run in list order)",
            expected);
      }
      ref.fail_value("unknown layer", expected);
    }
  }

  void infer_shape(const JsonNode& node, const JsonNode& inputs, const std::optional<JsonNode>& in_features,
                   Layer& layer) {
    const TensorShape in = net_.output_shape(layer.inputs[0]);
    layer.in = in;
    layer.out = in;
    const std::string who = " of layer " + backticked(layer.name);
    switch (layer.type) {
      case LayerType::conv:
        layer.out = window_output(node, layer, layer.out_channels, who);
        break;
      case LayerType::max_pool:
        layer.out = window_output(node, layer, in.channels, who);
        break;
      case LayerType::fully_connected:
        if (in_features && in_features->as_int(1, INT64_MAX) != in.elements()) {
          in_features->fail_value("does not match the input" + who + " (" + in.to_string() + " = " +
                                      std::to_string(in.elements()) + " features)",
                                  std::to_string(in.elements()));
        }
        layer.out = {layer.out_features, 1, 1};
        break;
      case LayerType::add: {
        const TensorShape other = net_.output_shape(layer.inputs[1]);
        if (other != in) {
          inputs.fail("add layer " + backticked(layer.name) +
                      " reads two different shapes: " + backticked(net_.tensor_name(layer.inputs[0])) + " is " +
                      in.to_string() + " and " + backticked(net_.tensor_name(layer.inputs[1])) + " is " +
                      other.to_string() + "; expected equal shapes");
        }
        break;
      }
      case LayerType::shortcut_pad:
        if (layer.out_channels < in.channels) {
          node.at("out_channels")
              .fail_value("fewer than the " + std::to_string(in.channels) + " input channels" + who,
                          "at least " + std::to_string(in.channels));
        }
        // Keeps positions 0, s, 2s, ...: ceil(H / s) of them.
        layer.out = {layer.out_channels, (in.height + layer.stride - 1) / layer.stride,
                     (in.width + layer.stride - 1) / layer.stride};
        break;
      case LayerType::global_avg_pool:
        layer.out = {in.channels, 1, 1};
        break;
      case LayerType::softmax_cross_entropy:
        if (in.elements() != net_.num_classes) {
          inputs.at(0).fail_value("input" + who + " has " + std::to_string(in.elements()) + " elements (" +
                                      in.to_string() + ") but num_classes is " + std::to_string(net_.num_classes),
                                  "a tensor of " + std::to_string(net_.num_classes) + " elements");
        }
        layer.out = {net_.num_classes, 1, 1};
        break;
      default:
        break;
    }
    if (layer.is_gemm()) check_forward_macs(node, layer);
  }

  // The output shape of a conv or max_pool layer, whose kernel must fit the padded input.
  static TensorShape window_output(const JsonNode& node, const Layer& layer, std::int64_t channels,
                                   const std::string& who) {
    const TensorShape& in = layer.in;
    const std::int64_t room = std::min(in.height, in.width) + 2 * layer.padding;
    if (layer.kernel > room) {
      node.at("kernel").fail_value("larger than the padded input" + who + " (" + in.to_string() + " with padding " +
                                       std::to_string(layer.padding) + ")",
                                   "at most " + std::to_string(room));
    }
    return {channels, (in.height + 2 * layer.padding - layer.kernel) / layer.stride + 1,
            (in.width + 2 * layer.padding - layer.kernel) / layer.stride + 1};
  }

  // A GEMM layer's forward MACs per sample, once its shapes are known, must
  // stay within kMaxMacsPerSample.
  static void check_forward_macs(const JsonNode& node, const Layer& layer) {
    const TensorShape& in = layer.in;
    // Computed in double: the int64 product could overflow for absurd sizes.
    const bool conv = layer.type == LayerType::conv;
    const double macs = static_cast<double>(layer.out.height * layer.out.width) *
                        static_cast<double>(conv ? layer.out_channels : layer.out_features) *
                        static_cast<double>(conv ? in.channels * layer.kernel * layer.kernel : in.elements());
    if (macs > kMaxMacsPerSample) {
      node.fail("layer " + backticked(layer.name) + " needs " + std::to_string(static_cast<long long>(macs)) +
                " forward MACs per sample; at most 10^12 are supported");
    }
  }

  const JsonNode& layers_;
  Network& net_;
  std::map<std::string, int> index_;    // validated layers so far
  std::map<std::string, int> written_;  // every name as written (first occurrence)
};

}  // namespace

Network parse_network(const JsonNode& node) {
  node.require_object();
  Network net;
  net.name = non_empty_string(node.at("name"));
  net.description = node.get_string("description", net.description);
  JsonNode input = node.at("input");
  input.require_object();
  net.input.channels = input.at("channels").as_int(1, kMaxDimension);
  net.input.height = input.at("height").as_int(1, kMaxDimension);
  net.input.width = input.at("width").as_int(1, kMaxDimension);
  input.reject_unknown_keys();
  net.num_classes = node.at("num_classes").as_int(2, kMaxClasses);
  JsonNode layers = node.at("layers");
  if (layers.size() == 0) layers.fail_value("must not be empty", "at least one layer");
  node.reject_unknown_keys();
  Parser(layers, net).parse_all();
  return net;
}

}  // namespace qtsim
