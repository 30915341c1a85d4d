#include "sim/config/run_config.h"

#include <algorithm>

#include <filesystem>

#include "base/error.h"
#include "base/json_file.h"
#include "workloads/policy/policy.h"

namespace qtsim {
namespace fs = std::filesystem;
namespace {

std::string parent_dir(const std::string& path) { return fs::path(path).parent_path().string(); }

// A path written inside a section, resolved against the section's folder.
std::string resolve_path(const std::string& base_dir, const std::string& path) {
  if (path.rfind("builtin:", 0) == 0 || fs::path(path).is_absolute() || base_dir.empty()) return path;
  return (fs::path(base_dir) / path).lexically_normal().string();
}

void load_section_file(RunDocument& doc, const std::string& name, const std::string& path, const std::string& base) {
  std::string resolved = resolve_path(base, path);
  Json value = read_json_file(resolved);
  if (!value.is_object()) {
    throw Error(resolved + ": the " + name + " section must be a JSON object, got " + JsonNode::describe(value));
  }
  doc.root[name] = std::move(value);
  doc.origins[name] = SectionOrigin{resolved, "", parent_dir(resolved)};
}

WorkloadConfig parse_workload(const JsonNode& node, const std::string& base_dir) {
  node.require_object();
  const WorkloadConfig fallback;
  WorkloadConfig c;
  if (auto network = node.find("network")) {
    if (network->value().is_object()) {
      c.network = "inline";
      c.network_inline = network->value();
    } else if (network->value().is_string()) {
      c.network = resolve_path(base_dir, network->as_string());
    } else {
      network->fail_value("wrong type", "builtin:<name>, a file path, or an inline network object");
    }
  }
  c.trace = resolve_path(base_dir, node.get_string("trace", fallback.trace));
  node.reject_unknown_keys();
  return c;
}

RunSettings parse_run_settings(const JsonNode& node) {
  node.require_object();
  const RunSettings fallback;
  RunSettings c;
  c.output_dir = node.get_string("output_dir", fallback.output_dir);
  if (c.output_dir.empty()) node.at("output_dir").fail_value("empty path", "a folder path");
  c.first_epoch = static_cast<int>(node.get_int("first_epoch", fallback.first_epoch, 0, 1000000));
  c.num_epochs = static_cast<int>(node.get_int("num_epochs", fallback.num_epochs, 0, 1000000));
  if (auto baseline = node.find("baseline")) c.baseline = parse_precision(*baseline, fallback.baseline);
  c.mode = node.get_choice("mode", fallback.mode, RunSettings::kModes);
  c.first_iteration = static_cast<int>(node.get_int("first_iteration", fallback.first_iteration, 0, 1000000000));
  c.num_iterations = static_cast<int>(node.get_int("num_iterations", fallback.num_iterations, 0, 1000000000));
  c.policy_source = node.get_choice("policy_source", fallback.policy_source, RunSettings::kPolicySources);
  node.reject_unknown_keys();
  return c;
}

// True when following `path` in `document` runs into a missing key whose
// next component is an array index (e.g. policy.tiers.1.min_accuracy on a
// policy without `tiers`): such an override edits a default list, so the
// section must first be written out with its defaults.
bool indexes_a_missing_array(const Json& document, const std::vector<std::string>& path) {
  const Json* node = &document;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    if (!node->is_object()) return false;
    auto it = node->find(path[i]);
    if (it == node->end() || it->is_null()) {
      return !path[i + 1].empty() && path[i + 1].find_first_not_of("0123456789") == std::string::npos;
    }
    node = &*it;
  }
  return false;
}

}  // namespace

std::string RunDocument::source(const std::string& name) const {
  std::string label = origins.at(name).source;
  std::vector<std::string> touching;
  for (const Override& o : overrides) {
    if (o.path.front() == name) touching.push_back("--set " + o.text);
  }
  if (!touching.empty()) label += " (with " + join(touching) + ")";
  return label;
}

std::string RunDocument::where(const std::string& name, const std::string& key) const {
  const std::string& prefix = origins.at(name).path_prefix;
  return source(name) + ": " + (prefix.empty() ? key : prefix + "." + key);
}

bool RunDocument::section_given(const std::string& name) const {
  if (origins.at(name).source != "embedded default") return true;
  return std::any_of(overrides.begin(), overrides.end(), [&](const Override& o) { return o.path.front() == name; });
}

JsonNode RunDocument::section(const std::string& name) const {
  return JsonNode(root.at(name), source(name), origins.at(name).path_prefix);
}

namespace {

// The sections of a run object (a run file's root, or a run inside another
// file): each inline, or the path of its own file relative to `base`.
void load_run_object(RunDocument& doc, const JsonNode& node, const std::string& base) {
  node.require_object();
  for (const std::string& name : kSectionNames) {
    auto section = node.find(name);
    if (!section) continue;
    if (section->value().is_string()) {
      load_section_file(doc, name, section->as_string(), base);
    } else if (section->value().is_object()) {
      doc.root[name] = section->value();
      doc.origins[name] = SectionOrigin{node.source(), section->path(), base};
    } else {
      section->fail_value("wrong type", "a section object, or the path of a JSON file holding it");
    }
  }
  if (auto description = node.find("description")) doc.root["description"] = description->as_string();
  node.reject_unknown_keys();
}

}  // namespace

RunDocument load_run_document(const RunDocumentInputs& inputs) {
  RunDocument doc;
  doc.overrides = inputs.overrides;
  for (const std::string& name : kSectionNames) {
    doc.root[name] = Json::object();
    doc.origins[name] = SectionOrigin{"embedded default", name, ""};
  }
  if (inputs.run_file) {
    const std::string& path = *inputs.run_file;
    const Json run = read_json_file(path);
    load_run_object(doc, JsonNode(run, path), parent_dir(path));
  } else if (inputs.run_inline) {
    const InlineRun& in = *inputs.run_inline;
    load_run_object(doc, JsonNode(in.value, in.source, in.path), in.base_dir);
  }
  for (const auto& [name, path] : inputs.section_files) load_section_file(doc, name, path, "");

  // A --set of a whole section to a string names a file (relative to the
  // current folder); every other override edits the loaded JSON.
  for (const Override& o : inputs.overrides) {
    bool known = o.path.front() == "description";
    for (const std::string& name : kSectionNames) known = known || o.path.front() == name;
    if (!known) {
      throw Error("--set " + o.text + ": unknown section `" + o.path.front() + "`; valid: " + join(kSectionNames) +
                  ", description");
    }
    if (o.path.size() == 1 && o.path.front() != "description" && o.value.is_string()) {
      load_section_file(doc, o.path.front(), o.value.get<std::string>(), "");
    } else if (o.path.front() == "policy" && indexes_a_missing_array(doc.root, o.path)) {
      doc.root["policy"] = make_policy(doc.section("policy"))->resolved_config();
      apply_override(doc.root, o);
    } else {
      apply_override(doc.root, o);
    }
  }
  return doc;
}

RunConfig resolve_run_config(const RunDocument& document) {
  RunConfig c;
  c.hardware = parse_hardware_config(document.section("hardware"), document.origins.at("hardware").base_dir);
  c.workload = parse_workload(document.section("workload"), document.origins.at("workload").base_dir);
  c.policy = make_policy(document.section("policy"))->resolved_config();
  c.run = parse_run_settings(document.section("run"));
  if (document.root.contains("description")) {
    JsonNode description(document.root.at("description"), "run file", "description");
    c.description = description.as_string();
  }
  return c;
}

Json to_json(const RunConfig& config) {
  Json workload{{"network", config.workload.network}, {"trace", config.workload.trace}};
  if (!config.workload.network_inline.is_null()) workload["network"] = config.workload.network_inline;
  Json run{{"output_dir", config.run.output_dir},
           {"first_epoch", config.run.first_epoch},
           {"num_epochs", config.run.num_epochs},
           {"baseline", config.run.baseline.to_json()},
           {"mode", config.run.mode},
           {"first_iteration", config.run.first_iteration},
           {"num_iterations", config.run.num_iterations},
           {"policy_source", config.run.policy_source}};
  return Json{{"description", config.description},
              {"hardware", to_json(config.hardware)},
              {"workload", workload},
              {"policy", config.policy},
              {"run", run}};
}

}  // namespace qtsim
