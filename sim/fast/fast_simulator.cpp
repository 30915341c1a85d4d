#include "sim/fast/fast_simulator.h"

#include <algorithm>
#include <unordered_map>

#include "hw_models/memory/tiler.h"
#include "sim/fast/dram_channel.h"

namespace qtsim {
namespace {

void add_stats(ArrayStats& total, const ArrayStats& s) {
  total.cycles += s.cycles;
  total.pe_active_cycles += s.pe_active_cycles;
  total.macs += s.macs;
  total.weight_loads += s.weight_loads;
  total.folds += s.folds;
  total.a_read_elements += s.a_read_elements;
  total.a_read_words += s.a_read_words;
  total.b_read_elements += s.b_read_elements;
  total.b_read_words += s.b_read_words;
  total.out_read_values += s.out_read_values;
  total.out_read_words += s.out_read_words;
  total.out_write_values += s.out_write_values;
  total.out_write_words += s.out_write_words;
  total.port_stall_cycles += s.port_stall_cycles;
}

void add_reads(SramStats& buffer, const BufferReads& reads, std::int64_t times) {
  for (std::size_t b = 0; b < reads.bank_reads_words.size(); ++b) {
    buffer.bank_reads_words[b] += times * reads.bank_reads_words[b];
    buffer.reads_words += times * reads.bank_reads_words[b];
  }
  buffer.conflict_stall_cycles += times * reads.conflict_stall_cycles;
}

// One run of PrecisionController::control(), in controller cycles from the
// run's start. Every wait there ends at the cycle its event happens: a
// transfer's completion (DramChannel), the array's `done` after its last
// step (a tile started in cycle t steps at the edges t + 1 ... t + cycles),
// a counted number of clock edges (reconfiguration, vector operations).
class Run {
 public:
  Run(const HardwareConfig& hardware, TileMemo& memo) : hw_(hardware), memo_(memo), dram_(hardware.dram) {}

  FastRun operator()(const std::vector<FastJob>& jobs) {
    VectorUnit vector_unit(hw_.vector_unit);
    for (const FastJob& job : jobs) {
      if (!job.is_vector()) {
        gemm(job);
        continue;
      }
      const std::int64_t cycles = vector_unit.run(job.vector_op, job.vector_elements);
      now_ += cycles;
      out_.controller.vector_cycles += cycles;
      out_.jobs.emplace_back().stats.vector_cycles = cycles;
    }
    ControllerStats& cs = out_.controller;
    cs.vector_ops = vector_unit.stats();
    for (Operand o : kOperands) {
      SramStats& s = cs.buffers[o];
      s.bank_reads_words.assign(static_cast<std::size_t>(hw_.buffers.at(o).banks), 0);
      s.bank_writes_words = s.bank_reads_words;
    }
    for (const auto& [cost, use] : tile_uses_) {
      add_reads(cs.buffers[use.a_buffer], cost->a_reads, use.count);
      add_reads(cs.buffers[use.b_buffer], cost->b_reads, use.count);
    }
    for (std::int64_t store : stores_) wait_until(store, &cs.store_drain_cycles);
    cs.cycles = now_;
    out_.dma = dram_.stats();
    return std::move(out_);
  }

 private:
  struct TileUse {
    Operand a_buffer, b_buffer;
    std::int64_t count = 0;
  };
  static constexpr std::int64_t kNoTransfer = -1;

  void wait_until(std::int64_t done_cycle, std::int64_t* stall, std::int64_t* job_stall = nullptr) {
    const std::int64_t waited = std::max<std::int64_t>(done_cycle - now_, 0);
    now_ += waited;
    *stall += waited;
    if (job_stall) *job_stall += waited;
  }

  void gemm(const FastJob& job) {
    ControllerStats& cs = out_.controller;
    const MacArrayConfig& a = hw_.mac_array;
    const PeMode mode = pe_mode(a, job.a_bits, job.b_bits);
    JobResult& result = out_.jobs.emplace_back();
    JobStats& js = result.stats;
    if (have_mode_ && (mode.a_run_bits != mode_.a_run_bits || mode.b_run_bits != mode_.b_run_bits)) {
      now_ += hw_.controller.reconfig_cycles;
      cs.reconfig_cycles += hw_.controller.reconfig_cycles;
      js.reconfig_cycles = hw_.controller.reconfig_cycles;
      ++cs.reconfigurations;
    }
    have_mode_ = true;
    mode_ = mode;
    result.mode = mode;
    result.tiles = plan_tiles(a.dataflow, job.dims, job.a_bits, job.b_bits, a.accumulator_bits,
                              named_buffer(hw_.buffers, job.a_buffer), named_buffer(hw_.buffers, job.b_buffer),
                              named_buffer(hw_.buffers, Operand::output), a.rows, a.cols, mode.pack);
    const std::vector<Tile>& tiles = result.tiles.tiles;
    // Loads are issued A before B, one tile ahead of the array.
    auto load = [&](const Tile& t) {
      std::pair<std::int64_t, std::int64_t> done{kNoTransfer, kNoTransfer};
      if (t.load_a) done.first = dram_.issue(now_, job.a_buffer, DmaDirection::read, t.a_bytes);
      if (t.load_b) done.second = dram_.issue(now_, job.b_buffer, DmaDirection::read, t.b_bytes);
      js.dram_read_bytes += (t.load_a ? t.a_bytes : 0) + (t.load_b ? t.b_bytes : 0);
      return done;
    };
    auto loads = load(tiles.front());
    for (std::size_t i = 0; i < tiles.size(); ++i) {
      const Tile& t = tiles[i];
      wait_until(loads.first, &cs.load_stall_cycles, &js.load_stall_cycles);
      wait_until(loads.second, &cs.load_stall_cycles, &js.load_stall_cycles);
      // The output half this block writes was last used two blocks ago (in this run, any job).
      if (t.first_k && stores_.size() >= 2) {
        wait_until(stores_[stores_.size() - 2], &cs.store_stall_cycles, &js.store_stall_cycles);
      }
      if (i + 1 < tiles.size()) loads = load(tiles[i + 1]);

      const TileKey key{job.a_buffer, job.b_buffer, job.a_bits, job.b_bits, t.m_len, t.k_len, t.n_len, !t.first_k};
      const TileCost& cost = memo_.cost(mode, key);
      TileUse& use = tile_uses_[&cost];
      use.a_buffer = job.a_buffer;
      use.b_buffer = job.b_buffer;
      ++use.count;
      const ArrayStats& s = cost.array;
      now_ += s.cycles;
      cs.compute_cycles += s.cycles - s.port_stall_cycles;
      cs.port_stall_cycles += s.port_stall_cycles;
      add_stats(cs.array, s);
      ++cs.tiles;
      js.compute_cycles += s.cycles - s.port_stall_cycles;
      js.port_stall_cycles += s.port_stall_cycles;
      add_stats(js.array, s);
      ++js.tiles;
      if (t.last_k) {
        stores_.push_back(dram_.issue(now_, Operand::output, DmaDirection::write, t.c_bytes));
        js.dram_write_bytes += t.c_bytes;
      }
    }
  }

  const HardwareConfig& hw_;
  TileMemo& memo_;
  DramChannel dram_;
  FastRun out_;
  std::int64_t now_ = 0;
  bool have_mode_ = false;
  PeMode mode_;
  std::vector<std::int64_t> stores_;  // completion cycle of each finished output block's store
  // How often each distinct tile ran: its buffer reads are added once per tile, at the end.
  std::unordered_map<const TileCost*, TileUse> tile_uses_;
};

}  // namespace

FastRun FastSimulator::run(const std::vector<FastJob>& jobs) { return Run(hardware_, memo_)(jobs); }

FastRun simulate_jobs_fast(const HardwareConfig& hardware, const std::vector<FastJob>& jobs) {
  return FastSimulator(hardware).run(jobs);
}

}  // namespace qtsim
