// Memo files: the input is the content of a memo file for a small network on
// the default hardware; load_memo must answer loaded, stale or corrupt, and a
// loaded memo must price and save again.
#include "sim/replay/memo_file.h"
#include "tests/fuzz/fuzz_util.h"
#include "workloads/network/network_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qtsim;
  static const HardwareConfig hardware;
  static const EnergyTable table = EnergyTable::load(hardware.energy.table);
  static const Network network = load_network(QTSIM_SOURCE_DIR "/tests/fixtures/configs/tiny3_network.json");
  static const TrainingStep step = lower_training_step(network);
  static const std::string key = memo_key(hardware, step, IterationMemo::Mode::fast);
  const std::string dir = fuzz::scratch_dir() + "/memo";
  ::mkdir(dir.c_str(), 0700);
  static const std::string path = memo_file_path(dir, key);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << fuzz::text(data, size);
  IterationMemo memo(hardware, table, step);
  fuzz::expect_only_errors([&] {
    if (load_memo(dir, key, memo) == MemoLoad::loaded && memo.size() > 0) save_memo(dir, key, memo);
  });
  return 0;
}
