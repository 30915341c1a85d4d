#include "hw_models/memory/memory_system.h"

namespace qtsim {

MemorySystem::MemorySystem(const sc_core::sc_module_name& name) : sc_core::sc_module(name), clk("clk"), busy("busy") {
  SC_METHOD(on_clock);
  sensitive << issued_;
  dont_initialize();
}

void MemorySystem::configure(const DramConfig& dram) { dma_ = std::make_unique<Dma>(dram); }

std::int64_t MemorySystem::issue(Operand operand, DmaDirection direction, std::int64_t bytes) {
  const std::int64_t id = dma_->issue(operand, direction, bytes);
  issued_.notify(sc_core::SC_ZERO_TIME);
  return id;
}

void MemorySystem::on_clock() {
  if (dma_->idle()) {
    armed_ = false;
    busy.write(false);
    next_trigger(issued_);
    return;
  }
  if (!armed_) {  // woken by an issue: serve from the next rising edge
    armed_ = true;
    busy.write(true);
    next_trigger(clk.posedge_event());
    return;
  }
  const std::int64_t before = dma_->stats().transfers;
  dma_->step();
  if (dma_->stats().transfers != before) transfer_done.notify(sc_core::SC_ZERO_TIME);
  next_trigger(clk.posedge_event());
}

}  // namespace qtsim
