#pragma once
// Dma: the DMA engine and its one DRAM channel in reference mode (docs/hardware_model.md), a plain C++ object stepped
// once per clock cycle by its owner (the memory SystemC module): issue() any transfers of the cycle, then step().
//
// A transfer moves `bytes` useful (packed) bytes of one operand between DRAM
// and a buffer, in either direction, rounded up to whole bursts:
// burst_bytes_for(n) = ceil(n / burst_bytes) * burst_bytes. Timing:
//   - transfer i, issued in cycle t_i, can receive data from cycle t_i + L
//     (L = latency_cycles);
//   - the channel streams one transfer at a time, in issue order (FIFO, reads
//     and writes alike), at `bandwidth_bytes_per_cycle` (B, may be
//     fractional); a cycle's bandwidth left over when a transfer ends is not
//     given to the next one, so transfer i streams for exactly
//     D_i = data_cycles(bytes_i) = ceil(burst_bytes_for(bytes_i) / B) cycles;
//   - requests are pipelined: the latency of a transfer runs while earlier
//     ones stream, so its data starts at S_i = max(t_i + L, E_{i-1}) and it
//     ends at E_i = S_i + D_i (E_{-1} = 0).
// done(i) is true from cycle E_i on, i.e. once E_i - t_i steps have run after
// its issue; alone on an idle channel that is transfer_cycles(bytes) =
// L + ceil(burst_bytes_for(bytes) / B) steps. finish_cycles() is the same
// recurrence in closed form, for fast mode; the tests check it against step().
// B is used exactly, as an integer count of millionths of a byte per cycle
// (the configuration allows at most 6 decimals).
//
// Statistics, counted when a transfer completes: per operand and direction,
// the useful bytes and the burst-rounded bytes; transfers; busy_cycles (cycles
// with at least one transfer outstanding, in latency or streaming) and
// data_cycles (cycles in which the channel moved data).
#include <array>
#include <cstdint>
#include <deque>
#include <vector>

#include "base/stats.h"
#include "hw_models/config/memory_config.h"

namespace qtsim {

enum class DmaDirection {
  read,   // DRAM -> buffer
  write,  // buffer -> DRAM
};

struct DmaOperandStats {
  std::int64_t read_bytes = 0, read_burst_bytes = 0;
  std::int64_t write_bytes = 0, write_burst_bytes = 0;
};

struct DmaStats {
  std::array<DmaOperandStats, kOperands.size()> operands;  // indexed by Operand
  std::int64_t transfers = 0;
  std::int64_t busy_cycles = 0;
  std::int64_t data_cycles = 0;
  const DmaOperandStats& at(Operand operand) const { return operands[static_cast<std::size_t>(operand)]; }
};
Json to_json(const DmaStats& stats);

// One transfer of a sequence, for the closed form: issued in cycle `issue_cycle`.
struct DmaIssue {
  std::int64_t issue_cycle = 0;
  std::int64_t bytes = 0;
};

class Dma {
 public:
  explicit Dma(const DramConfig& config);

  // Issues a transfer in the current cycle (before step()); `bytes` >= 1.
  // Returns its id: 0, 1, 2, ... in issue order.
  std::int64_t issue(Operand operand, DmaDirection direction, std::int64_t bytes);
  // Advances one clock cycle.
  void step();
  // Transfers complete in issue order, so `id` is done once `id` + 1 have completed.
  bool done(std::int64_t id) const { return id < completed_; }
  bool idle() const { return queue_.empty(); }
  std::int64_t cycle() const { return cycle_; }  // steps run so far: the current cycle
  const DmaStats& stats() const { return stats_; }

  // Closed forms.
  static std::int64_t burst_bytes_for(const DramConfig& config, std::int64_t bytes);
  static std::int64_t data_cycles(const DramConfig& config, std::int64_t bytes);
  static std::int64_t transfer_cycles(const DramConfig& config, std::int64_t bytes);
  // E_i of each transfer (issue cycles non-decreasing), per the recurrence above.
  static std::vector<std::int64_t> finish_cycles(const DramConfig& config, const std::vector<DmaIssue>& issues);

 private:
  struct Pending {
    Operand operand;
    DmaDirection direction;
    std::int64_t bytes;
    std::int64_t burst_bytes;
    std::int64_t issue_cycle;
    std::int64_t micro_bytes_left;  // millionths of a byte still to move
  };

  DramConfig config_;
  std::int64_t bandwidth_micro_;  // millionths of a byte per cycle
  std::deque<Pending> queue_;
  std::int64_t cycle_ = 0;
  std::int64_t issued_ = 0;
  std::int64_t completed_ = 0;
  DmaStats stats_;
};

// Packed bytes per operand with traffic, and busy cycles, for reports.
StatGroup dma_stat_group(const DmaStats& stats);

}  // namespace qtsim
