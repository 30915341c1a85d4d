// SCALE-Sim's report conventions (sim/report/scalesim_report.h) and its
// topology rules (workloads/topology/scalesim_topology.h), against values
// worked out by hand and Python's own repr(); the whole reports are compared
// with SCALE-Sim's files in tests/python/scalesim_layers.py.
#include <gtest/gtest.h>

#include "base/error.h"
#include "hw_models/config/hardware_config.h"
#include "sim/report/scalesim_report.h"
#include "workloads/topology/scalesim_topology.h"

namespace qtsim {
namespace {

TEST(PythonFloatRepr, MatchesPythonsRepr) {
  // repr() of each in CPython 3.11.
  EXPECT_EQ(python_float_repr(100.0), "100.0");
  EXPECT_EQ(python_float_repr(62.5), "62.5");
  EXPECT_EQ(python_float_repr(0.1), "0.1");
  EXPECT_EQ(python_float_repr(1e-05), "1e-05");
  EXPECT_EQ(python_float_repr(0.0001), "0.0001");
  EXPECT_EQ(python_float_repr(1e16), "1e+16");
  EXPECT_EQ(python_float_repr(1.5e16), "1.5e+16");
  EXPECT_EQ(python_float_repr(123456789012345.0), "123456789012345.0");
  EXPECT_EQ(python_float_repr(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(python_float_repr(-2.5), "-2.5");
  EXPECT_EQ(python_float_repr(0.0), "0.0");
  EXPECT_EQ(python_float_repr(3.0078124999999996), "3.0078124999999996");
}

TEST(ScaleSimTopology, CeilOutputDepthwiseAndColumnStride) {
  const std::vector<TopologyLayer> layers = parse_scalesim_topology(
      "\xEF\xBB\xBFLayer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
      "Strides,\r\nc, 10, 10, 3, 3, 2, 6, 2,\r\n\r\nr, 12, 10, 3, 2, 3, 7, 2, 1,\nDPd, 7, 7, 3, 3, 2, 1, 1,\n",
      "t.csv", TopologyFormat::detect);
  ASSERT_EQ(layers.size(), 4u);
  // ceil((10 - 3 + 2) / 2) = 5 rows, one more than floor(7 / 2) + 1 = 4: it reads past the edge.
  EXPECT_EQ(layers[0].out_h, 5);
  EXPECT_EQ(layers[0].m, 25);
  EXPECT_EQ(layers[0].k, 18);
  EXPECT_TRUE(layers[0].reads_past_edge());
  EXPECT_EQ(layers[1].stride_w, 1);
  EXPECT_EQ(layers[1].out_w, 9);  // 10 - 2 + 1
  EXPECT_EQ(layers[1].out_h, 6);  // ceil(11 / 2)
  EXPECT_EQ(layers[2].name, "DPdChannel_0");
  EXPECT_EQ(layers[3].name, "DPdChannel_1");
  EXPECT_EQ(layers[3].k, 9);
  EXPECT_FALSE(layers[3].reads_past_edge());
}

TEST(ScaleSimTopology, GemmRows) {
  const auto layers = parse_scalesim_topology("Layer, M, N, K,\nfc, 50, 20, 37,\n", "g.csv", TopologyFormat::detect);
  ASSERT_EQ(layers.size(), 1u);
  EXPECT_TRUE(layers[0].gemm);
  EXPECT_EQ(layers[0].m, 50);
  EXPECT_EQ(layers[0].n, 20);
  EXPECT_EQ(layers[0].k, 37);
  EXPECT_THROW(parse_scalesim_topology("Layer, M, N, K,\nfc, 50, 20, 37\n", "g.csv", TopologyFormat::detect), Error);
}

TEST(ScaleSimReport, AlexNetConv1WeightStationaryByHand) {
  // SCALE-Sim's own golden test: 224x224 input, 11x11 window, 3 channels, 96 filters, stride 4, ws 32x32.
  const auto layers = parse_scalesim_topology(
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
      "Conv1, 224, 224, 11, 11, 3, 96, 4,\n",
      "a.csv", TopologyFormat::detect);
  HardwareConfig hw;
  hw.mac_array.rows = hw.mac_array.cols = 32;
  const ScaleSimRow r = scalesim_row(layers[0], "ws", hw, 8, 8);
  // M = 55 x 55 = 3025 (ceil((224 - 11 + 4) / 4) = 55), K = 363, N = 96: 12 row folds x 3 column folds,
  // each 2R + C + M - 2 = 3119 cycles; numbered from 0.
  EXPECT_EQ(r.total_cycles, 36 * 3119 - 1);
  EXPECT_EQ(r.ifmap_reads, 3 * 3025 * 363);
  EXPECT_EQ(r.filter_reads, 363 * 96);
  EXPECT_EQ(r.ofmap_writes, 12 * 3025 * 96);
  EXPECT_EQ(r.filter_stop, 35 * 3119 + 32);
  // Mapping efficiency: 11 full row folds and one of 11 rows, all columns full: (11 + 11/32) / 12.
  EXPECT_DOUBLE_EQ(r.mapping_efficiency_percent, (11 + 11.0 / 32) / 12 * 100);
}

TEST(ScaleSimReport, OnlyOneProductPerPePerCycle) {
  const auto layers = parse_scalesim_topology("Layer, M, N, K,\nfc, 8, 8, 8,\n", "g.csv", TopologyFormat::detect);
  HardwareConfig hw;
  EXPECT_THROW(scalesim_row(layers[0], "os", hw, 4, 8), Error);
  hw.mac_array.pipelined_folds = true;
  EXPECT_THROW(scalesim_row(layers[0], "os", hw, 8, 8), Error);
}

}  // namespace
}  // namespace qtsim
