#include "hw_models/sram/sram_buffer.h"

#include <algorithm>
#include <cassert>

namespace qtsim {

SramBuffer::SramBuffer(const BufferConfig& config) : config_(config), bank_used_(config.banks, 0) {
  stats_.bank_reads_words.assign(config.banks, 0);
  stats_.bank_writes_words.assign(config.banks, 0);
}

std::int64_t SramBuffer::words_for(std::int64_t elements, int bits, int word_bits) {
  assert(elements >= 0 && bits >= 1 && word_bits >= 1);
  if (bits > word_bits) return elements * ((bits + word_bits - 1) / word_bits);
  const std::int64_t per_word = word_bits / bits;
  return (elements + per_word - 1) / per_word;
}

std::int64_t SramBuffer::values_in(std::int64_t words, int bits, int word_bits) {
  assert(words >= 0 && bits >= 1 && word_bits >= 1);
  if (bits > word_bits) return words / ((bits + word_bits - 1) / word_bits);
  return words * (word_bits / bits);
}

std::int64_t SramBuffer::access(SramAccess kind, std::int64_t word_address, std::int64_t words) {
  assert(word_address >= 0 && words >= 0 && word_address + words <= capacity_words());
  std::vector<std::int64_t>& per_bank = kind == SramAccess::read ? stats_.bank_reads_words : stats_.bank_writes_words;
  // At most banks * ports words can be granted; stop at the first word whose bank is full.
  const std::int64_t limit = std::min<std::int64_t>(words, std::int64_t{config_.banks} * config_.ports);
  std::int64_t granted = 0;
  for (int bank = bank_of(word_address); granted < limit; ++granted) {
    if (bank_used_[bank] == config_.ports) break;
    ++bank_used_[bank];
    ++per_bank[bank];
    if (++bank == config_.banks) bank = 0;
  }
  (kind == SramAccess::read ? stats_.reads_words : stats_.writes_words) += granted;
  return granted;
}

void SramBuffer::count_words(SramAccess kind, std::int64_t word_address, std::int64_t words) {
  const bool read = kind == SramAccess::read;
  add_stream_per_bank(read ? stats_.bank_reads_words : stats_.bank_writes_words, capacity_words(), word_address, words);
  (read ? stats_.reads_words : stats_.writes_words) += words;
}

void SramBuffer::step() { std::fill(bank_used_.begin(), bank_used_.end(), 0); }

void add_words_per_bank(std::vector<std::int64_t>& per_bank, std::int64_t address, std::int64_t words,
                        std::int64_t times) {
  assert(!per_bank.empty() && address >= 0 && words >= 0 && times >= 0);
  const auto banks = static_cast<std::int64_t>(per_bank.size());
  const std::int64_t every = words / banks * times, rest = words % banks;
  std::int64_t bank = address % banks;
  for (std::int64_t i = 0; i < rest; ++i) {
    per_bank[static_cast<std::size_t>(bank)] += times;
    if (++bank == banks) bank = 0;
  }
  if (every == 0) return;
  for (std::int64_t& count : per_bank) count += every;
}

void add_stream_per_bank(std::vector<std::int64_t>& per_bank, std::int64_t capacity, std::int64_t address,
                         std::int64_t words, std::int64_t times) {
  assert(capacity >= 1 && address >= 0 && address < capacity && words >= 0);
  // Up to the end, then whole passes over the buffer, then the rest from word 0.
  const std::int64_t first = std::min(words, capacity - address);
  add_words_per_bank(per_bank, address, first, times);
  const std::int64_t after = words - first;
  if (after >= capacity) add_words_per_bank(per_bank, 0, capacity, after / capacity * times);
  add_words_per_bank(per_bank, 0, after % capacity, times);
}

Json to_json(const SramStats& s) {
  return Json{{"reads_words", s.reads_words},
              {"writes_words", s.writes_words},
              {"bank_reads_words", s.bank_reads_words},
              {"bank_writes_words", s.bank_writes_words},
              {"conflict_stall_cycles", s.conflict_stall_cycles}};
}

StatGroup bank_stat_group(const std::map<Operand, SramStats>& buffers) {
  StatGroup banks{"buffer_banks", {}};
  for (const auto& [operand, sram] : buffers) {
    const std::string name = to_string(operand);
    for (std::size_t b = 0; sram.reads_words > 0 && b < sram.bank_reads_words.size(); ++b) {
      banks.add(name + "_bank" + std::to_string(b) + "_reads", sram.bank_reads_words[b], "words",
                "words read from this bank (edge reads, output read-backs, stores to DRAM)");
    }
    for (std::size_t b = 0; sram.writes_words > 0 && b < sram.bank_writes_words.size(); ++b) {
      banks.add(name + "_bank" + std::to_string(b) + "_writes", sram.bank_writes_words[b], "words",
                "words written to this bank (DMA fills, output writes)");
    }
  }
  return banks;
}

}  // namespace qtsim
