// --set overrides: each input line is one --set argument, applied in order to
// a document holding the four default sections and then resolved.
#include "sim/config/run_config.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qtsim;
  const std::string input = fuzz::text(data, size);
  fuzz::expect_only_errors([&] {
    RunDocumentInputs inputs;
    std::size_t start = 0;
    while (start <= input.size()) {
      const std::size_t end = std::min(input.find('\n', start), input.size());
      inputs.overrides.push_back(parse_override(input.substr(start, end - start)));
      start = end + 1;
    }
    (void)to_json(resolve_run_config(load_run_document(inputs))).dump();
  });
  return 0;
}
