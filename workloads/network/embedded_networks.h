#pragma once
// The shipped network descriptions (workloads/networks/*.json), compiled into
// the workloads library by cmake/embed.cmake: "builtin:<stem>" in a run file.
#include <vector>

#include "base/embedded.h"

namespace qtsim {

const std::vector<EmbeddedFile>& embedded_networks();

}  // namespace qtsim
