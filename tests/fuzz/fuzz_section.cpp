// Section files: the first byte picks hardware, policy or workload/run; the
// rest is the section's JSON text, resolved as a run with that section.
#include "base/strict_json.h"
#include "hw_models/config/hardware_config.h"
#include "sim/config/run_config.h"
#include "tests/fuzz/fuzz_util.h"
#include "workloads/policy/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qtsim;
  if (size < 1) return 0;
  const std::string bytes = fuzz::text(data + 1, size - 1);
  static const char* const kSections[] = {"hardware", "policy", "workload", "run"};
  const std::string section = kSections[data[0] % 4];
  fuzz::expect_only_errors([&] {
    const Json doc = decode_json_text(bytes, section + ".json");
    if (section == "hardware") {
      (void)to_json(parse_hardware_config(JsonNode(doc, "hardware.json"), fuzz::scratch_dir())).dump();
      return;
    }
    if (section == "policy") {
      make_policy(JsonNode(doc, "policy.json"));
      return;
    }
    RunDocument document = load_run_document({});
    document.root[section] = doc;
    document.origins[section] = SectionOrigin{section + ".json", "", fuzz::scratch_dir()};
    (void)to_json(resolve_run_config(document)).dump();
  });
  return 0;
}
