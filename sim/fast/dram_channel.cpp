#include "sim/fast/dram_channel.h"

#include <algorithm>

namespace qtsim {

std::int64_t DramChannel::issue(std::int64_t cycle, Operand operand, DmaDirection direction, std::int64_t bytes) {
  const std::int64_t data = Dma::data_cycles(config_, bytes);
  const std::int64_t end = std::max(cycle + config_.latency_cycles, last_end_) + data;
  // E grows strictly, so the edges new to the union are those after max(t, E_{i-1}).
  stats_.busy_cycles += end - std::max(cycle, last_end_);
  stats_.data_cycles += data;
  ++stats_.transfers;
  DmaOperandStats& s = stats_.operands[static_cast<std::size_t>(operand)];
  const std::int64_t burst = Dma::burst_bytes_for(config_, bytes);
  if (direction == DmaDirection::read) {
    s.read_bytes += bytes;
    s.read_burst_bytes += burst;
  } else {
    s.write_bytes += bytes;
    s.write_burst_bytes += burst;
  }
  last_end_ = end;
  return end;
}

}  // namespace qtsim
