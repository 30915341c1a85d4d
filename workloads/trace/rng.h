#pragma once
// Portable random numbers for the synthetic trace generators.
//
// The C++ standard fixes the output of std::mt19937_64 (and of SplitMix64,
// written out here), but not that of std::uniform_int_distribution,
// std::normal_distribution or std::shuffle: their results differ between
// standard libraries. Generators that must give the same bytes on every
// platform use only the helpers below, whose algorithms are spelled out:
//   uniform_below   unbiased integer in [0, n) by rejection ("threshold"
//                   method: reject x < 2^64 mod n, then take x mod n);
//   uniform_unit    53-bit double in [0, 1): (x >> 11) * 2^-53;
//   standard_normal Box-Muller, cosine branch only: one normal per two draws;
//   fisher_yates    Durstenfeld's shuffle, i from n-1 down to 1, j = uniform_below(i + 1).
// The normal uses std::log/std::sqrt/std::cos: IEEE-754 fixes sqrt exactly,
// log and cos may differ in the last bit between C libraries (see the trace
// README on why that cannot change a stored, rounded value in practice).
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace qtsim {

// SplitMix64 (Steele, Lea and Flood, OOPSLA 2014; the constants of Vigna's
// reference splitmix64.c): derives independent seeds from one user seed.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

// Uniform integer in [0, n), n >= 1, without modulo bias. `engine` is any
// generator whose operator() returns uniformly distributed 64-bit values
// (std::mt19937_64, or a scripted sequence in tests). Values below
// 2^64 mod n (computed as (0 - n) mod n in 64-bit arithmetic) are rejected, so
// the accepted range holds a whole number of copies of [0, n).
template <class Engine>
std::uint64_t uniform_below(Engine& engine, std::uint64_t n) {
  const std::uint64_t threshold = (0 - n) % n;
  for (;;) {
    const std::uint64_t x = engine();
    if (x >= threshold) return x % n;
  }
}

// Uniform double in [0, 1) with 53 random bits.
template <class Engine>
double uniform_unit(Engine& engine) {
  return static_cast<double>(engine() >> 11) * 0x1.0p-53;
}

// Standard normal deviate (mean 0, deviation 1): Box-Muller with
// u1 = 1 - uniform_unit (in (0, 1], so the log is finite) drawn first, then
// u2 = uniform_unit; returns sqrt(-2 ln u1) * cos(2 pi u2).
template <class Engine>
double standard_normal(Engine& engine) {
  constexpr double kTwoPi = 6.283185307179586476925286766559;
  const double u1 = 1.0 - uniform_unit(engine);
  const double u2 = uniform_unit(engine);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

// Shuffles `items` in place, every permutation equally likely.
template <class T, class Engine>
void fisher_yates(std::vector<T>& items, Engine& engine) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(uniform_below(engine, i));
    std::swap(items[i - 1], items[j]);
  }
}

}  // namespace qtsim
