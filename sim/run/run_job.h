#pragma once
// `qtsim run`, the main job: loads the run's inputs, computes the policy's
// and the baseline's figures over the chosen epochs, writes the output folder
// (all files or none, see OutputFolder) and prints the headline table.
//
// Output folder: config.json (the fully resolved configuration), summary.json,
// per_epoch.csv, per_class_epoch.csv. Identical inputs give byte-identical
// folders: nothing measured about the run itself (wall time) is written there;
// the wall time goes to stderr.
#include <ostream>

#include "sim/config/run_config.h"

namespace qtsim {

void run_main_job(const RunDocument& document, std::ostream& out);

}  // namespace qtsim
