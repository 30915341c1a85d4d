#include "sim/run/gemm_job.h"

#include <iomanip>

#include "sim/common/error.h"
#include "workloads/precision.h"

namespace qtsim {
namespace {

void check_range(const std::string& option, std::int64_t value, std::int64_t min, std::int64_t max) {
  if (value < min || value > max) {
    throw Error(option + ": out of range, got " + std::to_string(value) + "; expected an integer in [" +
                std::to_string(min) + ", " + std::to_string(max) + "]");
  }
}

std::int64_t checked_mul(std::int64_t a, std::int64_t b, const char* what) {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) throw Error(std::string("gemm: ") + what + " overflows 64 bits");
  return out;
}

std::int64_t packed_bytes(std::int64_t elements, int bits) {
  return (checked_mul(elements, bits, "operand size in bits") + 7) / 8;
}

}  // namespace

void validate_gemm_request(const GemmRequest& r) {
  check_range("--m", r.m, 1, GemmRequest::kMaxDim);
  check_range("--k", r.k, 1, GemmRequest::kMaxDim);
  check_range("--n", r.n, 1, GemmRequest::kMaxDim);
  check_range("--a-bits", r.a_bits, Precision::kMinBits, Precision::kMaxBits);
  check_range("--b-bits", r.b_bits, Precision::kMinBits, Precision::kMaxBits);
}

GemmFigures gemm_figures(const GemmRequest& r) {
  GemmFigures f;
  f.macs = checked_mul(checked_mul(r.m, r.k, "MACs"), r.n, "MACs");
  f.bitops = checked_mul(f.macs, std::int64_t{r.a_bits} * r.b_bits, "BitOPs");
  f.a_bytes = packed_bytes(checked_mul(r.m, r.k, "A elements"), r.a_bits);
  f.b_bytes = packed_bytes(checked_mul(r.k, r.n, "B elements"), r.b_bits);
  f.c_elements = checked_mul(r.m, r.n, "C elements");
  return f;
}

Json gemm_report(const GemmRequest& r, const HardwareConfig& hardware) {
  GemmFigures f = gemm_figures(r);
  return Json{{"gemm", {{"m", r.m}, {"k", r.k}, {"n", r.n}, {"a_bits", r.a_bits}, {"b_bits", r.b_bits}}},
              {"macs", f.macs},
              {"bitops", f.bitops},
              {"a_packed_bytes", f.a_bytes},
              {"b_packed_bytes", f.b_bytes},
              {"c_elements", f.c_elements},
              {"hardware", to_json(hardware)}};
}

void print_gemm_report(const GemmRequest& r, const HardwareConfig& hardware, std::ostream& out) {
  GemmFigures f = gemm_figures(r);
  const MacArrayConfig& a = hardware.mac_array;
  out << "GEMM " << r.m << " x " << r.k << " x " << r.n << " (M x K x N), A at " << r.a_bits << " bits, B at "
      << r.b_bits << " bits\n"
      << "hardware: " << a.rows << "x" << a.cols << " " << a.pe_kind << " array, " << a.dataflow << " dataflow, "
      << hardware.clock_mhz << " MHz\n";
  auto line = [&](const char* name, std::int64_t value) {
    out << "  " << std::left << std::setw(18) << name << std::right << std::setw(20) << value << "\n";
  };
  line("macs", f.macs);
  line("bitops", f.bitops);
  line("a_packed_bytes", f.a_bytes);
  line("b_packed_bytes", f.b_bytes);
  line("c_elements", f.c_elements);
}

}  // namespace qtsim
