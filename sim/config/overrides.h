#pragma once
// `--set key.path=value` overrides, accepted by every subcommand.
//
// The value is read as JSON when it parses as JSON (numbers, true/false, null,
// quoted strings, arrays, objects) and as a plain string otherwise, so
// `--set hardware.mac_array.pe_kind=fixed` and `--set run.num_epochs=50` both
// work. The key path is dot-separated; a numeric component indexes an array
// (`policy.tiers.1.min_accuracy=0.85`). Missing objects on the way are
// created; the validation that follows rejects misspelt keys as unknown.
#include <string>
#include <vector>

#include "base/json_node.h"

namespace qtsim {

struct Override {
  std::vector<std::string> path;  // key path components
  Json value;
  std::string text;  // as given, for messages: "a.b=3"
};

// Parses "a.b.c=value"; errors name the argument and the expected form.
Override parse_override(const std::string& argument);
// Applies one override to `document`; errors name the override and the
// component that cannot be followed (e.g. indexing into a number).
void apply_override(Json& document, const Override& override_);

}  // namespace qtsim
