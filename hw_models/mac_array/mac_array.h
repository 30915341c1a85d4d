#pragma once
// MacArray: the SystemC module of the MAC array in reference mode.
//
// One SC_METHOD, on the rising clock edge, steps the whole R x C array in
// plain C++ (SystolicArray): a process per PE was measured 20-50x slower.
// The precision controller calls start() with a GEMM and its PE mode (the
// array's configuration for that precision) and waits for `done`. While idle
// the method waits for the start event instead of the clock, so an idle array
// costs no events. Signals for waveforms: busy, fold, active_pes.
#include <memory>

#include <systemc>

#include "hw_models/mac_array/systolic_array.h"

namespace qtsim {

class MacArray : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk;
  sc_core::sc_signal<bool> busy;
  sc_core::sc_signal<int> fold;
  sc_core::sc_signal<int> active_pes;
  sc_core::sc_event done;

  SC_HAS_PROCESS(MacArray);
  explicit MacArray(const sc_core::sc_module_name& name);

  // Reconfigures the array for `mode` on `array` and starts `operands`
  // (which must outlive the run); `done` fires after the GEMM's last cycle.
  // `onto_partial_sums` and `buffers`: see SystolicArray.
  void start(const MacArrayConfig& array, const PeMode& mode, const GemmOperands& operands,
             bool onto_partial_sums = false, EdgeBuffers buffers = EdgeBuffers{}, SramBuffer* a_sram = nullptr,
             SramBuffer* b_sram = nullptr);
  const SystolicArray& array() const { return *array_; }

 private:
  void on_clock();

  std::unique_ptr<SystolicArray> array_;
  sc_core::sc_event start_;
  bool armed_ = false;
};

}  // namespace qtsim
