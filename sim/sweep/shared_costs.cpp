#include "sim/sweep/shared_costs.h"

#include "sim/replay/memo_file.h"

namespace qtsim {

SharedCosts::Group& SharedCosts::group(const IterationMemo& memo, const TrainingStep& step, std::string* key) {
  *key = memo_key(memo.hardware(), step, memo.mode());
  const std::lock_guard<std::mutex> lock(mutex_);
  std::unique_ptr<Group>& g = groups_[*key];
  if (g) return *g;
  g = std::make_unique<Group>();
  g->hardware = memo.hardware();
  g->table.emplace(memo.table());
  g->step.emplace(step);
  g->mode = memo.mode();
  if (!memo_dir_.empty()) {
    IterationMemo loaded(g->hardware, *g->table, *g->step, g->mode);
    load_memo(memo_dir_, *key, loaded);
    g->costs = loaded.costs();
  }
  return *g;
}

std::size_t SharedCosts::fill(IterationMemo& memo, const TrainingStep& step) {
  std::string key;
  Group& g = group(memo, step, &key);
  const std::lock_guard<std::mutex> lock(g.mutex);
  for (const auto& [composition, cost] : g.costs) memo.insert(composition, cost);
  return g.costs.size();
}

void SharedCosts::absorb(const IterationMemo& memo, const TrainingStep& step) {
  std::string key;
  Group& g = group(memo, step, &key);
  const std::lock_guard<std::mutex> lock(g.mutex);
  for (const auto& [composition, cost] : memo.costs()) g.costs.emplace(composition, cost);
  g.computed += memo.computed();
}

void SharedCosts::save() {
  if (memo_dir_.empty()) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [key, g] : groups_) {
    if (g->computed == 0) continue;
    IterationMemo memo(g->hardware, *g->table, *g->step, g->mode);
    for (const auto& [composition, cost] : g->costs) memo.insert(composition, cost);
    save_memo(memo_dir_, key, memo);
  }
}

std::int64_t SharedCosts::computed() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  std::int64_t total = 0;
  for (const auto& [key, g] : groups_) total += g->computed;
  return total;
}

}  // namespace qtsim
