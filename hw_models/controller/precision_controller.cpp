#include "hw_models/controller/precision_controller.h"

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

// Adds a tile's partial sums to C, wrapping at the accumulator width.
void accumulate(std::vector<std::int64_t>& c, std::int64_t n, const Tile& t, const std::vector<std::int64_t>& part,
                int accumulator_bits) {
  const std::int64_t acc_min = -(std::int64_t{1} << (accumulator_bits - 1));
  const std::uint64_t span_mask = (std::uint64_t{1} << accumulator_bits) - 1;
  for (std::int64_t r = 0; r < t.m_len; ++r) {
    for (std::int64_t col = 0; col < t.n_len; ++col) {
      std::int64_t& out = c[(t.m0 + r) * n + t.n0 + col];
      const std::uint64_t sum = static_cast<std::uint64_t>(out) + static_cast<std::uint64_t>(part[r * t.n_len + col]);
      out = acc_min + static_cast<std::int64_t>((sum - static_cast<std::uint64_t>(acc_min)) & span_mask);
    }
  }
}

}  // namespace

PrecisionController::PrecisionController(const sc_core::sc_module_name& name, MacArray& array, MemorySystem& memory,
                                         const sc_core::sc_time& period)
    : sc_core::sc_module(name), clk("clk"), array_(array), memory_(memory), period_(period) {
  SC_THREAD(control);
}

void PrecisionController::run(const HardwareConfig& hardware, const std::vector<Job>& jobs) {
  hardware_ = &hardware;
  jobs_ = &jobs;
  command_.notify(sc_core::SC_ZERO_TIME);
}

void PrecisionController::control() {
  while (true) {
    sc_core::wait(command_);
    memory_.configure(hardware_->dram);
    srams_.clear();
    for (Operand o : kOperands) srams_[o] = std::make_unique<SramBuffer>(hardware_->buffers.at(o));
    TileSequencer<PrecisionController> sequencer(*hardware_, *this);
    sequencer.run(*jobs_);
    stats_ = std::move(sequencer.stats());
    for (const auto& [operand, sram] : srams_) stats_.buffers[operand] = sram->stats();
    results_ = std::move(sequencer.results());
    finished.notify(sc_core::SC_ZERO_TIME);
  }
}

std::int64_t PrecisionController::now() const { return static_cast<std::int64_t>(sc_core::sc_time_stamp() / period_); }

std::int64_t PrecisionController::issue(Operand buffer, DmaDirection direction, std::int64_t bytes) {
  return memory_.issue(buffer, direction, bytes);
}

void PrecisionController::wait_for(std::int64_t transfer) {
  while (transfer != kNoTransfer && !memory_.done(transfer)) sc_core::wait(memory_.transfer_done);
}

void PrecisionController::idle(std::int64_t cycles) {
  for (std::int64_t c = 0; c < cycles; ++c) sc_core::wait(clk->posedge_event());
}

void PrecisionController::count_words(Operand buffer, SramAccess kind, std::int64_t address, std::int64_t words) {
  srams_.at(buffer)->count_words(kind, address, words);
}

const ArrayStats& PrecisionController::compute(const TileStep& step) {
  const HardwareConfig& hw = *hardware_;
  const Job& job = step.job;
  const Tile& t = step.tile;
  const GemmOperands& ops = *job.values;
  GemmOperands sub;
  sub.dims = {t.m_len, t.k_len, t.n_len};
  sub.a_bits = job.a_bits;
  sub.b_bits = job.b_bits;
  sub.a = block(ops.a, ops.dims.k, t.m0, t.m_len, t.k0, t.k_len);
  sub.b = block(ops.b, ops.dims.n, t.k0, t.k_len, t.n0, t.n_len);
  const EdgeBuffers edges{hw.buffers.at(job.a_buffer).word_bits, hw.buffers.at(job.b_buffer).word_bits,
                          hw.buffers.at(Operand::output).word_bits};
  array_.start(hw.mac_array, step.mode, sub, !t.first_k, edges, srams_.at(job.a_buffer).get(),
               srams_.at(job.b_buffer).get());
  sc_core::wait(array_.done);
  std::vector<std::int64_t>& c = step.result.c;
  if (c.empty()) c.assign(static_cast<std::size_t>(ops.dims.m * ops.dims.n), 0);
  accumulate(c, ops.dims.n, t, array_.array().result(), hw.mac_array.accumulator_bits);
  return array_.array().stats();
}

}  // namespace qtsim
