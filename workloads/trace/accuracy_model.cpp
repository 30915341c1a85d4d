#include "workloads/trace/accuracy_model.h"

#include <cassert>
#include <cmath>
#include <utility>

namespace qtsim {

PiecewiseExponentialCurve::PiecewiseExponentialCurve(double initial_error, std::vector<Phase> phases)
    : initial_error_(initial_error), phases_(std::move(phases)) {
  assert(!phases_.empty() && phases_.front().start_epoch == 0.0);
  double error = initial_error_;
  for (std::size_t k = 0; k < phases_.size(); ++k) {
    assert(phases_[k].tau_epochs > 0.0);
    start_errors_.push_back(error);
    if (k + 1 < phases_.size()) {
      const double length = phases_[k + 1].start_epoch - phases_[k].start_epoch;
      assert(length > 0.0);
      error = phases_[k].plateau + (error - phases_[k].plateau) * std::exp(-length / phases_[k].tau_epochs);
    }
  }
}

double PiecewiseExponentialCurve::at(double t_epochs) const {
  std::size_t k = 0;
  while (k + 1 < phases_.size() && t_epochs >= phases_[k + 1].start_epoch) ++k;
  const Phase& phase = phases_[k];
  return phase.plateau +
         (start_errors_[k] - phase.plateau) * std::exp(-(t_epochs - phase.start_epoch) / phase.tau_epochs);
}

double synthetic_loss_from_error(double error, int num_classes) {
  assert(num_classes >= 2);
  const double k = static_cast<double>(num_classes);
  return std::log(k) * error / (1.0 - 1.0 / k);
}

}  // namespace qtsim
