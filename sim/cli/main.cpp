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
#include <new>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "qtsim_version.h"
#include "base/error.h"
#include "base/json_file.h"
#include "base/strict_json.h"
#include "sim/config/run_config.h"
#include "sim/run/gemm_job.h"
#include "sim/run/run_job.h"
#include "sim/run/trace_job.h"
#include "sim/run/validate_job.h"

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
  RunDocument document() const {
    RunDocumentInputs inputs;
    if (!run_file.empty()) inputs.run_file = run_file;
    for (const auto& [name, path] : section_files) {
      if (!path.empty()) inputs.section_files[name] = path;
    }
    inputs.overrides = overrides();
    return load_run_document(inputs);
  }
};

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe on stdout (qtsim run | head) gives a failed write, not SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"qtsim: cycle-level simulator of a CNN training accelerator with per-class bit widths"};
  app.set_version_flag("--version", std::string("qtsim ") + kVersion);
  app.require_subcommand(1);

  ConfigOptions run_options;
  std::string out_dir;
  CLI::App* run = app.add_subcommand(
      "run", "The main job: replay a training trace under a bit-width policy and the uniform baseline, "
             "and write an output folder");
  run_options.add_to(*run, true);
  run->add_option("--out", out_dir, "Output folder (same as --set run.output_dir=DIR)");
  std::string mode;
  run->add_option("--mode", mode, "fast (default) or reference: cost iterations cycle by cycle through SystemC "
                                  "(same as --set run.mode=MODE; pick iterations with run.first_iteration/num_iterations)");
  RunOptions run_job_options;
  run->add_option("--memo", run_job_options.memo_dir,
                  "Keep iteration costs in this folder and reuse them in later runs on the same hardware "
                  "(never changes the outputs); any number of runs may share it");
  run->add_option("--memo-verify", run_job_options.memo_verify,
                  "Recompute this many randomly chosen memo entries and fail if any differs from the stored one")
      ->check(CLI::Range(0, 1000000));
  std::int64_t run_memory_mib = 0;
  run->add_option("--memory-limit-mib", run_memory_mib,
                  "Refuse work whose memory estimate exceeds this (MiB; default: the machine's physical memory)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));

  ConfigOptions gemm_options;
  GemmRequest gemm_request;
  CLI::App* gemm = app.add_subcommand(
      "gemm", "Simulate one GEMM C(MxN) = A(MxK) * B(KxN) cycle by cycle on the configured hardware");
  gemm->add_option("--m", gemm_request.m, "Rows of A and C")->required();
  gemm->add_option("--k", gemm_request.k, "Columns of A, rows of B")->required();
  gemm->add_option("--n", gemm_request.n, "Columns of B and C")->required();
  gemm->add_option("--a-bits", gemm_request.a_bits, "Bit width of A's elements")->capture_default_str();
  gemm->add_option("--b-bits", gemm_request.b_bits, "Bit width of B's elements")->capture_default_str();
  gemm->add_option("--seed", gemm_request.seed, "Seed of the random operands")->capture_default_str();
  gemm->add_option("--out", gemm_request.output_dir, "Output folder (config.json, stats.json)")->capture_default_str();
  gemm->add_option("--vcd", gemm_request.vcd_path, "Write a VCD waveform of the array to this file (GTKWave)");
  std::int64_t gemm_memory_mib = 0;
  gemm->add_option("--memory-limit-mib", gemm_memory_mib,
                   "Refuse a GEMM whose operands exceed this (MiB; default: the machine's physical memory)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  gemm_options.add_to(*gemm, true);

  std::string validate_file_path, validate_kind = "auto";
  ConfigOptions validate_options;
  CLI::App* validate = app.add_subcommand(
      "validate", "Check a run file, a configuration section, a network or a trace, and say exactly what is wrong");
  validate->add_option("file", validate_file_path, "The file to check (.json, .cbor, .msgpack)")->required();
  validate->add_option("--kind", validate_kind, "What the file is (default: detected from its contents)")
      ->check(CLI::IsMember(validate_kinds()))
      ->capture_default_str();
  validate_options.add_sets(*validate);

  std::string trace_out = "cifar10_resnet20_synthetic.cbor";
  ConfigOptions trace_options;
  CLI::App* trace = app.add_subcommand(
      "trace", "Generate the synthetic CIFAR-10 / ResNet-20 reference trace (byte for byte the shipped one "
               "with the default options); --set seed=N, epochs=N, batch_size=N, images_per_class=N");
  trace->add_option("--out", trace_out, "Output file: .cbor, .json or .msgpack")->capture_default_str();
  trace_options.add_sets(*trace);
  std::int64_t trace_memory_mib = 0;
  trace->add_option("--memory-limit-mib", trace_memory_mib,
                    "Refuse a trace whose memory estimate exceeds this (MiB; default: the machine's physical memory)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));

  // No exception escapes main (an uncaught one would abort with a core dump).
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every usage error exits 2.
    return app.exit(e) == 0 ? 0 : 2;
  }

  try {
    if (*run) {
      for (const std::string* text : {&out_dir, &mode}) {  // they go into config.json
        if (!is_valid_utf8(*text)) throw Error("qtsim run: an option's value is not valid UTF-8 text: " + *text);
      }
      if (!out_dir.empty()) run_options.extra.push_back(Override{{"run", "output_dir"}, Json(out_dir), "run.output_dir=" + out_dir});
      if (!mode.empty()) run_options.extra.push_back(Override{{"run", "mode"}, Json(mode), "run.mode=" + mode});
      if (run_job_options.memo_verify > 0 && run_job_options.memo_dir.empty()) {
        throw Error("--memo-verify: needs --memo DIR (the memo to verify)");
      }
      run_job_options.memory_limit_bytes = run_memory_mib << 20;
      run_main_job(run_options.document(), std::cout, run_job_options);
    } else if (*gemm) {
      gemm_request.memory_limit_bytes = gemm_memory_mib << 20;
      validate_gemm_request(gemm_request);
      RunConfig config = resolve_run_config(gemm_options.document());
      run_gemm_job(gemm_request, config.hardware, std::cout);
    } else if (*validate) {
      std::cout << validate_file(validate_file_path, validate_kind, validate_options.overrides()) << "\n";
    } else if (*trace) {
      std::cout << generate_reference_trace(trace_out, trace_options.overrides(), trace_memory_mib << 20) << "\n";
    }
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
