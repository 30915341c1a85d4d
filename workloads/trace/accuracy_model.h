#pragma once
// Parametric learning curves for synthetic traces.
//
// An error curve E(t) (t in epochs, continuous) under a step learning-rate
// schedule: in phase k (the epochs trained at the k-th learning rate, from
// start_k to start_{k+1}) the error relaxes exponentially toward that phase's
// plateau P_k with time constant tau_k, starting from wherever the previous
// phase left it, so E is continuous and each learning-rate step shows as a
// fresh drop toward a lower plateau:
//     E(t) = P_k + (E(start_k) - P_k) * exp(-(t - start_k) / tau_k),
//     start_0 = 0, E(0) = initial_error.
// Used by the synthetic CIFAR-10 generator (synthetic_cifar10.h); plain data,
// no randomness (the generator adds its noise on top).
#include <vector>

namespace qtsim {

class PiecewiseExponentialCurve {
 public:
  struct Phase {
    double start_epoch;  // phase starts; the first must be 0, strictly increasing
    double plateau;      // error the phase relaxes toward, in [0, 1]
    double tau_epochs;   // time constant, > 0
  };

  // Internal use only: the generator passes constants it owns, so a bad phase
  // list is a programming error (checked with assert).
  PiecewiseExponentialCurve(double initial_error, std::vector<Phase> phases);

  // Error at time t >= 0 (epochs).
  double at(double t_epochs) const;

 private:
  double initial_error_;
  std::vector<Phase> phases_;
  std::vector<double> start_errors_;  // E(start_k), precomputed
};

// Mean cross-entropy loss that the synthetic model assigns to a class whose
// error rate is `error`, with `num_classes` classes: linear in the error, from
// 0 at error 0 to ln(K) (the loss of a uniform guess) at chance error 1 - 1/K:
//     L = ln(K) * error / (1 - 1/K).
// A convention for synthetic traces, not a law: real losses also depend on confidence.
double synthetic_loss_from_error(double error, int num_classes);

}  // namespace qtsim
