#pragma once
// Names for temporary and staging files that no other process (on this or
// another machine sharing the folder) can pick: the process id and 64 random
// bits. Used by every writer that stages a file or folder beside its target.
#include <string>

namespace qtsim {

// "<pid>-<16 hex digits>", different at every call.
std::string unique_suffix();
// "<dir>/.<name>.qtsim-tmp-<unique_suffix()>" for a target "<dir>/<name>".
std::string sibling_temporary(const std::string& target);

}  // namespace qtsim
