#pragma once
// `qtsim trace`: generates the synthetic CIFAR-10 / ResNet-20 reference
// trace. Its options form a small JSON document,
//     {"seed": 2022, "epochs": 200, "batch_size": 128, "images_per_class": 5000}
// (defaults: SyntheticCifar10Options), changed with --set seed=7 and the like.
// With the defaults, the file written is byte for byte
// workloads/traces/cifar10_resnet20_synthetic.cbor.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/overrides.h"

namespace qtsim {

// Writes the trace to `path` (encoding by extension) and returns a one-line
// description of what was written. `memory_limit_bytes` (0: the machine's
// physical memory) bounds the trace's memory estimate, checked first.
std::string generate_reference_trace(const std::string& path, const std::vector<Override>& overrides,
                                     std::int64_t memory_limit_bytes = 0);

}  // namespace qtsim
