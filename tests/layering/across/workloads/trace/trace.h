#pragma once
// Fixture: the workloads layer reaching across to the hardware layer.
#include "hw_models/pe/pe.h"
struct Trace {};
