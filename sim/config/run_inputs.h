#pragma once
// RunInputs: everything a run reads, loaded and cross-checked once, before
// any work: the resolved configuration, the network and its lowering, the
// trace, the policy and its per-epoch plans, and the epoch range. Used by
// `qtsim run` and `qtsim validate` (which stops after loading).
//
// Cross-checks (each an Error naming the key): the network's class count
// equals the trace's; run.first_epoch / run.num_epochs lie inside the trace.
#include <memory>
#include <string>
#include <vector>

#include "sim/config/run_config.h"
#include "workloads/compression/compression.h"
#include "workloads/lowering/training_step.h"
#include "workloads/network/network.h"
#include "workloads/policy/policy.h"
#include "workloads/trace/trace.h"

namespace qtsim {

// The embedded reference trace: generated from its seed on demand (the same
// bytes as workloads/traces/cifar10_resnet20_synthetic.cbor).
inline constexpr const char* kBuiltinReferenceTrace = "builtin:cifar10_resnet20_synthetic";

struct RunInputs {
  RunConfig config;
  Network network;
  TrainingStep step;
  Trace trace;
  std::string trace_hash;  // of the trace's CBOR encoding, whatever file it came from
  std::unique_ptr<Policy> policy;
  std::vector<EpochPlan> plans;
  EpochRange epochs;  // resolved: count >= 1
  // The iterations of each epoch the hardware replay covers (resolved: count
  // >= 1); the compression metrics always cover whole epochs.
  struct IterationRange {
    int first = 0;
    int count = 0;
  } iterations;
};

// `builtin:cifar10_resnet20_synthetic`, or a .json/.cbor/.msgpack path.
Trace load_trace(const std::string& ref);
Network load_workload_network(const WorkloadConfig& workload);
RunInputs load_run_inputs(const RunDocument& document);

}  // namespace qtsim
