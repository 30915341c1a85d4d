#pragma once
// Memory-side configuration of the accelerator (docs/hardware_model.md): the
// per-operand SRAM buffers (`hardware.buffers`) and the DRAM channel behind the
// DMA engine (`hardware.dram`).
//
// Called by parse_hardware_config() when it reads a hardware section, and by
// whoever builds the memory models (SramBuffer, Dma, plan_tiles). Promises:
// every default is a member initialiser below and nowhere else; parsing goes
// through JsonNode, so unknown keys, wrong types and out-of-range values are
// qtsim::Error messages naming the key path, the value and what is expected;
// to_json() writes every key, and its output parses back to an equal struct.
#include <array>
#include <cstdint>
#include <string>

#include "base/json_node.h"

namespace qtsim {

// What a buffer or a DMA transfer holds. Activations, weights and gradients
// are GEMM operands; `output` is the partial-sum / output buffer.
enum class Operand { activation, weight, gradient, output };
inline constexpr std::array<Operand, 4> kOperands = {Operand::activation, Operand::weight, Operand::gradient,
                                                     Operand::output};
const char* to_string(Operand operand);  // "activation", "weight", "gradient", "output"

struct BufferConfig {
  std::int64_t capacity_bytes = 65536;  // at least one word; a partial last word is unused
  int banks = 4;                        // words interleave across banks (sram_buffer.h)
  int word_bits = 64;                   // in [8, 1024], a multiple of 8
  int ports = 1;                        // accesses per bank per cycle (reads and writes together)

  int word_bytes() const { return word_bits / 8; }
  std::int64_t capacity_words() const { return capacity_bytes / word_bytes(); }
  bool operator==(const BufferConfig& other) const;
};

struct BuffersConfig {
  BufferConfig activation, weight, gradient, output;

  const BufferConfig& at(Operand operand) const;
  BufferConfig& at(Operand operand);
  bool operator==(const BuffersConfig& other) const;
};

struct DramConfig {
  // Bytes the channel moves per cycle; may be fractional (0.5: one byte every
  // two cycles); at most 6 decimals, so that timing is exact (dma.h).
  double bandwidth_bytes_per_cycle = 16.0;
  std::int64_t latency_cycles = 100;  // from issue to the first data
  std::int64_t burst_bytes = 64;      // transfers are rounded up to whole bursts

  // The bandwidth in millionths of a byte per cycle (an exact integer).
  std::int64_t bandwidth_micro_bytes_per_cycle() const;
  bool operator==(const DramConfig& other) const;
};

// `node` is the value of the `buffers` key (an object whose four members are
// each optional) or of the `dram` key.
BuffersConfig parse_buffers_config(const JsonNode& node);
DramConfig parse_dram_config(const JsonNode& node);
Json to_json(const BufferConfig& config);
Json to_json(const BuffersConfig& config);
Json to_json(const DramConfig& config);

}  // namespace qtsim
