// load_network() and builtin_network_refs(), declared in network_parser.h.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "base/error.h"
#include "base/json_file.h"
#include "workloads/network/embedded_networks.h"
#include "workloads/network/network_parser.h"

namespace qtsim {
namespace {

// The folder whose embedded files are networks (cmake/embed.cmake).
constexpr std::string_view kNetworksFolder = "workloads/networks/";

}  // namespace

std::vector<std::string> builtin_network_refs() {
  std::vector<std::string> refs;
  for (const EmbeddedFile& file : embedded_networks()) {
    if (file.path.substr(0, kNetworksFolder.size()) != kNetworksFolder) continue;
    std::string_view name = file.path.substr(kNetworksFolder.size());
    refs.push_back(kBuiltinNetworkPrefix + std::string(name.substr(0, name.rfind('.'))));
  }
  std::sort(refs.begin(), refs.end());
  return refs;
}

Network load_network(const std::string& ref) {
  const std::string prefix = kBuiltinNetworkPrefix;
  if (ref.compare(0, prefix.size(), prefix) == 0) {
    std::vector<std::string> refs = builtin_network_refs();
    std::optional<std::string_view> bytes;
    if (std::find(refs.begin(), refs.end(), ref) != refs.end())
      bytes = find_embedded(embedded_networks(), ref.substr(prefix.size()));
    if (!bytes) throw Error(ref + ": unknown built-in network; available: " + join(refs));
    Json doc = parse_json_text(std::string(*bytes), ref);
    return parse_network(JsonNode(doc, ref));
  }
  if (!std::ifstream(ref) || std::filesystem::is_directory(ref)) {
    throw Error(ref + ": cannot read the network file; expected the path of a readable JSON file or one of: " +
                join(builtin_network_refs()));
  }
  Json doc = read_json_file(ref);
  return parse_network(JsonNode(doc, ref));
}

}  // namespace qtsim
