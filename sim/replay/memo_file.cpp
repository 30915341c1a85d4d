#include "sim/replay/memo_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>

#include "base/error.h"
#include "base/hash.h"
#include "base/json_file.h"
#include "base/strict_json.h"
#include "qtsim_version.h"
#include "timing_model_hash.h"

namespace qtsim {
namespace {

constexpr const char* kFormat = "qtsim-iteration-memo";
// 2: cycle causes in CycleBreakdown::kCauses order; 3: DRAM bytes, compulsory
// bytes and mappings per row, compulsory bytes per iteration
constexpr int kFormatVersion = 4;

// The causes in kCauses order.
Json cycles_to_json(const CycleBreakdown& c) {
  Json out = Json::array();
  for (const CycleBreakdown::Cause& cause : CycleBreakdown::kCauses) out.push_back(c.*cause.field);
  return out;
}

CycleBreakdown cycles_from_json(const Json& j) {
  CycleBreakdown c;
  for (std::size_t i = 0; i < CycleBreakdown::kCauses.size(); ++i) {
    c.*CycleBreakdown::kCauses[i].field = j.at(i).get<std::int64_t>();
  }
  return c;
}

Json actions_to_json(const ActionCounts& a) {
  Json modes = Json::array();
  for (const auto& [m, c] : a.mac_modes) {
    modes.push_back({m.pe_kind, m.a_bits, m.b_bits, m.a_run_bits, m.b_run_bits, m.a_chunk_bits, m.b_chunk_bits, m.pack,
                     c.pe_active_cycles, c.macs, c.executed_macs});
  }
  Json buffers = Json::array();
  for (const SramCounts& b : a.buffers) buffers.push_back({b.read_words, b.write_words});
  Json vectors = Json::array();
  for (const auto& [op, v] : a.vector_ops) vectors.push_back({op, v.operations, v.elements});
  return Json{{"mac_modes", modes},    {"edge_register_bits", a.edge_register_bits},
              {"buffers", buffers},    {"dram", {a.dram_read_bytes, a.dram_write_bytes}},
              {"vector_ops", vectors}, {"reconfigurations", a.reconfigurations},
              {"cycles", a.cycles}};
}

ActionCounts actions_from_json(const Json& j) {
  ActionCounts a;
  for (const Json& m : j.at("mac_modes")) {
    MacMode mode;
    mode.pe_kind = m.at(0).get<std::string>();
    mode.a_bits = m.at(1).get<int>();
    mode.b_bits = m.at(2).get<int>();
    mode.a_run_bits = m.at(3).get<int>();
    mode.b_run_bits = m.at(4).get<int>();
    mode.a_chunk_bits = m.at(5).get<int>();
    mode.b_chunk_bits = m.at(6).get<int>();
    mode.pack = m.at(7).get<int>();
    MacModeCounts& c = a.mac_modes[mode];
    c.pe_active_cycles = m.at(8).get<std::int64_t>();
    c.macs = m.at(9).get<std::int64_t>();
    c.executed_macs = m.at(10).get<std::int64_t>();
  }
  a.edge_register_bits = j.at("edge_register_bits").get<std::int64_t>();
  const Json& buffers = j.at("buffers");
  if (buffers.size() != a.buffers.size()) throw std::runtime_error("buffer count");
  for (std::size_t i = 0; i < a.buffers.size(); ++i) {
    a.buffers[i].read_words = buffers.at(i).at(0).get<std::int64_t>();
    a.buffers[i].write_words = buffers.at(i).at(1).get<std::int64_t>();
  }
  a.dram_read_bytes = j.at("dram").at(0).get<std::int64_t>();
  a.dram_write_bytes = j.at("dram").at(1).get<std::int64_t>();
  for (const Json& v : j.at("vector_ops")) {
    VectorOpCounts& c = a.vector_ops[v.at(0).get<std::string>()];
    c.operations = v.at(1).get<std::int64_t>();
    c.elements = v.at(2).get<std::int64_t>();
  }
  a.reconfigurations = j.at("reconfigurations").get<std::int64_t>();
  a.cycles = j.at("cycles").get<std::int64_t>();
  return a;
}

Json entry_to_json(const Composition& composition, const IterationCost& c) {
  Json groups = Json::array();
  for (const auto& [act, weight, grad, samples] : composition) groups.push_back({act, weight, grad, samples});
  Json rows = Json::array();
  for (const RowCost& r : c.rows) {
    Json mappings = Json::array();
    for (const auto& [label, macs] : r.mapping_macs) mappings.push_back({label, macs});
    rows.push_back(
        {cycles_to_json(r.cycles), r.macs, r.dram_read_bytes, r.dram_write_bytes, r.compulsory_dram_bytes, mappings});
  }
  Json energy = Json::array();
  for (const PhaseGroupEnergy& e : c.energy) {
    energy.push_back({static_cast<int>(e.phase), e.precision, actions_to_json(e.actions)});
  }
  return Json{{"composition", groups},
              {"cycles", cycles_to_json(c.cycles)},
              {"counts",
               {c.macs, c.pe_active_cycles, c.reconfigurations, c.dram_read_bytes, c.dram_write_bytes,
                c.compulsory_dram_bytes}},
              {"modes", {c.first_mode[0], c.first_mode[1], c.last_mode[0], c.last_mode[1]}},
              {"rows", rows},
              {"energy", energy}};
}

std::pair<Composition, IterationCost> entry_from_json(const Json& j, std::size_t rows) {
  Composition composition;
  for (const Json& g : j.at("composition")) {
    composition.emplace_back(g.at(0).get<int>(), g.at(1).get<int>(), g.at(2).get<int>(), g.at(3).get<std::int64_t>());
  }
  IterationCost c;
  c.cycles = cycles_from_json(j.at("cycles"));
  const Json& counts = j.at("counts");
  c.macs = counts.at(0).get<std::int64_t>();
  c.pe_active_cycles = counts.at(1).get<std::int64_t>();
  c.reconfigurations = counts.at(2).get<std::int64_t>();
  c.dram_read_bytes = counts.at(3).get<std::int64_t>();
  c.dram_write_bytes = counts.at(4).get<std::int64_t>();
  c.compulsory_dram_bytes = counts.at(5).get<std::int64_t>();
  const Json& modes = j.at("modes");
  c.first_mode = {modes.at(0).get<int>(), modes.at(1).get<int>()};
  c.last_mode = {modes.at(2).get<int>(), modes.at(3).get<int>()};
  for (const Json& r : j.at("rows")) {
    RowCost& row = c.rows.emplace_back();
    row.cycles = cycles_from_json(r.at(0));
    row.macs = r.at(1).get<std::int64_t>();
    row.dram_read_bytes = r.at(2).get<std::int64_t>();
    row.dram_write_bytes = r.at(3).get<std::int64_t>();
    row.compulsory_dram_bytes = r.at(4).get<std::int64_t>();
    for (const Json& m : r.at(5)) row.mapping_macs[m.at(0).get<std::string>()] = m.at(1).get<std::int64_t>();
  }
  if (c.rows.size() != rows) throw std::runtime_error("row count");
  for (const Json& e : j.at("energy")) {
    const int phase = e.at(0).get<int>();
    if (phase < 0 || phase > static_cast<int>(Phase::update)) throw std::runtime_error("phase");
    c.energy.push_back(
        {static_cast<Phase>(phase), e.at(1).get<std::string>(), EnergyBreakdown{}, actions_from_json(e.at(2))});
  }
  return {std::move(composition), std::move(c)};
}

Json lowering_identity(const TrainingStep& step) {
  Json gemms = Json::array();
  for (const GemmSpec& g : step.gemms) {
    gemms.push_back({g.layer, static_cast<int>(g.phase), g.m, g.k, g.n, static_cast<int>(g.batch_dim),
                     static_cast<int>(g.a.role), static_cast<int>(g.b.role)});
  }
  Json vectors = Json::array();
  for (const VectorSpec& v : step.vector_ops) {
    vectors.push_back(
        {v.layer, static_cast<int>(v.phase), static_cast<int>(v.op), v.elements_per_sample, v.elements_fixed});
  }
  return Json{{"gemms", gemms}, {"vector_ops", vectors}, {"parameters", step.parameters}};
}

std::string memo_path(const std::string& dir, const std::string& key) {
  std::string name = key;
  for (char& ch : name) {
    if (ch == ':') ch = '-';
  }
  return (std::filesystem::path(dir) / (name + ".cbor")).string();
}

}  // namespace

std::string memo_key(const HardwareConfig& hardware, const TrainingStep& step, IterationMemo::Mode mode) {
  Json hw = to_json(hardware);
  hw.erase("energy");  // energy is priced when a memo is loaded
  const Json identity{{"format", kFormat},
                      {"format_version", kFormatVersion},
                      {"timing_model", kTimingModelHash},
                      {"qtsim_version", kVersion},
                      {"hardware", hw},
                      {"lowering", lowering_identity(step)},
                      {"mode", mode == IterationMemo::Mode::fast ? "fast" : "reference"}};
  return hash_hex(identity.dump());
}

namespace {

// Reads the entries of DIR/<key>.cbor into `out`; returns what it found.
MemoLoad read_memo_entries(const std::string& path, const std::string& key, std::size_t rows,
                           std::vector<std::pair<Composition, IterationCost>>& out) {
  std::string bytes;
  try {
    bytes = read_text_file(path);
  } catch (const Error&) {
    return ::access(path.c_str(), F_OK) == 0 ? MemoLoad::corrupt : MemoLoad::missing;
  }
  try {
    const Json doc = decode_cbor(bytes, path);
    if (doc.at("format") != kFormat || doc.at("format_version") != kFormatVersion) return MemoLoad::stale;
    if (doc.at("key") != key) return MemoLoad::stale;
    const Json& entries = doc.at("entries");
    if (doc.at("checksum") != hash_hex(dump_json(entries))) return MemoLoad::corrupt;
    for (const Json& e : entries) out.push_back(entry_from_json(e, rows));
    return MemoLoad::loaded;
  } catch (const std::exception&) {  // malformed CBOR, a missing field, a wrong type
    out.clear();
    return MemoLoad::corrupt;
  }
}

// An exclusive lock on DIR/<name>.lock for the lifetime of the object: one
// writer at a time merges into a memo file.
class MemoLock {
 public:
  explicit MemoLock(const std::string& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666)) {
    if (fd_ < 0) throw Error(path + ": cannot open the memo's lock file: " + std::strerror(errno));
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) throw Error(path + ": cannot lock the memo: " + std::strerror(errno));
    }
  }
  ~MemoLock() { ::close(fd_); }
  MemoLock(const MemoLock&) = delete;
  MemoLock& operator=(const MemoLock&) = delete;

 private:
  int fd_;
};

std::vector<PrecisionGroup> groups_of(const Composition& composition) {
  std::vector<PrecisionGroup> groups;
  for (const auto& [act, weight, grad, samples] : composition) {
    Precision p;
    p.act_bits = act;
    p.weight_bits = weight;
    p.grad_bits = grad;
    groups.push_back(PrecisionGroup{p, samples});
  }
  return groups;
}

}  // namespace

void check_memo_dir(const std::string& dir) {
  std::error_code ec;
  const auto status = std::filesystem::status(dir, ec);
  if (!std::filesystem::exists(status)) return;  // created when the run starts
  if (!std::filesystem::is_directory(status))
    throw Error("--memo " + dir + ": exists and is not a folder; expected a folder for memo files");
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    throw Error("--memo " + dir + ": cannot write there: " + std::strerror(errno));
  }
}

MemoLoad load_memo(const std::string& dir, const std::string& key, IterationMemo& memo) {
  std::vector<std::pair<Composition, IterationCost>> read;
  const MemoLoad load = read_memo_entries(memo_path(dir, key), key, memo.rows().rows.size(), read);
  for (auto& [composition, cost] : read) memo.insert(std::move(composition), std::move(cost));
  return load;
}

void save_memo(const std::string& dir, const std::string& key, const IterationMemo& memo) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error("--memo " + dir + ": cannot create the folder: " + ec.message());
  const std::string path = memo_path(dir, key);
  const MemoLock lock(path + ".lock");
  // Merge with what other runs saved meanwhile: their entries are kept, ours
  // are added (equal compositions have equal costs).
  std::map<Composition, Json> merged;
  std::vector<std::pair<Composition, IterationCost>> theirs;
  if (read_memo_entries(path, key, memo.rows().rows.size(), theirs) == MemoLoad::loaded) {
    for (const auto& [composition, cost] : theirs) merged.emplace(composition, entry_to_json(composition, cost));
  }
  for (const auto& [composition, cost] : memo.costs()) merged.emplace(composition, entry_to_json(composition, cost));
  Json entries = Json::array();
  for (auto& [composition, entry] : merged) entries.push_back(std::move(entry));
  const Json doc{{"format", kFormat},
                 {"format_version", kFormatVersion},
                 {"key", key},
                 {"checksum", hash_hex(dump_json(entries))},
                 {"entries", entries}};
  const std::vector<std::uint8_t> bytes = Json::to_cbor(doc);
  write_text_file_atomic(path, std::string(bytes.begin(), bytes.end()));
}

std::string verify_memo(IterationMemo& memo, const std::string& memo_file, int count, std::uint64_t seed) {
  std::vector<Composition> stored;
  for (const auto& [composition, cost] : memo.costs()) stored.push_back(composition);
  std::mt19937_64 rng(seed);
  std::shuffle(stored.begin(), stored.end(), rng);
  if (static_cast<std::size_t>(count) < stored.size()) stored.resize(static_cast<std::size_t>(count));
  for (const Composition& composition : stored) {
    const IterationCost fresh = memo.compute(groups_of(composition));
    const Json expected = entry_to_json(composition, fresh);
    if (entry_to_json(composition, memo.costs().at(composition)) != expected) {
      std::string groups;
      for (const auto& [act, weight, grad, samples] : composition) {
        groups += (groups.empty() ? "" : ", ") + std::to_string(samples) + " samples at " + std::to_string(act) + "/" +
                  std::to_string(weight) + "/" + std::to_string(grad);
      }
      throw Error("--memo-verify: " + memo_file + ": the stored cost of the iteration with " + groups +
                  " differs from the cost computed again; the memo was edited or written by a different build: "
                  "remove the file (it is rebuilt) and run again");
    }
  }
  return std::to_string(stored.size()) + " of " + std::to_string(memo.costs().size()) +
         " entries recomputed, all equal";
}

std::string memo_file_path(const std::string& dir, const std::string& key) { return memo_path(dir, key); }

}  // namespace qtsim
