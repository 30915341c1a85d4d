#pragma once
// The files of a `qtsim run` output folder and its headline table, written
// from the run's inputs and its compression report only (plots and later
// tools read these files, never logs). Column and key names are snake_case;
// every figure carries its unit in its name (README "Output folder").
#include <ostream>
#include <string>

#include "sim/config/run_inputs.h"
#include "sim/replay/replay.h"
#include "workloads/compression/compression.h"

namespace qtsim {

Json summary_json(const RunInputs& inputs, const CompressionReport& report, const std::string& config_hash);
std::string per_epoch_csv(const RunInputs& inputs, const CompressionReport& report, const ReplayReport& replay);
std::string per_class_epoch_csv(const RunInputs& inputs, const CompressionReport& report);
void print_headline(const RunInputs& inputs, const CompressionReport& report, const std::string& output_dir,
                    std::ostream& out);

}  // namespace qtsim
