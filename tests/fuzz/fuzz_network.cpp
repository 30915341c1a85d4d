// Networks: JSON text parsed as a network, then lowered into a training step
// (shapes, parameter and MAC counts in 64-bit arithmetic).
#include "base/strict_json.h"
#include "tests/fuzz/fuzz_util.h"
#include "workloads/lowering/training_step.h"
#include "workloads/network/network_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qtsim;
  fuzz::expect_only_errors([&] {
    const Json doc = decode_json_text(fuzz::text(data, size), "network.json");
    const Network network = parse_network(JsonNode(doc, "network.json"));
    (void)network.parameters();
    (void)network.forward_macs_per_sample();
    lower_training_step(network);
  });
  return 0;
}
