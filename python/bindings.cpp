// The extension `_qtsim` of the Python module `qtsim` (python/README.md):
// thin bindings of the jobs in sim/run/ and sim/sweep/, so that Python gets
// the same numbers as the command line. The package python/qtsim/ wraps
// these functions (tables as lists of dicts or pandas DataFrames, warnings as
// Python warnings); user code imports `qtsim`, not `_qtsim`.
//
// Errors: qtsim::Error (a problem with an input) becomes qtsim.Error, a
// subclass of ValueError, with the message the command line prints after
// "qtsim: error: "; anything else is a bug in qtsim (RuntimeError).
// The GIL is released while a job computes.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "py_json.h"
#include "qtsim_version.h"
#include "sim/config/overrides.h"
#include "sim/config/run_config.h"
#include "sim/run/gemm_job.h"
#include "sim/run/layers_job.h"
#include "sim/run/run_job.h"
#include "sim/run/validate_job.h"
#include "sim/sweep/sweep_file.h"
#include "sim/sweep/sweep_validate.h"

namespace py = pybind11;
using namespace qtsim;

namespace {

using Sections = std::map<std::string, std::string>;
using Sets = std::vector<std::string>;

// The run document of a run file (or the embedded default), section files and
// --set overrides, as `qtsim run` builds it.
RunDocumentInputs make_inputs(const std::optional<std::string>& run_file, const Sections& sections, const Sets& sets,
                              const std::vector<Override>& extra = {}) {
  RunDocumentInputs inputs;
  inputs.run_file = run_file;
  for (const auto& [name, path] : sections) {
    if (std::find(kSectionNames.begin(), kSectionNames.end(), name) == kSectionNames.end()) {
      throw Error("sections: unknown section `" + name + "`; expected hardware, workload, policy or run");
    }
    inputs.section_files[name] = path;
  }
  for (const std::string& s : sets) inputs.overrides.push_back(parse_override(s));
  inputs.overrides.insert(inputs.overrides.end(), extra.begin(), extra.end());
  return inputs;
}

RunDocument make_document(const std::optional<std::string>& run_file, const Sections& sections, const Sets& sets,
                          const std::vector<Override>& extra = {}) {
  return load_run_document(make_inputs(run_file, sections, sets, extra));
}

py::dict run_result_dict(const RunResult& result, const std::vector<std::string>& warnings, const std::string& target) {
  py::dict files;
  for (const auto& [name, text] : result.files) files[py::str(name)] = py::bytes(text);
  py::dict out;
  out["files"] = files;
  out["summary"] = to_python(result.summary);
  out["warnings"] = py::cast(warnings);
  out["output_dir"] = target.empty() ? py::object(py::none()) : py::object(py::str(target));
  return out;
}

// A run: prepared, computed and (with `out`) written as `qtsim run --out` would.
py::dict run(const std::optional<std::string>& run_file, const Sections& sections, const Sets& sets,
             const std::optional<std::string>& out, const std::string& memo) {
  std::vector<Override> extra;
  if (out) extra.push_back(Override{{"run", "output_dir"}, Json(*out), "run.output_dir=" + *out});
  RunOptions options;
  options.memo_dir = memo;
  options.check_output_folder = out.has_value();
  std::optional<PreparedRun> prepared;
  std::optional<RunResult> result;
  std::string target;
  {
    py::gil_scoped_release release;
    prepared.emplace(prepare_run(make_document(run_file, sections, sets, extra), options));
    result.emplace(execute_run(*prepared, options, out.has_value(), &target));
  }
  return run_result_dict(*result, prepared->warnings, target);
}

// One point of a sweep file, run as `qtsim sweep` runs it (fast mode).
py::dict sweep_point(const std::string& sweep_file, std::size_t index, const std::string& memo) {
  std::optional<SweepFile> sweep;
  std::optional<PreparedRun> prepared;
  std::optional<RunResult> result;
  bool filtered = false;
  {
    py::gil_scoped_release release;
    sweep.emplace(load_sweep_file(sweep_file));
    if (index >= sweep->points.size()) {
      throw Error(sweep_file + ": no point " + std::to_string(index) + "; the sweep has " +
                  std::to_string(sweep->points.size()) + " points (0 to " + std::to_string(sweep->points.size() - 1) +
                  ")");
    }
    RunOptions options;
    options.memo_dir = memo;
    options.check_output_folder = false;
    prepared.emplace(prepare_run(point_document(*sweep, sweep->points[index]), options));
    filtered = !passes_filters(*sweep, to_json(prepared->inputs.config));
    if (!filtered) result.emplace(execute_run(*prepared, options, false));
  }
  py::dict values;
  for (const auto& [axis, value] : sweep->points[index].values) values[py::str(axis)] = to_python(value);
  py::dict out = result ? run_result_dict(*result, prepared->warnings, "") : py::dict();
  out["index"] = index;
  out["values"] = values;
  out["status"] = filtered ? "filtered" : "ok";
  return out;
}

py::list sweep_points(const std::string& sweep_file) {
  const SweepFile sweep = load_sweep_file(sweep_file);
  py::list out;
  for (const SweepPoint& p : sweep.points) {
    py::dict values;
    for (const auto& [axis, value] : p.values) values[py::str(axis)] = to_python(value);
    out.append(py::dict(py::arg("index") = p.index, py::arg("values") = values));
  }
  return out;
}

py::dict gemm(std::int64_t m, std::int64_t k, std::int64_t n, int a_bits, int b_bits, const std::string& mode,
              std::uint64_t seed, const std::optional<std::string>& run_file, const Sections& sections,
              const Sets& sets) {
  if (mode != "fast" && mode != "reference") throw Error("mode: got `" + mode + "`; expected fast or reference");
  GemmRequest request;
  request.m = m, request.k = k, request.n = n, request.a_bits = a_bits, request.b_bits = b_bits, request.seed = seed;
  request.fast = mode == "fast";
  std::optional<GemmReport> report;
  {
    py::gil_scoped_release release;
    const RunConfig config = resolve_run_config(make_document(run_file, sections, sets));
    report.emplace(compute_gemm(request, config.hardware));
  }
  py::dict out;
  out["config"] = to_python(report->config);
  out["stats"] = to_python(stats_json(report->groups));
  out["files"] = py::dict(py::arg("energy.csv") = py::bytes(report->energy_csv));
  out["energy_provenance"] = to_python(report->energy_provenance);
  return out;
}

py::dict layers(const std::string& topology, const std::string& scalesim_config, const std::string& format,
                const std::string& mode, int a_bits, int b_bits, std::uint64_t seed,
                const std::optional<std::string>& run_file, const Sections& sections, const Sets& sets) {
  if (mode != "fast" && mode != "reference") throw Error("mode: got `" + mode + "`; expected fast or reference");
  LayersRequest request;
  request.topology_path = topology;
  request.scalesim_config = scalesim_config;
  request.format = parse_topology_format(format, "topology_format");
  request.fast = mode == "fast";
  request.a_bits = a_bits, request.b_bits = b_bits, request.seed = seed;
  std::optional<LayersResult> result;
  {
    py::gil_scoped_release release;
    result.emplace(compute_layers(request, make_inputs(run_file, sections, sets)));
  }
  py::dict files;
  for (const auto& [name, text] : result->files) files[py::str(name)] = py::bytes(text);
  py::dict out;
  out["files"] = files;
  out["layers"] = to_python(result->layers);
  out["note"] = result->note;
  return out;
}

}  // namespace

PYBIND11_MODULE(_qtsim, m) {
  m.doc() = "qtsim's library: runs, sweep points, GEMMs (use the package `qtsim`, which wraps this module)";
  m.attr("version") = kVersion;
  static py::exception<Error> error(m, "Error", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      error(e.what());
    }
  });
  m.def("resolve", [](const std::optional<std::string>& run_file, const Sections& sections, const Sets& sets) {
    return to_python(to_json(resolve_run_config(make_document(run_file, sections, sets))));
  });
  m.def("validate", [](const std::string& path, const std::string& kind, const Sets& sets) {
    std::vector<Override> overrides;
    for (const std::string& s : sets) overrides.push_back(parse_override(s));
    if (kind == "sweep" || (kind == "auto" && is_sweep_file(path))) {
      if (!overrides.empty()) throw Error("sets: not taken with a sweep file; put the values in its space");
      return validate_sweep(path);
    }
    return validate_file(path, kind, overrides);
  });
  m.def("run", &run);
  m.def("sweep_point", &sweep_point);
  m.def("sweep_points", &sweep_points);
  m.def("gemm", &gemm);
  m.def("layers", &layers);
}
