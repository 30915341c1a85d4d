#pragma once
// SharedCosts: the iteration costs a sweep has computed, grouped by memo key
// (hardware without its energy section, lowering, mode: memo_file.h), shared
// by every point and thread of the sweep. A point's IterationMemo starts with
// its group's costs (re-priced with the point's own energy table) and hands
// back the ones it computed. Optionally backed by a memo folder (--memo).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "sim/replay/replay.h"

namespace qtsim {

class SharedCosts {
 public:
  explicit SharedCosts(std::string memo_dir) : memo_dir_(std::move(memo_dir)) {}
  // Fills `memo` (empty, of one point) with the costs known for its group;
  // returns how many.
  std::size_t fill(IterationMemo& memo, const TrainingStep& step);
  // Keeps the costs `memo` computed.
  void absorb(const IterationMemo& memo, const TrainingStep& step);
  // Writes every group's costs to the memo folder (when there is one).
  void save();
  std::int64_t computed() const;  // costs computed by the points, in all groups

 private:
  struct Group {
    std::mutex mutex;
    std::map<Composition, IterationCost> costs;
    // What saving needs: the group's hardware, lowering and a table to build a memo with.
    HardwareConfig hardware;
    std::optional<EnergyTable> table;
    std::optional<TrainingStep> step;
    IterationMemo::Mode mode = IterationMemo::Mode::fast;
    std::int64_t computed = 0;
  };
  Group& group(const IterationMemo& memo, const TrainingStep& step, std::string* key);

  std::string memo_dir_;
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Group>> groups_;
};

}  // namespace qtsim
