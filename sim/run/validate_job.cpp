#include "sim/run/validate_job.h"

#include <cstdio>
#include <filesystem>

#include "base/error.h"
#include "base/json_file.h"
#include "sim/config/run_config.h"
#include "sim/config/run_inputs.h"
#include "sim/run/run_job.h"
#include "workloads/network/network_parser.h"
#include "workloads/trace/trace_reader.h"

namespace qtsim {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string detect_kind(const std::string& path, const Json& doc) {
  if (ends_with(path, ".cbor") || ends_with(path, ".msgpack")) return "trace";
  if (!doc.is_object()) {
    throw Error(path + ": a qtsim input file holds a JSON object, got " + JsonNode::describe(doc));
  }
  auto has_any = [&](std::initializer_list<const char*> keys) {
    for (const char* k : keys) {
      if (doc.contains(k)) return true;
    }
    return false;
  };
  if (doc.value("format", "") == "qtsim-trace") return "trace";
  if (doc.contains("layers")) return "network";
  if (has_any({"hardware", "workload", "policy", "run", "description"})) return "run_file";
  if (doc.contains("impl")) return "policy";
  if (has_any({"mac_array", "clock_mhz", "buffers", "dram", "controller", "vector_unit", "energy"})) return "hardware";
  if (has_any({"network", "trace"})) return "workload";
  if (has_any({"output_dir", "first_epoch", "num_epochs", "baseline", "mode", "first_iteration", "num_iterations"}))
    return "run";
  throw Error(path + ": cannot tell what kind of file this is; expected --kind with one of: " +
              join(std::vector<std::string>(validate_kinds().begin() + 1, validate_kinds().end())));
}

std::string describe_run(const RunInputs& in) {
  return "run file: " + in.network.name + " (" + std::to_string(in.step.gemms.size()) +
         " GEMMs per precision group), trace " + in.config.workload.trace + " (" +
         std::to_string(in.trace.num_epochs()) + " epochs), policy " + in.policy->impl() + ", epochs " +
         std::to_string(in.epochs.first) + "-" + std::to_string(in.epochs.first + in.epochs.count - 1);
}

}  // namespace

const std::vector<std::string>& validate_kinds() {
  static const std::vector<std::string> kinds = {"auto", "run_file", "hardware", "workload", "policy",
                                                 "run",  "network",  "trace",    "sweep"};
  return kinds;
}

namespace {

void print_warnings(const PreparedRun& prepared) {
  for (const std::string& w : prepared.warnings) std::fprintf(stderr, "qtsim: warning: %s\n", w.c_str());
}

}  // namespace

std::string validate_file(const std::string& path, const std::string& requested_kind,
                          const std::vector<Override>& overrides) {
  if (requested_kind == "run_file") {
    RunDocumentInputs inputs;
    inputs.run_file = path;
    inputs.overrides = overrides;
    const PreparedRun prepared = prepare_run(load_run_document(inputs), RunOptions{});
    print_warnings(prepared);
    return "ok: " + path + ": " + describe_run(prepared.inputs);
  }
  Json doc = read_json_file(path);
  for (const Override& o : overrides) apply_override(doc, o);
  const std::string kind = requested_kind == "auto" ? detect_kind(path, doc) : requested_kind;
  if (kind == "run_file") return validate_file(path, "run_file", overrides);
  if (kind == "trace") {
    Trace t = parse_trace(doc, path);
    return "ok: " + path + ": trace of " + t.network + " on " + t.dataset + ", " + std::to_string(t.num_epochs()) +
           " epochs x " + std::to_string(t.iterations_per_epoch) + " iterations, " + std::to_string(t.num_classes()) +
           " classes (" + t.provenance.value("kind", "") + ")";
  }
  if (kind == "network") {
    Network n = parse_network(JsonNode(doc, path));
    return "ok: " + path + ": network " + n.name + ", " + std::to_string(n.parameters()) + " parameters, " +
           std::to_string(n.forward_macs_per_sample()) + " forward MACs per sample";
  }
  // A single section: checked as the same section of a run whose other
  // sections are the embedded defaults, so its references are loaded too.
  RunDocument run = load_run_document({});
  run.root[kind] = doc;
  run.origins[kind] = SectionOrigin{path, "", std::filesystem::path(path).parent_path().string()};
  const PreparedRun prepared = prepare_run(run, RunOptions{});
  print_warnings(prepared);
  const RunInputs& in = prepared.inputs;
  return "ok: " + path + ": " + kind +
         " section (checked with the embedded defaults for the others: " + describe_run(in) + ")";
}

}  // namespace qtsim
