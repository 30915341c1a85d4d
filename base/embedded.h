#pragma once
// Files compiled into the program (cmake/embed.cmake): each layer that ships
// files (the network descriptions in workloads/, the energy tables in sim/)
// embeds them in a table of its own, which the default configuration refers
// to as "builtin:<stem>". Read-only, available without any installed data.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qtsim {

struct EmbeddedFile {
  std::string_view path;  // repository-relative path, e.g. "workloads/networks/resnet20_cifar10.json"
  std::string_view bytes;
};

// The file of `files` whose file name without extension is `stem`, if any.
std::optional<std::string_view> find_embedded(const std::vector<EmbeddedFile>& files, std::string_view stem);

}  // namespace qtsim
