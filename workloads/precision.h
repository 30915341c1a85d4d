#pragma once
// Precision: the bit widths (bA, bW, bG) one precision group trains at
// (docs/precision_and_policies.md). Written in JSON as
//     {"act_bits": 8, "weight_bits": 8, "grad_bits": 16}
// and labelled "8/8/16" in reports. The uniform baseline is 8/8/16.
#include <string>
#include <tuple>

#include "base/json_node.h"

namespace qtsim {

struct Precision {
  static constexpr int kMinBits = 1;
  static constexpr int kMaxBits = 32;

  int act_bits = 8;
  int weight_bits = 8;
  int grad_bits = 16;

  std::string label() const;  // "8/8/16"
  Json to_json() const;

  friend bool operator==(const Precision& a, const Precision& b) {
    return std::tie(a.act_bits, a.weight_bits, a.grad_bits) == std::tie(b.act_bits, b.weight_bits, b.grad_bits);
  }
  friend bool operator!=(const Precision& a, const Precision& b) { return !(a == b); }
  friend bool operator<(const Precision& a, const Precision& b) {
    return std::tie(a.act_bits, a.weight_bits, a.grad_bits) < std::tie(b.act_bits, b.weight_bits, b.grad_bits);
  }
};

// Reads {"act_bits", "weight_bits", "grad_bits"}: each optional (default from
// `fallback`), an integer in [1, 32]; other keys are errors.
Precision parse_precision(const JsonNode& node, const Precision& fallback = Precision{});

}  // namespace qtsim
