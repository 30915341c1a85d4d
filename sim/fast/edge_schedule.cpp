#include "sim/fast/edge_schedule.h"

#include <algorithm>
#include <limits>

#include "hw_models/sram/sram_buffer.h"

namespace qtsim {
namespace {

// Requests of one edge over array steps [t0, t1).
struct Span {
  std::int64_t t0, t1, elements, words;
};

// Appends one run per maximal interval of constant requests of the two edges (each sorted, disjoint).
std::vector<EdgeRun> merge(const std::vector<Span>& a, const std::vector<Span>& b) {
  constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
  std::vector<EdgeRun> runs;
  runs.reserve(a.size() + b.size());
  std::size_t i = 0, j = 0;
  std::int64_t t = 0;
  while (i < a.size() || j < b.size()) {
    const std::int64_t next_a = i < a.size() ? a[i].t0 : kNever, next_b = j < b.size() ? b[j].t0 : kNever;
    t = std::max(t, std::min(next_a, next_b));  // skip steps without reads
    const bool in_a = next_a <= t, in_b = next_b <= t;
    const std::int64_t end = std::min(in_a ? a[i].t1 : next_a, in_b ? b[j].t1 : next_b);
    EdgeRun run{end - t, 0, 0, 0, 0};
    if (in_a) run.a_elements = a[i].elements, run.a_words = a[i].words;
    if (in_b) run.b_elements = b[j].elements, run.b_words = b[j].words;
    runs.push_back(run);
    t = end;
    if (in_a && a[i].t1 == t) ++i;
    if (in_b && b[j].t1 == t) ++j;
  }
  return runs;
}

}  // namespace

std::vector<EdgeRun> edge_schedule(const MacArrayConfig& array, const PeMode& mode, const FoldPlan& plan,
                                   const GemmDims& tile, const EdgeBuffers& buffers) {
  const std::int64_t pack = mode.pack, slices = mode.slices;
  auto a_words = [&](std::int64_t values) { return SramBuffer::words_for(values, mode.a_bits, buffers.a_word_bits); };
  auto b_words = [&](std::int64_t values) { return SramBuffer::words_for(values, mode.b_bits, buffers.b_word_bits); };
  std::vector<Span> a, b;
  const auto& folds = plan.folds();
  for (std::size_t f = 0; f < folds.size(); ++f) {
    const Fold& fold = folds[f];
    const std::int64_t start = plan.fold_start(f);
    if (array.dataflow == Dataflow::os) {
      // Stream step s carries K group s / slices: pack values, the last group fewer.
      const std::int64_t groups = (tile.k + pack - 1) / pack, last = tile.k - (groups - 1) * pack;
      const std::int64_t full_end = start + (groups - 1) * slices, end = start + groups * slices;
      if (groups > 1) {
        a.push_back({start, full_end, fold.rows, a_words(fold.rows * pack)});
        b.push_back({start, full_end, fold.cols, b_words(fold.cols * pack)});
      }
      a.push_back({full_end, end, fold.rows, a_words(fold.rows * last)});
      b.push_back({full_end, end, fold.cols, b_words(fold.cols * last)});
    } else {
      const std::int64_t used_rows = (fold.k_len + pack - 1) / pack, last = fold.k_len - (used_rows - 1) * pack;
      // Preload cycle c of [start - R, start) feeds PE row R - 1 - c; rows at or
      // beyond used_rows hold no K value and read nothing.
      b.push_back({start - used_rows, start - used_rows + 1, fold.cols, b_words(fold.cols * last)});
      if (used_rows > 1) b.push_back({start - used_rows + 1, start, fold.cols, b_words(fold.cols * pack)});
      a.push_back({start, start + fold.stream, used_rows, a_words(fold.k_len)});
    }
  }
  return merge(a, b);
}

}  // namespace qtsim
