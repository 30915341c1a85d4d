#include "hw_models/config/mac_array_variants.h"

#include <algorithm>

namespace qtsim {
namespace {

// The position of `name` in `names`, which holds it (as_choice checked).
std::size_t index_of(const std::string& name, const std::vector<std::string>& names) {
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

}  // namespace

const std::vector<std::string>& dataflow_names() {
  static const std::vector<std::string> names = {"os", "ws"};  // indexed by Dataflow
  return names;
}

const std::vector<std::string>& pe_kind_names() {
  static const std::vector<std::string> names = {"bitfusion", "bitserial", "fixed"};  // indexed by PeKindId
  return names;
}

const char* to_string(Dataflow dataflow) { return dataflow_names().at(static_cast<std::size_t>(dataflow)).c_str(); }

const char* to_string(PeKindId kind) { return pe_kind_names().at(static_cast<std::size_t>(kind)).c_str(); }

Dataflow parse_dataflow(const JsonNode& value) {
  return static_cast<Dataflow>(index_of(value.as_choice(dataflow_names()), dataflow_names()));
}

PeKindId parse_pe_kind(const JsonNode& value) {
  return static_cast<PeKindId>(index_of(value.as_choice(pe_kind_names()), pe_kind_names()));
}

}  // namespace qtsim
