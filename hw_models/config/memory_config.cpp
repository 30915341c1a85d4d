#include "hw_models/config/memory_config.h"

#include <cmath>

namespace qtsim {
namespace {

constexpr std::int64_t kMaxCapacityBytes = std::int64_t{1} << 40;  // 1 TiB
constexpr std::int64_t kMaxBanks = 4096;
constexpr std::int64_t kMaxPorts = 64;
constexpr std::int64_t kMinWordBits = 8;
constexpr std::int64_t kMaxWordBits = 1024;
constexpr double kMinBandwidth = 0.001;
constexpr double kMaxBandwidth = 100000.0;
constexpr double kMicro = 1e6;
constexpr std::int64_t kMaxLatencyCycles = 1000000;
constexpr std::int64_t kMaxBurstBytes = 65536;

BufferConfig parse_buffer(const JsonNode& node) {
  node.require_object();
  const BufferConfig fallback;
  BufferConfig c;
  c.word_bits = static_cast<int>(node.get_int("word_bits", fallback.word_bits, kMinWordBits, kMaxWordBits));
  if (c.word_bits % 8 != 0) {
    node.at("word_bits").fail_value("not a whole number of bytes", "an integer in [8, 1024], a multiple of 8");
  }
  c.capacity_bytes = node.get_int("capacity_bytes", fallback.capacity_bytes, c.word_bytes(), kMaxCapacityBytes);
  c.banks = static_cast<int>(node.get_int("banks", fallback.banks, 1, kMaxBanks));
  c.ports = static_cast<int>(node.get_int("ports", fallback.ports, 1, kMaxPorts));
  node.reject_unknown_keys();
  return c;
}

}  // namespace

const char* to_string(Operand operand) {
  switch (operand) {
    case Operand::activation:
      return "activation";
    case Operand::weight:
      return "weight";
    case Operand::gradient:
      return "gradient";
    case Operand::output:
      return "output";
  }
  return "?";
}

bool BufferConfig::operator==(const BufferConfig& o) const {
  return capacity_bytes == o.capacity_bytes && banks == o.banks && word_bits == o.word_bits && ports == o.ports;
}

const BufferConfig& BuffersConfig::at(Operand operand) const {
  switch (operand) {
    case Operand::activation:
      return activation;
    case Operand::weight:
      return weight;
    case Operand::gradient:
      return gradient;
    case Operand::output:
      break;
  }
  return output;
}

BufferConfig& BuffersConfig::at(Operand operand) {
  return const_cast<BufferConfig&>(static_cast<const BuffersConfig&>(*this).at(operand));
}

bool BuffersConfig::operator==(const BuffersConfig& o) const {
  return activation == o.activation && weight == o.weight && gradient == o.gradient && output == o.output;
}

std::int64_t DramConfig::bandwidth_micro_bytes_per_cycle() const {
  return std::llround(bandwidth_bytes_per_cycle * kMicro);
}

bool DramConfig::operator==(const DramConfig& o) const {
  return bandwidth_bytes_per_cycle == o.bandwidth_bytes_per_cycle && latency_cycles == o.latency_cycles &&
         burst_bytes == o.burst_bytes;
}

BuffersConfig parse_buffers_config(const JsonNode& node) {
  node.require_object();
  BuffersConfig c;
  for (Operand operand : kOperands) {
    if (auto buffer = node.find(to_string(operand))) c.at(operand) = parse_buffer(*buffer);
  }
  node.reject_unknown_keys();
  return c;
}

DramConfig parse_dram_config(const JsonNode& node) {
  node.require_object();
  const DramConfig fallback;
  DramConfig c;
  c.bandwidth_bytes_per_cycle =
      node.get_double("bandwidth_bytes_per_cycle", fallback.bandwidth_bytes_per_cycle, kMinBandwidth, kMaxBandwidth);
  // Timing works in millionths of a byte (dma.h); a bandwidth with more
  // decimals would be silently rounded, so it is refused.
  const double micro = c.bandwidth_bytes_per_cycle * kMicro;
  if (std::fabs(micro - std::round(micro)) > 1e-14 * micro + 1e-9) {
    node.at("bandwidth_bytes_per_cycle")
        .fail_value("more than 6 decimals", "a number in [0.001, 100000] with at most 6 decimals");
  }
  c.latency_cycles = node.get_int("latency_cycles", fallback.latency_cycles, 0, kMaxLatencyCycles);
  c.burst_bytes = node.get_int("burst_bytes", fallback.burst_bytes, 1, kMaxBurstBytes);
  node.reject_unknown_keys();
  return c;
}

Json to_json(const BufferConfig& c) {
  return Json{{"capacity_bytes", c.capacity_bytes}, {"banks", c.banks}, {"word_bits", c.word_bits}, {"ports", c.ports}};
}

Json to_json(const BuffersConfig& c) {
  Json out = Json::object();
  for (Operand operand : kOperands) out[to_string(operand)] = to_json(c.at(operand));
  return out;
}

Json to_json(const DramConfig& c) {
  return Json{{"bandwidth_bytes_per_cycle", c.bandwidth_bytes_per_cycle},
              {"latency_cycles", c.latency_cycles},
              {"burst_bytes", c.burst_bytes}};
}

}  // namespace qtsim
