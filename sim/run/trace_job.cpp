#include "sim/run/trace_job.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include "sim/common/memory_limit.h"
#include "sim/common/progress.h"
#include "sim/report/output_file.h"
#include "workloads/trace/synthetic_cifar10.h"
#include "workloads/trace/trace_writer.h"

namespace qtsim {

std::string generate_reference_trace(const std::string& path, const std::vector<Override>& overrides,
                                     std::int64_t memory_limit_bytes) {
  Json document = Json::object();
  for (const Override& o : overrides) apply_override(document, o);
  JsonNode node(document, "qtsim trace options (--set)");
  const SyntheticCifar10Options fallback;
  SyntheticCifar10Options options;
  options.seed = static_cast<std::uint64_t>(
      node.get_int("seed", static_cast<std::int64_t>(fallback.seed), 0, std::numeric_limits<std::int64_t>::max()));
  options.epochs = static_cast<int>(node.get_int("epochs", fallback.epochs, 1, 100000));
  options.batch_size = static_cast<int>(node.get_int("batch_size", fallback.batch_size, 1, 65535));
  options.images_per_class = static_cast<int>(node.get_int("images_per_class", fallback.images_per_class, 1, 1000000));
  if (std::optional<JsonNode> network = node.find("network")) {
    std::vector<std::string> names;
    for (const SyntheticCifar10Network& n : synthetic_cifar10_networks()) names.push_back(n.name);
    options.network = network->as_choice(names);
  }
  node.reject_unknown_keys();
  check_output_file(path, OutputFileKind::trace);
  // Each class count is held as an integer, a JSON value and its encoding:
  // about 64 bytes, all at once.
  const double iterations = std::ceil(10.0 * options.images_per_class / options.batch_size);
  check_memory_estimate("qtsim trace", 64.0 * 10 * iterations * options.epochs,
                        memory_limit_bytes > 0 ? memory_limit_bytes : physical_memory_bytes(),
                        "64 bytes per class count: epochs x iterations x 10 classes");

  Progress progress("qtsim trace", 2, "steps");
  Trace trace = make_synthetic_cifar10_trace(options);
  progress.update(1);
  write_trace(trace, path);
  progress.finish();
  // "resnet20_cifar10" -> "resnet20"
  const std::string network = options.network.substr(0, options.network.find('_'));
  return "wrote " + path + ": synthetic cifar10 / " + network + " trace, seed " + std::to_string(options.seed) + ", " +
         std::to_string(trace.num_epochs()) + " epochs x " + std::to_string(trace.iterations_per_epoch) +
         " iterations of " + std::to_string(trace.batch_size);
}

}  // namespace qtsim
