#include "hw_models/controller/tile_sequencer.h"

#include "base/error.h"

namespace qtsim {

std::int64_t compulsory_bytes(const Job& gemm, int accumulator_bits) {
  const auto packed = [](std::int64_t values, int bits) { return (values * bits + 7) / 8; };
  const TensorGemm& t = gemm.tensors;
  return packed(t.a_values(), gemm.a_bits) + packed(t.b_values(), gemm.b_bits) + packed(t.c_values(), accumulator_bits);
}

GemmStorage gemm_storage(const HardwareConfig& hardware, const Job& gemm, const PeMode& mode) {
  const MacArrayConfig& a = hardware.mac_array;
  GemmStorage storage =
      gemm_storage(hardware.buffers, gemm.a_buffer, gemm.b_buffer, gemm.a_bits, gemm.b_bits, a.accumulator_bits);
  const bool os = a.dataflow == Dataflow::os;
  storage.m_unit = os ? a.rows : 1;
  storage.k_unit = os ? mode.pack : std::int64_t{a.rows} * mode.pack;
  storage.n_unit = a.cols;
  return storage;
}

JobPlan plan_job(const HardwareConfig& hardware, const Job& gemm, MappingMemo* memo) {
  JobPlan plan;
  plan.mode = pe_mode(hardware.mac_array, gemm.a_bits, gemm.b_bits);
  const GemmStorage storage = gemm_storage(hardware, gemm, plan.mode);
  if (!gemm.mapping) {
    if (!memo) {
      plan.tiles = plan_tiles(gemm.tensors, map_gemm(gemm.tensors, storage), storage);
      return plan;
    }
    const GemmKey key = gemm_key(gemm);
    auto found = memo->find(key);
    if (found == memo->end()) found = memo->emplace(key, map_gemm(gemm.tensors, storage)).first;
    plan.tiles = plan_tiles(gemm.tensors, found->second, storage);
    return plan;
  }
  const Mapping m = normalise_mapping(gemm.tensors, *gemm.mapping);
  if (!fits(gemm.tensors, storage, m)) {
    const GemmDims d = gemm.tensors.dims();
    throw Error(gemm.mapping_source + ": the mapping " + to_string(m) + " does not fit the buffers' halves for the " +
                to_string(gemm.tensors.form) + " GEMM " + std::to_string(d.m) + " x " + std::to_string(d.k) + " x " +
                std::to_string(d.n) + " at " + std::to_string(gemm.a_bits) + " x " + std::to_string(gemm.b_bits) +
                " bits; expected smaller tiles or larger buffers");
  }
  plan.tiles = plan_tiles(gemm.tensors, m, storage);
  return plan;
}

}  // namespace qtsim
