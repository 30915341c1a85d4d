// The sweep table (sim/sweep/sweep_table.h) and state (sweep_state.h):
// Pareto fronts against hand-worked sets, objective names, rows through JSON,
// and the state's handling of a line a kill cut short and of another sweep's rows.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>

#include "base/error.h"
#include "sim/sweep/point_queue.h"
#include "sim/sweep/sweep_state.h"
#include "sim/sweep/sweep_table.h"
#include "tests/unit/process.h"

namespace qtsim {
namespace {

namespace fs = std::filesystem;

std::size_t column(const std::string& name) {
  const std::vector<MetricColumn>& c = metric_columns();
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c[i].name == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

// An ok row with policy energy `energy`, time `time`, compression `ratio`.
SweepRow row(std::size_t index, const std::string& energy, const std::string& time, const std::string& ratio = "1") {
  SweepRow r;
  r.index = index;
  r.ok = true;
  r.metrics.assign(metric_columns().size(), "");
  r.metrics[column("policy_energy_pj")] = energy;
  r.metrics[column("policy_time_s")] = time;
  r.metrics[column("compression_bits_ratio")] = ratio;
  return r;
}

TEST(SweepTable, ParetoFrontOfTwoMinimisedObjectives) {
  // (energy, time): (1, 5) (2, 3) (3, 4) (4, 1) (2, 3) (5, 5); (3, 4) is
  // dominated by (2, 3), (5, 5) by all; the two equal (2, 3) both stay on the
  // front; an error row and a row with an empty objective are off the table's
  // front (-1).
  std::vector<SweepRow> rows = {row(0, "1", "5"), row(1, "2", "3"), row(2, "3", "4"),    row(3, "4", "1"),
                                row(4, "2", "3"), row(5, "5", "5"), error_row(6, "bad"), row(7, "", "1")};
  const std::vector<ParetoObjective> objectives = parse_pareto_objectives("energy,time", "--pareto");
  EXPECT_EQ(pareto_front(rows, objectives), (std::vector<int>{1, 1, 0, 1, 1, 0, -1, -1}));
}

TEST(SweepTable, MaximisedObjectiveAndOneObjective) {
  // energy min, compression max: (1, 1) (2, 3) (2, 2) (3, 3): (2, 2) is
  // dominated by (2, 3), (3, 3) by (2, 3). With energy alone only the minimum.
  std::vector<SweepRow> rows = {row(0, "1", "0", "1"), row(1, "2", "0", "3"), row(2, "2", "0", "2"),
                                row(3, "3", "0", "3")};
  EXPECT_EQ(pareto_front(rows, parse_pareto_objectives("energy,compression", "--pareto")),
            (std::vector<int>{1, 1, 0, 0}));
  EXPECT_EQ(pareto_front(rows, parse_pareto_objectives("min:policy_energy_pj", "--pareto")),
            (std::vector<int>{1, 0, 0, 0}));
}

TEST(SweepTable, ObjectiveNamesAreCheckedByName) {
  const std::vector<ParetoObjective> o = parse_pareto_objectives("area,accuracy,max:speedup", "--pareto");
  ASSERT_EQ(o.size(), 3u);
  EXPECT_EQ(o[0].column, "area_mm2");
  EXPECT_FALSE(o[0].maximise);
  EXPECT_EQ(o[1].column, "trace_test_accuracy_fraction");
  EXPECT_TRUE(o[1].maximise);
  EXPECT_EQ(o[2].column, "speedup");
  for (const char* bad : {"energy,,time", "power", "min:no_such_column", ""}) {
    try {
      parse_pareto_objectives(bad, "--pareto");
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("--pareto: unknown objective"), std::string::npos) << e.what();
    }
  }
}

TEST(SweepTable, RowsRoundTripThroughJsonAndTheCsvHasFixedColumns) {
  SweepRow ok = row(3, "1.5", "2");
  ok.warnings = "a; b";
  const SweepRow back = row_from_json(to_json(ok), "test");
  EXPECT_EQ(back.index, 3u);
  EXPECT_TRUE(back.ok);
  EXPECT_EQ(back.metrics, ok.metrics);
  EXPECT_EQ(back.warnings, "a; b");
  const SweepRow bad = row_from_json(to_json(error_row(9, "x: y")), "test");
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.error, "x: y");
  EXPECT_THROW(row_from_json(Json{{"index", 1}, {"status", "ok"}, {"metrics", Json::array()}}, "t"), Error);
  EXPECT_THROW(row_from_json(Json{{"index", 1}, {"status", "done"}}, "t"), Error);

  const std::string csv = points_csv({"a.b"}, {ok, error_row(4, "bad, \"quoted\"")}, {{"16"}, {"32"}},
                                     parse_pareto_objectives("energy,time", "--pareto"));
  const std::string header = csv.substr(0, csv.find('\n'));
  EXPECT_EQ(header.rfind("index,a.b,status,error,warnings,compression_bits_ratio,", 0), 0u) << header;
  EXPECT_EQ(header.substr(header.size() - 7), ",pareto");
  EXPECT_NE(csv.find("\n4,32,error,\"bad, \"\"quoted\"\"\",,"), std::string::npos) << csv;
}

TEST(SweepState, DropsALineCutShortAndRefusesAnotherSweep) {
  const fs::path dir = test::make_temp_dir("sweep_state");
  const std::string out = (dir / "out").string();
  {
    SweepState state(out, "hash-1");
    state.add(row(2, "1", "1"));
    state.add(error_row(5, "bad"));
  }
  const fs::path rows = dir / ".out.qtsim-sweep-state" / "rows.jsonl";
  std::ofstream(rows, std::ios::app) << "{\"index\": 7, \"sta";  // killed mid-line
  {
    SweepState state(out, "hash-1");
    const auto finished = state.rows();
    ASSERT_EQ(finished.size(), 2u);
    EXPECT_TRUE(finished.at(2).ok);
    EXPECT_EQ(finished.at(5).error, "bad");
    state.add(row(7, "2", "2"));
    EXPECT_EQ(state.rows().size(), 3u);
    // One sweep at a time per state.
    EXPECT_THROW(SweepState(out, "hash-1"), Error);
  }
  EXPECT_EQ(read_rows_file(rows.string(), "hash-1").size(), 3u);  // the cut line is gone
  try {
    SweepState other(out, "hash-2");
    ADD_FAILURE() << "another sweep's state was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("holds the points of another sweep"), std::string::npos) << e.what();
  }
  SweepState(out, "hash-1").remove();
  EXPECT_FALSE(fs::exists(rows.parent_path()));
}

TEST(PointQueue, LeadersRunAloneAndOtherGroupsStartMeanwhile) {
  PointQueue q({{"A", 0}, {"A", 1}, {"B", 2}, {"A", 3}, {"C", 4}});
  EXPECT_EQ(q.take(), std::optional<std::size_t>(0));  // A's leader
  EXPECT_EQ(q.take(), std::optional<std::size_t>(2));  // A waits for 0: B's leader
  EXPECT_EQ(q.take(), std::optional<std::size_t>(4));  // C's leader
  // Only A has points left, and its leader runs: take() waits for done(0).
  std::future<std::optional<std::size_t>> waiting = std::async(std::launch::async, [&] { return q.take(); });
  EXPECT_EQ(waiting.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
  q.done(2);  // another group's leader does not open A
  EXPECT_EQ(waiting.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
  q.done(0);
  EXPECT_EQ(waiting.get(), std::optional<std::size_t>(1));
  EXPECT_EQ(q.take(), std::optional<std::size_t>(3));
  EXPECT_EQ(q.take(), std::nullopt);  // nothing left, though C's leader still runs
}

TEST(PointQueue, StopWakesWaitingThreads) {
  PointQueue q({{"A", 0}, {"A", 1}});
  EXPECT_EQ(q.take(), std::optional<std::size_t>(0));
  std::future<std::optional<std::size_t>> waiting = std::async(std::launch::async, [&] { return q.take(); });
  q.stop();
  EXPECT_EQ(waiting.get(), std::nullopt);
}

}  // namespace
}  // namespace qtsim
