#pragma once
// check_run: every check `qtsim run` makes before it simulates, beyond
// loading its inputs (run_inputs.h). `qtsim validate` runs exactly
// load_run_inputs + EnergyTable::load + check_run, so it accepts exactly
// what `qtsim run` accepts:
//   - the output folder may be written (output_folder.h rules);
//   - --memo names a writable folder, or nothing yet;
//   - in reference mode, the operands of one iteration fit the memory limit;
//   - every precision the run meets (each tier of the replayed epochs' plans
//     and the baseline) runs on the configured PE kind, every GEMM of the
//     lowering tiles into the buffers at the trace's batch size, and the
//     energy table prices every action: checked by costing, in fast mode, one
//     iteration with a group of batch_size samples at each such precision.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/run_inputs.h"
#include "sim/energy/energy_table.h"

namespace qtsim {

struct RunOptions {
  std::string memo_dir;                 // empty: no memo
  int memo_verify = 0;                  // memo entries to recompute and compare (--memo-verify)
  std::int64_t memory_limit_bytes = 0;  // 0: the machine's physical memory
  bool check_output_folder = true;      // false: a sweep point, which writes no folder of its own
};

// Returns the warnings (buffers that do not meet the clock, interpolation
// between bank counts: sram_warnings), for the caller to show.
std::vector<std::string> check_run(const RunDocument& document, const RunInputs& inputs, const EnergyTable& table,
                                   const RunOptions& options);

}  // namespace qtsim
