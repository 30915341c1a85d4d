#pragma once
// `qtsim gemm`: one GEMM C (M x N) = A (M x K) * B (K x N) with A held at
// a_bits and B at b_bits, on the configured hardware (SCALE-Sim's GEMM mode).
// This layer validates the request and reports its workload figures (MACs,
// BitOPs, packed operand sizes); the hardware models add its cycle-level
// simulation.
#include <cstdint>
#include <ostream>
#include <string>

#include "hw_models/hardware_config.h"
#include "sim/config/json_node.h"

namespace qtsim {

struct GemmRequest {
  static constexpr std::int64_t kMaxDim = std::int64_t{1} << 31;
  std::int64_t m = 0, k = 0, n = 0;
  int a_bits = 8;
  int b_bits = 8;
};

// Throws Error naming the option (--m, --a-bits, ...), the value and the range.
void validate_gemm_request(const GemmRequest& request);

struct GemmFigures {
  std::int64_t macs = 0;
  std::int64_t bitops = 0;        // MACs x a_bits x b_bits
  std::int64_t a_bytes = 0;       // A packed at a_bits, rounded up to whole bytes
  std::int64_t b_bytes = 0;
  std::int64_t c_elements = 0;
};

GemmFigures gemm_figures(const GemmRequest& request);
Json gemm_report(const GemmRequest& request, const HardwareConfig& hardware);
// The figures as a short aligned table.
void print_gemm_report(const GemmRequest& request, const HardwareConfig& hardware, std::ostream& out);

}  // namespace qtsim
