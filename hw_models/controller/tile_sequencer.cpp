#include "hw_models/controller/tile_sequencer.h"

namespace qtsim {

JobPlan plan_job(const HardwareConfig& hardware, const Job& gemm) {
  const MacArrayConfig& a = hardware.mac_array;
  JobPlan plan;
  plan.mode = pe_mode(a, gemm.a_bits, gemm.b_bits);
  plan.tiles = plan_tiles(a.dataflow, gemm.dims, gemm.a_bits, gemm.b_bits, a.accumulator_bits,
                          named_buffer(hardware.buffers, gemm.a_buffer), named_buffer(hardware.buffers, gemm.b_buffer),
                          named_buffer(hardware.buffers, Operand::output), a.rows, a.cols, plan.mode.pack);
  return plan;
}

TileSequencer::TileSequencer(const HardwareConfig& hardware, SequencerBackend& backend)
    : hw_(hardware), backend_(backend), vector_unit_(hardware.vector_unit) {}

void TileSequencer::run(const std::vector<Job>& jobs) {
  const std::int64_t start = backend_.now();
  results_.reserve(jobs.size());
  for (const Job& job : jobs) {
    if (job.is_gemm()) {
      gemm(job);
    } else if (job.is_transfer()) {
      transfer(job);
    } else {
      vector(job);
    }
  }
  for (std::int64_t store : stores_) wait(store, &CycleBreakdown::store_drain, nullptr);
  for (std::int64_t write : transfer_writes_) wait(write, &CycleBreakdown::store_drain, nullptr);
  stats_.vector_ops = vector_unit_.stats();
  stats_.cycles = backend_.now() - start;
}

void TileSequencer::wait(std::int64_t transfer, std::int64_t CycleBreakdown::*cause, JobStats* js) {
  const std::int64_t before = backend_.now();
  backend_.wait_for(transfer);
  const std::int64_t waited = backend_.now() - before;
  stats_.causes.*cause += waited;
  if (js) js->causes.*cause += waited;
}

void TileSequencer::count(Operand buffer, SramAccess kind, std::int64_t address, std::int64_t words, JobStats& js) {
  backend_.count_words(buffer, kind, address, words);
  BufferWords& b = js.buffer(buffer);
  (kind == SramAccess::read ? b.reads_words : b.writes_words) += words;
}

std::int64_t TileSequencer::half_base(Operand buffer, std::int64_t half) const {
  return half * (hw_.buffers.at(buffer).capacity_words() / 2);
}

void TileSequencer::vector(const Job& job) {
  const std::int64_t cycles = vector_unit_.run(job.vector_op, job.vector_elements);
  backend_.idle(cycles);
  stats_.causes.vector += cycles;
  results_.emplace_back().stats.causes.vector = cycles;
}

void TileSequencer::transfer(const Job& job) {
  JobStats& js = results_.emplace_back().stats;
  const Operand o = job.transfer_operand;
  const std::int64_t words = SramBuffer::words_for(job.transfer_bytes, 8, hw_.buffers.at(o).word_bits);
  const std::int64_t id = backend_.issue(o, job.transfer_direction, job.transfer_bytes);
  if (job.transfer_direction == DmaDirection::read) {  // DRAM -> buffer: wait for it
    count(o, SramAccess::write, 0, words, js);
    js.dram_read_bytes += job.transfer_bytes;
    wait(id, &CycleBreakdown::load_stall, &js);
  } else {  // buffer -> DRAM: the final drain waits for it
    count(o, SramAccess::read, 0, words, js);
    js.dram_write_bytes += job.transfer_bytes;
    transfer_writes_.push_back(id);
  }
}

void TileSequencer::reconfigure_for(const PeMode& mode, JobStats& js) {
  if (have_mode_ && reconfigures(mode_, mode)) {
    const std::int64_t cycles = hw_.controller.reconfig_cycles;
    backend_.idle(cycles);
    stats_.causes.reconfig += cycles;
    js.causes.reconfig = cycles;
    ++stats_.reconfigurations;
  }
  have_mode_ = true;
  mode_ = mode;
}

// A tile's loads, A before B, each a DMA fill of the next half of its buffer.
TileSequencer::Loads TileSequencer::load(const Job& job, const Tile& t, JobStats& js) {
  Loads ids;
  if (t.load_a) {
    ids.a = backend_.issue(job.a_buffer, DmaDirection::read, t.a_bytes);
    const auto a = static_cast<std::size_t>(job.a_buffer);
    count(job.a_buffer, SramAccess::write, half_base(job.a_buffer, fills_[a]++ % 2), t.a_words, js);
    js.dram_read_bytes += t.a_bytes;
  }
  if (t.load_b) {
    ids.b = backend_.issue(job.b_buffer, DmaDirection::read, t.b_bytes);
    const auto b = static_cast<std::size_t>(job.b_buffer);
    count(job.b_buffer, SramAccess::write, half_base(job.b_buffer, fills_[b]++ % 2), t.b_words, js);
    js.dram_read_bytes += t.b_bytes;
  }
  return ids;
}

void TileSequencer::gemm(const Job& job) {
  JobResult& result = results_.emplace_back();
  JobPlan plan = plan_job(hw_, job);
  reconfigure_for(plan.mode, result.stats);
  result.mode = plan.mode;
  result.tiles = std::move(plan.tiles);
  const std::vector<Tile>& tiles = result.tiles.tiles;
  Loads loads = load(job, tiles.front(), result.stats);
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    wait(loads.a, &CycleBreakdown::load_stall, &result.stats);
    wait(loads.b, &CycleBreakdown::load_stall, &result.stats);
    // The output half this block writes was last used two blocks ago (in this run, any job).
    const std::size_t blocks_done = stores_.size();
    if (tiles[i].first_k && blocks_done >= 2) {
      wait(stores_[blocks_done - 2], &CycleBreakdown::store_stall, &result.stats);
    }
    if (i + 1 < tiles.size()) loads = load(job, tiles[i + 1], result.stats);
    compute(job, result.mode, tiles[i], result);
  }
}

void TileSequencer::compute(const Job& job, const PeMode& mode, const Tile& t, JobResult& result) {
  JobStats& js = result.stats;
  // The block's output half: block b = the blocks stored so far, in half b mod 2.
  const std::int64_t out_base = half_base(Operand::output, static_cast<std::int64_t>(stores_.size() % 2));
  const ArrayStats& s = backend_.compute(TileStep{job, mode, t, result});
  stats_.causes.compute += s.cycles - s.port_stall_cycles;
  stats_.causes.port_stall += s.port_stall_cycles;
  stats_.array += s;
  ++stats_.tiles;
  js.causes.compute += s.cycles - s.port_stall_cycles;
  js.causes.port_stall += s.port_stall_cycles;
  js.array += s;
  ++js.tiles;
  js.buffer(job.a_buffer).reads_words += s.a_read_words;  // per bank: the backend's
  js.buffer(job.b_buffer).reads_words += s.b_read_words;
  count(Operand::output, SramAccess::read, out_base, s.out_read_words, js);
  count(Operand::output, SramAccess::write, out_base, s.out_write_words, js);
  if (t.last_k) {
    count(Operand::output, SramAccess::read, out_base, t.c_words, js);
    stores_.push_back(backend_.issue(Operand::output, DmaDirection::write, t.c_bytes));
    js.dram_write_bytes += t.c_bytes;
  }
}

}  // namespace qtsim
