#include "sim/run/trace_job.h"

#include <cstdint>
#include <limits>

#include "sim/common/progress.h"
#include "sim/report/output_file.h"
#include "workloads/trace/synthetic_cifar10.h"
#include "workloads/trace/trace_writer.h"

namespace qtsim {

std::string generate_reference_trace(const std::string& path, const std::vector<Override>& overrides) {
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
  node.reject_unknown_keys();
  check_output_file(path, OutputFileKind::trace);

  Progress progress("qtsim trace", 2, "steps");
  Trace trace = make_synthetic_cifar10_trace(options);
  progress.update(1);
  write_trace(trace, path);
  progress.finish();
  return "wrote " + path + ": synthetic cifar10 / resnet20 trace, seed " + std::to_string(options.seed) + ", " +
         std::to_string(trace.num_epochs()) + " epochs x " + std::to_string(trace.iterations_per_epoch) +
         " iterations of " + std::to_string(trace.batch_size);
}

}  // namespace qtsim
