#include "sim/fast/fast_simulator.h"

#include <algorithm>
#include <array>
#include <unordered_map>

#include "hw_models/controller/tile_sequencer.h"
#include "hw_models/sram/sram_buffer.h"
#include "sim/fast/dram_channel.h"

namespace qtsim {
namespace {

// The port-free accesses of one buffer and kind as counted
// (SramBuffer::count_words): a run repeats a few distinct (address, words)
// pairs many times, so each is added per bank once, times its count. A call
// (once per fill, output access and store of every tile) mostly repeats one
// of the last few pairs, which are checked first; the others are hashed.
class AccessCounts {
 public:
  struct Key {
    std::int64_t address, words;
    bool operator==(const Key& o) const { return address == o.address && words == o.words; }
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return static_cast<std::size_t>(k.address) * 0x9e3779b97f4a7c15u ^ static_cast<std::size_t>(k.words);
    }
  };
  using Map = std::unordered_map<Key, std::int64_t, KeyHash>;

  void count(std::int64_t address, std::int64_t words) {
    const Key key{address, words};
    for (Map::value_type* r : recent_) {
      if (r != nullptr && r->first == key) {
        ++r->second;
        return;
      }
    }
    Map::value_type& entry = *counts_.try_emplace(key, 0).first;
    ++entry.second;
    recent_[next_++ % recent_.size()] = &entry;  // map entries never move
  }
  const Map& counts() const { return counts_; }

 private:
  Map counts_;
  std::array<Map::value_type*, 4> recent_{};
  std::size_t next_ = 0;
};

void add_reads(SramStats& buffer, const BufferReads& reads, std::int64_t times) {
  for (std::size_t b = 0; b < reads.bank_reads_words.size(); ++b) {
    buffer.bank_reads_words[b] += times * reads.bank_reads_words[b];
    buffer.reads_words += times * reads.bank_reads_words[b];
  }
  buffer.conflict_stall_cycles += times * reads.conflict_stall_cycles;
}

// The sequencer's backend in controller cycles from the run's start. Every
// wait of reference mode ends at the cycle its event happens: a transfer's
// completion (DramChannel), the array's `done` after its last step (a tile
// started in cycle t steps at the edges t + 1 ... t + cycles), a counted
// number of clock edges (reconfiguration, vector operations).
class FastBackend {
 public:
  FastBackend(const HardwareConfig& hardware, TileMemo& memo, MappingMemo& mappings)
      : hw_(hardware), memo_(memo), mappings_(mappings), dram_(hardware.dram) {}

  JobPlan plan(const Job& gemm) { return plan_job(hw_, gemm, &mappings_); }
  std::int64_t now() const { return now_; }
  std::int64_t issue(Operand buffer, DmaDirection direction, std::int64_t bytes) {
    return dram_.issue(now_, buffer, direction, bytes);  // the handle: the cycle it is done
  }
  void wait_for(std::int64_t transfer) { now_ = std::max(now_, transfer); }
  void idle(std::int64_t cycles) { now_ += cycles; }
  const ArrayStats& compute(const TileStep& step) {
    const Job& job = step.job;
    const Tile& t = step.tile;
    const TileKey key{job.a_buffer, job.b_buffer, job.a_bits, job.b_bits, t.m_len, t.k_len, t.n_len, !t.first_k};
    const TileCost& cost = memo_.cost(step.mode, key);
    TileUse& use = tile_uses_[&cost];
    use.a_buffer = job.a_buffer;
    use.b_buffer = job.b_buffer;
    ++use.count;
    now_ += cost.array.cycles;
    return cost.array;
  }
  void count_words(Operand buffer, SramAccess kind, std::int64_t address, std::int64_t words) {
    if (words > 0) accesses_[slot(buffer, kind)].count(address, words);
  }

  // Every buffer's words per bank, as reference mode's SramBuffers count them.
  std::map<Operand, SramStats> buffers() const {
    std::map<Operand, SramStats> out;
    for (Operand o : kOperands) {
      SramStats& s = out[o];
      s.bank_reads_words.assign(static_cast<std::size_t>(hw_.buffers.at(o).banks), 0);
      s.bank_writes_words = s.bank_reads_words;
    }
    for (const auto& [cost, use] : tile_uses_) {
      add_reads(out[use.a_buffer], cost->a_reads, use.count);
      add_reads(out[use.b_buffer], cost->b_reads, use.count);
    }
    for (Operand o : kOperands) {
      for (SramAccess kind : {SramAccess::read, SramAccess::write}) {
        SramStats& s = out[o];
        const bool read = kind == SramAccess::read;
        for (const auto& [a, times] : accesses_[slot(o, kind)].counts()) {
          add_stream_per_bank(read ? s.bank_reads_words : s.bank_writes_words, hw_.buffers.at(o).capacity_words(),
                              a.address, a.words, times);
          (read ? s.reads_words : s.writes_words) += a.words * times;
        }
      }
    }
    return out;
  }
  const DmaStats& dma() const { return dram_.stats(); }

 private:
  struct TileUse {
    Operand a_buffer = Operand::activation, b_buffer = Operand::weight;
    std::int64_t count = 0;
  };
  const HardwareConfig& hw_;
  TileMemo& memo_;
  MappingMemo& mappings_;
  DramChannel dram_;
  std::int64_t now_ = 0;
  std::unordered_map<const TileCost*, TileUse> tile_uses_;  // how often each distinct tile ran
  static std::size_t slot(Operand buffer, SramAccess kind) {
    return static_cast<std::size_t>(buffer) * 2 + (kind == SramAccess::read ? 0 : 1);
  }
  std::array<AccessCounts, kOperands.size() * 2> accesses_;  // per slot()
};

}  // namespace

FastRun FastSimulator::run(const std::vector<Job>& jobs) {
  FastBackend backend(hardware_, memo_, mappings_);
  TileSequencer<FastBackend> sequencer(hardware_, backend);
  sequencer.run(jobs);
  FastRun out;
  out.controller = std::move(sequencer.stats());
  out.controller.buffers = backend.buffers();
  out.jobs = std::move(sequencer.results());
  out.dma = backend.dma();
  return out;
}

FastRun simulate_jobs_fast(const HardwareConfig& hardware, const std::vector<Job>& jobs) {
  return FastSimulator(hardware).run(jobs);
}

}  // namespace qtsim
