#pragma once
// SCALE-Sim topology files (v2), read for `qtsim layers` (README "Coming from
// SCALE-Sim"). Plain C++, no SystemC.
//
// Two formats, told apart by the header line (or forced, like SCALE-Sim's
// `-i conv|gemm`):
//   conv: `Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width,
//          Channels, Num Filter, Strides,` -- an optional eighth number is the
//          column stride (SCALE-Sim reads it so);
//   gemm: `Layer, M, N, K,` -- A is M x K (SCALE-Sim's IFMAP), B is K x N
//          (its filter), C is M x N.
// SCALE-Sim's conventions, kept: every row ends in a comma (SCALE-Sim drops the
// last field of every row, so a row without it is refused here rather than
// read wrongly); the IFMAP is already padded (no padding field); the output is
// ceil((H - Fh + Sh) / Sh) rows (one more than floor((H - Fh) / Sh) + 1 when
// the stride does not divide H - Fh: the extra row reads past the edge); a conv
// layer whose name contains `DP` is depthwise and becomes one layer per
// channel, `<name>Channel_<i>`, each with one channel. Blank lines are
// skipped, a UTF-8 byte-order mark and CRLF line ends are accepted.
//
// Errors (qtsim::Error) name the file, the line and what is expected.
#include <cstdint>
#include <string>
#include <vector>

namespace qtsim {

enum class TopologyFormat { detect, conv, gemm };

struct TopologyLayer {
  std::string name;
  bool gemm = false;  // a `Layer, M, N, K,` row
  int line = 0;       // in the file, for messages
  // Conv rows (a gemm row is H = M, W = K, a 1 x K window, one channel, N
  // filters, stride 1, as SCALE-Sim reads it).
  std::int64_t in_h = 0, in_w = 0, filter_h = 0, filter_w = 0, channels = 0, filters = 0;
  std::int64_t stride_h = 1, stride_w = 1;
  std::int64_t out_h = 0, out_w = 0;  // SCALE-Sim's output size (the ceil rule above)
  // The layer's GEMM as SCALE-Sim maps it: M = out_h * out_w, K = Fh * Fw * C, N = filters.
  std::int64_t m = 0, k = 0, n = 0;

  // Whether the ceil rule gave an output row or column that reads past the
  // input's edge (SCALE-Sim's "invalid" slots).
  bool reads_past_edge() const;
};

TopologyFormat parse_topology_format(const std::string& text, const std::string& option);
std::vector<TopologyLayer> load_scalesim_topology(const std::string& path, TopologyFormat format);
std::vector<TopologyLayer> parse_scalesim_topology(const std::string& text, const std::string& path,
                                                   TopologyFormat format);

}  // namespace qtsim
