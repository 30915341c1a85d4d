#include "sim/reference/reference_top.h"

#include <memory>

#include <systemc>

#include "hw_models/mac_array/mac_array.h"
#include "sim/common/error.h"

namespace qtsim {
namespace {

// The elaborated top: a clock of 1 ns per cycle, the MAC array, and the
// controller thread that runs one posted GEMM and pauses the kernel.
class ReferenceTop : public sc_core::sc_module {
 public:
  sc_core::sc_clock clock;
  MacArray mac_array;

  SC_HAS_PROCESS(ReferenceTop);
  explicit ReferenceTop(const sc_core::sc_module_name& name)
      : sc_core::sc_module(name), clock("clock", 1, sc_core::SC_NS), mac_array("mac_array") {
    mac_array.clk(clock);
    SC_THREAD(control);
  }

  void post(const HardwareConfig* hardware, const PeMode* mode, const GemmOperands* operands) {
    hardware_ = hardware;
    mode_ = mode;
    operands_ = operands;
    command_.notify(sc_core::SC_ZERO_TIME);
  }

 private:
  void control() {
    while (true) {
      sc_core::wait(command_);
      mac_array.start(hardware_->mac_array, *mode_, *operands_);
      sc_core::wait(mac_array.done);
      sc_core::sc_pause();
    }
  }

  const HardwareConfig* hardware_ = nullptr;
  const PeMode* mode_ = nullptr;
  const GemmOperands* operands_ = nullptr;
  sc_core::sc_event command_;
};

ReferenceTop& top(const ReferenceOptions& options) {
  static std::unique_ptr<ReferenceTop> instance;
  static sc_core::sc_trace_file* trace = nullptr;
  if (!instance) {
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    instance = std::make_unique<ReferenceTop>("qtsim");
    if (!options.vcd_path.empty()) {
      std::string base = options.vcd_path;
      if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0) base.resize(base.size() - 4);
      trace = sc_core::sc_create_vcd_trace_file(base.c_str());
      trace->set_time_unit(1, sc_core::SC_NS);
      sc_core::sc_trace(trace, instance->clock, "clock");
      sc_core::sc_trace(trace, instance->mac_array.busy, "mac_array.busy");
      sc_core::sc_trace(trace, instance->mac_array.fold, "mac_array.fold");
      sc_core::sc_trace(trace, instance->mac_array.active_pes, "mac_array.active_pes");
      std::atexit([] { sc_core::sc_close_vcd_trace_file(trace); });
    }
    // Initialise the kernel: every thread runs up to its first wait, so the
    // controller is waiting for its first command before one is posted.
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
  } else if (!options.vcd_path.empty()) {
    throw Error("--vcd: a waveform can only be recorded for the first reference simulation of a process");
  }
  return *instance;
}

}  // namespace

GemmSimulation simulate_gemm(const HardwareConfig& hardware, const GemmOperands& operands,
                             const ReferenceOptions& options) {
  GemmSimulation sim;
  sim.mode = pe_mode(hardware.mac_array, operands.a_bits, operands.b_bits);
  ReferenceTop& t = top(options);
  t.post(&hardware, &sim.mode, &operands);
  sc_core::sc_start();
  const SystolicArray& array = t.mac_array.array();
  sim.array = array.stats();
  sim.cycles = array.stats().cycles;
  sim.result = array.result();
  return sim;
}

}  // namespace qtsim
