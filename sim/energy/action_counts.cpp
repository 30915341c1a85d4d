#include "sim/energy/action_counts.h"

#include <stdexcept>

#include "hw_models/memory/dma.h"

namespace qtsim {

std::string MacMode::label() const {
  std::string requested = std::to_string(a_bits) + "x" + std::to_string(b_bits);
  if (a_run_bits == a_bits && b_run_bits == b_bits) return requested;
  return requested + " (run " + std::to_string(a_run_bits) + "x" + std::to_string(b_run_bits) + ")";
}

MacMode mac_mode(const MacArrayConfig& array, const PeMode& mode) {
  MacMode m;
  m.pe_kind = to_string(array.pe_kind);
  m.a_bits = mode.a_bits;
  m.b_bits = mode.b_bits;
  m.a_run_bits = mode.a_run_bits;
  m.b_run_bits = mode.b_run_bits;
  m.a_chunk_bits = mode.a_chunk_bits;
  m.b_chunk_bits = mode.b_chunk_bits;
  m.pack = mode.pack;
  return m;
}

MacModeCounts& MacModeCounts::operator+=(const MacModeCounts& o) {
  pe_active_cycles += o.pe_active_cycles;
  macs += o.macs;
  executed_macs += o.executed_macs;
  return *this;
}

ActionCounts& ActionCounts::operator+=(const ActionCounts& o) {
  for (const auto& [mode, counts] : o.mac_modes) mac_modes[mode] += counts;
  edge_register_bits += o.edge_register_bits;
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    buffers[i].read_words += o.buffers[i].read_words;
    buffers[i].write_words += o.buffers[i].write_words;
  }
  dram_read_bytes += o.dram_read_bytes;
  dram_write_bytes += o.dram_write_bytes;
  for (const auto& [op, counts] : o.vector_ops) {
    vector_ops[op].operations += counts.operations;
    vector_ops[op].elements += counts.elements;
  }
  reconfigurations += o.reconfigurations;
  cycles += o.cycles;
  return *this;
}

std::int64_t ActionCounts::macs() const {
  std::int64_t total = 0;
  for (const auto& [mode, counts] : mac_modes) total += counts.macs;
  return total;
}

std::int64_t ActionCounts::executed_macs() const {
  std::int64_t total = 0;
  for (const auto& [mode, counts] : mac_modes) total += counts.executed_macs;
  return total;
}

std::int64_t ActionCounts::pe_active_cycles() const {
  std::int64_t total = 0;
  for (const auto& [mode, counts] : mac_modes) total += counts.pe_active_cycles;
  return total;
}

ActionCounts job_actions(const HardwareConfig& hardware, const Job& job, const JobResult& result, bool reconfigured) {
  ActionCounts c;
  const JobStats& js = result.stats;
  c.cycles = js.cycles();
  // SRAM words: exactly those the timing model counted in the buffers for this
  // job (edge reads, output writes and read-backs, DMA fills, store reads,
  // transfers), so each word is priced once.
  for (Operand o : kOperands) {
    c.buffer(o).read_words = js.buffer(o).reads_words;
    c.buffer(o).write_words = js.buffer(o).writes_words;
  }
  if (job.is_vector()) {
    VectorOpCounts& v = c.vector_ops[job.vector_op];
    v.operations = 1;
    v.elements = job.vector_elements;
    return c;
  }
  if (job.is_transfer()) {
    const std::int64_t burst = Dma::burst_bytes_for(hardware.dram, job.transfer_bytes);
    (job.transfer_direction == DmaDirection::read ? c.dram_read_bytes : c.dram_write_bytes) += burst;
    return c;
  }
  const MacArrayConfig& array = hardware.mac_array;
  const PeMode& mode = result.mode;
  const ArrayStats& s = js.array;
  MacModeCounts& m = c.mac_modes[mac_mode(array, mode)];
  m.pe_active_cycles = s.pe_active_cycles;
  m.macs = s.macs;
  m.executed_macs = s.pe_active_cycles * mode.pack;
  // An element of A carries `pack` chunks of a_chunk_bits; one of B likewise,
  // except a ws weight element, which holds every chunk of its `pack` weights.
  const std::int64_t a_element_bits = std::int64_t{mode.pack} * mode.a_chunk_bits;
  const std::int64_t b_element_bits =
      std::int64_t{mode.pack} * mode.b_chunk_bits * (array.dataflow == Dataflow::ws ? mode.b_chunks : 1);
  c.edge_register_bits = s.a_read_elements * a_element_bits + s.b_read_elements * b_element_bits;

  for (const Tile& t : result.tiles.tiles) {
    if (t.load_a) c.dram_read_bytes += Dma::burst_bytes_for(hardware.dram, t.a_bytes);
    if (t.load_b) c.dram_read_bytes += Dma::burst_bytes_for(hardware.dram, t.b_bytes);
    if (t.last_k) c.dram_write_bytes += Dma::burst_bytes_for(hardware.dram, t.c_bytes);
  }
  c.reconfigurations = reconfigured ? 1 : 0;
  return c;
}

ActionCounts run_actions(const HardwareConfig& hardware, const std::vector<Job>& jobs,
                         const std::vector<JobResult>& results, const ControllerStats& stats) {
  if (jobs.size() != results.size()) throw std::logic_error("run_actions: one result per job expected");
  ActionCounts total;
  const PeMode* previous = nullptr;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    bool reconfigured = false;
    if (jobs[i].is_gemm()) {
      reconfigured = previous && reconfigures(*previous, results[i].mode);
      previous = &results[i].mode;
    }
    total += job_actions(hardware, jobs[i], results[i], reconfigured);
  }
  total.cycles += stats.causes.store_drain;
  return total;
}

}  // namespace qtsim
