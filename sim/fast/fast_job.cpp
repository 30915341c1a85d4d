#include "sim/fast/fast_job.h"

namespace qtsim {

FastJob FastJob::gemm(const GemmDims& dims, int a_bits, int b_bits, Operand a_buffer, Operand b_buffer) {
  FastJob job;
  job.dims = dims;
  job.a_bits = a_bits;
  job.b_bits = b_bits;
  job.a_buffer = a_buffer;
  job.b_buffer = b_buffer;
  return job;
}

FastJob FastJob::vector(std::string op, std::int64_t elements) {
  FastJob job;
  job.kind = Kind::vector;
  job.vector_op = std::move(op);
  job.vector_elements = elements;
  return job;
}

FastJob FastJob::transfer(Operand operand, DmaDirection direction, std::int64_t bytes) {
  return from(GemmJob::transfer(operand, direction, bytes));  // one validation, GemmJob's
}

FastJob FastJob::from(const GemmJob& job) {
  if (job.is_vector()) return vector(job.vector_op, job.vector_elements);
  if (job.is_transfer()) {
    FastJob out;
    out.kind = Kind::transfer;
    out.transfer_operand = job.transfer_operand;
    out.transfer_direction = job.transfer_direction;
    out.transfer_bytes = job.transfer_bytes;
    return out;
  }
  const GemmOperands& g = *job.operands;
  return gemm(g.dims, g.a_bits, g.b_bits, job.a_buffer, job.b_buffer);
}

}  // namespace qtsim
