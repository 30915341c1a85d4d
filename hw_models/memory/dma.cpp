#include "hw_models/memory/dma.h"

#include <algorithm>
#include <cassert>

namespace qtsim {
namespace {

constexpr std::int64_t kMicroPerByte = 1000000;

}  // namespace

Dma::Dma(const DramConfig& config) : config_(config), bandwidth_micro_(config.bandwidth_micro_bytes_per_cycle()) {
  assert(bandwidth_micro_ >= 1 && config.burst_bytes >= 1 && config.latency_cycles >= 0);
}

std::int64_t Dma::burst_bytes_for(const DramConfig& config, std::int64_t bytes) {
  return (bytes + config.burst_bytes - 1) / config.burst_bytes * config.burst_bytes;
}

std::int64_t Dma::data_cycles(const DramConfig& config, std::int64_t bytes) {
  const std::int64_t micro = burst_bytes_for(config, bytes) * kMicroPerByte;
  const std::int64_t bandwidth = config.bandwidth_micro_bytes_per_cycle();
  return (micro + bandwidth - 1) / bandwidth;
}

std::int64_t Dma::transfer_cycles(const DramConfig& config, std::int64_t bytes) {
  return config.latency_cycles + data_cycles(config, bytes);
}

std::vector<std::int64_t> Dma::finish_cycles(const DramConfig& config, const std::vector<DmaIssue>& issues) {
  std::vector<std::int64_t> finish;
  finish.reserve(issues.size());
  std::int64_t previous_end = 0;
  for (const DmaIssue& t : issues) {
    const std::int64_t start = std::max(t.issue_cycle + config.latency_cycles, previous_end);
    previous_end = start + data_cycles(config, t.bytes);
    finish.push_back(previous_end);
  }
  return finish;
}

std::int64_t Dma::issue(Operand operand, DmaDirection direction, std::int64_t bytes) {
  assert(bytes >= 1);
  const std::int64_t burst = burst_bytes_for(config_, bytes);
  queue_.push_back(Pending{operand, direction, bytes, burst, cycle_, burst * kMicroPerByte});
  return issued_++;
}

void Dma::step() {
  if (!queue_.empty()) {
    ++stats_.busy_cycles;
    Pending& head = queue_.front();
    if (cycle_ >= head.issue_cycle + config_.latency_cycles) {
      ++stats_.data_cycles;
      head.micro_bytes_left -= bandwidth_micro_;
      if (head.micro_bytes_left <= 0) {
        DmaOperandStats& s = stats_.operands[static_cast<std::size_t>(head.operand)];
        if (head.direction == DmaDirection::read) {
          s.read_bytes += head.bytes;
          s.read_burst_bytes += head.burst_bytes;
        } else {
          s.write_bytes += head.bytes;
          s.write_burst_bytes += head.burst_bytes;
        }
        ++stats_.transfers;
        ++completed_;
        queue_.pop_front();
      }
    }
  }
  ++cycle_;
}

Json to_json(const DmaStats& stats) {
  Json operands = Json::object();
  for (Operand operand : kOperands) {
    const DmaOperandStats& s = stats.at(operand);
    operands[to_string(operand)] = Json{{"read_bytes", s.read_bytes},
                                        {"read_burst_bytes", s.read_burst_bytes},
                                        {"write_bytes", s.write_bytes},
                                        {"write_burst_bytes", s.write_burst_bytes}};
  }
  return Json{{"operands", operands},
              {"transfers", stats.transfers},
              {"busy_cycles", stats.busy_cycles},
              {"data_cycles", stats.data_cycles}};
}

StatGroup dma_stat_group(const DmaStats& stats) {
  StatGroup dma{"dma", {}};
  for (Operand o : kOperands) {
    const DmaOperandStats& d = stats.at(o);
    if (d.read_bytes == 0 && d.write_bytes == 0) continue;
    dma.add(std::string(to_string(o)) + "_read_bytes", d.read_bytes, "bytes", "packed bytes read from DRAM")
        .add(std::string(to_string(o)) + "_write_bytes", d.write_bytes, "bytes", "packed bytes written to DRAM");
  }
  dma.add("busy_cycles", stats.busy_cycles, "cycles", "cycles with a transfer in flight");
  return dma;
}

}  // namespace qtsim
