#include "sim/fast/fast_simulator.h"

#include <algorithm>
#include <array>
#include <unordered_map>

#include "hw_models/memory/sram_buffer.h"
#include "hw_models/memory/tiler.h"
#include "sim/fast/dram_channel.h"

namespace qtsim {
namespace {

void add_reads(SramStats& buffer, const BufferReads& reads, std::int64_t times) {
  for (std::size_t b = 0; b < reads.bank_reads_words.size(); ++b) {
    buffer.bank_reads_words[b] += times * reads.bank_reads_words[b];
    buffer.reads_words += times * reads.bank_reads_words[b];
  }
  buffer.conflict_stall_cycles += times * reads.conflict_stall_cycles;
}

// Port-free words (SramBuffer::count_words): a stream of `words` words from
// `address`, `times` over, into a buffer's statistics.
void count_words(SramStats& buffer, const BufferConfig& config, SramAccess kind, std::int64_t address,
                 std::int64_t words, std::int64_t times) {
  if (words == 0 || times == 0) return;
  const bool read = kind == SramAccess::read;
  add_stream_per_bank(read ? buffer.bank_reads_words : buffer.bank_writes_words, config.capacity_words(), address,
                      words, times);
  (read ? buffer.reads_words : buffer.writes_words) += words * times;
}

// One run of PrecisionController::control(), in controller cycles from the
// run's start. Every wait there ends at the cycle its event happens: a
// transfer's completion (DramChannel), the array's `done` after its last
// step (a tile started in cycle t steps at the edges t + 1 ... t + cycles),
// a counted number of clock edges (reconfiguration, vector operations).
class Run {
 public:
  Run(const HardwareConfig& hardware, TileMemo& memo) : hw_(hardware), memo_(memo), dram_(hardware.dram) {
    for (Operand o : kOperands) {
      SramStats& s = out_.controller.buffers[o];
      s.bank_reads_words.assign(static_cast<std::size_t>(hw_.buffers.at(o).banks), 0);
      s.bank_writes_words = s.bank_reads_words;
    }
  }

  FastRun operator()(const std::vector<FastJob>& jobs) {
    VectorUnit vector_unit(hw_.vector_unit);
    for (const FastJob& job : jobs) {
      if (job.is_gemm()) {
        gemm(job);
      } else if (job.is_transfer()) {
        transfer(job);
      } else {
        const std::int64_t cycles = vector_unit.run(job.vector_op, job.vector_elements);
        now_ += cycles;
        out_.controller.vector_cycles += cycles;
        out_.jobs.emplace_back().stats.vector_cycles = cycles;
      }
    }
    ControllerStats& cs = out_.controller;
    cs.vector_ops = vector_unit.stats();
    // Each distinct tile's buffer accesses, times its uses (per half where the half matters).
    const BufferConfig& out_config = hw_.buffers.at(Operand::output);
    SramStats& out = cs.buffers[Operand::output];
    for (const auto& [cost, use] : tile_uses_) {
      add_reads(cs.buffers[use.a_buffer], cost->a_reads, use.count);
      add_reads(cs.buffers[use.b_buffer], cost->b_reads, use.count);
      for (std::int64_t h = 0; h < 2; ++h) {
        count_words(cs.buffers[use.a_buffer], hw_.buffers.at(use.a_buffer), SramAccess::write,
                    half_base(use.a_buffer, h), use.a_words, use.a_fills[h]);
        count_words(cs.buffers[use.b_buffer], hw_.buffers.at(use.b_buffer), SramAccess::write,
                    half_base(use.b_buffer, h), use.b_words, use.b_fills[h]);
        const std::int64_t base = half_base(Operand::output, h);
        count_words(out, out_config, SramAccess::read, base, cost->array.out_read_words, use.out_half[h]);
        count_words(out, out_config, SramAccess::write, base, cost->array.out_write_words, use.out_half[h]);
        count_words(out, out_config, SramAccess::read, base, use.c_words, use.stores[h]);
      }
    }
    for (std::int64_t store : stores_) wait_until(store, &cs.store_drain_cycles);
    for (std::int64_t write : transfer_writes_) wait_until(write, &cs.store_drain_cycles);
    cs.cycles = now_;
    out_.dma = dram_.stats();
    return std::move(out_);
  }

 private:
  static constexpr std::int64_t kNoTransfer = -1;
  // How often one distinct tile ran, and in which halves (index 0 or 1).
  struct TileUse {
    Operand a_buffer, b_buffer;
    std::int64_t a_words = 0, b_words = 0, c_words = 0;  // its fills and its store's read (Tile)
    std::int64_t count = 0;
    std::array<std::int64_t, 2> out_half{};          // runs with the output block in half h
    std::array<std::int64_t, 2> a_fills{}, b_fills{};  // its A (B) loaded into half h
    std::array<std::int64_t, 2> stores{};            // last K tiles, stored from output half h
  };
  // A tile's loads: when each is done, and the half it fills.
  struct Loads {
    std::int64_t a_done = kNoTransfer, b_done = kNoTransfer;
    std::int64_t a_half = 0, b_half = 0;
  };

  std::int64_t half_base(Operand buffer, std::int64_t half) const {
    return half * (hw_.buffers.at(buffer).capacity_words() / 2);
  }

  void wait_until(std::int64_t done_cycle, std::int64_t* stall, std::int64_t* job_stall = nullptr) {
    const std::int64_t waited = std::max<std::int64_t>(done_cycle - now_, 0);
    now_ += waited;
    *stall += waited;
    if (job_stall) *job_stall += waited;
  }

  // PrecisionController::run_transfer: a read is waited for, a write left to the final drain.
  void transfer(const FastJob& job) {
    ControllerStats& cs = out_.controller;
    JobStats& js = out_.jobs.emplace_back().stats;
    const Operand o = job.transfer_operand;
    const BufferConfig& config = hw_.buffers.at(o);
    const std::int64_t words = SramBuffer::words_for(job.transfer_bytes, 8, config.word_bits);
    const std::int64_t done = dram_.issue(now_, o, job.transfer_direction, job.transfer_bytes);
    if (job.transfer_direction == DmaDirection::read) {
      count_words(cs.buffers[o], config, SramAccess::write, 0, words, 1);
      js.buffer(o).writes_words += words;
      js.dram_read_bytes += job.transfer_bytes;
      wait_until(done, &cs.load_stall_cycles, &js.load_stall_cycles);
    } else {
      count_words(cs.buffers[o], config, SramAccess::read, 0, words, 1);
      js.buffer(o).reads_words += words;
      js.dram_write_bytes += job.transfer_bytes;
      transfer_writes_.push_back(done);
    }
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
    // Loads are issued A before B, one tile ahead of the array; a buffer's fills alternate halves.
    auto load = [&](const Tile& t) {
      Loads l;
      if (t.load_a) {
        l.a_done = dram_.issue(now_, job.a_buffer, DmaDirection::read, t.a_bytes);
        l.a_half = fills_[static_cast<std::size_t>(job.a_buffer)]++ % 2;
        js.buffer(job.a_buffer).writes_words += t.a_words;
      }
      if (t.load_b) {
        l.b_done = dram_.issue(now_, job.b_buffer, DmaDirection::read, t.b_bytes);
        l.b_half = fills_[static_cast<std::size_t>(job.b_buffer)]++ % 2;
        js.buffer(job.b_buffer).writes_words += t.b_words;
      }
      js.dram_read_bytes += (t.load_a ? t.a_bytes : 0) + (t.load_b ? t.b_bytes : 0);
      return l;
    };
    Loads loads = load(tiles.front());
    for (std::size_t i = 0; i < tiles.size(); ++i) {
      const Tile& t = tiles[i];
      wait_until(loads.a_done, &cs.load_stall_cycles, &js.load_stall_cycles);
      wait_until(loads.b_done, &cs.load_stall_cycles, &js.load_stall_cycles);
      // The output half this block writes was last used two blocks ago (in this run, any job).
      const std::size_t blocks_done = stores_.size();
      if (t.first_k && blocks_done >= 2) {
        wait_until(stores_[blocks_done - 2], &cs.store_stall_cycles, &js.store_stall_cycles);
      }
      const Loads mine = loads;
      if (i + 1 < tiles.size()) loads = load(tiles[i + 1]);

      const TileKey key{job.a_buffer, job.b_buffer, job.a_bits, job.b_bits, t.m_len, t.k_len, t.n_len, !t.first_k};
      const TileCost& cost = memo_.cost(mode, key);
      TileUse& use = tile_uses_[&cost];
      if (use.count == 0) {
        use.a_buffer = job.a_buffer;
        use.b_buffer = job.b_buffer;
        use.a_words = t.a_words;  // functions of the key, like the cost
        use.b_words = t.b_words;
        use.c_words = t.c_words;
      }
      ++use.count;
      const std::size_t out_half = blocks_done % 2;
      ++use.out_half[out_half];
      if (t.load_a) ++use.a_fills[static_cast<std::size_t>(mine.a_half)];
      if (t.load_b) ++use.b_fills[static_cast<std::size_t>(mine.b_half)];
      const ArrayStats& s = cost.array;
      now_ += s.cycles;
      cs.compute_cycles += s.cycles - s.port_stall_cycles;
      cs.port_stall_cycles += s.port_stall_cycles;
      cs.array += s;
      ++cs.tiles;
      js.compute_cycles += s.cycles - s.port_stall_cycles;
      js.port_stall_cycles += s.port_stall_cycles;
      js.array += s;
      ++js.tiles;
      js.buffer(job.a_buffer).reads_words += s.a_read_words;
      js.buffer(job.b_buffer).reads_words += s.b_read_words;
      BufferWords& out = js.buffer(Operand::output);
      out.reads_words += s.out_read_words;
      out.writes_words += s.out_write_words;
      if (t.last_k) {
        out.reads_words += t.c_words;
        ++use.stores[out_half];
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
  std::vector<std::int64_t> stores_;           // completion cycle of each finished output block's store
  std::vector<std::int64_t> transfer_writes_;  // completion cycle of each transfer job's write
  std::array<std::int64_t, kOperands.size()> fills_{};  // DMA fills of each buffer so far
  // How often each distinct tile ran: its buffer accesses are added once per tile, at the end.
  std::unordered_map<const TileCost*, TileUse> tile_uses_;
};

}  // namespace

FastRun FastSimulator::run(const std::vector<FastJob>& jobs) { return Run(hardware_, memo_)(jobs); }

FastRun simulate_jobs_fast(const HardwareConfig& hardware, const std::vector<FastJob>& jobs) {
  return FastSimulator(hardware).run(jobs);
}

}  // namespace qtsim
