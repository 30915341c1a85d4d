#pragma once
// RunInputs: everything a run reads, loaded and cross-checked once, before
// any work: the resolved configuration, the network and its lowering, the
// trace, the policy and its per-epoch plans, and the epoch range. Used by
// `qtsim run` and `qtsim validate` (which stops after loading).
//
// Cross-checks (each an Error naming the key): the network's class count
// equals the trace's; run.first_epoch / run.num_epochs lie inside the trace.
#include <map>
#include <memory>
#include <mutex>
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
// Traces already loaded, by reference (`workload.trace`), with the hash of
// their CBOR encoding: a sweep loads and hashes each trace once for all its
// points. Safe to share between threads; a trace that fails to load is not
// kept (each point that references it reports the error).
class TraceCache {
 public:
  struct Entry {
    Trace trace;
    std::string hash;
  };
  std::shared_ptr<const Entry> get(const std::string& ref);

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const Entry>> entries_;
};

// `traces` (may be null) supplies the trace; without it the trace is loaded.
RunInputs load_run_inputs(const RunDocument& document, TraceCache* traces = nullptr);

}  // namespace qtsim
