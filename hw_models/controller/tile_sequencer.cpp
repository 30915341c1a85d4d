#include "hw_models/controller/tile_sequencer.h"

namespace qtsim {

std::int64_t compulsory_bytes(const Job& gemm, int accumulator_bits) {
  const auto packed = [](std::int64_t values, int bits) { return (values * bits + 7) / 8; };
  const TensorGemm& t = gemm.tensors;
  return packed(t.a_values(), gemm.a_bits) + packed(t.b_values(), gemm.b_bits) + packed(t.c_values(), accumulator_bits);
}

JobPlan plan_job(const HardwareConfig& hardware, const Job& gemm) {
  const MacArrayConfig& a = hardware.mac_array;
  JobPlan plan;
  plan.mode = pe_mode(a, gemm.a_bits, gemm.b_bits);
  GemmStorage storage =
      gemm_storage(hardware.buffers, gemm.a_buffer, gemm.b_buffer, gemm.a_bits, gemm.b_bits, a.accumulator_bits);
  // The array's units: os M on rows, K packed per lane, N on columns; ws K on rows x pack.
  const bool os = a.dataflow == Dataflow::os;
  storage.m_unit = os ? a.rows : 1;
  storage.k_unit = os ? plan.mode.pack : std::int64_t{a.rows} * plan.mode.pack;
  storage.n_unit = a.cols;
  plan.tiles = plan_tiles(gemm.tensors, map_gemm(gemm.tensors, storage), storage);
  return plan;
}

}  // namespace qtsim
