// Energy tables: JSON text parsed as a table (which may extend the built-in
// one) and priced against the default hardware's SRAM buffers.
#include "base/strict_json.h"
#include "sim/energy/energy_table.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qtsim;
  fuzz::expect_only_errors([&] {
    const Json doc = decode_json_text(fuzz::text(data, size), "table.json");
    EnergyTable::parse(doc, "table.json", fuzz::scratch_dir());
  });
  return 0;
}
