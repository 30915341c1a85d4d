#pragma once
// The MAC array's statistics, with units, for reports (base/stats.h).
#include <string>

#include "base/stats.h"
#include "hw_models/mac_array/systolic_array.h"

namespace qtsim {

StatGroup array_stat_group(const ArrayStats& stats, const MacArrayConfig& array, const PeMode& mode);
// The buffer traffic the array's edges generate, named after the buffers A and B live in.
StatGroup buffer_stat_group(const ArrayStats& stats, const std::string& a_buffer, const std::string& b_buffer);

}  // namespace qtsim
