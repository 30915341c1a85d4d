#include "workloads/trace/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace qtsim {
namespace {

// Returns a fixed sequence of 64-bit values, then fails the test if asked for more.
class ScriptedEngine {
 public:
  explicit ScriptedEngine(std::vector<std::uint64_t> values) : values_(std::move(values)) {}
  std::uint64_t operator()() {
    if (next_ >= values_.size()) {
      ADD_FAILURE() << "scripted engine exhausted";
      return 0;
    }
    return values_[next_++];
  }
  std::size_t used() const { return next_; }

 private:
  std::vector<std::uint64_t> values_;
  std::size_t next_ = 0;
};

constexpr std::uint64_t kTwo63 = 1ULL << 63;

TEST(TraceRng, Mt19937_64IsTheStandardSequence) {
  // The C++ standard ([rand.predef]) fixes the 10000th output of a
  // default-constructed mt19937_64 (seed 5489): 9981545732273789042.
  std::mt19937_64 engine;
  for (int i = 1; i < 10000; ++i) engine();
  EXPECT_EQ(engine(), 9981545732273789042ULL);
}

TEST(TraceRng, SplitMix64MatchesTheReferenceOutput) {
  // Vigna's splitmix64.c from state 0: first output 0xE220A8397B1DCDAF
  // = 16294208416658607535, second 7960286522194355700 (computed with an
  // independent Python transcription of the reference code).
  SplitMix64 seeds(0);
  EXPECT_EQ(seeds.next(), 16294208416658607535ULL);
  EXPECT_EQ(seeds.next(), 7960286522194355700ULL);
}

TEST(TraceRng, UniformBelowRejectsTheBiasedLowRange) {
  // n = 3: 2^64 mod 3 = 1 (2^64 = 4^32 and 4 = 1 mod 3), so 0 is rejected and
  // the next value, 5, gives 5 mod 3 = 2.
  ScriptedEngine engine({0, 5});
  EXPECT_EQ(uniform_below(engine, 3), 2u);
  EXPECT_EQ(engine.used(), 2u);
}

TEST(TraceRng, UniformBelowLargeBoundRejectsHalfTheRange) {
  // n = 2^63 + 1: 2^64 mod n = 2^64 - n = 2^63 - 1. So 2^63 - 2 is rejected;
  // 2^63 - 1 is accepted and is its own remainder.
  ScriptedEngine engine({kTwo63 - 2, kTwo63 - 1});
  EXPECT_EQ(uniform_below(engine, kTwo63 + 1), kTwo63 - 1);
  EXPECT_EQ(engine.used(), 2u);
}

TEST(TraceRng, UniformBelowPowerOfTwoNeverRejects) {
  // n = 8 divides 2^64: threshold 0, result = x mod 8 = 13 mod 8 = 5.
  ScriptedEngine engine({13});
  EXPECT_EQ(uniform_below(engine, 8), 5u);
  ScriptedEngine one({0xFFFFFFFFFFFFFFFFULL});
  EXPECT_EQ(uniform_below(one, 1), 0u);
}

TEST(TraceRng, UniformBelowOnMt19937_64) {
  // First output of mt19937_64 seeded 5489 is 14514284786278117030; the
  // threshold for n = 10 is 2^64 mod 10 = 6, so it is accepted: ... mod 10 = 0.
  std::mt19937_64 engine(5489);
  EXPECT_EQ(uniform_below(engine, 10), 0u);
}

TEST(TraceRng, UniformUnitUsesTheTop53Bits) {
  // (2^63 >> 11) * 2^-53 = 2^52 * 2^-53 = 0.5; all ones give (2^53 - 1) * 2^-53.
  ScriptedEngine engine({kTwo63, 0xFFFFFFFFFFFFFFFFULL, 0x7FF});
  EXPECT_EQ(uniform_unit(engine), 0.5);
  EXPECT_EQ(uniform_unit(engine), 1.0 - std::ldexp(1.0, -53));
  EXPECT_EQ(uniform_unit(engine), 0.0);  // the low 11 bits are dropped
}

TEST(TraceRng, StandardNormalIsBoxMullerCosineBranch) {
  // u1 = 1 - 0.5 = 0.5, u2 = 0: sqrt(-2 ln 0.5) * cos(0) = sqrt(2 ln 2) = 1.1774100225154747.
  ScriptedEngine engine({kTwo63, 0});
  EXPECT_NEAR(standard_normal(engine), 1.1774100225154747, 1e-15);
  // u1 = 1 - 0 = 1 (log 0 never happens): sqrt(0) * cos(...) = 0.
  ScriptedEngine zero({0, kTwo63});
  EXPECT_EQ(standard_normal(zero), 0.0);
  // u1 = 0.5, u2 = 0.5: cos(pi) = -1.
  ScriptedEngine negative({kTwo63, kTwo63});
  EXPECT_NEAR(standard_normal(negative), -1.1774100225154747, 1e-15);
}

TEST(TraceRng, FisherYatesSwapsFromTheTop) {
  // {a, b, c}: i = 2 draws uniform_below(3) from 4 (threshold 1): j = 1, swap
  // items[2] and items[1] -> {a, c, b}; i = 1 draws uniform_below(2) from 6:
  // j = 0, swap items[1] and items[0] -> {c, a, b}.
  std::vector<std::string> items = {"a", "b", "c"};
  ScriptedEngine engine({4, 6});
  fisher_yates(items, engine);
  EXPECT_EQ(items, (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_EQ(engine.used(), 2u);
}

TEST(TraceRng, FisherYatesKeepsTheMultiset) {
  std::vector<int> items = {0, 0, 1, 1, 1, 2, 3, 3, 3, 3};
  std::mt19937_64 engine(7);
  fisher_yates(items, engine);
  std::vector<int> counts(4, 0);
  for (int v : items) ++counts[v];
  EXPECT_EQ(counts, (std::vector<int>{2, 3, 1, 4}));
}

}  // namespace
}  // namespace qtsim
