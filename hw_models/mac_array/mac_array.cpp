#include "hw_models/mac_array/mac_array.h"

namespace qtsim {

MacArray::MacArray(const sc_core::sc_module_name& name)
    : sc_core::sc_module(name), clk("clk"), busy("busy"), fold("fold"), active_pes("active_pes") {
  SC_METHOD(on_clock);
  sensitive << start_;
  dont_initialize();
}

void MacArray::start(const MacArrayConfig& array, const PeMode& mode, const GemmOperands& operands,
                     bool onto_partial_sums, EdgeBuffers buffers, SramBuffer* a_sram, SramBuffer* b_sram) {
  // A new precision mode or design builds the array afresh; the tiles of one
  // GEMM reuse it (start() resets every register).
  if (!array_ || !array_->same_setup(array, mode, array.accumulator_bits, buffers)) {
    array_ = std::make_unique<SystolicArray>(array, mode, array.accumulator_bits, buffers);
  }
  const bool attach = a_sram && b_sram;
  array_->attach_buffers(attach ? a_sram : nullptr, attach ? b_sram : nullptr);
  array_->start(operands, onto_partial_sums);
  armed_ = false;
  start_.notify(sc_core::SC_ZERO_TIME);
}

void MacArray::on_clock() {
  if (!array_ || !array_->busy()) {
    next_trigger(start_);
    return;
  }
  if (!armed_) {  // woken by start(): the GEMM's first cycle is the next rising edge
    armed_ = true;
    busy.write(true);
    next_trigger(clk.posedge_event());
    return;
  }
  const bool running = array_->step();
  fold.write(static_cast<int>(array_->current_fold()));
  active_pes.write(array_->active_pes());
  if (running) {
    next_trigger(clk.posedge_event());
    return;
  }
  busy.write(false);
  active_pes.write(0);
  done.notify(sc_core::SC_ZERO_TIME);
  next_trigger(start_);
}

}  // namespace qtsim
