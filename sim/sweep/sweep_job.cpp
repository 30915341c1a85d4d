#include "sim/sweep/sweep_job.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "base/error.h"
#include "base/hash.h"
#include "base/json_file.h"
#include "qtsim_version.h"
#include "sim/common/progress.h"
#include "sim/replay/memo_file.h"
#include "sim/report/output_folder.h"
#include "sim/run/run_job.h"
#include "sim/sweep/point_queue.h"
#include "sim/sweep/shared_costs.h"
#include "sim/sweep/sweep_file.h"
#include "sim/sweep/sweep_state.h"
#include "sim/sweep/sweep_table.h"
#include "sim/sweep/sweep_validate.h"
#include "timing_model_hash.h"

namespace qtsim {
namespace {

enum class PointStatus { run, filtered, invalid };

// A point, resolved before any work: run it, skip it (filters), or record
// its error (a document that does not resolve, or reference mode).
struct PlannedPoint {
  const SweepPoint* point = nullptr;
  PointStatus status = PointStatus::run;
  std::string error;
  RunDocument document;
  std::string group;  // what its iteration costs depend on (point_queue.h): hardware but energy, network
};

std::string cost_group(const RunConfig& config) {
  Json key = to_json(config);
  key["hardware"].erase("energy");
  return Json{{"hardware", key["hardware"]}, {"network", key["workload"]["network"]}}.dump();
}

PlannedPoint plan_point(const SweepFile& sweep, const SweepPoint& p) {
  PlannedPoint planned;
  planned.point = &p;
  try {
    planned.document = point_document(sweep, p);
    RunConfig config = resolve_run_config(planned.document);
    if (config.run.mode != "fast") {
      throw Error(planned.document.where("run", "mode") + ": sweeps run in fast mode, got \"" + config.run.mode +
                  "\"; expected fast (check single points in reference mode with qtsim run)");
    }
    if (!passes_filters(sweep, to_json(config))) planned.status = PointStatus::filtered;
    planned.group = cost_group(config);
  } catch (const Error& e) {
    planned.status = PointStatus::invalid;
    planned.error = e.what();
  }
  return planned;
}

std::vector<PlannedPoint> plan(const SweepFile& sweep, const SweepOptions& options) {
  std::vector<PlannedPoint> out;
  for (const SweepPoint& p : sweep.points) {
    if (options.only && (p.index < options.only->first || p.index >= options.only->second)) continue;
    out.push_back(plan_point(sweep, p));
  }
  return out;
}

// What the worker threads share.
struct SweepContext {
  explicit SweepContext(const SweepOptions& o) : options(o), costs(o.memo_dir) {}
  const SweepOptions& options;
  SharedCosts costs;
  TraceCache traces;
  std::mutex mutex;  // guards what follows
  std::vector<SweepRow> rows;
  std::map<std::string, std::set<std::size_t>> warnings;  // warning -> points
  std::int64_t met = 0;                                   // group compositions met, summed over points and sides
};

SweepRow run_point(const PlannedPoint& planned, SweepContext& ctx, SweepState* state) {
  const std::size_t index = planned.point->index;
  if (planned.status == PointStatus::invalid) return error_row(index, planned.error);
  try {
    RunOptions run_options;
    run_options.check_output_folder = false;
    const PreparedRun prepared = prepare_run(planned.document, run_options, &ctx.traces);
    const RunInputs& in = prepared.inputs;
    IterationMemo memo(in.config.hardware, *prepared.table, in.step, IterationMemo::Mode::fast);
    ctx.costs.fill(memo, in.step);
    const RunResult result = compute_run(prepared, memo);
    ctx.costs.absorb(memo, in.step);
    if (state != nullptr && ctx.options.point_folders) state->add_point_files(index, result.files);
    const std::lock_guard<std::mutex> lock(ctx.mutex);
    ctx.met += result.replayed.policy.compositions + result.replayed.baseline.compositions;
    for (const std::string& w : prepared.warnings) ctx.warnings[w].insert(index);
    return ok_row(index, result.summary, prepared.warnings);
  } catch (const Error& e) {
    return error_row(index, e.what());
  }
}

// Runs `todo` on the options' threads; rows go to the state (or, for a
// shard, to ctx.rows).
void run_points(const std::vector<const PlannedPoint*>& todo, SweepContext& ctx, SweepState* state) {
  unsigned jobs = ctx.options.jobs > 0 ? static_cast<unsigned>(ctx.options.jobs) : std::thread::hardware_concurrency();
  jobs = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(std::max<std::size_t>(todo.size(), 1))));
  Progress progress("qtsim sweep", static_cast<std::int64_t>(todo.size()), "points");
  std::vector<std::pair<std::string, std::size_t>> order;
  for (std::size_t i = 0; i < todo.size(); ++i) order.emplace_back(todo[i]->group, i);
  PointQueue queue(order);
  std::int64_t done = 0;
  std::exception_ptr failure;
  auto work = [&] {
    try {
      for (std::optional<std::size_t> i = queue.take(); i; i = queue.take()) {
        SweepRow row = run_point(*todo[*i], ctx, state);
        queue.done(*i);
        if (state != nullptr) state->add(row);
        const std::lock_guard<std::mutex> lock(ctx.mutex);
        if (state == nullptr) ctx.rows.push_back(std::move(row));
        progress.update(++done);
      }
    } catch (...) {  // not an input error: a bug or out of memory; stop and rethrow below
      queue.stop();
      const std::lock_guard<std::mutex> lock(ctx.mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  progress.finish();
}

std::vector<std::string> axis_cells(const SweepFile& sweep, const SweepPoint& point) {
  std::vector<std::string> cells;
  for (const std::string& axis : sweep.axes) {
    auto it = std::find_if(point.values.begin(), point.values.end(), [&](const auto& v) { return v.first == axis; });
    cells.push_back(it == point.values.end() ? "" : axis_cell(it->second));
  }
  return cells;
}

Json sweep_json(const SweepFile& sweep, const std::vector<PlannedPoint>& planned) {
  Json points = Json::array();
  for (const PlannedPoint& p : planned) {
    Json values = Json::object();
    for (const auto& [axis, value] : p.point->values) values[axis] = value;
    const char* status = p.status == PointStatus::filtered ? "filtered" : "run";
    points.push_back({{"index", p.point->index}, {"values", values}, {"status", status}});
  }
  Json filters = Json::array();
  for (const SweepFilter& f : sweep.filters) {
    Json filter{{"sum", f.keys}};
    if (f.min) filter["min"] = *f.min;
    if (f.max) filter["max"] = *f.max;
    filters.push_back(filter);
  }
  return Json{{"format", "qtsim-sweep-resolved"},           {"version", 1},       {"file", sweep.path},
              {"description", sweep.description},           {"axes", sweep.axes}, {"filters", filters},
              {"base", load_run_document(sweep.base).root}, {"points", points}};
}

Json provenance_json(const std::string& hash, const std::vector<PlannedPoint>& planned,
                     const std::vector<SweepRow>& rows, const std::vector<ParetoObjective>& objectives,
                     std::size_t front) {
  const std::size_t ok =
      static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [](auto& r) { return r.ok; }));
  Json goals = Json::array();
  for (const ParetoObjective& o : objectives)
    goals.push_back({{"column", o.column}, {"goal", o.maximise ? "max" : "min"}});
  Json columns = Json::array();
  for (const MetricColumn& c : metric_columns()) columns.push_back({{"column", c.name}, {"summary_path", c.path}});
  return Json{{"format", "qtsim-sweep-provenance"},
              {"version", 1},
              {"qtsim_version", kVersion},
              {"timing_model", kTimingModelHash},
              {"sweep_hash", hash},
              {"points", planned.size()},
              {"filtered", planned.size() - rows.size()},
              {"ok", ok},
              {"error", rows.size() - ok},
              {"pareto_objectives", goals},
              {"pareto_front", front},
              {"metric_columns", columns}};
}

struct SweepTable {
  std::vector<SweepRow> rows;
  std::vector<const SweepPoint*> points;
  std::vector<int> front;
};

SweepTable write_sweep_folder(const SweepFile& sweep, const std::vector<PlannedPoint>& planned, SweepState& state,
                              const SweepOptions& options, const std::string& hash) {
  const std::vector<ParetoObjective> objectives = parse_pareto_objectives(options.pareto, "--pareto");
  const std::map<std::size_t, SweepRow> finished = state.rows();
  SweepTable t;
  std::vector<std::vector<std::string>> cells;
  for (const PlannedPoint& p : planned) {
    if (p.status == PointStatus::filtered) continue;
    t.rows.push_back(finished.at(p.point->index));
    t.points.push_back(p.point);
    cells.push_back(axis_cells(sweep, *p.point));
  }
  t.front = pareto_front(t.rows, objectives);
  const std::size_t on_front = static_cast<std::size_t>(std::count(t.front.begin(), t.front.end(), 1));
  OutputFolder folder(options.out_dir, "qtsim sweep");
  folder.write("points.csv", points_csv(sweep.axes, t.rows, cells, objectives));
  folder.write("sweep.json", dump_json(sweep_json(sweep, planned)));
  folder.write("provenance.json", dump_json(provenance_json(hash, planned, t.rows, objectives, on_front)));
  if (options.point_folders) {
    for (const SweepRow& row : t.rows) {
      if (!row.ok) continue;
      const std::string from = state.point_folder(row.index);
      std::vector<std::string> names;
      for (const auto& entry : std::filesystem::directory_iterator(from)) names.push_back(entry.path().filename());
      std::sort(names.begin(), names.end());
      for (const std::string& name : names) {
        folder.write("points/" + std::to_string(row.index) + "/" + name, read_text_file(from + "/" + name));
      }
    }
  }
  folder.commit();
  return t;
}

void print_headline(const SweepTable& t, const std::vector<PlannedPoint>& planned, const SweepOptions& options,
                    std::ostream& out) {
  const std::size_t ok =
      static_cast<std::size_t>(std::count_if(t.rows.begin(), t.rows.end(), [](auto& r) { return r.ok; }));
  out << "qtsim sweep: " << planned.size() << " points: " << ok << " ok, " << t.rows.size() - ok << " errors, "
      << planned.size() - t.rows.size() << " filtered out -> " << options.out_dir << "/points.csv\n";
  std::vector<std::size_t> front;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    if (t.front[r] == 1) front.push_back(r);
  }
  out << "Pareto front (" << options.pareto << "): " << front.size() << (front.size() == 1 ? " point\n" : " points\n");
  for (std::size_t i = 0; i < front.size() && i < 10; ++i) {
    out << "  point " << t.rows[front[i]].index << ": " << describe(*t.points[front[i]]) << "\n";
  }
  if (front.size() > 10) out << "  ... (column `pareto` of points.csv)\n";
}

void print_stats(const SweepContext& ctx, std::size_t run, double seconds) {
  std::fprintf(stderr,
               "qtsim sweep: %zu points run in %.1f s (%.2f points/s); iteration costs: %lld computed for %lld "
               "met (the rest shared between points)\n",
               run, seconds, seconds > 0 ? static_cast<double>(run) / seconds : 0.0,
               static_cast<long long>(ctx.costs.computed()), static_cast<long long>(ctx.met));
  for (const auto& [warning, points] : ctx.warnings) {
    std::fprintf(stderr, "qtsim sweep: warning (%zu points, the first %zu): %s\n", points.size(), *points.begin(),
                 warning.c_str());
  }
}

void run_shard(const std::vector<PlannedPoint>& planned, SweepContext& ctx, const std::string& hash,
               std::ostream& out) {
  std::vector<const PlannedPoint*> todo;
  for (const PlannedPoint& p : planned) {
    if (p.status != PointStatus::filtered) todo.push_back(&p);
  }
  run_points(todo, ctx, nullptr);
  ctx.costs.save();
  std::sort(ctx.rows.begin(), ctx.rows.end(), [](const SweepRow& a, const SweepRow& b) { return a.index < b.index; });
  write_text_file_atomic(ctx.options.rows_out, rows_file_text(hash, ctx.rows));
  out << "qtsim sweep: wrote " << ctx.options.rows_out << ": " << ctx.rows.size() << " rows\n";
}

void import_rows(SweepState& state, const std::vector<PlannedPoint>& planned, const SweepOptions& options,
                 const std::string& hash) {
  std::set<std::size_t> runnable;
  for (const PlannedPoint& p : planned) {
    if (p.status != PointStatus::filtered) runnable.insert(p.point->index);
  }
  for (const std::string& file : options.import_rows) {
    for (const SweepRow& row : read_rows_file(file, hash)) {
      if (!runnable.count(row.index)) {
        throw Error("--import-rows " + file + ": a row for point " + std::to_string(row.index) +
                    ", which this sweep does not run (filtered out, or no such point)");
      }
      state.add(row);
    }
  }
}

}  // namespace

std::string sweep_hash(const std::string& sweep_path) {
  const SweepFile sweep = load_sweep_file(sweep_path);
  const Json identity{{"qtsim_version", kVersion},
                      {"timing_model", kTimingModelHash},
                      {"sweep", read_json_file(sweep_path)},
                      {"base", load_run_document(sweep.base).root}};
  return hash_hex(identity.dump());
}

void run_sweep_job(const std::string& sweep_path, const SweepOptions& options, std::ostream& out) {
  const auto start = std::chrono::steady_clock::now();
  const SweepFile sweep = load_sweep_file(sweep_path);
  check_sweep_file(sweep);  // a base that does not resolve, or an axis over no key, is the file's error
  parse_pareto_objectives(options.pareto, "--pareto");
  if (!options.memo_dir.empty()) check_memo_dir(options.memo_dir);
  const std::string hash = sweep_hash(sweep_path);
  const std::vector<PlannedPoint> planned = plan(sweep, options);
  SweepContext ctx(options);
  if (options.only) {
    check_can_create(options.rows_out);
    run_shard(planned, ctx, hash, out);
    return;
  }
  check_output_folder(options.out_dir);
  SweepState state(options.out_dir, hash);
  import_rows(state, planned, options, hash);
  const std::map<std::size_t, SweepRow> finished = state.rows();
  std::vector<const PlannedPoint*> todo;
  for (const PlannedPoint& p : planned) {
    if (p.status != PointStatus::filtered && !finished.count(p.point->index)) todo.push_back(&p);
  }
  if (finished.size() > 0) {
    std::fprintf(stderr, "qtsim sweep: %zu points already finished (%s%s), %zu to run\n", finished.size(),
                 state.folder().c_str(), options.import_rows.empty() ? "" : " and --import-rows", todo.size());
  }
  run_points(todo, ctx, &state);
  ctx.costs.save();
  const SweepTable table = write_sweep_folder(sweep, planned, state, options, hash);
  state.remove();
  print_headline(table, planned, options, out);
  print_stats(ctx, todo.size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

}  // namespace qtsim
