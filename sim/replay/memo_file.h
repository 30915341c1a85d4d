#pragma once
// Memo files: an IterationMemo saved to disk, so that repeated runs and
// sweeps reuse the iteration costs (`qtsim run --memo DIR`).
//
// What is stored: per distinct group composition, its IterationCost without
// energy (cycles, counts, rows, and the action counts per phase x group);
// energy is priced again from the actions when a memo is loaded, so a memo
// serves any energy table. A file's key hashes everything the stored values
// depend on: the timing model's sources (kTimingModelHash, generated at build
// time), qtsim's version, the hardware configuration (without its energy
// section), the lowering of the network, and the mode (fast or reference).
// The file is DIR/<key>.cbor; inside, a format tag, the key again and a
// checksum of the entries. A missing file starts an empty memo; a file whose
// key differs (stale) or that does not parse or whose checksum fails
// (corrupt) is reported on stderr, ignored and rewritten: never trusted.
// Writing is atomic (write beside, rename), so a killed run leaves the old
// file or the new one. The memo never changes a run's outputs.
#include <string>

#include "sim/replay/replay.h"

namespace qtsim {

std::string memo_key(const HardwareConfig& hardware, const TrainingStep& step, IterationMemo::Mode mode);

// What load_memo found.
enum class MemoLoad { missing, loaded, stale, corrupt };

// Loads DIR/<key>.cbor into `memo` (which must be empty); returns what it found.
MemoLoad load_memo(const std::string& dir, const std::string& key, IterationMemo& memo);
// Writes `memo` to DIR/<key>.cbor, creating DIR.
void save_memo(const std::string& dir, const std::string& key, const IterationMemo& memo);

}  // namespace qtsim
