#pragma once
// JsonNode: strict, self-describing reading of a JSON document.
//
// Every reader of user input (configuration sections, networks, traces) walks
// its document through JsonNode, so that every error has one form:
//     <source>: <key.path>: <what is wrong>, got <value>; expected <what>
// An object node remembers which keys were read; reject_unknown_keys() then
// fails on any other key and lists the valid ones, so a typo never passes
// silently. Nodes are cheap views: the document must outlive them.
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace qtsim {

using Json = nlohmann::json;

class JsonNode {
 public:
  // `source` names where the document came from (a file path, "embedded
  // default", "--set"); `path` is the key path of `value` inside it.
  JsonNode(const Json& value, std::string source, std::string path = "");

  const Json& value() const { return *value_; }
  const std::string& source() const { return source_; }
  const std::string& path() const { return path_; }
  // "<source>: <path>" (or just the source for the document root).
  std::string where() const;
  // Throws Error("<where>: <problem>").
  [[noreturn]] void fail(const std::string& problem) const;
  // Throws Error("<where>: <problem>, got <value>; expected <expected>").
  [[noreturn]] void fail_value(const std::string& problem, const std::string& expected) const;

  // Objects.
  void require_object() const;
  bool has(const std::string& key) const;
  JsonNode at(const std::string& key) const;                   // required key
  std::optional<JsonNode> find(const std::string& key) const;  // optional key (null counts as absent)
  void reject_unknown_keys() const;

  // Arrays.
  void require_array() const;
  std::size_t size() const;  // requires an array
  JsonNode at(std::size_t index) const;

  // Scalars, with inclusive ranges.
  std::int64_t as_int(std::int64_t min, std::int64_t max) const;
  double as_double(double min, double max) const;
  bool as_bool() const;
  std::string as_string() const;
  std::string as_choice(const std::vector<std::string>& choices) const;

  // Optional object members with a default taken from the caller's resolved
  // struct (so every default lives in one place: that struct's initialisers).
  std::int64_t get_int(const std::string& key, std::int64_t fallback, std::int64_t min, std::int64_t max) const;
  double get_double(const std::string& key, double fallback, double min, double max) const;
  bool get_bool(const std::string& key, bool fallback) const;
  std::string get_string(const std::string& key, const std::string& fallback) const;
  std::string get_choice(const std::string& key, const std::string& fallback,
                         const std::vector<std::string>& choices) const;

  // A short description of a JSON value for messages: 0, "abc" (a string), an object, ...
  static std::string describe(const Json& value);

 private:
  JsonNode child(const Json& value, std::string path) const;

  const Json* value_;
  std::string source_;
  std::string path_;
  std::shared_ptr<std::set<std::string>> used_keys_;
};

// Joins a list for messages: "a, b, c".
std::string join(const std::vector<std::string>& items, const std::string& separator = ", ");

}  // namespace qtsim
