#pragma once
// One training iteration as the accelerator runs it: the job list the
// precision controller executes (fast mode's FastJob, or reference mode's
// GemmJob with operand values), built from the network's lowering
// (workloads/lowering/training_step.h) and the iteration's precision groups
// (workloads/policy/precision_groups.h). Order, a modelling choice (README,
// "Replay"):
//   for each group, hardest first:
//     its forward GEMMs (lowering order), then its forward vector work;
//     its backward GEMMs (bwd_data and wgrad, layer by layer as lowered),
//     then its backward vector work (incl. the FP32 weight-gradient
//     accumulation and the quantizers);
//   then, once per iteration, the optimizer step (update-phase vector work).
// Every operand sits in the buffer of its role (activation, weight,
// gradient) at its group's width. Each job is tagged with its group, phase
// and lowering entry, so that costs can be reported per layer x phase and
// per phase x group.
#include <cstdint>
#include <vector>

#include "sim/fast/fast_job.h"
#include "workloads/lowering/training_step.h"
#include "workloads/policy/precision_groups.h"

namespace qtsim {

struct JobTag {
  int group = 0;            // index into the iteration's groups; -1 for the once-per-iteration update
  Phase phase = Phase::fwd;
  int gemm = -1;            // index into TrainingStep::gemms, or -1
  int vector = -1;          // index into TrainingStep::vector_ops, or -1
};

struct IterationSchedule {
  std::vector<FastJob> jobs;
  std::vector<JobTag> tags;  // one per job
};

Operand buffer_of(Role role);
int bits_of(const Precision& precision, Role role);

IterationSchedule iteration_schedule(const TrainingStep& step, const std::vector<PrecisionGroup>& groups);

}  // namespace qtsim
