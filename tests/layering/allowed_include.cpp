// Fixture for the ctest layering_rejects_upward_include: the same as
// upward_include.cpp with an include the workloads layer may use (base/),
// which must compile against the same include root.
#include "base/error.h"

int main() { return 0; }
