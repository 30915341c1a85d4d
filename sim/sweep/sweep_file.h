#pragma once
// Sweep files: a base run and a design space, expanded into points
// (README "Sweeps"; format in sim/sweep/README.md). Plain C++, no SystemC.
//
//   {"format": "qtsim-sweep", "version": 1, "description": "...",
//    "base": "run.json" | {"hardware": {...}, "policy": ..., ...},
//    "space": [<block>, ...],        // their product, the first block outermost
//    "filters": [<filter>, ...]}     // optional: points outside are skipped
//
// A block assigns values to one or more axes (key paths of a run document,
// as `--set` takes them):
//   {"axis": K, "values": [v, ...]}
//   {"axis": K, "range": {"from": a, "to": b, "step": s}}   arithmetic, inclusive
//   {"axis": K, "range": {"from": a, "to": b, "times": f}}  geometric, inclusive
//   {"zip": [<axis block>, ...]}                           equal lengths, side by side
//   {"points": [{K: v, ...}, ...]}                         explicit assignments
//   {"sample": {"method": "random" | "latin_hypercube", "seed": s, "count": n,
//               "ranges": [{"axis": K, "min": a, "max": b, "integer": bool, "log": bool}]}}
// A filter bounds the sum of numbers of the resolved configuration (the
// point's config.json): {"sum": [K, ...], "min": a, "max": b}.
//
// Promises: strict validation, errors naming the file and key path (an
// unknown key, an empty axis, a range with no values, a sample without a
// seed, zipped axes of unequal length, an axis given twice); the expansion is
// a pure function of the file (samples use their own seeded generator, the
// same on every platform), so point i is the same everywhere.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/json_node.h"
#include "sim/config/run_config.h"

namespace qtsim {

struct SweepFilter {
  std::vector<std::string> keys;  // key paths in the resolved configuration
  std::optional<double> min, max;
  std::string where;  // "<file>: filters[i]", for messages
};

struct SweepPoint {
  std::size_t index = 0;  // in expansion order
  // (axis, value) in the order of SweepFile::axes; axes a block did not
  // assign are absent.
  std::vector<std::pair<std::string, Json>> values;
};

struct SweepFile {
  std::string path;
  std::string description;
  RunDocumentInputs base;          // the base run (a file, or inline in the sweep file)
  std::vector<std::string> axes;   // every axis, in order of first appearance: the table's columns
  std::vector<SweepPoint> points;  // every point, before filters
  std::vector<SweepFilter> filters;
};

// Reads, validates and expands a sweep file. Throws Error on a bad file.
SweepFile load_sweep_file(const std::string& path);
SweepFile parse_sweep_file(const Json& document, const std::string& path);

// The run document of a point: the base, then the point's values as `--set`
// overrides.
RunDocument point_document(const SweepFile& sweep, const SweepPoint& point);
// "hardware.mac_array.rows=16 hardware.energy.dram_type=hbm2": the point, for messages.
std::string describe(const SweepPoint& point);
// Whether the resolved configuration of a point passes every filter; an
// Error names the filter when a key is missing or not a number.
bool passes_filters(const SweepFile& sweep, const Json& resolved_config);

}  // namespace qtsim
