#pragma once
// FastJob: one item of work for fast mode (sim/fast/README.md): a GEMM given
// by its shape, bit widths and operand buffers, a vector operation, or a DMA
// transfer between DRAM and one operand's buffer. It is
// GemmJob (hw_models/controller/precision_controller.h) without operand
// values, which fast mode does not need: every statistic it reports is a
// function of shapes, widths and the hardware alone.
#include <cstdint>
#include <string>

#include "hw_models/controller/precision_controller.h"

namespace qtsim {

struct FastJob {
  enum class Kind { gemm, vector, transfer };
  Kind kind = Kind::gemm;
  GemmDims dims;  // C (M x N) = A (M x K) B (K x N)
  int a_bits = 8, b_bits = 8;
  Operand a_buffer = Operand::activation;  // activation or gradient
  Operand b_buffer = Operand::weight;      // weight or activation
  std::string vector_op;
  std::int64_t vector_elements = 0;
  Operand transfer_operand = Operand::activation;
  DmaDirection transfer_direction = DmaDirection::read;
  std::int64_t transfer_bytes = 0;
  bool is_gemm() const { return kind == Kind::gemm; }
  bool is_vector() const { return kind == Kind::vector; }
  bool is_transfer() const { return kind == Kind::transfer; }

  static FastJob gemm(const GemmDims& dims, int a_bits, int b_bits, Operand a_buffer, Operand b_buffer);
  static FastJob vector(std::string op, std::int64_t elements);
  // As GemmJob::transfer: `bytes` >= 1 (else an Error).
  static FastJob transfer(Operand operand, DmaDirection direction, std::int64_t bytes);
  // The same work as a reference-mode job (its operand values dropped).
  static FastJob from(const GemmJob& job);
};

}  // namespace qtsim
