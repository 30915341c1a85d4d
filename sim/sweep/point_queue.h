#pragma once
// PointQueue: the order in which a sweep's threads take its points.
//
// Points of one group (the same timing-relevant hardware and network: they
// share iteration costs, shared_costs.h) are taken one after another, and a
// group's first point (its leader) runs alone: the group's other points wait
// until it has finished, so that they reuse its costs instead of computing
// the same ones at the same time on other threads; meanwhile idle threads
// start the leaders of other groups. Within a group, points keep their order.
// Which thread runs which point never changes a result, only the work done.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace qtsim {

class PointQueue {
 public:
  // (group, item) in the order to run them.
  explicit PointQueue(const std::vector<std::pair<std::string, std::size_t>>& items);
  // The next item; nullopt when none is left or after stop(). Blocks while
  // every group with points left waits for its leader.
  std::optional<std::size_t> take();
  // Marks `item` finished (whether it succeeded or not).
  void done(std::size_t item);
  // Wakes every waiting thread; take() returns nullopt from now on.
  void stop();

 private:
  struct Group {
    std::deque<std::size_t> items;
    bool started = false, open = false;
    std::size_t leader = 0;
  };
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Group> groups_;
  bool stopped_ = false;
};

}  // namespace qtsim
