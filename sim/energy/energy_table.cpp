#include "sim/energy/energy_table.h"

#include <filesystem>
#include <limits>

#include "base/error.h"
#include "base/json_file.h"
#include "sim/energy/embedded_tables.h"

namespace qtsim {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFormat = "qtsim-energy-table";
constexpr const char* kBuiltinFolder = "sim/energy/tables/";
constexpr int kMaxExtendsDepth = 8;
constexpr double kHuge = std::numeric_limits<double>::max();

struct Unit {
  const char* name;
  EntryKind kind;
  double to_canonical;  // factor to pJ, pJ/bit, mW or um2
};
constexpr Unit kUnits[] = {
    {"fJ", EntryKind::energy, 1e-3},
    {"pJ", EntryKind::energy, 1.0},
    {"nJ", EntryKind::energy, 1e3},
    {"fJ/bit", EntryKind::energy_per_bit, 1e-3},
    {"pJ/bit", EntryKind::energy_per_bit, 1.0},
    {"nW", EntryKind::power, 1e-6},
    {"uW", EntryKind::power, 1e-3},
    {"mW", EntryKind::power, 1.0},
    {"um2", EntryKind::area, 1.0},
    {"mm2", EntryKind::area, 1e6},
};

std::string unit_names(bool (*accept)(EntryKind)) {
  std::vector<std::string> names;
  for (const Unit& u : kUnits) {
    if (accept(u.kind)) names.emplace_back(u.name);
  }
  return join(names);
}
bool any_kind(EntryKind) { return true; }
bool energy_kind(EntryKind k) { return k == EntryKind::energy || k == EntryKind::energy_per_bit; }
bool power_kind(EntryKind k) { return k == EntryKind::power; }
bool area_kind(EntryKind k) { return k == EntryKind::area; }

// Which units suit the value key an entry holds (`energy`, `power`, `area`).
bool (*accepts(const std::string& value_key))(EntryKind) {
  if (value_key == "energy") return energy_kind;
  if (value_key == "power") return power_kind;
  return area_kind;
}

// The SRAM keys of an entry of group `sram` (a point of the SRAM model:
// access, capacity, word width); its value, under `value_key`, must suit the access.
void parse_sram_point(const JsonNode& node, const std::string& value_key, EnergyEntry& e) {
  e.access = node.at("access").as_choice({"read", "write", "leakage"});
  if ((e.access == "leakage") != (e.kind == EntryKind::power)) {
    node.at(value_key).fail_value(
        e.access == "leakage" ? "a leakage point holds a power" : "an access point holds an energy",
        e.access == "leakage" ? "`power` in nW, uW or mW" : "`energy` in fJ, pJ or nJ");
  }
  if (e.kind == EntryKind::energy_per_bit) {
    node.at("unit").fail_value("an SRAM point is an energy per access", "one of fJ, pJ, nJ");
  }
  if (e.value <= 0.0) node.at(value_key).fail_value("not positive (points are interpolated in log-log)", "> 0");
  e.capacity_bytes = node.at("capacity_bytes").as_int(1, std::int64_t{1} << 40);
  e.word_bits = static_cast<int>(node.at("word_bits").as_int(1, 4096));
}

// Reads one entry; `value_key` is the one of energy / power / area / fraction it holds.
EnergyEntry parse_entry(const JsonNode& node, const std::string& group, const std::string& key,
                        const std::string& reference) {
  node.require_object();
  EnergyEntry e;
  e.group = group;
  e.key = key;
  e.written = node.value();
  e.table = reference;
  std::vector<std::string> present;
  for (const char* k : {"energy", "power", "area", "fraction"}) {
    if (node.has(k)) present.emplace_back(k);
  }
  if (present.size() != 1) {
    node.fail("expected exactly one of `energy`, `power`, `area` or `fraction`, found " +
              (present.empty() ? std::string("none") : join(present)));
  }
  const std::string value_key = present.front();
  const JsonNode value = node.at(value_key);
  const double v = value.as_double(-kHuge, kHuge);
  if (value_key == "fraction") {
    if (v < 0.0 || v > 1.0) value.fail_value("fraction out of range", "a number in [0, 1]");
    e.kind = EntryKind::fraction;
    e.value = v;
    if (node.has("unit")) node.at("unit").fail_value("a fraction has no unit", "no `unit` key");
  } else {
    if (v < 0.0) value.fail_value("negative " + value_key, ">= 0");
    const JsonNode unit_node = node.at("unit");
    const std::string unit = unit_node.as_string();
    const Unit* found = nullptr;
    for (const Unit& u : kUnits) {
      if (unit == u.name) found = &u;
    }
    if (!found) unit_node.fail_value("unknown unit", "one of " + unit_names(any_kind));
    if (!accepts(value_key)(found->kind)) {
      unit_node.fail_value("not a unit of " + value_key, "one of " + unit_names(accepts(value_key)));
    }
    e.kind = found->kind;
    e.value = v * found->to_canonical;
  }
  const std::string source = node.at("source").as_string();
  if (source.empty()) node.at("source").fail_value("empty source", "the publication or derivation of the value");
  node.get_string("note", "");
  for (const char* k : {"node_nm", "voltage_v", "clock_mhz"}) node.get_double(k, 0.0, 0.0, 1e6);
  if (group == "sram") parse_sram_point(node, value_key, e);
  node.reject_unknown_keys();
  return e;
}

Json optional_number(const JsonNode& node, const std::string& key) {
  auto v = node.find(key);
  if (!v) return nullptr;
  return v->as_double(0.0, 1e6);
}

std::string builtin_text(const std::string& reference) {
  const std::string name = reference.substr(std::string("builtin:").size());
  for (const EmbeddedFile& f : embedded_energy_tables()) {
    if (f.path == std::string(kBuiltinFolder) + name + ".json") return std::string(f.bytes);
  }
  throw Error(reference + ": no such built-in energy table; built-in tables: " + join(EnergyTable::builtin_names()));
}

}  // namespace

EnergyTable EnergyTable::parse_at(const Json& document, const std::string& reference, const std::string& base_dir,
                                  int depth) {
  JsonNode root(document, reference);
  root.require_object();
  root.at("format").as_choice({kFormat});
  root.at("version").as_int(1, 1);
  EnergyTableInfo info;
  info.reference = reference;
  info.name = root.at("name").as_string();
  info.technology_node_nm = optional_number(root, "technology_node_nm");
  info.voltage_v = optional_number(root, "voltage_v");
  info.clock_mhz = optional_number(root, "clock_mhz");
  info.description = root.get_string("description", "");

  EnergyTable table;
  if (auto extends = root.find("extends")) {
    std::string base = extends->as_string();
    if (depth >= kMaxExtendsDepth) extends->fail_value("too many tables extending each other", "at most 8 levels");
    if (base.rfind("builtin:", 0) != 0 && !fs::path(base).is_absolute() && !base_dir.empty()) {
      base = (fs::path(base_dir) / base).lexically_normal().string();
    }
    table = load_at(base, depth + 1);
  }
  table.chain_.insert(table.chain_.begin(), info);

  const JsonNode entries = root.at("entries");
  entries.require_object();
  for (auto group = entries.value().begin(); group != entries.value().end(); ++group) {
    const JsonNode group_node = entries.at(group.key());
    group_node.require_object();
    for (auto item = group.value().begin(); item != group.value().end(); ++item) {
      if (item->is_null()) {
        table.entries_[group.key()].erase(item.key());  // removes an inherited entry
        continue;
      }
      table.entries_[group.key()][item.key()] =
          parse_entry(group_node.at(item.key()), group.key(), item.key(), reference);
    }
  }
  root.reject_unknown_keys();

  // SRAM points are interpolated over capacity: one point per capacity and access kind.
  std::map<std::pair<std::string, std::int64_t>, std::string> seen;
  for (const auto& [key, e] : table.entries_["sram"]) {
    auto [it, fresh] = seen.emplace(std::make_pair(e.access, e.capacity_bytes), key);
    if (!fresh) {
      throw Error(reference + ": entries.sram: " + it->second + " and " + key + " are both " + e.access +
                  " points at capacity_bytes " + std::to_string(e.capacity_bytes) +
                  "; expected one point per capacity (set one to null to remove it)");
    }
  }
  return table;
}

EnergyTable EnergyTable::load_at(const std::string& reference, int depth) {
  if (reference.rfind("builtin:", 0) == 0) {
    return parse_at(parse_json_text(builtin_text(reference), reference), reference, "", depth);
  }
  return parse_at(read_json_file(reference), reference, fs::path(reference).parent_path().string(), depth);
}

const char* to_string(EntryKind kind) {
  switch (kind) {
    case EntryKind::energy:
      return "an energy per action (fJ, pJ or nJ)";
    case EntryKind::energy_per_bit:
      return "an energy per bit (fJ/bit or pJ/bit)";
    case EntryKind::power:
      return "a power (nW, uW or mW)";
    case EntryKind::area:
      return "an area (um2 or mm2)";
    case EntryKind::fraction:
      return "a fraction";
  }
  return "?";
}

EnergyTable EnergyTable::load(const std::string& reference) { return load_at(reference, 0); }

EnergyTable EnergyTable::parse(const Json& document, const std::string& reference, const std::string& base_dir) {
  return parse_at(document, reference, base_dir, 0);
}

std::vector<std::string> EnergyTable::builtin_names() {
  std::vector<std::string> names;
  for (const EmbeddedFile& f : embedded_energy_tables()) {
    std::string_view path = f.path;
    if (path.rfind(kBuiltinFolder, 0) != 0) continue;
    path.remove_prefix(std::string_view(kBuiltinFolder).size());
    names.push_back("builtin:" + std::string(path.substr(0, path.rfind('.'))));
  }
  return names;
}

const EnergyEntry* EnergyTable::find(const std::string& group, const std::string& key) const {
  auto g = entries_.find(group);
  if (g == entries_.end()) return nullptr;
  auto e = g->second.find(key);
  return e == g->second.end() ? nullptr : &e->second;
}

const EnergyEntry& EnergyTable::need(const std::string& group, const std::string& key, EntryKind kind,
                                     const std::string& why) const {
  const EnergyEntry* e = find(group, key);
  const std::string where = reference() + ": entries." + group + "." + key;
  if (!e) {
    throw Error(where + ": missing entry; the hardware needs it (" + why + "); expected " + to_string(kind) +
                " with its source, in this table or in one it extends");
  }
  if (e->kind != kind) {
    throw Error(e->table + ": entries." + group + "." + key + ": wrong kind of value, got " + to_string(e->kind) +
                "; expected " + to_string(kind) + " (" + why + ")");
  }
  return *e;
}

std::vector<const EnergyEntry*> EnergyTable::group(const std::string& group) const {
  std::vector<const EnergyEntry*> out;
  auto g = entries_.find(group);
  if (g == entries_.end()) return out;
  for (const auto& [key, e] : g->second) out.push_back(&e);
  return out;
}

}  // namespace qtsim
