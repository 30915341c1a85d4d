#pragma once
// Job: one item of work for the precision controller, in either mode
// (docs/hardware_model.md, "Controller"): a GEMM given by its shape, bit widths
// and operand buffers; a vector operation on the vector unit; or a DMA
// transfer of useful bytes between DRAM and one operand's buffer (the
// replay's activation stash, master weights and gradients). Every statistic
// is a function of these fields and the hardware alone; reference mode also
// carries a GEMM's operand values (`values`) to run the array's datapath and
// check its result, fast mode leaves them out.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "hw_models/config/memory_config.h"
#include "hw_models/mac_array/systolic_array.h"
#include "hw_models/memory/dma.h"
#include "hw_models/memory/mapper.h"
#include "hw_models/memory/tensor_gemm.h"

namespace qtsim {

struct Job {
  enum class Kind { gemm, vector, transfer };
  Kind kind = Kind::gemm;
  // A GEMM: C (M x N) = A (M x K) B (K x N), dims == tensors.dims(): the
  // tensors its operands are (tensor_gemm.h; a plain GEMM: a 1 x 1 conv).
  GemmDims dims;
  TensorGemm tensors;
  int a_bits = 8, b_bits = 8;
  Operand a_buffer = Operand::activation;  // activation or gradient
  Operand b_buffer = Operand::weight;      // weight or activation
  const GemmOperands* values = nullptr;    // reference mode only; must outlive the run
  // A mapping fixed from outside the controller (a pin, or a choice under an
  // objective other than dram_bytes), normalised by normalise_mapping();
  // none: the mapper's choice (map_gemm). `mapping_source` names it in errors.
  std::optional<Mapping> mapping;
  std::string mapping_source;
  // A vector operation.
  std::string vector_op;
  std::int64_t vector_elements = 0;
  // A transfer. read: DRAM -> buffer (waited for); write: buffer -> DRAM.
  Operand transfer_operand = Operand::activation;
  DmaDirection transfer_direction = DmaDirection::read;
  std::int64_t transfer_bytes = 0;

  bool is_gemm() const { return kind == Kind::gemm; }
  bool is_vector() const { return kind == Kind::vector; }
  bool is_transfer() const { return kind == Kind::transfer; }

  static Job gemm(const GemmDims& dims, int a_bits, int b_bits, Operand a_buffer, Operand b_buffer);
  static Job gemm(const TensorGemm& tensors, int a_bits, int b_bits, Operand a_buffer, Operand b_buffer);
  // A GEMM with its operand values (shape and widths taken from them).
  static Job gemm(const GemmOperands& values, Operand a_buffer, Operand b_buffer);
  static Job vector(std::string op, std::int64_t elements);
  // `bytes` >= 1 (else an Error).
  static Job transfer(Operand operand, DmaDirection direction, std::int64_t bytes);
};

// What a GEMM's mapping depends on besides the hardware: its tensors, widths and buffers.
using GemmKey = std::array<std::int64_t, 15>;
GemmKey gemm_key(const Job& gemm);

}  // namespace qtsim
