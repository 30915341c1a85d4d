// Fixture for the ctest layering_rejects_upward_include: a source of the
// workloads layer that includes a header of the simulator layer. Compiled
// against the workloads library's include root (cmake/layers.cmake), it must
// not find the header.
#include "sim/config/run_config.h"

int main() { return 0; }
