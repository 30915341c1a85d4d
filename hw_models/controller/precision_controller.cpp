#include "hw_models/controller/precision_controller.h"

#include <algorithm>

#include "sim/common/error.h"

namespace qtsim {
namespace {

// The tile's block of an operand matrix (row-major, `cols` wide).
std::vector<std::int32_t> block(const std::vector<std::int32_t>& matrix, std::int64_t cols, std::int64_t row0,
                                std::int64_t rows, std::int64_t col0, std::int64_t width) {
  std::vector<std::int32_t> out;
  out.reserve(static_cast<std::size_t>(rows * width));
  for (std::int64_t r = 0; r < rows; ++r) {
    const auto* begin = &matrix[(row0 + r) * cols + col0];
    out.insert(out.end(), begin, begin + width);
  }
  return out;
}

}  // namespace

GemmJob GemmJob::transfer(Operand operand, DmaDirection direction, std::int64_t bytes) {
  if (bytes < 1) throw Error("GemmJob::transfer: bytes must be >= 1, got " + std::to_string(bytes));
  GemmJob job;
  job.kind = Kind::transfer;
  job.transfer_operand = operand;
  job.transfer_direction = direction;
  job.transfer_bytes = bytes;
  return job;
}

PrecisionController::PrecisionController(const sc_core::sc_module_name& name, MacArray& array, MemorySystem& memory,
                                         const sc_core::sc_time& period)
    : sc_core::sc_module(name), clk("clk"), array_(array), memory_(memory), period_(period) {
  SC_THREAD(control);
}

void PrecisionController::run(const HardwareConfig& hardware, const std::vector<GemmJob>& jobs) {
  hardware_ = &hardware;
  jobs_ = &jobs;
  command_.notify(sc_core::SC_ZERO_TIME);
}

std::int64_t PrecisionController::now_cycles() const {
  return static_cast<std::int64_t>(sc_core::sc_time_stamp() / period_);
}

void PrecisionController::wait_for(std::int64_t transfer, std::int64_t* stall, std::int64_t* job_stall) {
  const std::int64_t start = now_cycles();
  while (transfer >= 0 && !memory_.done(transfer)) sc_core::wait(memory_.transfer_done);
  *stall += now_cycles() - start;
  if (job_stall) *job_stall += now_cycles() - start;
}

void PrecisionController::count_words(Operand buffer, SramAccess kind, std::int64_t address, std::int64_t words,
                                      JobStats& job) {
  srams_.at(buffer)->count_words(kind, address, words);
  BufferWords& b = job.buffer(buffer);
  (kind == SramAccess::read ? b.reads_words : b.writes_words) += words;
}

std::int64_t PrecisionController::half_base(Operand buffer, std::int64_t half) const {
  return half * (srams_.at(buffer)->capacity_words() / 2);
}

void PrecisionController::control() {
  while (true) {
    sc_core::wait(command_);
    stats_ = ControllerStats{};
    results_.clear();
    have_mode_ = false;
    stores_.clear();
    transfer_writes_.clear();
    fills_.clear();
    memory_.configure(hardware_->dram);
    srams_.clear();
    for (Operand o : kOperands) srams_[o] = std::make_unique<SramBuffer>(hardware_->buffers.at(o));
    const std::int64_t start = now_cycles();
    VectorUnit vector_unit(hardware_->vector_unit);
    for (const GemmJob& job : *jobs_) {
      if (job.is_gemm()) {
        run_job(job);
        continue;
      }
      if (job.is_transfer()) {
        run_transfer(job);
        continue;
      }
      const std::int64_t cycles = vector_unit.run(job.vector_op, job.vector_elements);
      for (std::int64_t c = 0; c < cycles; ++c) sc_core::wait(clk->posedge_event());
      stats_.vector_cycles += cycles;
      results_.emplace_back().stats.vector_cycles = cycles;
    }
    stats_.vector_ops = vector_unit.stats();
    for (const auto& [operand, sram] : srams_) stats_.buffers[operand] = sram->stats();
    for (std::int64_t store : stores_) wait_for(store, &stats_.store_drain_cycles);
    for (std::int64_t write : transfer_writes_) wait_for(write, &stats_.store_drain_cycles);
    stats_.cycles = now_cycles() - start;
    finished.notify(sc_core::SC_ZERO_TIME);
  }
}

void PrecisionController::run_transfer(const GemmJob& job) {
  JobResult result;
  JobStats& js = result.stats;
  const Operand o = job.transfer_operand;
  const std::int64_t words = SramBuffer::words_for(job.transfer_bytes, 8, srams_.at(o)->config().word_bits);
  const std::int64_t id = memory_.issue(o, job.transfer_direction, job.transfer_bytes);
  if (job.transfer_direction == DmaDirection::read) {  // DRAM -> buffer: wait for it
    count_words(o, SramAccess::write, 0, words, js);
    js.dram_read_bytes += job.transfer_bytes;
    wait_for(id, &stats_.load_stall_cycles, &js.load_stall_cycles);
  } else {  // buffer -> DRAM: the final drain waits for it
    count_words(o, SramAccess::read, 0, words, js);
    js.dram_write_bytes += job.transfer_bytes;
    transfer_writes_.push_back(id);
  }
  results_.push_back(std::move(result));
}

void PrecisionController::run_job(const GemmJob& job) {
  const HardwareConfig& hw = *hardware_;
  const GemmOperands& ops = *job.operands;
  const PeMode mode = pe_mode(hw.mac_array, ops.a_bits, ops.b_bits);
  JobResult result;
  JobStats& js = result.stats;
  if (have_mode_ && (mode.a_run_bits != mode_.a_run_bits || mode.b_run_bits != mode_.b_run_bits)) {
    for (std::int64_t c = 0; c < hw.controller.reconfig_cycles; ++c) sc_core::wait(clk->posedge_event());
    stats_.reconfig_cycles += hw.controller.reconfig_cycles;
    js.reconfig_cycles = hw.controller.reconfig_cycles;
    ++stats_.reconfigurations;
  }
  have_mode_ = true;
  mode_ = mode;

  const MacArrayConfig& a = hw.mac_array;
  result.mode = mode;
  result.tiles = plan_tiles(a.dataflow, ops.dims, ops.a_bits, ops.b_bits, a.accumulator_bits,
                            named_buffer(hw.buffers, job.a_buffer), named_buffer(hw.buffers, job.b_buffer),
                            named_buffer(hw.buffers, Operand::output), a.rows, a.cols, mode.pack);
  result.c.assign(static_cast<std::size_t>(ops.dims.m * ops.dims.n), 0);
  const std::vector<Tile>& tiles = result.tiles.tiles;
  const EdgeBuffers edges{hw.buffers.at(job.a_buffer).word_bits, hw.buffers.at(job.b_buffer).word_bits,
                          hw.buffers.at(Operand::output).word_bits};
  // A DMA fill writes the tile part into the next half of its buffer.
  auto fill = [&](Operand buffer, std::int64_t words) {
    count_words(buffer, SramAccess::write, half_base(buffer, fills_[buffer]++ % 2), words, js);
  };
  auto load = [&](const Tile& t) {
    std::pair<std::int64_t, std::int64_t> ids{-1, -1};
    if (t.load_a) {
      ids.first = memory_.issue(job.a_buffer, DmaDirection::read, t.a_bytes);
      fill(job.a_buffer, t.a_words);
    }
    if (t.load_b) {
      ids.second = memory_.issue(job.b_buffer, DmaDirection::read, t.b_bytes);
      fill(job.b_buffer, t.b_words);
    }
    js.dram_read_bytes += (t.load_a ? t.a_bytes : 0) + (t.load_b ? t.b_bytes : 0);
    return ids;
  };
  auto loads = load(tiles.front());
  const std::int64_t acc_min = -(std::int64_t{1} << (a.accumulator_bits - 1));
  const std::uint64_t span_mask = (std::uint64_t{1} << a.accumulator_bits) - 1;
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    const Tile& t = tiles[i];
    wait_for(loads.first, &stats_.load_stall_cycles, &js.load_stall_cycles);
    wait_for(loads.second, &stats_.load_stall_cycles, &js.load_stall_cycles);
    // The output half this block writes was last used two blocks ago.
    const std::size_t blocks_done = stores_.size();
    if (t.first_k && blocks_done >= 2) wait_for(stores_[blocks_done - 2], &stats_.store_stall_cycles, &js.store_stall_cycles);
    if (i + 1 < tiles.size()) loads = load(tiles[i + 1]);

    GemmOperands sub;
    sub.dims = {t.m_len, t.k_len, t.n_len};
    sub.a_bits = ops.a_bits;
    sub.b_bits = ops.b_bits;
    sub.a = block(ops.a, ops.dims.k, t.m0, t.m_len, t.k0, t.k_len);
    sub.b = block(ops.b, ops.dims.n, t.k0, t.k_len, t.n0, t.n_len);
    array_.start(a, mode, sub, !t.first_k, edges, srams_.at(job.a_buffer).get(), srams_.at(job.b_buffer).get());
    sc_core::wait(array_.done);
    const SystolicArray& done = array_.array();
    stats_.compute_cycles += done.stats().cycles - done.stats().port_stall_cycles;
    stats_.port_stall_cycles += done.stats().port_stall_cycles;
    stats_.array += done.stats();
    ++stats_.tiles;
    js.compute_cycles += done.stats().cycles - done.stats().port_stall_cycles;
    js.port_stall_cycles += done.stats().port_stall_cycles;
    js.array += done.stats();
    ++js.tiles;
    js.buffer(job.a_buffer).reads_words += done.stats().a_read_words;  // per bank in the SramBuffer already
    js.buffer(job.b_buffer).reads_words += done.stats().b_read_words;
    // The block's output half: block b = blocks_done, in half b mod 2.
    const std::int64_t out_base = half_base(Operand::output, static_cast<std::int64_t>(blocks_done % 2));
    count_words(Operand::output, SramAccess::read, out_base, done.stats().out_read_words, js);
    count_words(Operand::output, SramAccess::write, out_base, done.stats().out_write_words, js);
    // Partial sums of K tiles accumulate in the output buffer, wrapping at the accumulator width.
    for (std::int64_t r = 0; r < t.m_len; ++r) {
      for (std::int64_t c = 0; c < t.n_len; ++c) {
        std::int64_t& out = result.c[(t.m0 + r) * ops.dims.n + t.n0 + c];
        const std::uint64_t sum = static_cast<std::uint64_t>(out) + static_cast<std::uint64_t>(done.result()[r * t.n_len + c]);
        out = acc_min + static_cast<std::int64_t>((sum - static_cast<std::uint64_t>(acc_min)) & span_mask);
      }
    }
    if (t.last_k) {
      count_words(Operand::output, SramAccess::read, out_base, t.c_words, js);
      stores_.push_back(memory_.issue(Operand::output, DmaDirection::write, t.c_bytes));
      js.dram_write_bytes += t.c_bytes;
    }
  }
  results_.push_back(std::move(result));
}

}  // namespace qtsim
