#pragma once
// Network: a validated, shape-inferred network description (docs/training_lowering.md; JSON schema in
// workloads/network/README.md).
//
// Produced by parse_network()/load_network() (network_parser.h); consumed by
// lower_training_step() (workloads/lowering/training_step.h) and by reports.
// Plain data: a Network that exists is valid (layers in execution order, each
// reading only earlier layers or the network input, exactly one loss layer,
// last, whose input has num_classes elements; every other layer's output is
// read by a later layer).
#include <cstdint>
#include <string>
#include <vector>

#include "base/json_node.h"
#include "workloads/network/layer.h"

namespace qtsim {

struct Network {
  std::string name;
  std::string description;  // free text (provenance, choices made); may be empty
  TensorShape input;        // one sample
  std::int64_t num_classes = 0;
  std::vector<Layer> layers;

  std::int64_t parameters() const;               // trainable parameters, sum over layers
  std::int64_t forward_macs_per_sample() const;  // sum of the conv/fc forward GEMMs
  int gemm_layer_count() const;                  // conv + fully_connected layers

  // Shape of layer `index`'s output, or of the network input for Layer::kNetworkInput.
  const TensorShape& output_shape(int index) const;
  // "input" for Layer::kNetworkInput, else the layer's name.
  const std::string& tensor_name(int index) const;
  // How many layer inputs read tensor `index` (a layer or Layer::kNetworkInput);
  // an add that reads the same tensor twice counts twice.
  int consumer_count(int index) const;

  // The JSON description, every default written out; parse_network() of it
  // gives an equal Network.
  Json to_json() const;
};

}  // namespace qtsim
