#pragma once
// VectorUnit: the element-wise engine (batch norm, ReLU, residual adds,
// pooling, loss, col2im scatter-adds, weight-gradient accumulation, the
// optimizer step and the quantizers that produce each operand at its width;
// the vector work of workloads/lowering/training_step.h). It processes
// `lanes` elements per cycle: an operation on E elements takes ceil(E / lanes)
// cycles. Plain C++; the precision controller runs its operations in order
// and waits for them on the clock (reference mode).
#include <cstdint>
#include <map>
#include <string>

#include "hw_models/config/vector_unit_config.h"

namespace qtsim {

struct VectorOpStats {
  std::int64_t operations = 0;
  std::int64_t elements = 0;
  std::int64_t cycles = 0;
};

class VectorUnit {
 public:
  explicit VectorUnit(const VectorUnitConfig& config) : config_(config) {}
  std::int64_t cycles_for(std::int64_t elements) const { return (elements + config_.lanes - 1) / config_.lanes; }
  // Accounts one operation `op` on `elements` and returns its cycles.
  std::int64_t run(const std::string& op, std::int64_t elements);
  const std::map<std::string, VectorOpStats>& stats() const { return stats_; }

 private:
  VectorUnitConfig config_;
  std::map<std::string, VectorOpStats> stats_;
};

}  // namespace qtsim
