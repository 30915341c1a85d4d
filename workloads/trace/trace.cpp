#include "workloads/trace/trace.h"

namespace qtsim {

int Trace::iteration_samples(int iteration) const {
  if (iteration + 1 < iterations_per_epoch) return batch_size;
  return static_cast<int>(train_samples_per_epoch - static_cast<std::int64_t>(iterations_per_epoch - 1) * batch_size);
}

}  // namespace qtsim
