// qtsim: the command-line program. It only parses arguments, loads the
// configuration, runs the requested job from the library and reports errors;
// every job lives in sim/run/.
//
// Exit status: 0 success, 1 an error in the input (configuration, trace,
// network, option values, files that may not be written: the message names
// it), 2 a usage error, 3 an internal error (a bug in qtsim: one line on
// stderr, no core dump), 4 out of memory despite the estimates.
#include <csignal>
#include <exception>
#include <iostream>
#include <map>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "base/error.h"
#include "base/json_file.h"
#include "base/strict_json.h"
#include "qtsim_version.h"
#include "sim/config/run_config.h"
#include "sim/run/gemm_job.h"
#include "sim/run/layers_job.h"
#include "sim/run/run_job.h"
#include "sim/run/trace_job.h"
#include "sim/run/validate_job.h"
#include "sim/sweep/sweep_file.h"
#include "sim/sweep/sweep_job.h"
#include "sim/sweep/sweep_validate.h"

namespace {

using namespace qtsim;

struct ConfigOptions {
  std::string run_file;
  std::map<std::string, std::string> section_files;
  std::vector<std::string> sets;
  std::vector<Override> extra;  // overrides implied by other options (run --out)

  void add_to(CLI::App& app, bool with_run_file) {
    if (with_run_file) {
      app.add_option("run_file", run_file,
                     "Run file (JSON): sections `hardware`, `workload`, `policy`, `run`, each inline or a path. "
                     "Default: the embedded default configuration");
    }
    for (const std::string& name : kSectionNames) {
      app.add_option("--" + name, section_files[name], "Take the `" + name + "` section from this JSON file");
    }
    add_sets(app);
  }
  void add_sets(CLI::App& app) {
    app.add_option("--set", sets, "Override a configuration value: --set key.path=value (repeatable)")
        ->type_name("KEY=VALUE");
  }
  std::vector<Override> overrides() const {
    std::vector<Override> out;
    for (const std::string& s : sets) out.push_back(parse_override(s));
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
  }
  RunDocumentInputs inputs() const {
    RunDocumentInputs out;
    if (!run_file.empty()) out.run_file = run_file;
    for (const auto& [name, path] : section_files) {
      if (!path.empty()) out.section_files[name] = path;
    }
    out.overrides = overrides();
    return out;
  }
  RunDocument document() const { return load_run_document(inputs()); }
};

// `qtsim run`: the main job.
struct RunCommand {
  CLI::App* app = nullptr;
  ConfigOptions config;
  std::string out_dir;
  std::string mode;
  RunOptions job_options;
  std::int64_t memory_mib = 0;

  void add_to(CLI::App& parent) {
    app = parent.add_subcommand(
        "run",
        "The main job: replay a training trace under a bit-width policy and the uniform baseline, "
        "and write an output folder");
    config.add_to(*app, true);
    app->add_option("--out", out_dir, "Output folder (same as --set run.output_dir=DIR)");
    app->add_option("--mode", mode,
                    "fast (default) or reference: cost iterations cycle by cycle through SystemC "
                    "(same as --set run.mode=MODE; pick iterations with run.first_iteration/num_iterations)");
    app->add_option("--memo", job_options.memo_dir,
                    "Keep iteration costs in this folder and reuse them in later runs on the same hardware "
                    "(never changes the outputs); any number of runs may share it");
    app->add_option("--memo-verify", job_options.memo_verify,
                    "Recompute this many randomly chosen memo entries and fail if any differs from the stored one")
        ->check(CLI::Range(0, 1000000));
    app->add_option("--memory-limit-mib", memory_mib,
                    "Refuse work whose memory estimate exceeds this (MiB; default: the machine's physical memory)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  }

  void run() {
    for (const std::string* text : {&out_dir, &mode}) {  // they go into config.json
      if (!is_valid_utf8(*text)) throw Error("qtsim run: an option's value is not valid UTF-8 text: " + *text);
    }
    if (!out_dir.empty()) {
      config.extra.push_back(Override{{"run", "output_dir"}, Json(out_dir), "run.output_dir=" + out_dir});
    }
    if (!mode.empty()) config.extra.push_back(Override{{"run", "mode"}, Json(mode), "run.mode=" + mode});
    if (job_options.memo_verify > 0 && job_options.memo_dir.empty()) {
      throw Error("--memo-verify: needs --memo DIR (the memo to verify)");
    }
    job_options.memory_limit_bytes = memory_mib << 20;
    run_main_job(config.document(), std::cout, job_options);
  }
};

// `qtsim gemm`: one GEMM cycle by cycle.
struct GemmCommand {
  CLI::App* app = nullptr;
  ConfigOptions config;
  GemmRequest request;
  std::string mode = "reference";
  std::int64_t memory_mib = 0;

  void add_to(CLI::App& parent) {
    app = parent.add_subcommand("gemm",
                                "Simulate one GEMM C(MxN) = A(MxK) * B(KxN) on the configured hardware, cycle by cycle "
                                "(reference mode) or from the closed forms (fast mode)");
    app->add_option("--m", request.m, "Rows of A and C")->required();
    app->add_option("--k", request.k, "Columns of A, rows of B")->required();
    app->add_option("--n", request.n, "Columns of B and C")->required();
    app->add_option("--a-bits", request.a_bits, "Bit width of A's elements")->capture_default_str();
    app->add_option("--b-bits", request.b_bits, "Bit width of B's elements")->capture_default_str();
    app->add_option("--mode", mode,
                    "reference: cycle by cycle in SystemC, the array's values checked; fast: the same statistics "
                    "from the closed forms, no operand values")
        ->check(CLI::IsMember({"reference", "fast"}))
        ->capture_default_str();
    app->add_option("--seed", request.seed, "Seed of the random operands (reference mode)")->capture_default_str();
    app->add_option("--out", request.output_dir, "Output folder (config.json, stats.json)")->capture_default_str();
    app->add_option("--vcd", request.vcd_path, "Write a VCD waveform of the array to this file (GTKWave)");
    app->add_option("--memory-limit-mib", memory_mib,
                    "Refuse a GEMM whose operands exceed this (MiB; default: the machine's physical memory)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
    config.add_to(*app, true);
  }

  void run() {
    request.memory_limit_bytes = memory_mib << 20;
    request.fast = mode == "fast";
    validate_gemm_request(request);
    RunConfig run_config = resolve_run_config(config.document());
    run_gemm_job(request, run_config.hardware, std::cout);
  }
};

// `qtsim layers`: every layer of a SCALE-Sim topology.
struct LayersCommand {
  CLI::App* app = nullptr;
  ConfigOptions config;
  LayersRequest request;
  std::string mode = "fast", format = "detect";

  void add_to(CLI::App& parent) {
    app = parent.add_subcommand("layers",
                                "Simulate every layer of a SCALE-Sim topology file on the configured hardware (a "
                                "SCALE-Sim architecture file maps onto it); write qtsim's statistics per layer and "
                                "SCALE-Sim's compute report");
    app->add_option("topology", request.topology_path, "SCALE-Sim topology (.csv: conv or `Layer, M, N, K,`)")
        ->required();
    app->add_option("--scalesim-config", request.scalesim_config, "SCALE-Sim architecture file (.cfg)");
    app->add_option("--topology-format", format, "detect (from the header line), conv or gemm (SCALE-Sim's -i)")
        ->check(CLI::IsMember({"detect", "conv", "gemm"}))
        ->capture_default_str();
    app->add_option("--mode", mode, "fast (closed forms) or reference (cycle by cycle in SystemC)")
        ->check(CLI::IsMember({"fast", "reference"}))
        ->capture_default_str();
    app->add_option("--a-bits", request.a_bits, "Bit width of the IFMAP (A)")->capture_default_str();
    app->add_option("--b-bits", request.b_bits, "Bit width of the filters (B)")->capture_default_str();
    app->add_option("--seed", request.seed, "Seed of reference mode's random operands")->capture_default_str();
    app->add_option("--out", request.output_dir, "Output folder")->capture_default_str();
    config.add_to(*app, true);
  }

  void run() {
    request.fast = mode == "fast";
    request.format = parse_topology_format(format, "--topology-format");
    run_layers_job(request, config.inputs(), std::cout);
  }
};

// `qtsim validate`: checks one file.
struct ValidateCommand {
  CLI::App* app = nullptr;
  ConfigOptions config;
  std::string file_path, kind = "auto";

  void add_to(CLI::App& parent) {
    app = parent.add_subcommand(
        "validate",
        "Check a run file, a configuration section, a network, a trace or a sweep file, and say exactly what is wrong");
    app->add_option("file", file_path, "The file to check (.json, .cbor, .msgpack)")->required();
    app->add_option("--kind", kind, "What the file is (default: detected from its contents)")
        ->check(CLI::IsMember(validate_kinds()))
        ->capture_default_str();
    config.add_sets(*app);
  }

  void run() {
    if (kind == "sweep" || (kind == "auto" && is_sweep_file(file_path))) {
      if (!config.overrides().empty()) throw Error("--set: not taken with a sweep file; put the values in its space");
      std::cout << validate_sweep(file_path) << "\n";
      return;
    }
    std::cout << validate_file(file_path, kind, config.overrides()) << "\n";
  }
};

// `qtsim trace`: the synthetic reference trace.
struct TraceCommand {
  CLI::App* app = nullptr;
  ConfigOptions config;
  std::string out = "cifar10_resnet20_synthetic.cbor";
  std::int64_t memory_mib = 0;

  void add_to(CLI::App& parent) {
    app = parent.add_subcommand(
        "trace",
        "Generate the synthetic CIFAR-10 / ResNet-20 reference trace (byte for byte the shipped one "
        "with the default options); --set seed=N, epochs=N, batch_size=N, images_per_class=N, and network=NAME "
        "(resnet20_cifar10, resnet32_cifar10, resnet44_cifar10, resnet56_cifar10 or resnet110_cifar10: the "
        "trace's network, its final test accuracy calibrated to that network in He et al. 2016, Table 6)");
    app->add_option("--out", out, "Output file: .cbor, .json or .msgpack")->capture_default_str();
    config.add_sets(*app);
    app->add_option("--memory-limit-mib", memory_mib,
                    "Refuse a trace whose memory estimate exceeds this (MiB; default: the machine's physical memory)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  }

  void run() { std::cout << generate_reference_trace(out, config.overrides(), memory_mib << 20) << "\n"; }
};

// `qtsim sweep`: every point of a sweep file, in one table.
struct SweepCommand {
  CLI::App* app = nullptr;
  std::string file_path, only;
  bool count = false;
  SweepOptions options;

  void add_to(CLI::App& parent) {
    app = parent.add_subcommand(
        "sweep",
        "Run every point of a sweep file (a base run and a design space) in fast mode and write one table, "
        "points.csv, with the Pareto front marked; rerun the same command to resume a killed sweep");
    app->add_option("sweep_file", file_path, "Sweep file (JSON, format qtsim-sweep; README \"Sweeps\")")->required();
    app->add_option("--out", options.out_dir, "Output folder (points.csv, sweep.json, provenance.json)");
    app->add_option("--jobs", options.jobs, "Threads (default: every core)")->check(CLI::Range(1, 4096));
    app->add_option("--memo", options.memo_dir,
                    "Load and save iteration costs in this memo folder (shared with qtsim run --memo)");
    app->add_flag("--point-folders", options.point_folders,
                  "Also write each point's qtsim run files under points/<index>/ of the output folder");
    app->add_option("--pareto", options.pareto,
                    "Objectives of the Pareto front: energy, time, area, compression, accuracy, "
                    "min:COLUMN, max:COLUMN (comma-separated)")
        ->capture_default_str();
    app->add_option("--only", only,
                    "Run only the points with index in [A, B) (A:B) and write their rows to --rows-out "
                    "instead of a table (a shard, for scripts/qtsim_sweep_dask.py)");
    app->add_option("--rows-out", options.rows_out, "With --only: the rows file to write");
    app->add_option("--import-rows", options.import_rows,
                    "Add the rows of this file (from --rows-out) to the sweep's finished points first (repeatable)");
    app->add_flag("--count", count, "Print the number of points of the sweep (before filters) and stop");
  }

  void run() {
    if (count) {
      std::cout << load_sweep_file(file_path).points.size() << "\n";
      return;
    }
    if (!only.empty()) {
      const std::size_t colon = only.find(':');
      std::size_t first = 0, end = 0, used_first = 0, used_end = 0;
      try {
        first = std::stoull(only.substr(0, colon), &used_first);
        end = std::stoull(only.substr(colon + 1), &used_end);
      } catch (const std::exception&) {
        used_first = 0;
      }
      if (colon == std::string::npos || used_first != colon || used_end != only.size() - colon - 1 || end <= first) {
        throw Error("--only " + only + ": expected A:B, point indices with A < B (the points A, ..., B - 1)");
      }
      options.only = std::make_pair(first, end);
      if (options.rows_out.empty()) throw Error("--only: needs --rows-out FILE (where the shard's rows go)");
      if (!options.out_dir.empty() || !options.import_rows.empty()) {
        throw Error("--only: writes rows, not a table; expected no --out and no --import-rows with it");
      }
    } else if (options.out_dir.empty()) {
      throw Error("qtsim sweep: --out DIR is required (the output folder)");
    } else if (!options.rows_out.empty()) {
      throw Error("--rows-out: only with --only A:B");
    }
    run_sweep_job(file_path, options, std::cout);
  }
};

// Runs `job`; what it throws becomes a message on stderr and the exit status.
template <typename Job>
int exit_status_of(Job job) {
  try {
    job();
  } catch (const Error& e) {
    std::cerr << "qtsim: error: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "qtsim: error: out of memory (the job's memory estimate did not foresee this; please report it)\n";
    return 4;
  } catch (const std::exception& e) {
    std::cerr << "qtsim: internal error: " << e.what() << " (a bug in qtsim; please report it with the command)\n";
    return 3;
  } catch (...) {
    std::cerr << "qtsim: internal error: unknown exception (a bug in qtsim; please report it with the command)\n";
    return 3;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe on stdout (qtsim run | head) gives a failed write, not SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"qtsim: cycle-level simulator of a CNN training accelerator with per-class bit widths"};
  app.set_version_flag("--version", std::string("qtsim ") + kVersion);
  app.require_subcommand(1);
  RunCommand run;
  run.add_to(app);
  GemmCommand gemm;
  gemm.add_to(app);
  LayersCommand layers;
  layers.add_to(app);
  ValidateCommand validate;
  validate.add_to(app);
  TraceCommand trace;
  trace.add_to(app);
  SweepCommand sweep;
  sweep.add_to(app);

  // No exception escapes main (an uncaught one would abort with a core dump).
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every usage error exits 2.
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exit_status_of([&] {
    if (*run.app) {
      run.run();
    } else if (*gemm.app) {
      gemm.run();
    } else if (*layers.app) {
      layers.run();
    } else if (*validate.app) {
      validate.run();
    } else if (*trace.app) {
      trace.run();
    } else if (*sweep.app) {
      sweep.run();
    }
  });
}
