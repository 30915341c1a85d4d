#pragma once
// `qtsim run`, the main job: loads the run's inputs, computes the policy's
// and the baseline's figures over the chosen epochs, writes the output folder
// (all files or none, see OutputFolder) and prints the headline table.
//
// Output folder: config.json (the fully resolved configuration), summary.json,
// per_epoch.csv, per_class_epoch.csv, per_layer_phase.csv, energy.csv.
// Identical inputs give byte-identical folders: nothing measured about the
// run itself (wall time, memo use) is written there; that goes to stderr.
// `memo_dir`: where iteration costs are kept between runs (memo_file.h);
// empty: none.
#include <ostream>

#include "sim/config/run_config.h"

namespace qtsim {

void run_main_job(const RunDocument& document, std::ostream& out, const std::string& memo_dir = "");

}  // namespace qtsim
