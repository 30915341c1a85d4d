#pragma once
// points.csv, the table of a sweep: one row per point that was run (filtered
// points have none), in point order (README "Sweeps"). Plain C++.
//
// Columns: `index` (the point's place in the expansion), one column per axis
// (its value: numbers and names as written, other JSON compact), `status`
// (ok | error), `error` (the message of an invalid point), `warnings` (the
// run's, "; "-separated), the metric columns (metric_columns(): each a key
// path of the point's summary.json, so the table and `qtsim run` agree by
// construction; a path the summary lacks gives an empty cell), and `pareto`
// (1 on the front of the chosen objectives, 0 off it, empty for an error row
// or a row without a value for some objective).
#include <cstddef>
#include <string>
#include <vector>

#include "base/json_node.h"

namespace qtsim {

struct MetricColumn {
  std::string name;
  std::vector<std::string> path;  // in summary.json
};
const std::vector<MetricColumn>& metric_columns();

// What a point gave: its metrics (cells, in metric_columns() order) or its error.
struct SweepRow {
  std::size_t index = 0;
  bool ok = false;
  std::string error, warnings;
  std::vector<std::string> metrics;  // ok rows: one cell per metric column
};
SweepRow ok_row(std::size_t index, const Json& summary, const std::vector<std::string>& warnings);
SweepRow error_row(std::size_t index, const std::string& error);
Json to_json(const SweepRow& row);
// Throws Error naming `where` when `json` is not a row of this table.
SweepRow row_from_json(const Json& json, const std::string& where);

// A Pareto objective: a metric column, minimised or maximised.
struct ParetoObjective {
  std::string column;
  bool maximise = false;
};
// Names: energy (policy_energy_pj, min), time (policy_time_s, min), area
// (area_mm2, min), compression (compression_bits_ratio, max), accuracy
// (trace_test_accuracy_fraction, max), or min:COLUMN / max:COLUMN for any
// metric column. Throws Error naming `option` for anything else.
std::vector<ParetoObjective> parse_pareto_objectives(const std::string& text, const std::string& option);

// The table. `axis_cells[i]` are the axis cells of rows[i] (one per axis).
std::string points_csv(const std::vector<std::string>& axes, const std::vector<SweepRow>& rows,
                       const std::vector<std::vector<std::string>>& axis_cells,
                       const std::vector<ParetoObjective>& objectives);
// Whether each row is on the Pareto front: 1, 0, or -1 (an error row, or an
// empty or non-numeric objective cell).
std::vector<int> pareto_front(const std::vector<SweepRow>& rows, const std::vector<ParetoObjective>& objectives);
// A JSON value as an axis cell: strings without quotes, numbers as JSON
// writes them, anything else compact JSON.
std::string axis_cell(const Json& value);

}  // namespace qtsim
