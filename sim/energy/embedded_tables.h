#pragma once
// The shipped energy tables (sim/energy/tables/*.json), compiled into the
// simulator library by cmake/embed.cmake: "builtin:<stem>" in
// hardware.energy.table.
#include <vector>

#include "base/embedded.h"

namespace qtsim {

const std::vector<EmbeddedFile>& embedded_energy_tables();
// The CACTI 7 SRAM tables (sim/energy/tables/cacti7/*.csv; cacti_table.h).
const std::vector<EmbeddedFile>& embedded_sram_tables();

}  // namespace qtsim
