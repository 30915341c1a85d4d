#pragma once
// The configuration of one qtsim run, in two layers (docs/conventions.md):
//
//   1. RunDocument: the raw JSON of the four sections, `hardware`, `workload`,
//      `policy` and `run`, each given inline in a run file, as a path to its
//      own file (relative to the file that names it), on the command line
//      (--hardware FILE ...), or taken from the embedded default ({}: every
//      value at its default). `--set` overrides are applied last.
//   2. RunConfig: the resolved, validated configuration, with every default
//      filled in from the member initialisers of the structs below (and of
//      HardwareConfig, and of the policy's own config): the one place where
//      defaults live. to_json(RunConfig) is what each output folder records.
//
// Errors name the file (or "embedded default", or the --set argument), the
// key path, the value found and what is expected.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/json_node.h"
#include "hw_models/config/hardware_config.h"
#include "sim/config/overrides.h"
#include "workloads/precision.h"

namespace qtsim {

inline const std::vector<std::string> kSectionNames = {"hardware", "workload", "policy", "run"};

struct SectionOrigin {
  std::string source;       // file path, or "embedded default"
  std::string path_prefix;  // the section name when inline or embedded, "" at the root of its own file
  std::string base_dir;     // where relative paths inside the section are resolved
};

struct RunDocument {
  Json root = Json::object();  // {"hardware": {...}, "workload": {...}, "policy": {...}, "run": {...}}
  std::map<std::string, SectionOrigin> origins;
  std::vector<Override> overrides;
  JsonNode section(const std::string& name) const;  // a node that reports errors with the section's origin
  // The section's origin for messages: its file (or "embedded default"),
  // plus the --set overrides that touched it.
  std::string source(const std::string& name) const;
  // "<source>: <key path>" of `key` in the section.
  std::string where(const std::string& name, const std::string& key) const;
  // True when a run file, a section file or a --set gave the section.
  bool section_given(const std::string& name) const;
};

// A run object held inside another file (a sweep's `base`): `value` as read
// from `source` at key path `path`, its relative paths resolved against `base_dir`.
struct InlineRun {
  Json value;
  std::string source, path, base_dir;
};

struct RunDocumentInputs {
  std::optional<std::string> run_file;               // a run file, or none for the embedded default
  std::optional<InlineRun> run_inline;               // or a run object inside another file
  std::map<std::string, std::string> section_files;  // e.g. {"hardware": "hw/x.json"} from the command line
  std::vector<Override> overrides;
};

RunDocument load_run_document(const RunDocumentInputs& inputs);

struct WorkloadConfig {
  std::string network = "builtin:resnet20_cifar10";          // builtin:<name>, or a path
  Json network_inline = nullptr;                             // an inline network description, if given
  std::string trace = "builtin:cifar10_resnet20_synthetic";  // builtin:<name>, or a .json/.cbor/.msgpack path
};

struct RunSettings {
  std::string output_dir = "qtsim_out";
  int first_epoch = 0;
  int num_epochs = 0;  // 0: to the end of the trace
  Precision baseline;  // the uniform baseline every policy is compared with (8/8/16)
  // How iterations are costed: "fast" (closed forms, sim/fast/) or
  // "reference" (cycle by cycle through SystemC, for validation).
  static inline const std::vector<std::string> kModes = {"fast", "reference"};
  std::string mode = "fast";
  // Which iterations of each replayed epoch: [first_iteration,
  // first_iteration + num_iterations), num_iterations 0 = to the epoch's end.
  int first_iteration = 0;
  int num_iterations = 0;
  // Which policy replays a trace that records one (its `policy`): "trace"
  // uses the recorded policy when the configuration gives none and refuses a
  // different one; "config" uses the configuration's (or the default) anyway.
  static inline const std::vector<std::string> kPolicySources = {"config", "trace"};
  std::string policy_source = "trace";
};

struct RunConfig {
  HardwareConfig hardware;
  WorkloadConfig workload;
  Json policy = Json::object();  // the policy's resolved configuration (workloads/policy validates it)
  RunSettings run;
  std::string description;
};

RunConfig resolve_run_config(const RunDocument& document);
Json to_json(const RunConfig& config);

}  // namespace qtsim
