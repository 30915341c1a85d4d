#include "sim/config/run_inputs.h"

#include "base/error.h"
#include "base/hash.h"
#include "workloads/network/network_parser.h"
#include "workloads/trace/synthetic_cifar10.h"
#include "workloads/trace/trace_reader.h"
#include "workloads/trace/trace_writer.h"

namespace qtsim {

Trace load_trace(const std::string& ref) {
  if (ref == kBuiltinReferenceTrace) return make_synthetic_cifar10_trace();
  if (ref.rfind("builtin:", 0) == 0) {
    throw Error("unknown built-in trace, got \"" + ref + "\"; expected " + kBuiltinReferenceTrace +
                " or the path of a .json, .cbor or .msgpack trace");
  }
  return read_trace(ref);
}

Network load_workload_network(const WorkloadConfig& workload) {
  if (!workload.network_inline.is_null()) {
    return parse_network(JsonNode(workload.network_inline, "workload.network (inline)"));
  }
  return load_network(workload.network);
}

namespace {

std::string trace_hash(const Trace& trace) { return hash_hex(encode_trace_document(trace_to_json(trace), ".cbor")); }

// Sets in.trace and in.trace_hash from in.config's trace (through `traces` when given).
void load_inputs_trace(const RunDocument& document, TraceCache* traces, RunInputs& in) {
  const std::string& ref = in.config.workload.trace;
  try {
    if (traces != nullptr) {
      const std::shared_ptr<const TraceCache::Entry> cached = traces->get(ref);
      in.trace = cached->trace;
      in.trace_hash = cached->hash;
    } else {
      in.trace = load_trace(ref);
      in.trace_hash = trace_hash(in.trace);
    }
  } catch (const Error& e) {
    throw Error(document.where("workload", "trace") + ": " + e.what());
  }
}

// The policy that replays `trace` (RunSettings::policy_source); updates
// config.policy to its resolved configuration.
std::unique_ptr<Policy> replay_policy(const RunDocument& document, const Trace& trace, RunConfig& config) {
  std::unique_ptr<Policy> configured = make_policy(document.section("policy"));
  if (trace.policy.is_null() || config.run.policy_source == "config") return configured;
  const std::string source = config.workload.trace + " (its recorded policy; --set run.policy_source=config " +
                             "replays the trace under the configuration's policy instead)";
  std::unique_ptr<Policy> recorded = make_policy(JsonNode(trace.policy, source));
  if (!document.section_given("policy")) {
    config.policy = recorded->resolved_config();
    return recorded;
  }
  if (configured->resolved_config() != recorded->resolved_config()) {
    throw Error(document.source("policy") + ": policy " + configured->resolved_config().dump() + " differs from the " +
                "policy the trace " + config.workload.trace + " was recorded with, " +
                recorded->resolved_config().dump() + "; expected no policy (the recorded one replays) or " +
                "--set run.policy_source=config to replay the trace under another policy on purpose");
  }
  return configured;
}

}  // namespace

std::shared_ptr<const TraceCache::Entry> TraceCache::get(const std::string& ref) {
  const std::lock_guard<std::mutex> lock(mutex_);
  auto found = entries_.find(ref);
  if (found != entries_.end()) return found->second;
  auto entry = std::make_shared<Entry>();
  entry->trace = load_trace(ref);
  entry->hash = trace_hash(entry->trace);
  entries_.emplace(ref, entry);
  return entry;
}

RunInputs load_run_inputs(const RunDocument& document, TraceCache* traces) {
  RunInputs in;
  in.config = resolve_run_config(document);
  const RunConfig& c = in.config;
  // Problems inside the referenced files are named by those files; the
  // prefix says which key referenced them.
  try {
    in.network = load_workload_network(c.workload);
  } catch (const Error& e) {
    throw Error(document.where("workload", "network") + ": " + e.what());
  }
  in.step = lower_training_step(in.network);
  load_inputs_trace(document, traces, in);

  if (in.network.num_classes != in.trace.num_classes()) {
    throw Error(document.where("workload", "network") + ": the network " + in.network.name + " has " +
                std::to_string(in.network.num_classes) + " classes but the trace " + c.workload.trace + " has " +
                std::to_string(in.trace.num_classes()) + "; expected a network and trace of the same dataset");
  }
  const int available = in.trace.num_epochs();
  if (c.run.first_epoch >= available) {
    throw Error(document.where("run", "first_epoch") + ": out of range, got " + std::to_string(c.run.first_epoch) +
                "; expected an epoch in [0, " + std::to_string(available - 1) + "] (the trace has " +
                std::to_string(available) + " epochs)");
  }
  int count = c.run.num_epochs == 0 ? available - c.run.first_epoch : c.run.num_epochs;
  if (c.run.first_epoch + count > available) {
    throw Error(document.where("run", "num_epochs") + ": out of range, got " + std::to_string(c.run.num_epochs) +
                "; expected at most " + std::to_string(available - c.run.first_epoch) + " from run.first_epoch " +
                std::to_string(c.run.first_epoch) + " (the trace has " + std::to_string(available) + " epochs)");
  }
  in.epochs = EpochRange{c.run.first_epoch, count};
  const int iterations = in.trace.iterations_per_epoch;
  if (c.run.first_iteration >= iterations) {
    throw Error(document.where("run", "first_iteration") + ": out of range, got " +
                std::to_string(c.run.first_iteration) + "; expected an iteration in [0, " +
                std::to_string(iterations - 1) + "] (the trace has " + std::to_string(iterations) +
                " iterations per epoch)");
  }
  const int iteration_count = c.run.num_iterations == 0 ? iterations - c.run.first_iteration : c.run.num_iterations;
  if (c.run.first_iteration + iteration_count > iterations) {
    throw Error(document.where("run", "num_iterations") + ": out of range, got " +
                std::to_string(c.run.num_iterations) + "; expected at most " +
                std::to_string(iterations - c.run.first_iteration) + " from run.first_iteration " +
                std::to_string(c.run.first_iteration) + " (the trace has " + std::to_string(iterations) +
                " iterations per epoch)");
  }
  in.iterations = RunInputs::IterationRange{c.run.first_iteration, iteration_count};

  in.policy = replay_policy(document, in.trace, in.config);
  in.plans = in.policy->plan(in.trace);
  return in;
}

}  // namespace qtsim
