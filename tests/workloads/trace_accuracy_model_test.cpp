#include "workloads/trace/accuracy_model.h"

#include <gtest/gtest.h>

#include <cmath>

namespace qtsim {
namespace {

TEST(TraceAccuracyModel, SinglePhaseIsAnExponentialDecay) {
  // E(t) = 0.1 + (0.9 - 0.1) exp(-t / 10): E(0) = 0.9, E(10) = 0.1 + 0.8 / e = 0.39430355293715387.
  PiecewiseExponentialCurve curve(0.9, {{0.0, 0.1, 10.0}});
  EXPECT_DOUBLE_EQ(curve.at(0.0), 0.9);
  EXPECT_NEAR(curve.at(10.0), 0.39430355293715387, 1e-15);
  EXPECT_NEAR(curve.at(1000.0), 0.1, 1e-15);
}

TEST(TraceAccuracyModel, StepStartsFromWhereThePreviousPhaseLeftOff) {
  // Phase 0 (tau 1) for 2 epochs: E(2) = 0.2 + 0.7 e^-2 = 0.29473299971279...
  // Phase 1 from t = 2 toward 0.05 with tau 2: E(4) = 0.05 + (E(2) - 0.05) e^-1.
  PiecewiseExponentialCurve curve(0.9, {{0.0, 0.2, 1.0}, {2.0, 0.05, 2.0}});
  const double e2 = 0.2 + 0.7 * std::exp(-2.0);
  EXPECT_NEAR(curve.at(2.0), e2, 1e-15);
  EXPECT_NEAR(curve.at(4.0), 0.05 + (e2 - 0.05) * std::exp(-1.0), 1e-15);
  // Continuity at the step: just before and at t = 2 agree to first order.
  EXPECT_NEAR(curve.at(2.0 - 1e-9), e2, 1e-8);
}

TEST(TraceAccuracyModel, LossIsLinearFromZeroToChance) {
  // K = 10: chance error 0.9 gives ln 10 = 2.302585092994046; error 0.45 half of it.
  EXPECT_DOUBLE_EQ(synthetic_loss_from_error(0.0, 10), 0.0);
  EXPECT_NEAR(synthetic_loss_from_error(0.9, 10), 2.302585092994046, 1e-15);
  EXPECT_NEAR(synthetic_loss_from_error(0.45, 10), 1.151292546497023, 1e-15);
}

}  // namespace
}  // namespace qtsim
