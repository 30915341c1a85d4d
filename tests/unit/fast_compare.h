#pragma once
// Field-by-field comparison of a fast-mode run with the reference-mode run of
// the same jobs: every statistic must be equal, except the two that depend on
// operand values (ArrayStats::overflows and JobResult::c), which fast mode
// does not compute. Each mismatch names its field.
#include <gtest/gtest.h>

#include <string>

#include "sim/fast/fast_simulator.h"
#include "sim/reference/reference_top.h"

namespace qtsim::test {

inline void expect_same(const ArrayStats& fast, const ArrayStats& ref, const std::string& where) {
#define QTSIM_FAST_EQ(field) EXPECT_EQ(fast.field, ref.field) << where << "." #field
  QTSIM_FAST_EQ(cycles);
  QTSIM_FAST_EQ(pe_active_cycles);
  QTSIM_FAST_EQ(macs);
  QTSIM_FAST_EQ(weight_loads);
  QTSIM_FAST_EQ(folds);
  QTSIM_FAST_EQ(a_read_elements);
  QTSIM_FAST_EQ(a_read_words);
  QTSIM_FAST_EQ(b_read_elements);
  QTSIM_FAST_EQ(b_read_words);
  QTSIM_FAST_EQ(out_read_values);
  QTSIM_FAST_EQ(out_read_words);
  QTSIM_FAST_EQ(out_write_values);
  QTSIM_FAST_EQ(out_write_words);
  QTSIM_FAST_EQ(port_stall_cycles);
  EXPECT_EQ(fast.overflows, 0) << where << ".overflows (fast mode has no values)";
}

inline void expect_same(const CycleBreakdown& fast, const CycleBreakdown& ref, const std::string& where) {
  for (const CycleBreakdown::Cause& c : CycleBreakdown::kCauses) {
    EXPECT_EQ(fast.*c.field, ref.*c.field) << where << "." << c.name;
  }
}

inline void expect_same(const ControllerStats& fast, const ControllerStats& ref, const std::string& where) {
  QTSIM_FAST_EQ(cycles);
  expect_same(fast.causes, ref.causes, where + ".causes");
  QTSIM_FAST_EQ(reconfigurations);
  QTSIM_FAST_EQ(tiles);
  expect_same(fast.array, ref.array, where + ".array");
  ASSERT_EQ(fast.buffers.size(), ref.buffers.size()) << where << ".buffers";
  for (const auto& [operand, r] : ref.buffers) {
    const std::string name = where + ".buffers[" + to_string(operand) + "]";
    ASSERT_EQ(fast.buffers.count(operand), 1u) << name;
    const SramStats& f = fast.buffers.at(operand);
    EXPECT_EQ(f.reads_words, r.reads_words) << name << ".reads_words";
    EXPECT_EQ(f.writes_words, r.writes_words) << name << ".writes_words";
    EXPECT_EQ(f.bank_reads_words, r.bank_reads_words) << name << ".bank_reads_words";
    EXPECT_EQ(f.bank_writes_words, r.bank_writes_words) << name << ".bank_writes_words";
    EXPECT_EQ(f.conflict_stall_cycles, r.conflict_stall_cycles) << name << ".conflict_stall_cycles";
  }
  ASSERT_EQ(fast.vector_ops.size(), ref.vector_ops.size()) << where << ".vector_ops";
  for (const auto& [op, r] : ref.vector_ops) {
    const std::string name = where + ".vector_ops[" + op + "]";
    ASSERT_EQ(fast.vector_ops.count(op), 1u) << name;
    EXPECT_EQ(fast.vector_ops.at(op).operations, r.operations) << name << ".operations";
    EXPECT_EQ(fast.vector_ops.at(op).elements, r.elements) << name << ".elements";
    EXPECT_EQ(fast.vector_ops.at(op).cycles, r.cycles) << name << ".cycles";
  }
}

inline void expect_same(const DmaStats& fast, const DmaStats& ref, const std::string& where) {
  for (Operand o : kOperands) {
    const std::string name = where + ".operands[" + to_string(o) + "]";
    EXPECT_EQ(fast.at(o).read_bytes, ref.at(o).read_bytes) << name << ".read_bytes";
    EXPECT_EQ(fast.at(o).read_burst_bytes, ref.at(o).read_burst_bytes) << name << ".read_burst_bytes";
    EXPECT_EQ(fast.at(o).write_bytes, ref.at(o).write_bytes) << name << ".write_bytes";
    EXPECT_EQ(fast.at(o).write_burst_bytes, ref.at(o).write_burst_bytes) << name << ".write_burst_bytes";
  }
  QTSIM_FAST_EQ(transfers);
  QTSIM_FAST_EQ(busy_cycles);
  QTSIM_FAST_EQ(data_cycles);
}

inline void expect_same(const PeMode& fast, const PeMode& ref, const std::string& where) {
  QTSIM_FAST_EQ(a_bits);
  QTSIM_FAST_EQ(b_bits);
  QTSIM_FAST_EQ(a_run_bits);
  QTSIM_FAST_EQ(b_run_bits);
  QTSIM_FAST_EQ(pack);
  QTSIM_FAST_EQ(slices);
  QTSIM_FAST_EQ(a_chunks);
  QTSIM_FAST_EQ(a_chunk_bits);
  QTSIM_FAST_EQ(b_chunks);
  QTSIM_FAST_EQ(b_chunk_bits);
}

inline void expect_same(const TilePlan& fast, const TilePlan& ref, const std::string& where) {
  EXPECT_TRUE(fast.mapping == ref.mapping)
      << where << ".mapping: " << to_string(fast.mapping) << " vs " << to_string(ref.mapping);
  QTSIM_FAST_EQ(m_tiles);
  QTSIM_FAST_EQ(k_tiles);
  QTSIM_FAST_EQ(n_tiles);
  ASSERT_EQ(fast.tiles.size(), ref.tiles.size()) << where << ".tiles";
  for (std::size_t i = 0; i < ref.tiles.size(); ++i) {
    const Tile& f = fast.tiles[i];
    const Tile& r = ref.tiles[i];
    const bool same = f.m0 == r.m0 && f.m_len == r.m_len && f.k0 == r.k0 && f.k_len == r.k_len && f.n0 == r.n0 &&
                      f.n_len == r.n_len && f.first_k == r.first_k && f.last_k == r.last_k && f.load_a == r.load_a &&
                      f.load_b == r.load_b && f.a_bytes == r.a_bytes && f.b_bytes == r.b_bytes &&
                      f.c_bytes == r.c_bytes && f.a_words == r.a_words && f.b_words == r.b_words &&
                      f.c_words == r.c_words;
    EXPECT_TRUE(same) << where << ".tiles[" << i << "]";
  }
}

inline void expect_same(const JobStats& fast, const JobStats& ref, const std::string& where) {
  expect_same(fast.causes, ref.causes, where + ".causes");
  QTSIM_FAST_EQ(tiles);
  QTSIM_FAST_EQ(dram_read_bytes);
  QTSIM_FAST_EQ(dram_write_bytes);
  for (Operand o : kOperands) {
    const std::string name = where + ".buffer_words[" + to_string(o) + "]";
    EXPECT_EQ(fast.buffer(o).reads_words, ref.buffer(o).reads_words) << name << ".reads_words";
    EXPECT_EQ(fast.buffer(o).writes_words, ref.buffer(o).writes_words) << name << ".writes_words";
  }
  expect_same(fast.array, ref.array, where + ".array");
}
#undef QTSIM_FAST_EQ

// Every field of `fast` against `ref`; `where` names the case in messages.
inline void expect_same(const FastRun& fast, const JobsSimulation& ref, const std::string& where) {
  expect_same(fast.controller, ref.controller, where + " controller");
  expect_same(fast.dma, ref.dma, where + " dma");
  ASSERT_EQ(fast.jobs.size(), ref.jobs.size()) << where << " jobs";
  for (std::size_t j = 0; j < ref.jobs.size(); ++j) {
    const std::string name = where + " jobs[" + std::to_string(j) + "]";
    expect_same(fast.jobs[j].mode, ref.jobs[j].mode, name + ".mode");
    expect_same(fast.jobs[j].tiles, ref.jobs[j].tiles, name + ".tiles");
    expect_same(fast.jobs[j].stats, ref.jobs[j].stats, name + ".stats");
    EXPECT_TRUE(fast.jobs[j].c.empty()) << name << ".c (fast mode has no values)";
  }
}

}  // namespace qtsim::test
