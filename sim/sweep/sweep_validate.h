#pragma once
// `qtsim validate SWEEP_FILE`: the file, every axis, and every point it
// expands to (README "Sweeps"). Plain C++.
//
// A bad file (sweep_file.h), or an axis over a key that no run document has,
// is an Error naming the file and the axis. A point whose combination of
// values is invalid (a buffer outside the CACTI table, a row count out of
// range) is not: the sweep records it as a row with its error, so validate
// reports how many there are and the first of them.
#include <string>

#include "sim/sweep/sweep_file.h"

namespace qtsim {

// The base run resolves, and no axis names a key that no run document has
// (each axis alone, at its first value, on the base); throws Error naming the
// file and the axis. `qtsim sweep` makes the same check before any point runs.
void check_sweep_file(const SweepFile& sweep);

// Whether `path` holds a sweep file (a JSON object with "format": "qtsim-sweep").
bool is_sweep_file(const std::string& path);
// "ok: <path>: sweep of N points (...)"; throws Error on a bad file.
std::string validate_sweep(const std::string& path);

}  // namespace qtsim
