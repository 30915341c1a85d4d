// The policy registry: `impl` name -> variant. Adding a policy = one row here.
#include <algorithm>
#include <functional>

#include "workloads/policy/class_difficulty_policy.h"
#include "workloads/policy/cyclic_policy.h"
#include "workloads/policy/random_assignment_policy.h"
#include "workloads/policy/uniform_policy.h"

namespace qtsim {
namespace {

struct Entry {
  const char* impl;
  std::function<std::unique_ptr<Policy>(const JsonNode&)> make;
};

const std::vector<Entry>& registry() {
  static const std::vector<Entry> entries = {
      {ClassDifficultyPolicy::kImpl,
       [](const JsonNode& n) {
         return std::make_unique<ClassDifficultyPolicy>(ClassDifficultyPolicy::parse(n), key_prefix(n));
       }},
      {CyclicPolicy::kImpl,
       [](const JsonNode& n) { return std::make_unique<CyclicPolicy>(CyclicPolicy::parse(n), key_prefix(n)); }},
      {RandomAssignmentPolicy::kImpl,
       [](const JsonNode& n) {
         return std::make_unique<RandomAssignmentPolicy>(RandomAssignmentPolicy::parse(n), key_prefix(n));
       }},
      {UniformPolicy::kImpl,
       [](const JsonNode& n) { return std::make_unique<UniformPolicy>(UniformPolicy::parse(n)); }},
  };
  return entries;
}

}  // namespace

std::vector<std::string> policy_impls() {
  std::vector<std::string> names;
  for (const Entry& e : registry()) names.push_back(e.impl);
  std::sort(names.begin(), names.end());
  return names;
}

std::string key_prefix(const JsonNode& node) {
  return node.source() + ": " + (node.path().empty() ? "" : node.path() + ".");
}

std::unique_ptr<Policy> make_policy(const JsonNode& node) {
  node.require_object();
  const std::string impl = node.get_choice("impl", kDefaultPolicyImpl, policy_impls());
  for (const Entry& e : registry()) {
    if (impl != e.impl) continue;
    std::unique_ptr<Policy> policy = e.make(node);
    node.reject_unknown_keys();
    return policy;
  }
  return nullptr;  // unreachable: get_choice accepted only registered names
}

}  // namespace qtsim
