#pragma once
// Small text helpers for the readers of line-based files (SCALE-Sim
// topologies and configurations). Plain C++.
#include <string>

namespace qtsim {

// `s` without leading and trailing white space.
std::string trim(const std::string& s);
// `s` in lower case (ASCII).
std::string lower(std::string s);

}  // namespace qtsim
