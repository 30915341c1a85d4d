#pragma once
// qtsim::Error: the one exception type for problems a user can act on (bad
// configuration, trace, network or command-line value). Its message names the
// file, the key path or record, the value found and what is expected. The
// library never calls exit(); the command-line program catches Error, prints
// its message and exits non-zero. Internal invariants use assert instead.
#include <stdexcept>
#include <string>

namespace qtsim {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace qtsim
