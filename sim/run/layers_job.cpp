#include "sim/run/layers_job.h"

#include <cstdio>
#include <fstream>
#include <iomanip>
#include <optional>
#include <sstream>

#include "base/csv_table.h"
#include "base/error.h"
#include "base/hash.h"
#include "base/json_file.h"
#include "base/stats.h"
#include "hw_models/controller/job.h"
#include "hw_models/memory/tensor_gemm.h"
#include "sim/common/memory_limit.h"
#include "sim/config/scalesim_config.h"
#include "sim/energy/energy_report.h"
#include "sim/energy/energy_table.h"
#include "sim/fast/fast_simulator.h"
#include "sim/reference/reference_top.h"
#include "sim/report/output_folder.h"
#include "sim/report/scalesim_report.h"
#include "sim/run/gemm_job.h"
#include "workloads/precision.h"

namespace qtsim {

namespace {

const char* kShapeColumns[] = {"layer",   "name",     "kind",     "in_h", "in_w", "filter_h", "filter_w", "channels",
                               "filters", "stride_h", "stride_w", "m",    "k",    "n",        "macs",     "operands"};

bool as_tensors(const TopologyLayer& l, bool is) {
  return !is && !l.gemm && l.filter_h == l.filter_w && l.stride_h == l.stride_w && !l.reads_past_edge();
}

// The layer as a job: a convolution over its tensors where qtsim's TensorGemm
// can express it, else SCALE-Sim's GEMM (transposed for `is`).
Job layer_job(const TopologyLayer& l, bool is, int a_bits, int b_bits) {
  if (as_tensors(l, is)) {
    TensorGemm t;
    t.out_h = l.out_h, t.out_w = l.out_w, t.in_h = l.in_h, t.in_w = l.in_w;
    t.p = l.channels, t.q = l.filters, t.kernel = l.filter_h, t.stride = l.stride_h, t.pad = 0;
    return Job::gemm(t, a_bits, b_bits, Operand::activation, Operand::weight);
  }
  if (is) return Job::gemm(GemmDims{l.n, l.k, l.m}, b_bits, a_bits, Operand::weight, Operand::activation);
  return Job::gemm(GemmDims{l.m, l.k, l.n}, a_bits, b_bits, Operand::activation, Operand::weight);
}

struct LayerRun {
  std::vector<Job> jobs;
  std::vector<JobResult> results;
  ControllerStats controller;
  DmaStats dma;
};

// `fast` (fast mode) keeps tile costs across layers; each layer still starts at cycle 0.
LayerRun simulate_layer(const TopologyLayer& l, const LayersRequest& r, bool is, const HardwareConfig& hw,
                        FastSimulator& fast_simulator) {
  LayerRun run;
  run.jobs = {layer_job(l, is, r.a_bits, r.b_bits)};
  if (r.fast) {
    FastRun fast = fast_simulator.run(run.jobs);
    run.results = std::move(fast.jobs), run.controller = std::move(fast.controller), run.dma = fast.dma;
    return run;
  }
  const GemmDims& d = run.jobs.front().dims;
  check_memory_estimate("layer " + l.name + " in reference mode",
                        4.0 * static_cast<double>(d.m * d.k + d.k * d.n) + 8.0 * static_cast<double>(d.m * d.n),
                        physical_memory_bytes(), "A and B as 32-bit values, C as 64-bit");
  const GemmOperands operands = random_operands(d, run.jobs.front().a_bits, run.jobs.front().b_bits, r.seed);
  run.jobs.front().values = &operands;
  JobsSimulation sim = simulate_jobs(hw, run.jobs);
  run.jobs.front().values = nullptr;
  run.results = std::move(sim.jobs), run.controller = std::move(sim.controller), run.dma = sim.dma;
  return run;
}

void add_cell(CsvTable& t, const Json& v) {
  if (v.is_number_integer()) {
    t.add(v.get<std::int64_t>());
  } else if (v.is_number()) {
    t.add(v.get<double>());
  } else if (v.is_boolean()) {
    t.add(v.get<bool>() ? "true" : "false");
  } else {
    t.add(v.is_string() ? v.get<std::string>() : v.dump());
  }
}

Json shape_json(const TopologyLayer& l, std::size_t index, bool is) {
  return Json{{"layer", index},
              {"name", l.name},
              {"kind", l.gemm ? "gemm" : "conv"},
              {"in_h", l.in_h},
              {"in_w", l.in_w},
              {"filter_h", l.filter_h},
              {"filter_w", l.filter_w},
              {"channels", l.channels},
              {"filters", l.filters},
              {"stride_h", l.stride_h},
              {"stride_w", l.stride_w},
              {"m", l.m},
              {"k", l.k},
              {"n", l.n},
              {"macs", l.m * l.k * l.n},
              {"operands", as_tensors(l, is) ? "tensors" : "matrices"}};
}

std::string layers_csv(const Json& layers) {
  std::vector<std::string> columns(std::begin(kShapeColumns), std::end(kShapeColumns));
  for (const auto& [component, stats] : layers.front()["stats"].items()) {
    for (const auto& [name, _] : stats.items()) columns.push_back(component + "." + name);
  }
  CsvTable t(columns);
  for (const Json& layer : layers) {
    t.row();
    for (const char* c : kShapeColumns) add_cell(t, layer["shape"][c]);
    for (const auto& [component, stats] : layer["stats"].items()) {
      for (const auto& [name, value] : stats.items()) add_cell(t, value);
    }
  }
  return t.str();
}

// Each statistic's unit and description, once: component -> name -> {unit, description}.
Json statistics_json(const std::vector<StatGroup>& groups) {
  Json out = stats_json(groups);
  for (auto& [component, stats] : out.items()) {
    for (auto& [name, stat] : stats.items()) stat.erase("value");
  }
  return out;
}

std::string file_hash(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream text;
  text << f.rdbuf();
  return hash_hex(text.str());
}

// config.json's `layers`: the request and its inputs' paths and hashes.
Json request_json(const LayersRequest& r, const std::optional<ScaleSimConfig>& cfg, const std::string& dataflow) {
  Json request{
      {"topology", r.topology_path}, {"topology_hash", file_hash(r.topology_path)}, {"a_bits", r.a_bits},
      {"b_bits", r.b_bits},          {"mode", r.fast ? "fast" : "reference"},       {"scalesim_dataflow", dataflow}};
  if (!r.fast) request["seed"] = r.seed;
  if (cfg) {
    request["scalesim_config"] = Json{{"path", cfg->path},
                                      {"hash", file_hash(cfg->path)},
                                      {"run_name", cfg->run_name},
                                      {"interface_bandwidth", cfg->user_bandwidth ? "USER" : "CALC"}};
  }
  return request;
}

}  // namespace

LayersResult compute_layers(const LayersRequest& r, RunDocumentInputs base) {
  for (const auto& [option, bits] : {std::pair{"--a-bits", r.a_bits}, std::pair{"--b-bits", r.b_bits}}) {
    if (bits < Precision::kMinBits || bits > Precision::kMaxBits) {
      throw Error(std::string(option) + ": out of range, got " + std::to_string(bits) + "; expected an integer in [" +
                  std::to_string(Precision::kMinBits) + ", " + std::to_string(Precision::kMaxBits) + "]");
    }
  }
  const std::vector<TopologyLayer> topology = load_scalesim_topology(r.topology_path, r.format);
  std::optional<ScaleSimConfig> cfg;
  if (!r.scalesim_config.empty()) {
    cfg = load_scalesim_config(r.scalesim_config);
    base.overrides.insert(base.overrides.begin(), cfg->overrides.begin(), cfg->overrides.end());
  }
  const RunConfig config = resolve_run_config(load_run_document(base));
  const HardwareConfig& hw = config.hardware;
  const std::string dataflow = cfg ? cfg->dataflow : (hw.mac_array.dataflow == Dataflow::os ? "os" : "ws");
  const bool is = dataflow == "is";
  const EnergyTable table = EnergyTable::load(hw.energy.table);
  LayersResult out;
  out.layers = Json::array();
  std::vector<EnergyRow> energy_rows;
  std::set<std::string> used;
  std::vector<ScaleSimRow> scalesim;
  FastSimulator fast_simulator(hw);
  for (std::size_t i = 0; i < topology.size(); ++i) {
    const TopologyLayer& l = topology[i];
    const LayerRun run = simulate_layer(l, r, is, hw, fast_simulator);
    const PricedJobs priced = price_jobs(hw, table, run.jobs, run.results, run.controller, run.dma);
    used.insert(priced.entries_used.begin(), priced.entries_used.end());
    energy_rows.push_back(EnergyRow{l.name, mac_mode(hw.mac_array, run.results.front().mode).label(), priced.energy});
    Json values = Json::object();
    for (const StatGroup& g : priced.groups) values[g.component] = values_json(g);
    out.layers.push_back(Json{{"shape", shape_json(l, i, is)}, {"stats", values}});
    if (i == 0) out.statistics = statistics_json(priced.groups);
    out.total_cycles += run.controller.cycles;
    out.total_energy_pj += priced.energy.total_pj();
    if (out.note.empty()) {
      try {
        scalesim.push_back(scalesim_row(l, dataflow, hw, r.a_bits, r.b_bits));
      } catch (const Error& e) {
        out.note = std::string("compute_report.csv and sram_report.csv not written: ") + e.what();
      }
    }
  }
  out.files.emplace_back("config.json",
                         dump_json(Json{{"hardware", to_json(hw)}, {"layers", request_json(r, cfg, dataflow)}}));
  out.files.emplace_back("layers.csv", layers_csv(out.layers));
  out.files.emplace_back("layers.json", dump_json(Json{{"statistics", out.statistics}, {"layers", out.layers}}));
  if (out.note.empty()) {
    out.files.emplace_back("compute_report.csv", compute_report_csv(scalesim));
    out.files.emplace_back("sram_report.csv", sram_report_csv(scalesim));
  }
  out.files.emplace_back("energy.csv", energy_csv(energy_rows));
  out.files.emplace_back("energy_provenance.json", dump_json(energy_provenance_json(table, hw, used)));
  return out;
}

void run_layers_job(const LayersRequest& r, const RunDocumentInputs& base, std::ostream& out) {
  check_output_folder(r.output_dir);
  const LayersResult result = compute_layers(r, base);
  OutputFolder folder(r.output_dir, "qtsim layers");
  for (const auto& [name, text] : result.files) folder.write(name, text);
  folder.commit();
  out << result.layers.size() << " layers of " << r.topology_path << " (" << (r.fast ? "fast" : "reference")
      << " mode, " << r.a_bits << " x " << r.b_bits << " bits): " << result.total_cycles << " cycles, "
      << std::setprecision(6) << result.total_energy_pj * 1e-6 << " uJ\n";
  if (!result.note.empty()) out << "note: " << result.note << "\n";
  out << "  output " << folder.target() << "/\n";
}

}  // namespace qtsim
