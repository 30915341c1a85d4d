#pragma once
// The A and B buffers' bank and port arbitration of one tile's edge reads,
// reproducing SystolicArray::grant_edge_reads and SramBuffer::access
// (hw_models/mac_array/systolic_array.cpp, hw_models/sram/sram_buffer.cpp)
// run by run instead of cycle by cycle. Used by the tile model.
//
// What the reference does, and what is computed here: each array step
// requests its A words, then its B words, in every cycle until both are
// granted; a cycle that leaves either short is a port stall. Each edge
// streams through its buffer in address order: a request of w words at the
// edge's next address x starts at x, or at 0 when x + w would cross the end,
// and the next address is right after the words granted (mod the capacity);
// the addresses restart at 0 with every tile. A request made first in its
// cycle is granted min(words, banks x ports) words (consecutive words
// interleave over the banks), so with separate A and B buffers a step of w_A
// and w_B words takes max(ceil(w_A / (banks_A ports_A)), ceil(w_B / (banks_B
// ports_B))) cycles, independent of addresses, and each buffer stalls the
// cycles its own request needs beyond the first. When A and B share one
// buffer, B gets what A's grant of the same cycle left in each bank
// (granted_after_first()), and the buffer counts one conflict stall per port
// stall, whether A, B or both were refused (recorded in PortWalk::a).
// Per-bank reads follow the addresses.
#include <cstdint>
#include <vector>

#include "hw_models/config/memory_config.h"
#include "sim/fast/edge_schedule.h"

namespace qtsim {

// What one edge's reads did in its buffer.
struct BufferReads {
  std::vector<std::int64_t> bank_reads_words;  // [bank]
  std::int64_t conflict_stall_cycles = 0;
};

struct PortWalk {
  std::int64_t stall_cycles = 0;  // the array's port stalls
  BufferReads a, b;               // reads by the A edge and by the B edge
};

PortWalk walk_ports(const std::vector<EdgeRun>& runs, const BufferConfig& a_buffer, const BufferConfig& b_buffer,
                    bool shared_buffer);

// Words granted to a request of `limit` (<= banks x ports) consecutive words
// at `second_address` after a request of `first_words` words at
// `first_address` was granted in the same cycle of a buffer of `banks` x `ports`.
std::int64_t granted_after_first(std::int64_t first_address, std::int64_t first_words, std::int64_t second_address,
                                 std::int64_t limit, std::int64_t banks, std::int64_t ports);

}  // namespace qtsim
