#include "sim/sweep/point_queue.h"

#include <map>

namespace qtsim {

PointQueue::PointQueue(const std::vector<std::pair<std::string, std::size_t>>& items) {
  std::map<std::string, std::size_t> index;
  for (const auto& [group, item] : items) {
    auto [it, added] = index.emplace(group, groups_.size());
    if (added) groups_.emplace_back();
    groups_[it->second].items.push_back(item);
  }
}

std::optional<std::size_t> PointQueue::take() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopped_) {
    bool left = false;
    for (Group& g : groups_) {  // an open group first: its costs are known
      left = left || !g.items.empty();
      if (g.open && !g.items.empty()) {
        const std::size_t item = g.items.front();
        g.items.pop_front();
        return item;
      }
    }
    if (!left) return std::nullopt;
    for (Group& g : groups_) {  // else lead a group nobody has started
      if (!g.started && !g.items.empty()) {
        g.started = true;
        g.leader = g.items.front();
        g.items.pop_front();
        return g.leader;
      }
    }
    changed_.wait(lock);  // every group with points left waits for its leader
  }
  return std::nullopt;
}

void PointQueue::done(std::size_t item) {
  const std::lock_guard<std::mutex> lock(mutex_);
  for (Group& g : groups_) {
    if (g.started && !g.open && g.leader == item) {
      g.open = true;
      changed_.notify_all();
      return;
    }
  }
}

void PointQueue::stop() {
  const std::lock_guard<std::mutex> lock(mutex_);
  stopped_ = true;
  changed_.notify_all();
}

}  // namespace qtsim
