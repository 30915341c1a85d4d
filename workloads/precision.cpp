#include "workloads/precision.h"

namespace qtsim {

std::string Precision::label() const {
  return std::to_string(act_bits) + "/" + std::to_string(weight_bits) + "/" + std::to_string(grad_bits);
}

Json Precision::to_json() const {
  return Json{{"act_bits", act_bits}, {"weight_bits", weight_bits}, {"grad_bits", grad_bits}};
}

Precision parse_precision(const JsonNode& node, const Precision& fallback) {
  node.require_object();
  Precision p;
  p.act_bits = static_cast<int>(node.get_int("act_bits", fallback.act_bits, Precision::kMinBits, Precision::kMaxBits));
  p.weight_bits =
      static_cast<int>(node.get_int("weight_bits", fallback.weight_bits, Precision::kMinBits, Precision::kMaxBits));
  p.grad_bits =
      static_cast<int>(node.get_int("grad_bits", fallback.grad_bits, Precision::kMinBits, Precision::kMaxBits));
  node.reject_unknown_keys();
  return p;
}

}  // namespace qtsim
