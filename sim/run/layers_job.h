#pragma once
// `qtsim layers TOPOLOGY.csv [--scalesim-config ARCH.cfg] [RUN_FILE] [--set
// K=V]... [--mode fast|reference] --out DIR` (README "Coming from SCALE-Sim"):
// every layer of a SCALE-Sim topology file (workloads/topology/) simulated on
// its own, from cycle 0, on the configured hardware (a SCALE-Sim architecture
// file maps onto it: sim/config/scalesim_config.h), at a_bits x b_bits.
//
// A conv layer with a square window, equal strides and an output that does
// not read past the IFMAP's edge is a convolution over tensors in DRAM
// (TensorGemm, no padding: SCALE-Sim's IFMAP is padded already); any other
// layer, and every layer of the `is` dataflow (ws on the transposed GEMM), is
// a plain GEMM of SCALE-Sim's M x K x N.
//
// Output folder (all files or none, output_folder.h): layers.csv (a row per
// layer: its shape, then qtsim's statistics as component.statistic columns),
// layers.json ({"statistics": each statistic's unit and description,
// "layers": [{"shape", "stats": component -> statistic -> value}]}),
// compute_report.csv and sram_report.csv (SCALE-Sim's layout and conventions,
// sim/report/scalesim_report.h; only where a PE does one product per cycle),
// energy.csv (a row per layer), energy_provenance.json and config.json (the
// hardware, the request, and the inputs' paths and hashes).
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "base/json_node.h"
#include "sim/config/run_config.h"
#include "workloads/topology/scalesim_topology.h"

namespace qtsim {

struct LayersRequest {
  std::string topology_path;
  TopologyFormat format = TopologyFormat::detect;
  std::string scalesim_config;  // empty: none
  int a_bits = 8, b_bits = 8;
  bool fast = true;
  std::uint64_t seed = 1;  // reference mode's operands
  std::string output_dir = "qtsim_layers_out";
};

// What the job computes: each output file (name, contents) in writing order,
// the layers (shape and statistics' values) and each statistic's unit and
// description (layers.json's two parts).
struct LayersResult {
  std::vector<std::pair<std::string, std::string>> files;
  Json layers;
  Json statistics;
  std::string note;  // why compute_report.csv is absent, or empty
  std::int64_t total_cycles = 0;
  double total_energy_pj = 0;
};

// `base` holds the run file, section files and --set overrides; the SCALE-Sim
// configuration's overrides go before the --set ones (which win).
LayersResult compute_layers(const LayersRequest& request, RunDocumentInputs base);
void run_layers_job(const LayersRequest& request, const RunDocumentInputs& base, std::ostream& out);

}  // namespace qtsim
