#include "sim/sweep/sweep_table.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include "base/csv_table.h"
#include "base/error.h"

namespace qtsim {
namespace {

std::vector<MetricColumn> make_metric_columns() {
  std::vector<MetricColumn> c = {
      {"compression_bits_ratio", {"compression", "bits_ratio"}},
      {"compression_bitops_ratio", {"compression", "bitops_ratio"}},
      {"speedup", {"hardware_replay", "speedup"}},
      {"energy_saving_fraction", {"hardware_replay", "energy_saving_fraction"}},
      {"area_mm2", {"hardware_replay", "area", "total_mm2"}},
      {"trace_test_accuracy_fraction", {"provenance", "trace_provenance", "final_test", "deploy"}},
  };
  // The energy components of summary.json (energy_model.h), in its order.
  const std::vector<std::string> components = {"mac_array",     "buffer.weight",   "buffer.activation",
                                               "buffer.output", "buffer.gradient", "vector_unit",
                                               "registers",     "controller",      "dram"};
  for (const std::string side : {"policy", "baseline"}) {
    const std::vector<std::string> s = {"hardware_replay", side};
    auto at = [&](std::vector<std::string> tail) {
      std::vector<std::string> path = s;
      path.insert(path.end(), tail.begin(), tail.end());
      return path;
    };
    c.push_back({side + "_cycles", at({"cycles", "total"})});
    c.push_back({side + "_time_s", at({"time_s"})});
    c.push_back({side + "_energy_pj", at({"energy", "total", "total_pj"})});
    c.push_back({side + "_static_energy_pj", at({"energy", "total", "static_pj"})});
    c.push_back({side + "_dynamic_energy_pj", at({"energy", "total", "dynamic_pj"})});
    for (const std::string& component : components) {
      std::string name = side + "_energy_" + component + "_pj";
      std::replace(name.begin(), name.end(), '.', '_');
      c.push_back({name, at({"energy", "components", component, "total_pj"})});
    }
    c.push_back({side + "_pe_utilisation_fraction", at({"pe_utilisation_fraction"})});
    c.push_back({side + "_dram_bytes_per_mac", at({"dram_bytes_per_mac"})});
    c.push_back({side + "_tops_per_w", at({"energy", "tops_per_w"})});
    c.push_back({side + "_tops_per_mm2", at({"energy", "tops_per_mm2"})});
    c.push_back({side + "_edp_pj_s", at({"energy", "edp_pj_s"})});
  }
  return c;
}

const Json* find_path(const Json& root, const std::vector<std::string>& path) {
  const Json* at = &root;
  for (const std::string& key : path) {
    if (!at->is_object()) return nullptr;
    auto it = at->find(key);
    if (it == at->end()) return nullptr;
    at = &*it;
  }
  return at;
}

std::string metric_cell(const Json* value) {
  if (value == nullptr || value->is_null()) return "";
  if (value->is_number_integer()) return std::to_string(value->get<std::int64_t>());
  if (value->is_number_unsigned()) return std::to_string(value->get<std::uint64_t>());
  if (value->is_number_float()) return format_double(value->get<double>());
  return axis_cell(*value);
}

// The objective's value of a row (minimised: maximised ones negated), or NaN.
double objective_value(const SweepRow& row, std::size_t column, bool maximise) {
  if (!row.ok || column >= row.metrics.size() || row.metrics[column].empty()) return std::nan("");
  char* end = nullptr;
  const std::string& cell = row.metrics[column];
  const double v = std::strtod(cell.c_str(), &end);
  if (end != cell.c_str() + cell.size() || !std::isfinite(v)) return std::nan("");
  return maximise ? -v : v;
}

bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
  bool better = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) better = true;
  }
  return better;
}

std::size_t column_index(const std::string& name) {
  const std::vector<MetricColumn>& c = metric_columns();
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c[i].name == name) return i;
  }
  return c.size();
}

}  // namespace

const std::vector<MetricColumn>& metric_columns() {
  static const std::vector<MetricColumn> columns = make_metric_columns();
  return columns;
}

std::string axis_cell(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) return format_double(value.get<double>());
  return value.dump();
}

SweepRow ok_row(std::size_t index, const Json& summary, const std::vector<std::string>& warnings) {
  SweepRow row;
  row.index = index;
  row.ok = true;
  for (const std::string& w : warnings) row.warnings += (row.warnings.empty() ? "" : "; ") + w;
  for (const MetricColumn& c : metric_columns()) row.metrics.push_back(metric_cell(find_path(summary, c.path)));
  return row;
}

SweepRow error_row(std::size_t index, const std::string& error) {
  SweepRow row;
  row.index = index;
  row.error = error;
  return row;
}

Json to_json(const SweepRow& row) {
  Json j{{"index", row.index}, {"status", row.ok ? "ok" : "error"}};
  if (!row.ok) j["error"] = row.error;
  if (!row.warnings.empty()) j["warnings"] = row.warnings;
  if (row.ok) j["metrics"] = row.metrics;
  return j;
}

SweepRow row_from_json(const Json& json, const std::string& where) {
  const JsonNode node(json, where);
  node.require_object();
  SweepRow row;
  row.index = static_cast<std::size_t>(node.at("index").as_int(0, std::int64_t{1} << 40));
  row.ok = node.at("status").as_choice({"ok", "error"}) == "ok";
  row.error = node.get_string("error", "");
  row.warnings = node.get_string("warnings", "");
  if (row.ok) {
    const JsonNode metrics = node.at("metrics");
    if (metrics.size() != metric_columns().size()) {
      metrics.fail("expected " + std::to_string(metric_columns().size()) +
                   " cells (this qtsim's metric columns); the row was written by another version");
    }
    for (std::size_t i = 0; i < metrics.size(); ++i) row.metrics.push_back(metrics.at(i).as_string());
  }
  node.reject_unknown_keys();
  return row;
}

std::vector<ParetoObjective> parse_pareto_objectives(const std::string& text, const std::string& option) {
  const std::vector<std::pair<std::string, ParetoObjective>> named = {
      {"energy", {"policy_energy_pj", false}},
      {"time", {"policy_time_s", false}},
      {"area", {"area_mm2", false}},
      {"compression", {"compression_bits_ratio", true}},
      {"accuracy", {"trace_test_accuracy_fraction", true}}};
  std::vector<ParetoObjective> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string name = text.substr(start, comma - start);
    start = comma + 1;
    auto it = std::find_if(named.begin(), named.end(), [&](const auto& n) { return n.first == name; });
    if (it != named.end()) {
      out.push_back(it->second);
      continue;
    }
    const bool is_min = name.rfind("min:", 0) == 0, is_max = name.rfind("max:", 0) == 0;
    if ((is_min || is_max) && column_index(name.substr(4)) < metric_columns().size()) {
      out.push_back({name.substr(4), is_max});
      continue;
    }
    throw Error(option + ": unknown objective \"" + name +
                "\"; expected a comma-separated list of energy, time, area, compression, accuracy, or "
                "min:COLUMN / max:COLUMN naming a metric column of points.csv");
  }
  return out;
}

std::vector<int> pareto_front(const std::vector<SweepRow>& rows, const std::vector<ParetoObjective>& objectives) {
  std::vector<int> on(rows.size(), -1);
  std::vector<std::vector<double>> values(rows.size());
  std::vector<std::size_t> candidates;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    bool complete = true;
    for (const ParetoObjective& o : objectives) {
      values[r].push_back(objective_value(rows[r], column_index(o.column), o.maximise));
      complete = complete && !std::isnan(values[r].back());
    }
    if (complete) candidates.push_back(r);
  }
  // In lexicographic order a row can only be dominated by rows before it, and
  // a row dominated by anything is dominated by a row of the front.
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<std::size_t> front;
  for (std::size_t r : candidates) {
    const bool dominated =
        std::any_of(front.begin(), front.end(), [&](std::size_t f) { return dominates(values[f], values[r]); });
    on[r] = dominated ? 0 : 1;
    if (!dominated) front.push_back(r);
  }
  return on;
}

std::string points_csv(const std::vector<std::string>& axes, const std::vector<SweepRow>& rows,
                       const std::vector<std::vector<std::string>>& axis_cells,
                       const std::vector<ParetoObjective>& objectives) {
  std::vector<std::string> columns = {"index"};
  columns.insert(columns.end(), axes.begin(), axes.end());
  for (const char* c : {"status", "error", "warnings"}) columns.emplace_back(c);
  for (const MetricColumn& c : metric_columns()) columns.push_back(c.name);
  columns.emplace_back("pareto");
  CsvTable table(columns);
  const std::vector<int> front = pareto_front(rows, objectives);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const SweepRow& row = rows[r];
    table.row().add(static_cast<std::int64_t>(row.index));
    for (const std::string& cell : axis_cells.at(r)) table.add(cell);
    table.add(row.ok ? "ok" : "error").add(row.error).add(row.warnings);
    for (std::size_t m = 0; m < metric_columns().size(); ++m) table.add(row.ok ? row.metrics.at(m) : "");
    table.add(front[r] < 0 ? "" : std::to_string(front[r]));
  }
  return table.str();
}

}  // namespace qtsim
