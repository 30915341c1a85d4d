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

}  // namespace qtsim
