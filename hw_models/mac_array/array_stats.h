#pragma once
// The MAC array's statistics, with units, for reports (sim/report/stats.h).
#include "hw_models/mac_array/systolic_array.h"
#include "sim/report/stats.h"

namespace qtsim {

StatGroup array_stat_group(const ArrayStats& stats, const MacArrayConfig& array, const PeMode& mode);

}  // namespace qtsim
