#include "sim/reference/reference_top.h"

#include <memory>
#include <stdexcept>

#include <systemc>

#include "base/error.h"
#include "hw_models/controller/precision_controller.h"
#include "hw_models/mac_array/mac_array.h"
#include "hw_models/memory/memory_system.h"

namespace qtsim {
namespace {

// The elaborated top: a clock of 1 ns per cycle, the MAC array, the memory
// system, the precision controller, and a thread that pauses the kernel when
// the controller has finished a posted run. Binding in one place, here.
class ReferenceTop : public sc_core::sc_module {
 public:
  sc_core::sc_clock clock;
  MacArray mac_array;
  MemorySystem memory;
  PrecisionController controller;

  SC_HAS_PROCESS(ReferenceTop);
  explicit ReferenceTop(const sc_core::sc_module_name& name)
      : sc_core::sc_module(name),
        clock("clock", 1, sc_core::SC_NS),
        mac_array("mac_array"),
        memory("memory"),
        controller("controller", mac_array, memory, sc_core::sc_time(1, sc_core::SC_NS)) {
    mac_array.clk(clock);
    memory.clk(clock);
    controller.clk(clock);
    SC_THREAD(pause_when_finished);
  }

 private:
  void pause_when_finished() {
    while (true) {
      sc_core::wait(controller.finished);
      sc_core::sc_pause();
    }
  }
};

sc_core::sc_trace_file* waveform = nullptr;

ReferenceTop& top(const ReferenceOptions& options) {
  static std::unique_ptr<ReferenceTop> instance;
  if (!instance) {
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    instance = std::make_unique<ReferenceTop>("qtsim");
    if (!options.vcd_path.empty()) {
      std::string base = options.vcd_path;
      if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0) base.resize(base.size() - 4);
      waveform = sc_core::sc_create_vcd_trace_file(base.c_str());
      sc_core::sc_trace_file* trace = waveform;
      trace->set_time_unit(1, sc_core::SC_NS);
      sc_core::sc_trace(trace, instance->clock, "clock");
      sc_core::sc_trace(trace, instance->mac_array.busy, "mac_array.busy");
      sc_core::sc_trace(trace, instance->mac_array.fold, "mac_array.fold");
      sc_core::sc_trace(trace, instance->mac_array.active_pes, "mac_array.active_pes");
      sc_core::sc_trace(trace, instance->memory.busy, "memory.busy");
      std::atexit(close_waveform);
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

void close_waveform() {
  if (waveform == nullptr) return;
  sc_core::sc_close_vcd_trace_file(waveform);
  waveform = nullptr;
}

JobsSimulation simulate_jobs(const HardwareConfig& hardware, const std::vector<Job>& jobs,
                             const ReferenceOptions& options) {
  // Configuration errors (a width the PE kind cannot run, buffers too small
  // for one tile) are raised here, outside the kernel.
  for (const Job& job : jobs) {
    if (!job.is_gemm()) continue;
    if (job.values == nullptr) throw std::logic_error("simulate_jobs: a GEMM without operand values");
    plan_job(hardware, job);
  }
  ReferenceTop& t = top(options);
  t.controller.run(hardware, jobs);
  sc_core::sc_start();
  return JobsSimulation{t.controller.results(), t.controller.stats(), t.memory.stats()};
}

GemmSimulation simulate_gemm(const HardwareConfig& hardware, const GemmOperands& operands,
                             const ReferenceOptions& options) {
  JobsSimulation run = simulate_jobs(hardware, {Job::gemm(operands, Operand::activation, Operand::weight)}, options);
  GemmSimulation sim;
  sim.mode = run.jobs.front().mode;
  sim.tiles = run.jobs.front().tiles;
  sim.result = run.jobs.front().c;
  sim.controller = run.controller;
  sim.dma = run.dma;
  return sim;
}

}  // namespace qtsim
