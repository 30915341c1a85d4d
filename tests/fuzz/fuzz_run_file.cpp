// Run files with --set overrides: the input is a run file's JSON text, then
// optionally a NUL byte and one --set argument per line. The run file is
// resolved into a configuration and its policy planned on a small trace, as
// `qtsim run` does before loading the network and trace it names.
#include "sim/config/run_config.h"
#include "tests/fuzz/fuzz_util.h"
#include "workloads/policy/policy.h"
#include "workloads/trace/trace_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qtsim;
  static const Trace trace = read_trace(QTSIM_SOURCE_DIR "/tests/fixtures/traces/small_valid.json");
  const std::string input = fuzz::text(data, size);
  const std::size_t nul = input.find('\0');
  fuzz::expect_only_errors([&] {
    RunDocumentInputs inputs;
    inputs.run_file = fuzz::write_scratch("run.json", input.substr(0, nul));
    if (nul != std::string::npos) {
      std::size_t start = nul + 1;
      while (start <= input.size()) {
        const std::size_t end = std::min(input.find('\n', start), input.size());
        inputs.overrides.push_back(parse_override(input.substr(start, end - start)));
        start = end + 1;
      }
    }
    const RunDocument document = load_run_document(inputs);
    const RunConfig config = resolve_run_config(document);
    make_policy(document.section("policy"))->plan(trace);
    (void)to_json(config).dump();
  });
  return 0;
}
