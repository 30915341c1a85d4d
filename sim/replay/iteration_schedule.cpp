#include "sim/replay/iteration_schedule.h"

namespace qtsim {

Operand buffer_of(Role role) {
  switch (role) {
    case Role::activation: return Operand::activation;
    case Role::weight: return Operand::weight;
    case Role::gradient: return Operand::gradient;
  }
  return Operand::activation;
}

int bits_of(const Precision& precision, Role role) {
  switch (role) {
    case Role::activation: return precision.act_bits;
    case Role::weight: return precision.weight_bits;
    case Role::gradient: return precision.grad_bits;
  }
  return precision.act_bits;
}

namespace {

bool backward(Phase phase) { return phase == Phase::bwd_data || phase == Phase::wgrad; }

}  // namespace

IterationSchedule iteration_schedule(const TrainingStep& step, const std::vector<PrecisionGroup>& groups) {
  IterationSchedule schedule;
  auto add_gemms = [&](int group, const PrecisionGroup& g, bool want_backward) {
    for (std::size_t i = 0; i < step.gemms.size(); ++i) {
      const GemmSpec& spec = step.gemms[i];
      if (backward(spec.phase) != want_backward) continue;
      const GemmShape s = spec.shape(g.samples);
      schedule.jobs.push_back(FastJob::gemm({s.m, s.k, s.n}, bits_of(g.precision, spec.a.role),
                                            bits_of(g.precision, spec.b.role), buffer_of(spec.a.role),
                                            buffer_of(spec.b.role)));
      schedule.tags.push_back({group, spec.phase, static_cast<int>(i), -1});
    }
  };
  auto add_vectors = [&](int group, std::int64_t samples, bool want_backward) {
    for (std::size_t i = 0; i < step.vector_ops.size(); ++i) {
      const VectorSpec& v = step.vector_ops[i];
      if (v.phase == Phase::update || backward(v.phase) != want_backward) continue;
      schedule.jobs.push_back(FastJob::vector(to_string(v.op), v.elements(samples)));
      schedule.tags.push_back({group, v.phase, -1, static_cast<int>(i)});
    }
  };
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const int group = static_cast<int>(g);
    add_gemms(group, groups[g], false);
    add_vectors(group, groups[g].samples, false);
    add_gemms(group, groups[g], true);
    add_vectors(group, groups[g].samples, true);
  }
  for (std::size_t i = 0; i < step.vector_ops.size(); ++i) {
    const VectorSpec& v = step.vector_ops[i];
    if (v.phase != Phase::update) continue;
    schedule.jobs.push_back(FastJob::vector(to_string(v.op), v.elements(0)));
    schedule.tags.push_back({-1, Phase::update, -1, static_cast<int>(i)});
  }
  return schedule;
}

}  // namespace qtsim
