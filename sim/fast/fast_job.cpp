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

FastJob FastJob::from(const GemmJob& job) {
  if (job.is_vector()) return vector(job.vector_op, job.vector_elements);
  const GemmOperands& g = *job.operands;
  return gemm(g.dims, g.a_bits, g.b_bits, job.a_buffer, job.b_buffer);
}

}  // namespace qtsim
