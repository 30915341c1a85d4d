#include "sim/sweep/sweep_validate.h"

#include "base/error.h"
#include "base/json_file.h"
#include "sim/sweep/sweep_file.h"

namespace qtsim {
namespace {

// Each axis alone, at the first value it takes, on the base: an unknown key
// (or section) is the axis's fault, whatever the other axes hold.
void check_axes(const SweepFile& s) {
  for (const std::string& axis : s.axes) {
    for (const SweepPoint& p : s.points) {
      SweepPoint alone;
      for (const auto& [a, value] : p.values) {
        if (a == axis) alone.values.emplace_back(a, value);
      }
      if (alone.values.empty()) continue;
      try {
        resolve_run_config(point_document(s, alone));
      } catch (const Error& e) {
        const std::string what = e.what();
        if (what.find("unknown key") != std::string::npos || what.find("unknown section") != std::string::npos) {
          throw Error(s.path + ": axis " + axis + ": no such key in a run document: " + what);
        }
      }
      break;
    }
  }
}

}  // namespace

bool is_sweep_file(const std::string& path) {
  try {
    const Json doc = read_json_file(path);
    return doc.is_object() && doc.value("format", Json()) == "qtsim-sweep";
  } catch (const Error&) {
    return false;  // not JSON: the other readers say what is wrong
  }
}

void check_sweep_file(const SweepFile& sweep) {
  resolve_run_config(load_run_document(sweep.base));  // the base alone must be valid
  check_axes(sweep);
}

std::string validate_sweep(const std::string& path) {
  const SweepFile s = load_sweep_file(path);
  check_sweep_file(s);
  std::size_t filtered = 0, invalid = 0;
  std::string first_invalid;
  for (const SweepPoint& p : s.points) {
    try {
      if (!passes_filters(s, to_json(resolve_run_config(point_document(s, p))))) ++filtered;
    } catch (const Error& e) {
      if (invalid++ == 0) first_invalid = "point " + std::to_string(p.index) + " (" + describe(p) + "): " + e.what();
    }
  }
  std::string out = "ok: " + path + ": sweep of " + std::to_string(s.points.size()) + " points over " +
                    std::to_string(s.axes.size()) + " axes (" + join(s.axes) + "); " + std::to_string(filtered) +
                    " filtered out, " + std::to_string(s.points.size() - filtered - invalid) + " to run";
  if (invalid > 0) {
    out +=
        "; " + std::to_string(invalid) + " invalid, recorded with their errors when swept; the first: " + first_invalid;
  }
  return out;
}

}  // namespace qtsim
