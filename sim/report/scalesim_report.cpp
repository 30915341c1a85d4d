#include "sim/report/scalesim_report.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "base/error.h"
#include "hw_models/mac_array/fold_plan.h"
#include "hw_models/pe/pe_kind.h"
#include "hw_models/pe/pe_mode.h"

namespace qtsim {

namespace {

// a / b rounded once to a double, as Python's int / int (exact below 2^53).
__extension__ using Wide = __int128;

double ratio(Wide a, Wide b) {
  constexpr Wide kExact = Wide{1} << 53;
  if (a < kExact && b < kExact)
    return static_cast<double>(static_cast<std::int64_t>(a)) / static_cast<double>(static_cast<std::int64_t>(b));
  return static_cast<double>(static_cast<long double>(a) / static_cast<long double>(b));
}

// One fold in SCALE-Sim's terms: spatial rows and columns used, its position.
struct SimFold {
  std::int64_t fr = 0, fc = 0, ru = 0, cu = 0;
};

// The input's element (m, k) of the im2col matrix exists (is inside the
// padded IFMAP): SCALE-Sim's k runs over the window row, column, then channel.
bool valid(const TopologyLayer& l, std::int64_t m, std::int64_t k) {
  const std::int64_t oy = m / l.out_w, ox = m % l.out_w;
  const std::int64_t fy = k / (l.filter_w * l.channels), fx = (k % (l.filter_w * l.channels)) / l.channels;
  return oy * l.stride_h + fy < l.in_h && ox * l.stride_w + fx < l.in_w;
}

// The largest line within fold f that reads a valid input element, or -1.
std::int64_t last_ifmap_line(const TopologyLayer& l, const std::string& df, const SimFold& f, std::int64_t rows,
                             std::int64_t cols) {
  std::int64_t best = -1;
  if (df == "os") {  // rows of M, all of K: line k + (m - fr R)
    for (std::int64_t i = f.ru - 1; i >= 0 && best < l.k - 1 + i; --i) {
      for (std::int64_t k = l.k - 1; k >= 0; --k) {
        if (valid(l, f.fr * rows + i, k)) {
          best = std::max(best, k + i);
          break;
        }
      }
    }
  } else if (df == "ws") {  // rows of K, all of M: line R + m + (k - fr R)
    for (std::int64_t i = f.ru - 1; i >= 0; --i) {
      for (std::int64_t m = l.m - 1; m >= 0; --m) {
        if (valid(l, m, f.fr * rows + i)) {
          best = std::max(best, rows + m + i);
          break;
        }
      }
    }
  } else {  // is: rows of K, columns of M: line R - 1 - (k - fr R)
    for (std::int64_t i = 0; i < f.ru && best < 0; ++i) {
      for (std::int64_t j = 0; j < f.cu; ++j) {
        if (valid(l, f.fc * cols + j, f.fr * rows + i)) {
          best = rows - 1 - i;
          break;
        }
      }
    }
  }
  return best;
}

void check_one_product_per_cycle(const HardwareConfig& hardware, const PeMode& mode, int a_bits, int b_bits) {
  if (mode.pack != 1 || mode.slices != 1) {
    throw Error("at " + std::to_string(a_bits) + " x " + std::to_string(b_bits) + " bits a " +
                to_string(hardware.mac_array.pe_kind) + " PE does " + std::to_string(mode.pack) + " products in " +
                std::to_string(mode.slices) +
                " cycles; SCALE-Sim's reports assume one product per PE per cycle (8 x 8 bits on Bit Fusion)");
  }
  if (hardware.mac_array.pipelined_folds) {
    throw Error("hardware.mac_array.pipelined_folds is true; SCALE-Sim's folds do not overlap");
  }
}

}  // namespace

ScaleSimRow scalesim_row(const TopologyLayer& l, const std::string& df, const HardwareConfig& hardware, int a_bits,
                         int b_bits) {
  MacArrayConfig array = hardware.mac_array;
  array.dataflow = df == "os" ? Dataflow::os : Dataflow::ws;
  const PeMode mode = pe_mode(array, a_bits, b_bits);
  check_one_product_per_cycle(hardware, mode, a_bits, b_bits);
  const bool is = df == "is";
  const GemmDims dims = is ? GemmDims{l.n, l.k, l.m} : GemmDims{l.m, l.k, l.n};
  const FoldPlan plan(array, mode, dims);
  const std::int64_t R = array.rows, C = array.cols;
  // SCALE-Sim's spatial rows and temporal length: os M and K, ws/is K and M (is: N).
  const std::int64_t sr = df == "os" ? dims.m : dims.k, t = df == "os" ? dims.k : dims.m;
  std::vector<SimFold> folds;
  std::int64_t cycles = 0;
  for (const Fold& f : plan.folds()) {
    const std::int64_t start = df == "os" ? f.row0 : f.k0;
    folds.push_back(SimFold{start / R, f.col0 / C, df == "os" ? f.rows : f.k_len, f.cols});
    cycles += plan.fold_cycles(f);
  }
  std::sort(folds.begin(), folds.end(),
            [](const SimFold& a, const SimFold& b) { return a.fc != b.fc ? a.fc < b.fc : a.fr < b.fr; });
  const std::int64_t F = static_cast<std::int64_t>(folds.size());
  const std::int64_t lf = plan.fold_cycles(plan.folds().front());
  const std::int64_t cyc = df == "os" ? lf : lf + C - 1;  // SCALE-Sim's utilisation denominator
  ScaleSimRow r;
  r.total_cycles = cycles - 1;
  r.overall_util_percent = ratio(Wide{l.m} * l.n * l.k * 100, Wide{r.total_cycles} * R * C);
  double mapping = 0, compute = 0;
  for (const SimFold& f : folds) {
    mapping += ratio(Wide{f.ru} * f.cu, Wide{R} * C);
    compute += ratio(Wide{f.ru} * f.cu * t, Wide{R} * C * cyc);
  }
  r.mapping_efficiency_percent = mapping / static_cast<double>(F) * 100;
  r.compute_util_percent = compute / static_cast<double>(F) * 100;
  const std::int64_t rf = (sr + R - 1) / R, cf = F / rf;
  const std::int64_t ru0 = folds.front().ru, ru_last = folds.back().ru, cu_last = folds.back().cu;
  const std::int64_t base = (F - 1) * lf;
  if (df == "os") {
    r.ifmap_reads = cf * l.m * l.k, r.filter_reads = rf * l.k * l.n, r.ofmap_writes = l.m * l.n + F * (R + C);
    r.ifmap_start = 1, r.filter_start = 1, r.filter_stop = base + l.k + cu_last - 1;
    r.ofmap_start = l.k + R - ru0 - 1, r.ofmap_stop = base + l.k + R + cu_last - 3;
  } else if (df == "ws") {
    r.ifmap_reads = cf * l.m * l.k, r.filter_reads = l.k * l.n, r.ofmap_writes = rf * l.m * l.n;
    r.ifmap_start = R + 1, r.filter_start = R - ru0 + 1, r.filter_stop = base + R;
    r.ofmap_start = 2 * R - 1, r.ofmap_stop = base + 2 * R + l.m + cu_last - 3;
  } else {
    r.ifmap_reads = l.m * l.k, r.filter_reads = cf * l.k * l.n, r.ofmap_writes = rf * l.m * l.n;
    r.ifmap_start = R - ru0 + 1, r.filter_start = R + 1, r.filter_stop = base + R + l.n + ru_last - 1;
    r.ofmap_start = 2 * R - 1, r.ofmap_stop = base + 2 * R + l.n + cu_last - 3;
  }
  for (std::int64_t i = F - 1; i >= 0; --i) {  // the last line that reads a valid input element, + 1
    const std::int64_t line = last_ifmap_line(l, df, folds[i], R, C);
    if (line >= 0) {
      r.ifmap_stop = (folds[i].fc * rf + folds[i].fr) * lf + line + 1;
      break;
    }
  }
  return r;
}

std::string python_float_repr(double value) {
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string sci(buf, end);  // [-]d[.ddd]e(+|-)XX
  std::string sign;
  if (sci[0] == '-') sign = "-", sci.erase(0, 1);
  const std::size_t e = sci.find('e');
  const int exponent = std::atoi(sci.c_str() + e + 1);
  std::string digits = sci.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  if (exponent < -4 || exponent >= 16) {
    std::string mantissa = digits.substr(0, 1) + (digits.size() > 1 ? "." + digits.substr(1) : "");
    std::string exp = std::to_string(std::abs(exponent));
    if (exp.size() < 2) exp = "0" + exp;
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
  }
  if (exponent < 0) return sign + "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
  const std::size_t integer = static_cast<std::size_t>(exponent) + 1;
  if (digits.size() <= integer) return sign + digits + std::string(integer - digits.size(), '0') + ".0";
  return sign + digits.substr(0, integer) + "." + digits.substr(integer);
}

namespace {

std::string line(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? ", " : "") + fields[i];
  return out + ",\n";
}

std::string cycle(std::int64_t value) { return std::to_string(value) + ".0"; }

}  // namespace

std::string compute_report_csv(const std::vector<ScaleSimRow>& rows) {
  std::string out =
      line({"LayerID", "Total Cycles", "Stall Cycles", "Overall Util %", "Mapping Efficiency %", "Compute Util %"});
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ScaleSimRow& r = rows[i];
    out += line({std::to_string(i), std::to_string(r.total_cycles), "0", python_float_repr(r.overall_util_percent),
                 python_float_repr(r.mapping_efficiency_percent), python_float_repr(r.compute_util_percent)});
  }
  return out;
}

std::string sram_report_csv(const std::vector<ScaleSimRow>& rows) {
  std::string out = line({"LayerID", "SRAM IFMAP Start Cycle", "SRAM IFMAP Stop Cycle", "SRAM IFMAP Reads",
                          "SRAM Filter Start Cycle", "SRAM Filter Stop Cycle", "SRAM Filter Reads",
                          "SRAM OFMAP Start Cycle", "SRAM OFMAP Stop Cycle", "SRAM OFMAP Writes"});
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ScaleSimRow& r = rows[i];
    out += line({std::to_string(i), cycle(r.ifmap_start), cycle(r.ifmap_stop), std::to_string(r.ifmap_reads),
                 cycle(r.filter_start), cycle(r.filter_stop), std::to_string(r.filter_reads), cycle(r.ofmap_start),
                 cycle(r.ofmap_stop), std::to_string(r.ofmap_writes)});
  }
  return out;
}

}  // namespace qtsim
