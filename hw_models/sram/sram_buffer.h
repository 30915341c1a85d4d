#pragma once
// SramBuffer: one on-chip operand buffer of reference mode (docs/hardware_model.md), a plain C++ object that its owner
// (the memory / array SystemC module) drives once per clock cycle: any number of access() calls, then step() to end the
// cycle.
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
// Port-free traffic: count_words() records words moved through a port of
// their own (the DMA's fills and drains, the array's output writes and
// read-backs): counted per bank like granted words, never arbitrated, taking
// no port from access(). A count_words() stream wraps at the buffer's end.
//
// Statistics: words read and written, in all and per bank (granted and
// port-free words), and the conflict stall cycles the callers reported.
#include <cstdint>
#include <map>
#include <vector>

#include "base/stats.h"
#include "hw_models/config/memory_config.h"

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

// Per-bank distribution of consecutive words (plain functions: SramBuffer's
// count_words() and fast mode use them, so both modes count alike).
// add_words_per_bank: the word addresses address, ..., address + words - 1,
// `times` over, word x in bank x mod B (B = per_bank.size()): every bank gets
// floor(words / B) per time, and the (words mod B) banks from (address mod B)
// on, cyclically, one more.
void add_words_per_bank(std::vector<std::int64_t>& per_bank, std::int64_t address, std::int64_t words,
                        std::int64_t times = 1);
// The same for a stream of `words` words through a buffer of `capacity` words
// that wraps at its end: word i of the stream is at (address + i) mod capacity
// (0 <= address < capacity).
void add_stream_per_bank(std::vector<std::int64_t>& per_bank, std::int64_t capacity, std::int64_t address,
                         std::int64_t words, std::int64_t times = 1);

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
  // Counts `words` words read or written through a port of their own (not
  // arbitrated), streaming from `word_address` and wrapping at the buffer's end.
  void count_words(SramAccess kind, std::int64_t word_address, std::int64_t words);

  const SramStats& stats() const { return stats_; }

 private:
  BufferConfig config_;
  std::vector<int> bank_used_;  // accesses granted per bank in this cycle
  SramStats stats_;
};

// Words read and written per bank of every buffer with traffic, for reports.
StatGroup bank_stat_group(const std::map<Operand, SramStats>& buffers);

}  // namespace qtsim
