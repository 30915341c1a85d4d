#include "sim/run/gemm_job.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iomanip>

#include <optional>
#include <random>
#include <stdexcept>

#include "base/error.h"
#include "base/json_file.h"
#include "base/stats.h"
#include "base/unique_name.h"
#include "hw_models/mac_array/array_stats.h"
#include "sim/common/memory_limit.h"
#include "sim/energy/energy_report.h"
#include "sim/fast/fast_simulator.h"
#include "sim/reference/reference_top.h"
#include "sim/report/output_file.h"
#include "sim/report/output_folder.h"
#include "workloads/precision.h"
#include "workloads/trace/rng.h"

namespace qtsim {
namespace {

void check_range(const std::string& option, std::int64_t value, std::int64_t min, std::int64_t max) {
  if (value < min || value > max) {
    throw Error(option + ": out of range, got " + std::to_string(value) + "; expected an integer in [" +
                std::to_string(min) + ", " + std::to_string(max) + "]");
  }
}

std::int64_t checked_mul(std::int64_t a, std::int64_t b, const char* what) {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) throw Error(std::string("gemm: ") + what + " overflows 64 bits");
  return out;
}

std::int64_t packed_bytes(std::int64_t elements, int bits) {
  return (checked_mul(elements, bits, "operand size in bits") + 7) / 8;
}

}  // namespace

void validate_gemm_request(const GemmRequest& r) {
  check_range("--m", r.m, 1, GemmRequest::kMaxDim);
  check_range("--k", r.k, 1, GemmRequest::kMaxDim);
  check_range("--n", r.n, 1, GemmRequest::kMaxDim);
  check_range("--a-bits", r.a_bits, Precision::kMinBits, Precision::kMaxBits);
  check_range("--b-bits", r.b_bits, Precision::kMinBits, Precision::kMaxBits);
  if (r.fast && !r.vcd_path.empty()) {
    throw Error("--vcd " + r.vcd_path + ": a waveform needs reference mode (--mode reference), not fast mode");
  }
  const std::int64_t limit = r.memory_limit_bytes > 0 ? r.memory_limit_bytes : physical_memory_bytes();
  if (!r.fast) {
    check_memory_estimate("gemm " + std::to_string(r.m) + " x " + std::to_string(r.k) + " x " + std::to_string(r.n),
                          gemm_memory_bytes(r), limit, "A and B as 32-bit values, C as 64-bit");
  }
  if (!r.vcd_path.empty()) {
    if (r.vcd_path.size() < 5 || r.vcd_path.compare(r.vcd_path.size() - 4, 4, ".vcd") != 0) {
      throw Error("--vcd " + r.vcd_path + ": expected a file name ending in .vcd");
    }
    check_output_file(r.vcd_path, OutputFileKind::waveform);
  }
}

double gemm_memory_bytes(const GemmRequest& r) {
  const double m = static_cast<double>(r.m), k = static_cast<double>(r.k), n = static_cast<double>(r.n);
  return 4 * (m * k + k * n) + 8 * m * n;
}

GemmFigures gemm_figures(const GemmRequest& r) {
  GemmFigures f;
  f.macs = checked_mul(checked_mul(r.m, r.k, "MACs"), r.n, "MACs");
  f.bitops = checked_mul(f.macs, std::int64_t{r.a_bits} * r.b_bits, "BitOPs");
  f.a_bytes = packed_bytes(checked_mul(r.m, r.k, "A elements"), r.a_bits);
  f.b_bytes = packed_bytes(checked_mul(r.k, r.n, "B elements"), r.b_bits);
  f.c_elements = checked_mul(r.m, r.n, "C elements");
  return f;
}

GemmOperands random_operands(const GemmDims& dims, int a_bits, int b_bits, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  auto draw = [&](int bits) {
    const std::uint64_t span = std::uint64_t{1} << bits;
    return static_cast<std::int32_t>(static_cast<std::int64_t>(uniform_below(engine, span)) -
                                     (std::int64_t{1} << (bits - 1)));
  };
  GemmOperands g;
  g.dims = dims;
  g.a_bits = a_bits;
  g.b_bits = b_bits;
  g.a.resize(static_cast<std::size_t>(dims.m * dims.k));
  for (auto& v : g.a) v = draw(a_bits);
  g.b.resize(static_cast<std::size_t>(dims.k * dims.n));
  for (auto& v : g.b) v = draw(b_bits);
  return g;
}

namespace {

// The plain GEMM of the same operands, wrapped to `bits`: the check of the
// array's functional datapath.
bool matches_plain_gemm(const GemmOperands& g, const std::vector<std::int64_t>& c, int bits) {
  const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
  for (std::int64_t i = 0; i < g.dims.m; ++i) {
    for (std::int64_t j = 0; j < g.dims.n; ++j) {
      std::int64_t sum = 0;
      for (std::int64_t k = 0; k < g.dims.k; ++k) sum += std::int64_t{g.a[i * g.dims.k + k]} * g.b[k * g.dims.n + j];
      const std::uint64_t low = static_cast<std::uint64_t>(sum) & mask;
      const std::int64_t wrapped = low >> (bits - 1) ? static_cast<std::int64_t>(low) - (std::int64_t{1} << bits)
                                                     : static_cast<std::int64_t>(low);
      if (c[i * g.dims.n + j] != wrapped) return false;
    }
  }
  return true;
}

// The `gemm` group of stats.json: the GEMM's own figures, its time at the
// clock and the check of the array's result.
StatGroup workload_stat_group(const GemmFigures& f, double time_us, std::optional<bool> values_ok) {
  StatGroup workload{"gemm", {}};
  workload.add("macs", f.macs, "macs", "M x K x N")
      .add("bitops", f.bitops, "bitops", "MACs x a_bits x b_bits")
      .add("a_packed_bytes", f.a_bytes, "bytes", "A packed at a_bits")
      .add("b_packed_bytes", f.b_bytes, "bytes", "B packed at b_bits")
      .add("time", time_us, "us", "cycles at clock_mhz");
  if (values_ok) {  // reference mode only: fast mode has no operand values
    workload.add("values_match_plain_gemm", *values_ok, "bool",
                 "the array's C equals a plain integer GEMM of the operands");
  }
  return workload;
}

// Moves the complete waveform from its temporary name `staged` to `path` (--vcd).
void place_waveform(const std::string& staged, const std::string& path) {
  close_waveform();
  check_output_file(path, OutputFileKind::waveform);
  if (std::rename(staged.c_str(), path.c_str()) != 0) {
    throw Error("--vcd " + path + ": cannot move the waveform into place: " + std::strerror(errno));
  }
}

// The job's table on `out`: the GEMM, the hardware, then every statistic.
void print_gemm_table(std::ostream& out, const GemmRequest& r, const HardwareConfig& hardware, const GemmReport& report,
                      const std::string& target) {
  const MacArrayConfig& a = hardware.mac_array;
  out << "GEMM " << r.m << " x " << r.k << " x " << r.n << " (M x K x N), A at " << r.a_bits << " bits, B at "
      << r.b_bits << " bits, " << (r.fast ? "fast mode" : "reference mode, seed " + std::to_string(r.seed)) << "\n"
      << "hardware: " << a.rows << "x" << a.cols << " " << to_string(a.pe_kind) << " array, " << to_string(a.dataflow)
      << " dataflow, " << hardware.clock_mhz << " MHz; PE mode " << report.mode.describe() << "\n"
      << "energy: table " << report.table_reference << ", " << hardware.energy.mac_convention << ", DRAM "
      << hardware.energy.dram_type << "\n";
  auto line = [&](const std::string& name, const Json& value) {
    out << "  " << std::left << std::setw(24) << name << std::right << std::setw(20) << value.dump() << "\n";
  };
  for (const StatGroup& g : report.groups) {
    for (const Stat& st : g.stats) line(st.name, st.value);
  }
  out << "  output                  " << target << "/\n";
}

// The GEMM's statistics in either mode, and whether the array's values were
// checked (reference mode) or not (fast mode: none exist).
struct GemmOutcome {
  std::vector<Job> jobs;
  std::vector<JobResult> results;
  ControllerStats controller;
  DmaStats dma;
  std::optional<bool> values_ok;
};

GemmOutcome simulate_fast(const GemmRequest& r, const HardwareConfig& hardware) {
  GemmOutcome o;
  o.jobs = {Job::gemm(GemmDims{r.m, r.k, r.n}, r.a_bits, r.b_bits, Operand::activation, Operand::weight)};
  FastRun run = simulate_jobs_fast(hardware, o.jobs);
  o.results = std::move(run.jobs);
  o.controller = std::move(run.controller);
  o.dma = run.dma;
  return o;
}

// Reference mode; the waveform is written under a temporary name and renamed
// into place once complete (a failed or killed run leaves any old one as it was).
GemmOutcome simulate_reference(const GemmRequest& r, const HardwareConfig& hardware, const GemmOperands& operands) {
  ReferenceOptions options;
  if (!r.vcd_path.empty()) options.vcd_path = sibling_temporary(r.vcd_path) + ".vcd";
  struct RemoveOnFailure {
    const std::string& path;
    bool keep = false;
    ~RemoveOnFailure() {
      if (!keep && !path.empty()) std::remove(path.c_str());
    }
  } staged_vcd{options.vcd_path};
  GemmOutcome o;
  o.jobs = {Job::gemm(operands, Operand::activation, Operand::weight)};
  JobsSimulation sim = simulate_jobs(hardware, o.jobs, options);
  o.values_ok = matches_plain_gemm(operands, sim.jobs.front().c, hardware.mac_array.accumulator_bits);
  if (!*o.values_ok) throw std::logic_error("internal error: the MAC array's result differs from a plain GEMM");
  o.results = std::move(sim.jobs);
  o.controller = std::move(sim.controller);
  o.dma = sim.dma;
  if (!r.vcd_path.empty()) {
    place_waveform(options.vcd_path, r.vcd_path);
    staged_vcd.keep = true;
  }
  return o;
}

}  // namespace

PricedJobs price_jobs(const HardwareConfig& hardware, const EnergyTable& table, const std::vector<Job>& jobs,
                      const std::vector<JobResult>& results, const ControllerStats& controller, const DmaStats& dma) {
  PricedJobs out;
  const PeMode& mode = results.front().mode;
  const ActionCounts actions = run_actions(hardware, jobs, results, controller);
  out.energy = price(actions, table, hardware);
  const AreaBreakdown chip = area(table, hardware);
  out.entries_used = out.energy.entries_used;
  out.entries_used.insert(chip.entries_used.begin(), chip.entries_used.end());
  out.groups = {controller_stat_group(controller),
                array_stat_group(controller.array, hardware.mac_array, mode),
                buffer_stat_group(controller.array, to_string(jobs.front().a_buffer), to_string(jobs.front().b_buffer)),
                bank_stat_group(controller.buffers),
                dma_stat_group(dma),
                energy_stat_group(out.energy, actions, hardware, chip),
                area_stat_group(chip)};
  return out;
}

GemmReport compute_gemm(const GemmRequest& r, const HardwareConfig& hardware) {
  validate_gemm_request(r);
  const GemmFigures f = gemm_figures(r);
  const EnergyTable table = EnergyTable::load(hardware.energy.table);  // before simulating: a bad table fails fast
  const GemmOutcome o =
      r.fast ? simulate_fast(r, hardware)
             : simulate_reference(r, hardware, random_operands(GemmDims{r.m, r.k, r.n}, r.a_bits, r.b_bits, r.seed));
  GemmReport report;
  report.mode = o.results.front().mode;
  Json gemm{{"m", r.m}, {"k", r.k}, {"n", r.n}, {"a_bits", r.a_bits}, {"b_bits", r.b_bits}};
  gemm["mode"] = r.fast ? "fast" : "reference";
  if (!r.fast) gemm["seed"] = r.seed;
  const StatGroup workload =
      workload_stat_group(f, static_cast<double>(o.controller.cycles) / hardware.clock_mhz, o.values_ok);
  PricedJobs priced = price_jobs(hardware, table, o.jobs, o.results, o.controller, o.dma);
  report.groups = {workload};
  report.groups.insert(report.groups.end(), priced.groups.begin(), priced.groups.end());
  report.config = Json{{"hardware", to_json(hardware)}, {"gemm", gemm}};
  report.energy_csv = energy_csv({EnergyRow{"gemm", mac_mode(hardware.mac_array, report.mode).label(), priced.energy}});
  report.energy_provenance = energy_provenance_json(table, hardware, priced.entries_used);
  report.table_reference = table.reference();
  return report;
}

void run_gemm_job(const GemmRequest& r, const HardwareConfig& hardware, std::ostream& out) {
  check_output_folder(r.output_dir);
  const GemmReport report = compute_gemm(r, hardware);
  OutputFolder folder(r.output_dir, "qtsim gemm");
  folder.write("config.json", dump_json(report.config));
  folder.write("stats.json", dump_json(stats_json(report.groups)));
  folder.write("energy.csv", report.energy_csv);
  folder.write("energy_provenance.json", dump_json(report.energy_provenance));
  folder.commit();
  print_gemm_table(out, r, hardware, report, folder.target());
}

}  // namespace qtsim
