#pragma once
// EnergyTable: the prices of the energy model (docs/energy.md), read from
// a JSON table (schema: sim/energy/README.md). Loaded once per run by whoever
// prices action counts (energy_model.h); plain C++, no SystemC.
//
// Promises:
//  - every value is validated when loaded, with errors naming the file and
//    the key path (`<file>: entries.sram.read_64b_32kb.energy: negative
//    energy, got -1; expected >= 0`): unknown keys, unknown units, a unit of
//    the wrong kind, negative energies or powers, fractions outside [0, 1],
//    empty sources;
//  - values are held in canonical units: pJ per action, pJ per bit, mW, um2,
//    or a plain fraction;
//  - `builtin:<name>` names a table compiled into the program
//    (sim/energy/tables/<name>.json); any other reference is a file path;
//  - a table with `"extends": "<reference>"` starts from that table (a
//    relative path is resolved against the extending file's folder) and
//    replaces or adds entries one by one; an entry set to null is removed;
//  - need() is the one way the model reads an entry it must have: a missing
//    entry, or one of the wrong kind, is an Error naming the entry and why
//    the hardware needs it.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/json_node.h"

namespace qtsim {

enum class EntryKind { energy, energy_per_bit, power, area, fraction };
const char* to_string(EntryKind kind);  // "an energy per action", ...

struct EnergyEntry {
  std::string group, key;  // entries.<group>.<key>
  EntryKind kind = EntryKind::energy;
  double value = 0.0;  // canonical: pJ, pJ/bit, mW, um2, or a fraction
  Json written;        // the entry as written in its table (for provenance)
  std::string table;   // the table file (or builtin:<name>) it came from
  // SRAM points only (group "sram"):
  std::string access;  // read | write | leakage
  std::int64_t capacity_bytes = 0;
  int word_bits = 0;

  std::string path() const { return group + "." + key; }
};

struct EnergyTableInfo {
  std::string reference;  // builtin:<name> or the file path, as loaded
  std::string name;
  Json technology_node_nm, voltage_v, clock_mhz;  // numbers, or null when the table does not say
  std::string description;
};

class EnergyTable {
 public:
  // `reference`: builtin:<name> or a path to a table file.
  static EnergyTable load(const std::string& reference);
  // A table document already read; `reference` names it in messages,
  // `base_dir` resolves a relative `extends`.
  static EnergyTable parse(const Json& document, const std::string& reference, const std::string& base_dir);
  static std::vector<std::string> builtin_names();

  // The entry entries.<group>.<key>, which the hardware needs because of
  // `why` (e.g. "mac_array.pe_kind is bitfusion"); throws Error when missing
  // or not of `kind`.
  const EnergyEntry& need(const std::string& group, const std::string& key, EntryKind kind,
                          const std::string& why) const;
  const EnergyEntry* find(const std::string& group, const std::string& key) const;
  // The entries of a group (empty when the group is absent), by key.
  std::vector<const EnergyEntry*> group(const std::string& group) const;

  // This table first, then the tables it extends, in order.
  const std::vector<EnergyTableInfo>& chain() const { return chain_; }
  const std::string& reference() const { return chain_.front().reference; }

 private:
  static EnergyTable load_at(const std::string& reference, int depth);
  static EnergyTable parse_at(const Json& document, const std::string& reference, const std::string& base_dir,
                              int depth);

  std::vector<EnergyTableInfo> chain_;
  std::map<std::string, std::map<std::string, EnergyEntry>> entries_;
};

}  // namespace qtsim
