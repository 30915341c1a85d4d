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
// Writing is atomic (a uniquely named temporary beside, then rename), so a
// killed run leaves the old file or the new one; writers of one file take
// turns under an flock on DIR/<key>.cbor.lock and merge their entries with
// the file's, so any number of runs may share DIR at once.
//
// What the memo trusts: a file whose key and checksum match is believed
// without recomputation (the checksum catches damage, not a deliberate edit
// that recomputes it). verify_memo (`--memo-verify N`) recomputes N
// randomly chosen entries and fails if any differs. The memo never changes a
// run's outputs unless such an edited file is trusted.
#include <string>

#include "sim/replay/replay.h"

namespace qtsim {

std::string memo_key(const HardwareConfig& hardware, const TrainingStep& step, IterationMemo::Mode mode);

// What load_memo found.
enum class MemoLoad { missing, loaded, stale, corrupt };

// Throws Error when DIR exists but is not a writable folder (a missing DIR
// is created when the memo is saved).
void check_memo_dir(const std::string& dir);
std::string memo_file_path(const std::string& dir, const std::string& key);

// Loads DIR/<key>.cbor into `memo` (which must be empty); returns what it found.
MemoLoad load_memo(const std::string& dir, const std::string& key, IterationMemo& memo);
// Writes `memo` to DIR/<key>.cbor, creating DIR, merged with the entries
// other runs saved there meanwhile.
void save_memo(const std::string& dir, const std::string& key, const IterationMemo& memo);
// Recomputes `count` entries of `memo` chosen at random from `seed` (all
// when count exceeds the entries) and throws Error naming `memo_file` and the
// entry when one differs; returns a one-line report.
std::string verify_memo(IterationMemo& memo, const std::string& memo_file, int count, std::uint64_t seed);

}  // namespace qtsim
