// SramBuffer: packing of low-bit values into words, word-to-bank mapping,
// per-cycle port arbitration and statistics; expected values by hand.
#include "hw_models/sram/sram_buffer.h"

#include <gtest/gtest.h>

namespace qtsim {
namespace {

BufferConfig buffer(int banks, int ports, int word_bits = 64, std::int64_t capacity_bytes = 1024) {
  BufferConfig c;
  c.capacity_bytes = capacity_bytes;
  c.banks = banks;
  c.word_bits = word_bits;
  c.ports = ports;
  return c;
}

TEST(SramBuffer, WordsForPacksValuesWithoutStraddling) {
  EXPECT_EQ(SramBuffer::words_for(16, 4, 64), 1);  // 64 / 4 = 16 values per word
  EXPECT_EQ(SramBuffer::words_for(17, 4, 64), 2);
  EXPECT_EQ(SramBuffer::words_for(21, 3, 64), 1);  // floor(64 / 3) = 21 per word, 1 bit unused
  EXPECT_EQ(SramBuffer::words_for(22, 3, 64), 2);
  EXPECT_EQ(SramBuffer::words_for(5, 24, 64), 3);   // 2 per word
  EXPECT_EQ(SramBuffer::words_for(3, 128, 64), 6);  // a 128-bit value takes 2 words
  EXPECT_EQ(SramBuffer::words_for(3, 65, 64), 6);   // ceil(65 / 64) = 2 words each
  EXPECT_EQ(SramBuffer::words_for(0, 8, 64), 0);
  EXPECT_EQ(SramBuffer::words_for(9, 8, 8), 9);
  SramBuffer b(buffer(4, 1, 32));
  EXPECT_EQ(b.words_for(9, 8), 3);  // its own word width: 4 per 32-bit word
}

TEST(SramBuffer, ValuesInIsTheInverseOfWordsFor) {
  EXPECT_EQ(SramBuffer::values_in(3, 4, 64), 48);
  EXPECT_EQ(SramBuffer::values_in(3, 3, 64), 63);
  EXPECT_EQ(SramBuffer::values_in(7, 128, 64), 3);  // 2 words each
  for (int bits : {1, 3, 8, 24, 64, 100}) {
    for (std::int64_t words = 0; words < 40; ++words) {
      const std::int64_t v = SramBuffer::values_in(words, bits, 64);
      EXPECT_LE(SramBuffer::words_for(v, bits, 64), words);
      EXPECT_GT(SramBuffer::words_for(v + 1, bits, 64), words);
    }
  }
}

TEST(SramBuffer, ConsecutiveWordsInterleaveAcrossBanks) {
  SramBuffer b(buffer(4, 1));
  EXPECT_EQ(b.capacity_words(), 128);  // 1024 bytes / 8
  // 4 words at 6: banks 2, 3, 0, 1, one each; all granted.
  EXPECT_EQ(b.access(SramAccess::read, 6, 4), 4);
  EXPECT_EQ(b.stats().bank_reads_words, (std::vector<std::int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(b.stats().reads_words, 4);
  EXPECT_EQ(b.stats().writes_words, 0);
}

TEST(SramBuffer, AtMostBanksTimesPortsWordsPerCycle) {
  SramBuffer b(buffer(4, 1));
  // 6 words at 0: words 0-3 (banks 0-3) granted, word 4 finds bank 0 busy.
  EXPECT_EQ(b.access(SramAccess::read, 0, 6), 4);
  EXPECT_EQ(b.access(SramAccess::read, 4, 2), 0);  // same cycle: every port is taken
  b.step();
  EXPECT_EQ(b.access(SramAccess::read, 4, 2), 2);  // next cycle: banks 0 and 1
  EXPECT_EQ(b.stats().reads_words, 6);
  EXPECT_EQ(b.stats().bank_reads_words, (std::vector<std::int64_t>{2, 2, 1, 1}));

  SramBuffer two(buffer(4, 2));
  // 2 ports per bank: 8 words per cycle; 10 requested, words 0-7 granted (banks 0-3 twice).
  EXPECT_EQ(two.access(SramAccess::write, 0, 10), 8);
  EXPECT_EQ(two.stats().bank_writes_words, (std::vector<std::int64_t>{2, 2, 2, 2}));
}

TEST(SramBuffer, GrantIsAPrefixStoppingAtTheFirstBusyBank) {
  SramBuffer b(buffer(4, 1));
  EXPECT_EQ(b.access(SramAccess::read, 0, 3), 3);  // banks 0, 1, 2
  // Words 7 (bank 3, free) and 8 (bank 0, busy): only word 7.
  EXPECT_EQ(b.access(SramAccess::write, 7, 2), 1);
  // Word 9 is in bank 1 (busy): nothing.
  EXPECT_EQ(b.access(SramAccess::write, 9, 1), 0);
  EXPECT_EQ(b.stats().bank_reads_words, (std::vector<std::int64_t>{1, 1, 1, 0}));
  EXPECT_EQ(b.stats().bank_writes_words, (std::vector<std::int64_t>{0, 0, 0, 1}));
}

TEST(SramBuffer, ReadsAndWritesShareThePorts) {
  SramBuffer one(buffer(4, 1));
  EXPECT_EQ(one.access(SramAccess::read, 0, 2), 2);   // banks 0, 1
  EXPECT_EQ(one.access(SramAccess::write, 4, 4), 0);  // word 4 is in bank 0: busy
  SramBuffer two(buffer(4, 2));
  EXPECT_EQ(two.access(SramAccess::read, 0, 2), 2);
  EXPECT_EQ(two.access(SramAccess::write, 4, 4), 4);  // each bank has a second port
  EXPECT_EQ(two.access(SramAccess::write, 8, 1), 0);  // bank 0 now used twice
}

TEST(SramBuffer, OddBankCountAndConflictStallsReportedByTheCaller) {
  // 3 banks, 1 port: a caller streaming 10 words from address 2 takes
  // ceil(10 / 3) = 4 cycles, 3 words per cycle then 1; it stalled 3 cycles.
  SramBuffer b(buffer(3, 1));
  std::int64_t address = 2, left = 10, cycles = 0;
  while (left > 0) {
    const std::int64_t granted = b.access(SramAccess::read, address, left);
    address += granted;
    left -= granted;
    b.step();
    ++cycles;
  }
  EXPECT_EQ(cycles, 4);
  b.add_conflict_stall_cycles(cycles - 1);
  EXPECT_EQ(b.stats().conflict_stall_cycles, 3);
  // Words 2..11: banks 2,0,1, 2,0,1, 2,0,1, 2.
  EXPECT_EQ(b.stats().bank_reads_words, (std::vector<std::int64_t>{3, 3, 4}));
  EXPECT_EQ(to_json(b.stats()).dump(),
            R"({"bank_reads_words":[3,3,4],"bank_writes_words":[0,0,0],"conflict_stall_cycles":3,)"
            R"("reads_words":10,"writes_words":0})");
}

TEST(SramBuffer, WordsPerBankInClosedForm) {
  // Words 5..11 over 3 banks: banks 2,0,1,2,0,1,2: floor(7/3) = 2 each, and
  // the 7 mod 3 = 1 bank from 5 mod 3 = 2 one more.
  std::vector<std::int64_t> banks(3, 0);
  add_words_per_bank(banks, 5, 7);
  EXPECT_EQ(banks, (std::vector<std::int64_t>{2, 2, 3}));
  add_words_per_bank(banks, 5, 7, 2);  // twice more
  EXPECT_EQ(banks, (std::vector<std::int64_t>{6, 6, 9}));
  // Words 6, 7, 8 over 4 banks: banks 2, 3, 0 (the rest wraps around the banks).
  std::vector<std::int64_t> four(4, 0);
  add_words_per_bank(four, 6, 3);
  EXPECT_EQ(four, (std::vector<std::int64_t>{1, 0, 1, 1}));
  add_words_per_bank(four, 3, 0);  // nothing
  EXPECT_EQ(four, (std::vector<std::int64_t>{1, 0, 1, 1}));
}

TEST(SramBuffer, StreamedWordsWrapAtTheBufferEnd) {
  // A buffer of 10 words in 3 banks; 25 words from word 8: words 8, 9 (banks
  // 2, 0), then 2 whole passes over words 0..9 (banks 0,1,2,0,1,2,0,1,2,0:
  // 4, 3, 3 each pass), then words 0, 1, 2 (banks 0, 1, 2):
  // (1, 0, 1) + 2 x (4, 3, 3) + (1, 1, 1) = (10, 7, 8).
  std::vector<std::int64_t> banks(3, 0);
  add_stream_per_bank(banks, 10, 8, 25);
  EXPECT_EQ(banks, (std::vector<std::int64_t>{10, 7, 8}));
  // Without the wrap (addresses 8..32) it would be (8, 8, 9): the buffer's
  // end matters when the capacity is no multiple of the banks.
  std::vector<std::int64_t> flat(3, 0);
  add_words_per_bank(flat, 8, 25);
  EXPECT_EQ(flat, (std::vector<std::int64_t>{8, 8, 9}));
  // Within the buffer the stream is the plain distribution.
  std::vector<std::int64_t> inside(3, 0);
  add_stream_per_bank(inside, 10, 1, 9, 2);
  EXPECT_EQ(inside, (std::vector<std::int64_t>{6, 6, 6}));
}

TEST(SramBuffer, CountedWordsTakeNoPort) {
  // 80 bytes of 64-bit words: 10 words in 3 banks of one port. A DMA fill of
  // 25 words from word 8 is counted per bank as above, and the same cycle's
  // arbitrated read of 3 words still finds every port free.
  SramBuffer b(buffer(3, 1, 64, 80));
  b.count_words(SramAccess::write, 8, 25);
  EXPECT_EQ(b.access(SramAccess::read, 0, 3), 3);
  b.count_words(SramAccess::read, 0, 4);  // words 0..3: banks 0, 1, 2, 0
  EXPECT_EQ(b.stats().writes_words, 25);
  EXPECT_EQ(b.stats().bank_writes_words, (std::vector<std::int64_t>{10, 7, 8}));
  EXPECT_EQ(b.stats().reads_words, 3 + 4);
  EXPECT_EQ(b.stats().bank_reads_words, (std::vector<std::int64_t>{1 + 2, 1 + 1, 1 + 1}));
}

}  // namespace
}  // namespace qtsim
