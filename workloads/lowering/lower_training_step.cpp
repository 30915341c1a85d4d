// lower_training_step(), declared in training_step.h. What is counted, and
// why: workloads/network/README.md, "Lowering".
#include <set>
#include <utility>

#include "workloads/lowering/training_step.h"
#include "workloads/network/network.h"

namespace qtsim {
namespace {

class Lowering {
 public:
  explicit Lowering(const Network& net) : net_(net), requires_grad_(net.layers.size(), false) {
    // A tensor needs a gradient when it depends on a trainable parameter.
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      const Layer& layer = net.layers[i];
      bool needs = layer.parameters() > 0;
      for (int input : layer.inputs) needs = needs || needs_grad(input);
      requires_grad_[i] = needs;
    }
  }

  TrainingStep run() {
    for (std::size_t i = 0; i < net_.layers.size(); ++i) forward(static_cast<int>(i));
    for (std::size_t i = net_.layers.size(); i-- > 0;) backward(static_cast<int>(i));
    step_.parameters = net_.parameters();
    vector(std::string(), Phase::update, VectorOp::sgd_momentum, Role::weight, 0, step_.parameters);
    return std::move(step_);
  }

 private:
  bool needs_grad(int tensor) const {
    return tensor != Layer::kNetworkInput && requires_grad_[static_cast<std::size_t>(tensor)];
  }

  void vector(const std::string& layer, Phase phase, VectorOp op, Role role, std::int64_t per_sample,
              std::int64_t fixed = 0) {
    VectorSpec v;
    v.layer = layer;
    v.phase = phase;
    v.op = op;
    v.role = role;
    v.elements_per_sample = per_sample;
    v.elements_fixed = fixed;
    step_.vector_ops.push_back(std::move(v));
  }

  // Saves `tensor` once per format, however many layers read it back.
  void stash(const Layer& layer, int tensor, StashSpec::Format format, bool read_by_gemm = false, int index_bits = 0) {
    if (!stashed_.insert({tensor, format}).second) return;
    StashSpec s;
    s.layer = layer.name;
    s.format = format;
    s.read_by_gemm = read_by_gemm;
    s.index_bits = index_bits;
    s.elements_per_sample = net_.output_shape(tensor).elements();
    step_.stash.push_back(std::move(s));
  }

  void gemm(const Layer& layer, Phase phase, GemmShape per_sample, GemmSpec::BatchDim batch_dim, OperandSpec a,
            OperandSpec b, const GemmTensors& tensors, bool col2im = false) {
    GemmSpec g;
    g.layer = layer.name;
    g.phase = phase;
    g.m = per_sample.m;
    g.k = per_sample.k;
    g.n = per_sample.n;
    g.batch_dim = batch_dim;
    g.a = a;
    g.b = b;
    g.col2im = col2im;
    g.tensors = tensors;
    step_.gemms.push_back(std::move(g));
  }

  void forward(int index) {
    const Layer& layer = net_.layers[static_cast<std::size_t>(index)];
    const std::int64_t in = layer.in.elements();
    const std::int64_t out = layer.out.elements();
    const int input = layer.inputs[0];
    switch (layer.type) {
      case LayerType::conv:
      case LayerType::fully_connected: {
        // An activation read by several GEMM layers is quantized once.
        if (quantized_.insert(input).second) vector(layer.name, Phase::fwd, VectorOp::quantize, Role::activation, in);
        vector(layer.name, Phase::fwd, VectorOp::quantize, Role::weight, 0, layer.weight_elements());
        stash(layer, input, StashSpec::Format::activation_bits, true);
        const bool conv = layer.type == LayerType::conv;
        const std::int64_t positions = layer.out.height * layer.out.width;
        const std::int64_t cin_window = conv ? layer.in.channels * layer.kernel * layer.kernel : in;
        const std::int64_t cout = conv ? layer.out_channels : layer.out_features;
        gemm(layer, Phase::fwd, {positions, cin_window, cout}, GemmSpec::BatchDim::m, {Role::activation, in, 0},
             {Role::weight, 0, layer.weight_elements()}, tensors(layer, GemmTensors::Form::conv, false));
        break;
      }
      case LayerType::batch_norm:
        vector(layer.name, Phase::fwd, VectorOp::batch_norm_fwd, Role::activation, in);
        stash(layer, input, StashSpec::Format::activation_bits);
        break;
      case LayerType::relu:
        vector(layer.name, Phase::fwd, VectorOp::relu_fwd, Role::activation, in);
        if (needs_grad(input)) stash(layer, input, StashSpec::Format::mask_1bit);
        break;
      case LayerType::add:
        vector(layer.name, Phase::fwd, VectorOp::add_fwd, Role::activation, out);
        break;
      case LayerType::shortcut_pad:
        vector(layer.name, Phase::fwd, VectorOp::shortcut_pad_fwd, Role::activation, out);
        break;
      case LayerType::global_avg_pool:
        vector(layer.name, Phase::fwd, VectorOp::pool_fwd, Role::activation, in);
        break;
      case LayerType::max_pool:
        max_pool_forward(layer, index);
        break;
      case LayerType::softmax_cross_entropy: {
        vector(layer.name, Phase::fwd, VectorOp::softmax_ce_fwd, Role::activation, in);
        // The probabilities, the layer's output, are what its backward reads.
        if (needs_grad(input)) stash(layer, index, StashSpec::Format::fp32);
        break;
      }
    }
  }

  void backward(int index) {
    if (!requires_grad_[static_cast<std::size_t>(index)]) return;
    const Layer& layer = net_.layers[static_cast<std::size_t>(index)];
    const std::int64_t in = layer.in.elements();
    const std::int64_t out = layer.out.elements();
    const bool data = needs_grad(layer.inputs[0]);
    // Gradients arriving from several readers of this layer's output are summed first.
    const int readers = net_.consumer_count(index);
    if (readers > 1) vector(layer.name, Phase::bwd_data, VectorOp::add_bwd, Role::gradient, (readers - 1) * out);
    switch (layer.type) {
      case LayerType::conv:
      case LayerType::fully_connected:
        gemm_backward(layer, data);
        break;
      case LayerType::batch_norm:
        vector(layer.name, Phase::bwd_data, VectorOp::batch_norm_bwd, Role::gradient, in);
        vector(layer.name, Phase::wgrad, VectorOp::grad_accumulate, Role::gradient, 0, layer.parameters());
        break;
      case LayerType::relu:
        if (data) vector(layer.name, Phase::bwd_data, VectorOp::relu_bwd, Role::gradient, in);
        break;
      case LayerType::add:
        break;  // the output gradient is each input's gradient
      case LayerType::shortcut_pad:
        if (data) vector(layer.name, Phase::bwd_data, VectorOp::shortcut_pad_bwd, Role::gradient, in);
        break;
      case LayerType::global_avg_pool:
      case LayerType::max_pool:
        if (data) vector(layer.name, Phase::bwd_data, VectorOp::pool_bwd, Role::gradient, in);
        break;
      case LayerType::softmax_cross_entropy:
        if (data) vector(layer.name, Phase::bwd_data, VectorOp::softmax_ce_bwd, Role::gradient, in);
        break;
    }
  }

  // Max pooling reads every window (k*k elements per output, overlapping windows read twice) and,
  // when its input needs a gradient, saves where each maximum was: ceil(log2(k*k)) bits per output,
  // which its backward uses to route each output gradient into the input gradient.
  void max_pool_forward(const Layer& layer, int index) {
    const std::int64_t window = layer.kernel * layer.kernel;
    vector(layer.name, Phase::fwd, VectorOp::pool_fwd, Role::activation, layer.out.elements() * window);
    int bits = 1;
    while ((std::int64_t{1} << bits) < window) ++bits;
    if (needs_grad(layer.inputs[0])) stash(layer, index, StashSpec::Format::pool_index, false, bits);
  }

  void gemm_backward(const Layer& layer, bool data) {
    const std::int64_t in = layer.in.elements();
    const std::int64_t out = layer.out.elements();
    const bool conv = layer.type == LayerType::conv;
    const std::int64_t positions = layer.out.height * layer.out.width;
    const std::int64_t window = conv ? layer.kernel * layer.kernel : 1;
    const std::int64_t cin = conv ? layer.in.channels : in;
    const std::int64_t cout = conv ? layer.out_channels : layer.out_features;
    const OperandSpec gradient{Role::gradient, out, 0};
    const OperandSpec weight{Role::weight, 0, layer.weight_elements()};
    vector(layer.name, data ? Phase::bwd_data : Phase::wgrad, VectorOp::quantize, Role::gradient, out);
    if (data) {
      // Direct form only when it reads no inserted zeros: stride 1, same size.
      const bool direct =
          !conv || (layer.stride == 1 && layer.out.height == layer.in.height && layer.out.width == layer.in.width);
      if (direct) {
        const std::int64_t in_positions = conv ? layer.in.height * layer.in.width : 1;
        gemm(layer, Phase::bwd_data, {in_positions, cout * window, cin}, GemmSpec::BatchDim::m, gradient, weight,
             tensors(layer, GemmTensors::Form::conv, true));
      } else {
        gemm(layer, Phase::bwd_data, {positions, cout, cin * window}, GemmSpec::BatchDim::m, gradient, weight,
             tensors(layer, GemmTensors::Form::col2im, true), true);
        vector(layer.name, Phase::bwd_data, VectorOp::col2im, Role::gradient, positions * cin * window);
      }
    }
    gemm(layer, Phase::wgrad, {cout, positions, cin * window}, GemmSpec::BatchDim::k, gradient,
         {Role::activation, in, 0}, tensors(layer, GemmTensors::Form::wgrad, true));
    if (layer.bias) vector(layer.name, Phase::wgrad, VectorOp::bias_grad, Role::gradient, out);
    vector(layer.name, Phase::wgrad, VectorOp::grad_accumulate, Role::gradient, 0, layer.parameters());
  }

  // The tensors of a conv/FC layer's GEMM: forward (`backward` false) or one
  // of its backward GEMMs. Backward, p is the layer's output channels and q
  // its input channels; the direct backward-data form convolves the output
  // gradient (stride 1, pad kernel - 1 - padding) into input positions.
  static GemmTensors tensors(const Layer& layer, GemmTensors::Form form, bool backward) {
    GemmTensors t;
    t.form = form;
    const bool conv = layer.type == LayerType::conv;
    const std::int64_t cin = conv ? layer.in.channels : layer.in.elements();
    const std::int64_t cout = conv ? layer.out_channels : layer.out_features;
    t.p = backward ? cout : cin;
    t.q = backward ? cin : cout;
    if (!conv) return t;
    t.out_h = layer.out.height;
    t.out_w = layer.out.width;
    t.in_h = layer.in.height;
    t.in_w = layer.in.width;
    t.kernel = layer.kernel;
    t.stride = layer.stride;
    t.pad = layer.padding;
    if (backward && form == GemmTensors::Form::conv) {  // direct backward data
      std::swap(t.out_h, t.in_h);
      std::swap(t.out_w, t.in_w);
      t.stride = 1;
      t.pad = layer.kernel - 1 - layer.padding;
    }
    return t;
  }

  const Network& net_;
  std::vector<bool> requires_grad_;
  std::set<int> quantized_;                              // activation tensors quantized to bA
  std::set<std::pair<int, StashSpec::Format>> stashed_;  // (tensor, format) saved
  TrainingStep step_;
};

}  // namespace

TrainingStep lower_training_step(const Network& network) { return Lowering(network).run(); }

}  // namespace qtsim
