#pragma once
// MemorySystem: the SystemC module of the DMA engine and its DRAM channel in
// reference mode. The precision controller issues transfers; one SC_METHOD
// steps the Dma (plain C++, dma.h) on every rising clock edge while a
// transfer is in flight, and notifies `transfer_done` when one completes.
// While idle it waits for the next issue, costing no events.
#include <memory>

#include <systemc>

#include "hw_models/memory/dma.h"

namespace qtsim {

class MemorySystem : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk;
  sc_core::sc_signal<bool> busy;
  sc_core::sc_event transfer_done;

  SC_HAS_PROCESS(MemorySystem);
  explicit MemorySystem(const sc_core::sc_module_name& name);

  // A fresh channel for `dram` (statistics start from zero).
  void configure(const DramConfig& dram);
  // A transfer issued during cycle t starts being served at the next edge; it
  // is done transfer_cycles later when alone (dma.h).
  std::int64_t issue(Operand operand, DmaDirection direction, std::int64_t bytes);
  bool done(std::int64_t id) const { return dma_->done(id); }
  const DmaStats& stats() const { return dma_->stats(); }

 private:
  void on_clock();

  std::unique_ptr<Dma> dma_;
  sc_core::sc_event issued_;
  bool armed_ = false;
};

}  // namespace qtsim
