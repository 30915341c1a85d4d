#include "hw_models/controller/job.h"

#include "base/error.h"

namespace qtsim {

Job Job::gemm(const GemmDims& dims, int a_bits, int b_bits, Operand a_buffer, Operand b_buffer) {
  return gemm(plain_gemm(dims), a_bits, b_bits, a_buffer, b_buffer);
}

Job Job::gemm(const TensorGemm& tensors, int a_bits, int b_bits, Operand a_buffer, Operand b_buffer) {
  Job job;
  job.dims = tensors.dims();
  job.tensors = tensors;
  job.a_bits = a_bits;
  job.b_bits = b_bits;
  job.a_buffer = a_buffer;
  job.b_buffer = b_buffer;
  return job;
}

Job Job::gemm(const GemmOperands& values, Operand a_buffer, Operand b_buffer) {
  Job job = gemm(values.dims, values.a_bits, values.b_bits, a_buffer, b_buffer);
  job.values = &values;
  return job;
}

GemmKey gemm_key(const Job& g) {
  const TensorGemm& t = g.tensors;
  return GemmKey{static_cast<std::int64_t>(t.form),
                 t.samples,
                 t.out_h,
                 t.out_w,
                 t.in_h,
                 t.in_w,
                 t.p,
                 t.q,
                 t.kernel,
                 t.stride,
                 t.pad,
                 g.a_bits,
                 g.b_bits,
                 static_cast<std::int64_t>(g.a_buffer),
                 static_cast<std::int64_t>(g.b_buffer)};
}

Job Job::vector(std::string op, std::int64_t elements) {
  Job job;
  job.kind = Kind::vector;
  job.vector_op = std::move(op);
  job.vector_elements = elements;
  return job;
}

Job Job::transfer(Operand operand, DmaDirection direction, std::int64_t bytes) {
  if (bytes < 1) throw Error("Job::transfer: bytes must be >= 1, got " + std::to_string(bytes));
  Job job;
  job.kind = Kind::transfer;
  job.transfer_operand = operand;
  job.transfer_direction = direction;
  job.transfer_bytes = bytes;
  return job;
}

}  // namespace qtsim
