// The PE-kind registry: mac_array.pe_kind -> the class that defines the kind.
// Adding a kind = one case here (the compiler's -Wswitch names a missing one).
#include "hw_models/pe/bitfusion_pe.h"
#include "hw_models/pe/bitserial_pe.h"
#include "hw_models/pe/fixed_pe.h"

namespace qtsim {

std::unique_ptr<PeKind> make_pe_kind(const MacArrayConfig& array) {
  switch (array.pe_kind) {
    case PeKindId::bitfusion:
      return std::make_unique<BitFusionPe>();
    case PeKindId::bitserial:
      return std::make_unique<BitSerialPe>();
    case PeKindId::fixed:
      return std::make_unique<FixedPe>(array.fixed_width_bits);
  }
  return nullptr;  // unreachable: every PeKindId has its case
}

}  // namespace qtsim
