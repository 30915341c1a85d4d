#pragma once
// DramChannel: the DMA engine and its DRAM channel at event level, for fast
// mode: what MemorySystem + Dma (hw_models/memory/) do cycle by cycle,
// computed per transfer when it is issued.
//
// In reference mode a transfer issued in cycle t (by the controller, after
// that cycle's rising edge was processed) is stepped from the edge of t + 1
// on, and completes at the edge where its last data moves; the controller
// sees it done from that cycle on. In controller cycles this is Dma's
// recurrence (dma.h) with the issue cycles as they are:
//   E_i = max(t_i + L, E_{i-1}) + D_i,   D_i = Dma::data_cycles(bytes_i),
// (Dma::finish_cycles). The channel is stepped at every edge at which a
// transfer is outstanding, i.e. the edges in the union of (t_i, E_i]: these
// are busy_cycles; data_cycles is the sum of the D_i. Every issued transfer
// completes within the run (the controller waits for all of them), so its
// bytes and count are added at issue.
#include <cstdint>

#include "hw_models/memory/dma.h"

namespace qtsim {

class DramChannel {
 public:
  explicit DramChannel(const DramConfig& config) : config_(config) {}

  // Issues a transfer in cycle `cycle` (non-decreasing over calls); returns
  // the cycle from which it is done.
  std::int64_t issue(std::int64_t cycle, Operand operand, DmaDirection direction, std::int64_t bytes);
  const DmaStats& stats() const { return stats_; }

 private:
  DramConfig config_;
  std::int64_t last_end_ = 0;  // E of the latest transfer
  DmaStats stats_;
};

}  // namespace qtsim
