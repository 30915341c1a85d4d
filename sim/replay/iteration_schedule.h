#pragma once
// One training iteration as the accelerator runs it: the job list the
// precision controller executes (reference mode adds operand values to its
// GEMMs), built from the network's lowering
// (workloads/lowering/training_step.h) and the iteration's precision groups
// (workloads/policy/precision_groups.h). Order, a modelling choice (README,
// "Replay"):
//   for each group g of n samples at (bA, bW, bG), hardest first:
//     forward:  read the FP32 master weights (W x 4 bytes, W = conv/FC
//               weights), write the group's quantized copy (W x bW / 8);
//               the forward GEMMs (lowering order); the forward vector work;
//               write the group's stash (every StashSpec: n x its bits / 8);
//     backward: read back the stash that vector work needs (the ReLU masks,
//               batch-norm inputs, softmax output: the conv/FC inputs are
//               read by the weight-gradient GEMMs' own tiles); the backward
//               GEMMs (bwd_data and wgrad, layer by layer as lowered); the
//               backward vector work (quantizers, col2im, gradient
//               accumulation); read the FP32 weight gradient accumulated by
//               the groups before (P x 4 bytes, P = parameters; not for the
//               first group) and write it back (P x 4);
//   update, once per iteration: read the FP32 master weights and momentum
//     (P x 8) and the gradient (P x 4), the optimizer step (vector work),
//     write the master weights and momentum (P x 8).
// GEMM operands sit in the buffers of their roles (activation, weight,
// gradient) at the group's widths; transfers go through the buffer of what
// they move (stash: activation; weights and momentum: weight; gradients:
// gradient). Each direction's traffic of a phase is one transfer (reads are
// waited for, writes drain in the background). Every job is tagged with its
// group, phase and lowering entry, so that costs can be reported per layer x
// phase and per phase x group.
#include <cstdint>
#include <vector>

#include "hw_models/controller/job.h"
#include "workloads/lowering/training_step.h"
#include "workloads/policy/precision_groups.h"

namespace qtsim {

struct JobTag {
  int group = 0;  // index into the iteration's groups; -1 for the once-per-iteration update
  Phase phase = Phase::fwd;
  int gemm = -1;    // index into TrainingStep::gemms, or -1
  int vector = -1;  // index into TrainingStep::vector_ops, or -1 (-1 and -1: a DRAM transfer)
};

struct IterationSchedule {
  std::vector<Job> jobs;
  std::vector<JobTag> tags;  // one per job
};

Operand buffer_of(Role role);
int bits_of(const Precision& precision, Role role);
// The GEMM's tensors for `samples` samples; its dims() equal spec.shape(samples).
TensorGemm tensor_gemm(const GemmSpec& spec, std::int64_t samples);

IterationSchedule iteration_schedule(const TrainingStep& step, const std::vector<PrecisionGroup>& groups);

}  // namespace qtsim
