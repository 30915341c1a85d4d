// Fast mode against reference mode on random job lists from a fixed seed:
// array shapes, PE kinds, dataflows, pipelining, precisions (promoted ones
// too), buffer capacities, banks, ports and word widths that force tiling in
// every dimension and port stalls, A and B sharing a buffer, DRAM bandwidths
// (fractional too), latencies and bursts that force load stalls and drains,
// reconfiguration costs, several jobs per list mixing precisions and operand
// buffers, vector operations, and DMA transfer jobs (reads and writes of any
// buffer, some longer than the buffer, so that their words wrap), and GEMMs
// over tensors: random convolutions in all three forms (conv, col2im,
// wgrad) with random strides, paddings and kernels, under buffers that
// force both loop orders and every kind of position tile. Every
// statistic must be equal (tests/unit/fast_compare.h), per-bank reads and
// writes of all four buffers included.
#include <gtest/gtest.h>

#include <initializer_list>
#include <random>
#include <set>
#include <sstream>

#include "base/error.h"
#include "hw_models/controller/tile_sequencer.h"
#include "hw_models/memory/tiler.h"
#include "sim/fast/fast_simulator.h"
#include "sim/reference/reference_top.h"
#include "tests/unit/fast_compare.h"
#include "tests/unit/gemm_util.h"

namespace qtsim {
namespace {

constexpr int kCases = 300;
// Reference mode steps every cycle: keep each GEMM's fold cycles small enough
// that the whole suite stays within seconds.
constexpr std::int64_t kMaxFoldCycles = 40000;

class Random {
 public:
  explicit Random(unsigned seed) : rng_(seed) {}
  int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
  template <class T>
  T pick(std::initializer_list<T> options) {
    return options.begin()[between(0, static_cast<int>(options.size()) - 1)];
  }
  bool chance(int percent) { return between(1, 100) <= percent; }

 private:
  std::mt19937 rng_;
};

HardwareConfig random_hardware(Random& r) {
  HardwareConfig hw;
  MacArrayConfig& a = hw.mac_array;
  a.rows = r.between(2, 16);
  a.cols = r.between(2, 16);
  a.dataflow = r.pick({Dataflow::os, Dataflow::ws});
  a.pe_kind = r.pick({PeKindId::bitfusion, PeKindId::bitserial, PeKindId::fixed});
  a.fixed_width_bits = r.pick({4, 8});
  a.pipelined_folds = r.chance(50);
  a.accumulator_bits = r.pick({24, 32, 40});
  for (Operand o : kOperands) {
    BufferConfig& b = hw.buffers.at(o);
    b.word_bits = r.pick({8, 16, 32, 64, 128});
    b.banks = r.pick({1, 2, 3, 4, 8});
    b.ports = r.pick({1, 1, 2});
    // From a few words (tiles in every dimension, requests that wrap) to roomy.
    const std::int64_t words = r.pick({4, 8, 16, 24, 40, 64, 128, 512, 4096});
    b.capacity_bytes = words * b.word_bytes() + r.between(0, b.word_bytes() - 1);
  }
  hw.dram.bandwidth_bytes_per_cycle = r.pick({0.3, 0.75, 1.0, 2.0, 3.5, 16.0, 1000.0});
  hw.dram.latency_cycles = r.pick({0, 1, 7, 30, 100});
  hw.dram.burst_bytes = r.pick({1, 4, 16, 64, 128});
  hw.controller.reconfig_cycles = r.pick({0, 1, 16, 50});
  hw.vector_unit.lanes = r.between(1, 32);
  return hw;
}

std::pair<int, int> random_bits(Random& r, PeKindId pe_kind) {
  if (pe_kind == PeKindId::bitfusion) {
    const auto widths = {2, 4, 8, 16, 2, 4, 8, 16, 3, 5, 7, 12};
    return {r.pick(widths), r.pick(widths)};
  }
  return {r.between(1, 16), r.between(1, 16)};
}

// A GEMM of up to 80 in each dimension, shrunk until reference mode runs it quickly.
GemmDims random_dims(Random& r, const HardwareConfig& hw, const PeMode& mode) {
  GemmDims d{r.between(1, 80), r.between(1, 80), r.between(1, 80)};
  while (FoldPlan(hw.mac_array, mode, d).total_cycles() > kMaxFoldCycles) {
    std::int64_t& largest = d.m >= d.k && d.m >= d.n ? d.m : (d.k >= d.n ? d.k : d.n);
    largest = (largest + 1) / 2;
  }
  return d;
}

bool fits(const HardwareConfig& hw, const Job& job) {
  try {
    plan_job(hw, job);
    return true;
  } catch (const Error&) {
    return false;
  }
}

struct Case {
  HardwareConfig hw;
  std::vector<GemmOperands> operands;  // owned here; the jobs point into it
  std::vector<Job> jobs;
  std::string description;
};

Case random_case(Random& r) {
  Case c;
  c.hw = random_hardware(r);
  const int count = r.between(1, 4);
  c.operands.reserve(static_cast<std::size_t>(count));
  std::vector<std::pair<Operand, Operand>> buffers;
  std::vector<TensorGemm> tensors;
  for (int j = 0; j < count; ++j) {
    const auto [a_bits, b_bits] = random_bits(r, c.hw.mac_array.pe_kind);
    const PeMode mode = pe_mode(c.hw.mac_array, a_bits, b_bits);
    tensors.push_back(r.chance(50) ? test::random_tensor_gemm(
                                         [&](std::int64_t lo, std::int64_t hi) {
                                           return r.between(static_cast<int>(lo), static_cast<int>(hi));
                                         },
                                         3, 5, 6)
                                   : plain_gemm(random_dims(r, c.hw, mode)));
    const GemmDims d = tensors.back().dims();
    c.operands.push_back(
        test::random_operands(d.m, d.k, d.n, a_bits, b_bits, static_cast<unsigned>(r.between(0, 1 << 20))));
    buffers.emplace_back(r.pick({Operand::activation, Operand::gradient}),
                         r.pick({Operand::weight, Operand::activation}));
    // Grow the buffers until one tile fits (most random capacities are tiny on purpose).
    Job job = Job::gemm(c.operands.back(), buffers.back().first, buffers.back().second);
    job.tensors = tensors.back();
    while (!fits(c.hw, job)) {
      for (Operand o : kOperands) c.hw.buffers.at(o).capacity_bytes *= 2;
    }
  }
  std::ostringstream text;
  const MacArrayConfig& a = c.hw.mac_array;
  text << a.rows << "x" << a.cols << " " << to_string(a.dataflow) << " " << to_string(a.pe_kind)
       << (a.pipelined_folds ? " pipelined" : "") << " acc " << a.accumulator_bits << ", dram "
       << c.hw.dram.bandwidth_bytes_per_cycle << " B/cycle L " << c.hw.dram.latency_cycles << " burst "
       << c.hw.dram.burst_bytes << ":";
  for (int j = 0; j < count; ++j) {
    if (r.chance(25)) c.jobs.push_back(Job::vector(r.pick<std::string>({"relu_fwd", "quantize"}), r.between(0, 500)));
    if (r.chance(30)) {
      c.jobs.push_back(Job::transfer(r.pick({Operand::activation, Operand::weight, Operand::gradient, Operand::output}),
                                     r.pick({DmaDirection::read, DmaDirection::write}), r.between(1, 3000)));
      text << " " << (c.jobs.back().transfer_direction == DmaDirection::read ? "read " : "write ")
           << to_string(c.jobs.back().transfer_operand) << " " << c.jobs.back().transfer_bytes << " B;";
    }
    const GemmOperands& g = c.operands[static_cast<std::size_t>(j)];
    c.jobs.push_back(Job::gemm(g, buffers[j].first, buffers[j].second));
    const TensorGemm& t = tensors[static_cast<std::size_t>(j)];
    c.jobs.back().tensors = t;
    text << " " << g.dims.m << "x" << g.dims.k << "x" << g.dims.n << "@" << g.a_bits << "x" << g.b_bits << " "
         << to_string(buffers[j].first) << "/" << to_string(buffers[j].second) << " " << to_string(t.form) << " S"
         << t.samples << " " << t.out_h << "x" << t.out_w << " k" << t.kernel << " s" << t.stride << " p" << t.pad
         << " P" << t.p << " Q" << t.q;
  }
  c.description = text.str();
  return c;
}

TEST(FastRandom, EveryStatisticEqualsReferenceMode) {
  Random r(20240611);
  // Every case is drawn before the first simulation: drawing throws and
  // catches (fits()), and an exception thrown after the SystemC kernel has
  // switched stacks confuses AddressSanitizer (a false stack-use-after-scope).
  std::vector<Case> cases;
  cases.reserve(kCases);
  for (int i = 0; i < kCases; ++i) cases.push_back(random_case(r));  // moving a Case keeps its operands in place
  int tiled_k = 0, port_stalls = 0, load_stalls = 0, shared = 0, transfer_reads = 0, transfer_writes = 0;
  int shared_conflicts = 0, n_outer = 0, m_outer_reuse = 0, row_tiles = 0, column_tiles = 0;
  std::set<GemmForm> forms;
  for (int i = 0; i < kCases; ++i) {
    const Case& c = cases[static_cast<std::size_t>(i)];
    const std::string name = "case " + std::to_string(i) + " (" + c.description + ")";
    const JobsSimulation ref = simulate_jobs(c.hw, c.jobs);
    std::vector<Job> jobs;
    for (const Job& job : c.jobs) jobs.push_back(job);
    const FastRun fast = simulate_jobs_fast(c.hw, jobs);
    test::expect_same(fast, ref, name);
    if (::testing::Test::HasFailure()) return;  // one case's report is enough to debug from
    for (std::size_t j = 0; j < ref.jobs.size(); ++j) {
      const TilePlan& plan = ref.jobs[j].tiles;
      tiled_k += plan.k_tiles > 1;
      if (!c.jobs[j].is_gemm()) continue;
      forms.insert(c.jobs[j].tensors.form);
      const bool reordered = plan.m_tiles > 1 && plan.n_tiles > 1;
      n_outer += reordered && plan.mapping.order == LoopOrder::n_outer;
      m_outer_reuse += reordered && plan.mapping.order == LoopOrder::m_outer;
      row_tiles += plan.mapping.samples == 1 && plan.mapping.rows < c.jobs[j].tensors.out_h;
      column_tiles += plan.mapping.rows == 1 && plan.mapping.cols < c.jobs[j].tensors.out_w;
    }
    bool shared_case = false;
    for (const Job& job : c.jobs) {
      shared_case |= job.is_gemm() && job.a_buffer == job.b_buffer;
      shared += job.is_gemm() && job.a_buffer == job.b_buffer;
      transfer_reads += job.is_transfer() && job.transfer_direction == DmaDirection::read;
      transfer_writes += job.is_transfer() && job.transfer_direction == DmaDirection::write;
    }
    if (shared_case) {
      for (const auto& [operand, sram] : ref.controller.buffers) shared_conflicts += sram.conflict_stall_cycles > 0;
    }
    port_stalls += ref.controller.causes.port_stall > 0;
    load_stalls += ref.controller.causes.load_stall > 0;
  }
  // The generator reaches every regime it is meant to. (Store stalls are
  // not among them: the reference never has any, see sim/fast/README.md.)
  EXPECT_GT(tiled_k, kCases / 10);
  EXPECT_EQ(forms.size(), 3u);
  EXPECT_GT(n_outer, kCases / 20);
  EXPECT_GT(m_outer_reuse, kCases / 20);
  EXPECT_GT(row_tiles, kCases / 50);
  EXPECT_GT(column_tiles, kCases / 50);
  EXPECT_GT(port_stalls, kCases / 10);
  EXPECT_GT(load_stalls, kCases / 2);
  EXPECT_GT(shared, kCases / 10);
  EXPECT_GT(shared_conflicts, kCases / 20);
  EXPECT_GT(transfer_reads, kCases / 10);
  EXPECT_GT(transfer_writes, kCases / 10);
}

}  // namespace
}  // namespace qtsim
