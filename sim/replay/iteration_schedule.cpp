#include "sim/replay/iteration_schedule.h"

namespace qtsim {

Operand buffer_of(Role role) {
  switch (role) {
    case Role::activation:
      return Operand::activation;
    case Role::weight:
      return Operand::weight;
    case Role::gradient:
      return Operand::gradient;
  }
  return Operand::activation;
}

int bits_of(const Precision& precision, Role role) {
  switch (role) {
    case Role::activation:
      return precision.act_bits;
    case Role::weight:
      return precision.weight_bits;
    case Role::gradient:
      return precision.grad_bits;
  }
  return precision.act_bits;
}

TensorGemm tensor_gemm(const GemmSpec& spec, std::int64_t samples) {
  const GemmTensors& g = spec.tensors;
  TensorGemm t;
  t.form = g.form == GemmTensors::Form::conv     ? GemmForm::conv
           : g.form == GemmTensors::Form::col2im ? GemmForm::col2im
                                                 : GemmForm::wgrad;
  t.samples = samples;
  t.out_h = g.out_h;
  t.out_w = g.out_w;
  t.in_h = g.in_h;
  t.in_w = g.in_w;
  t.p = g.p;
  t.q = g.q;
  t.kernel = g.kernel;
  t.stride = g.stride;
  t.pad = g.pad;
  return t;
}

namespace {

bool backward(Phase phase) { return phase == Phase::bwd_data || phase == Phase::wgrad; }

std::int64_t bytes_of_bits(std::int64_t bits) { return (bits + 7) / 8; }

}  // namespace

IterationSchedule iteration_schedule(const TrainingStep& step, const std::vector<PrecisionGroup>& groups) {
  // Conv/FC weights (quantized per group) and all parameters (FP32).
  std::int64_t weights = 0;
  for (const VectorSpec& v : step.vector_ops) {
    if (v.op == VectorOp::quantize && v.role == Role::weight) weights += v.elements_fixed;
  }
  const std::int64_t parameters = step.parameters;

  IterationSchedule schedule;
  auto transfer = [&](int group, Phase phase, Operand operand, DmaDirection direction, std::int64_t bytes) {
    if (bytes <= 0) return;
    schedule.jobs.push_back(Job::transfer(operand, direction, bytes));
    schedule.tags.push_back({group, phase, -1, -1});
  };
  auto add_gemms = [&](int group, const PrecisionGroup& g, bool want_backward) {
    for (std::size_t i = 0; i < step.gemms.size(); ++i) {
      const GemmSpec& spec = step.gemms[i];
      if (backward(spec.phase) != want_backward) continue;
      schedule.jobs.push_back(Job::gemm(tensor_gemm(spec, g.samples), bits_of(g.precision, spec.a.role),
                                        bits_of(g.precision, spec.b.role), buffer_of(spec.a.role),
                                        buffer_of(spec.b.role)));
      schedule.tags.push_back({group, spec.phase, static_cast<int>(i), -1});
    }
  };
  auto add_vectors = [&](int group, std::int64_t samples, bool want_backward, bool update) {
    for (std::size_t i = 0; i < step.vector_ops.size(); ++i) {
      const VectorSpec& v = step.vector_ops[i];
      if ((v.phase == Phase::update) != update || (!update && backward(v.phase) != want_backward)) continue;
      schedule.jobs.push_back(Job::vector(to_string(v.op), v.elements(samples)));
      schedule.tags.push_back({group, v.phase, -1, static_cast<int>(i)});
    }
  };
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const int group = static_cast<int>(g);
    const PrecisionGroup& pg = groups[g];
    std::int64_t stash_write_bits = 0, stash_read_bits = 0;
    for (const StashSpec& s : step.stash) {
      const std::int64_t bits = s.bits_per_sample(pg.precision.act_bits) * pg.samples;
      stash_write_bits += bits;
      if (!s.read_by_gemm) stash_read_bits += bits;
    }
    transfer(group, Phase::fwd, Operand::weight, DmaDirection::read, weights * 4);
    transfer(group, Phase::fwd, Operand::weight, DmaDirection::write,
             bytes_of_bits(weights * pg.precision.weight_bits));
    add_gemms(group, pg, false);
    add_vectors(group, pg.samples, false, false);
    transfer(group, Phase::fwd, Operand::activation, DmaDirection::write, bytes_of_bits(stash_write_bits));
    transfer(group, Phase::bwd_data, Operand::activation, DmaDirection::read, bytes_of_bits(stash_read_bits));
    add_gemms(group, pg, true);
    add_vectors(group, pg.samples, true, false);
    if (g > 0) transfer(group, Phase::wgrad, Operand::gradient, DmaDirection::read, parameters * 4);
    transfer(group, Phase::wgrad, Operand::gradient, DmaDirection::write, parameters * 4);
  }
  transfer(-1, Phase::update, Operand::weight, DmaDirection::read, parameters * 8);
  transfer(-1, Phase::update, Operand::gradient, DmaDirection::read, parameters * 4);
  add_vectors(-1, 0, false, true);
  transfer(-1, Phase::update, Operand::weight, DmaDirection::write, parameters * 8);
  return schedule;
}

}  // namespace qtsim
