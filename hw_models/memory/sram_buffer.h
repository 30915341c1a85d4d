#pragma once
// SramBuffer: one on-chip operand buffer of reference mode (DESIGN.md
// section 4), a plain C++ object that its owner (the memory / array SystemC
// module) drives once per clock cycle: any number of access() calls, then
// step() to end the cycle.
//
// Storage: `capacity_words()` words of `word_bits`; values are packed and
// never straddle a word: a word holds floor(word_bits / bits) values of
// `bits` (a 64-bit word holds 16 4-bit values, 2 24-bit values); a value wider
// than a word takes ceil(bits / word_bits) whole words. words_for() gives the
// words of n values.
//
// Banking: consecutive words interleave across banks: word address x lives in
// bank x mod banks, so a request of w words at x touches banks
// x, x+1, ..., x+w-1 (mod banks).
//
// Arbitration, per cycle: each bank serves at most `ports` accesses (reads
// and writes together), hence at most banks * ports words per cycle in all.
// access() grants the longest prefix of its request whose every word finds a
// free port in its bank, in address order, and returns its length; requests
// are served in call order (the first caller of a cycle has priority). A
// request of w <= banks * ports consecutive words made first in its cycle is
// granted whole. The caller re-requests the rest next cycle and, when it had
// to wait, reports its stall with add_conflict_stall_cycles().
//
// Statistics: words read and written, in all and per bank (granted words
// only), and the conflict stall cycles the callers reported.
#include <cstdint>
#include <vector>

#include "hw_models/memory/memory_config.h"

namespace qtsim {

enum class SramAccess { read, write };

struct SramStats {
  std::int64_t reads_words = 0;
  std::int64_t writes_words = 0;
  std::vector<std::int64_t> bank_reads_words;   // [bank]
  std::vector<std::int64_t> bank_writes_words;  // [bank]
  std::int64_t conflict_stall_cycles = 0;       // reported by the callers
};
Json to_json(const SramStats& stats);

class SramBuffer {
 public:
  explicit SramBuffer(const BufferConfig& config);

  // Words holding `elements` values of `bits` bits, packed as above.
  static std::int64_t words_for(std::int64_t elements, int bits, int word_bits);
  std::int64_t words_for(std::int64_t elements, int bits) const { return words_for(elements, bits, config_.word_bits); }
  // Values of `bits` bits that fit in `words` words (the inverse of words_for).
  static std::int64_t values_in(std::int64_t words, int bits, int word_bits);

  const BufferConfig& config() const { return config_; }
  std::int64_t capacity_words() const { return config_.capacity_words(); }
  int bank_of(std::int64_t word_address) const { return static_cast<int>(word_address % config_.banks); }

  // Requests `words` consecutive words from `word_address` in this cycle;
  // returns how many (a prefix) were granted. The range must lie inside the buffer.
  std::int64_t access(SramAccess kind, std::int64_t word_address, std::int64_t words);
  // Ends the cycle: every port is free again.
  void step();
  void add_conflict_stall_cycles(std::int64_t cycles) { stats_.conflict_stall_cycles += cycles; }

  const SramStats& stats() const { return stats_; }

 private:
  BufferConfig config_;
  std::vector<int> bank_used_;  // accesses granted per bank in this cycle
  SramStats stats_;
};

}  // namespace qtsim
