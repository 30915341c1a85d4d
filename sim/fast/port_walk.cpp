#include "sim/fast/port_walk.h"

#include <algorithm>

namespace qtsim {
namespace {

// Words read per bank, as a circular difference array: O(1) per request.
class BankCounter {
 public:
  explicit BankCounter(std::int64_t banks) : banks_(banks), diff_(static_cast<std::size_t>(banks) + 1, 0) {}

  // Words [address, address + words) land on banks address mod banks, onwards, cyclically.
  void add(std::int64_t address, std::int64_t words) {
    every_ += words / banks_;
    const std::int64_t rest = words % banks_;
    if (rest == 0) return;
    const std::int64_t first = address % banks_, end = first + rest;
    ++diff_[first];
    if (end <= banks_) {
      --diff_[end];
    } else {
      --diff_[banks_];
      ++diff_[0];
      --diff_[end - banks_];
    }
  }

  std::vector<std::int64_t> counts() const {
    std::vector<std::int64_t> out(static_cast<std::size_t>(banks_));
    std::int64_t running = 0;
    for (std::int64_t b = 0; b < banks_; ++b) out[b] = every_ + (running += diff_[b]);
    return out;
  }

 private:
  std::int64_t banks_;
  std::int64_t every_ = 0;  // words added to every bank
  std::vector<std::int64_t> diff_;
};

// One edge's word address in its buffer (SystolicArray::a_address_ / b_address_).
class Edge {
 public:
  explicit Edge(const BufferConfig& buffer)
      : capacity_(buffer.capacity_words()), limit_(std::int64_t{buffer.banks} * buffer.ports), banks_(buffer.banks) {}

  // The next request of `pending` words: where it starts (at the next address,
  // or at 0 when the words asked would cross the end) and how many words are
  // asked for (at most the capacity; at most banks x ports can be granted).
  std::int64_t start(std::int64_t pending) const {
    return address_ + std::min(pending, capacity_) > capacity_ ? 0 : address_;
  }
  std::int64_t asked(std::int64_t pending) const { return std::min({pending, capacity_, limit_}); }
  // The next address is right after the words granted.
  void grant(std::int64_t start, std::int64_t words) {
    banks_.add(start, words);
    address_ = start + words == capacity_ ? 0 : start + words;
  }
  std::int64_t limit() const { return limit_; }
  std::vector<std::int64_t> bank_reads() const { return banks_.counts(); }

 private:
  std::int64_t capacity_, limit_;
  BankCounter banks_;
  std::int64_t address_ = 0;  // the next word, in [0, capacity)
};

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// Grants `words` to an edge alone in its buffer: one request per cycle, each served in full up to the limit.
void read_alone(Edge& edge, std::int64_t words) {
  while (words > 0) {
    const std::int64_t start = edge.start(words), granted = edge.asked(words);
    edge.grant(start, granted);
    words -= granted;
  }
}

PortWalk walk_separate(const std::vector<EdgeRun>& runs, Edge& a, Edge& b) {
  PortWalk walk;
  for (const EdgeRun& run : runs) {
    const std::int64_t a_cycles = ceil_div(run.a_words, a.limit()), b_cycles = ceil_div(run.b_words, b.limit());
    walk.stall_cycles += run.steps * (std::max({a_cycles, b_cycles, std::int64_t{1}}) - 1);
    walk.a.conflict_stall_cycles += run.steps * std::max<std::int64_t>(a_cycles - 1, 0);
    walk.b.conflict_stall_cycles += run.steps * std::max<std::int64_t>(b_cycles - 1, 0);
    for (std::int64_t s = 0; s < run.steps; ++s) {
      read_alone(a, run.a_words);
      read_alone(b, run.b_words);
    }
  }
  return walk;
}

PortWalk walk_shared(const std::vector<EdgeRun>& runs, Edge& a, Edge& b, const BufferConfig& buffer) {
  PortWalk walk;
  for (const EdgeRun& run : runs) {
    for (std::int64_t s = 0; s < run.steps; ++s) {
      std::int64_t a_pending = run.a_words, b_pending = run.b_words;
      while (true) {
        std::int64_t a_start = 0, a_granted = 0;
        if (a_pending > 0) {
          a_start = a.start(a_pending);
          a_granted = a.asked(a_pending);
          a.grant(a_start, a_granted);
          a_pending -= a_granted;
        }
        if (b_pending > 0) {
          const std::int64_t b_start = b.start(b_pending);
          const std::int64_t granted =
              granted_after_first(a_start, a_granted, b_start, b.asked(b_pending), buffer.banks, buffer.ports);
          b.grant(b_start, granted);
          b_pending -= granted;
        }
        if (a_pending == 0 && b_pending == 0) break;
        ++walk.stall_cycles;
        ++walk.a.conflict_stall_cycles;  // the one buffer refused A, B or both: one cycle
      }
    }
  }
  return walk;
}

}  // namespace

std::int64_t granted_after_first(std::int64_t first_address, std::int64_t first_words, std::int64_t second_address,
                                 std::int64_t limit, std::int64_t banks, std::int64_t ports) {
  if (first_words == 0) return limit;
  // The first request used every bank q times, and r banks from first_address
  // on once more. The second request's word j goes to bank (second_address +
  // j) mod banks, which its own earlier words used floor(j / banks) times; it
  // is refused when that bank's uses reach `ports`.
  const std::int64_t q = first_words / banks, r = first_words % banks;
  std::int64_t refused;
  if (r == 0) {
    refused = (ports - q) * banks;
  } else {
    const std::int64_t e = ((second_address - first_address) % banks + banks) % banks;
    refused = (ports - q - 1) * banks + (e < r ? 0 : banks - e);
  }
  return std::min(limit, refused);
}

PortWalk walk_ports(const std::vector<EdgeRun>& runs, const BufferConfig& a_buffer, const BufferConfig& b_buffer,
                    bool shared_buffer) {
  Edge a(a_buffer), b(b_buffer);
  PortWalk walk = shared_buffer ? walk_shared(runs, a, b, a_buffer) : walk_separate(runs, a, b);
  walk.a.bank_reads_words = a.bank_reads();
  walk.b.bank_reads_words = b.bank_reads();
  return walk;
}

}  // namespace qtsim
