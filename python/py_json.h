#pragma once
// Conversions between qtsim's JSON values (base/json_node.h) and Python
// objects, for the Python module (bindings.cpp). Called with the GIL held.
//
// to_python: null -> None, booleans -> bool, integers -> int, numbers ->
// float, strings -> str, arrays -> list, objects -> dict (keys sorted, as in
// the JSON files qtsim writes).
#include <pybind11/pybind11.h>

#include "base/json_node.h"

namespace qtsim {

pybind11::object to_python(const Json& value);

}  // namespace qtsim
