#pragma once
// Files compiled into the program (cmake/embed.cmake): the shipped network
// descriptions that the embedded default configuration refers to as
// "builtin:<stem>". Read-only, available without any installed data.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qtsim {

struct EmbeddedFile {
  std::string_view path;  // repository-relative path, e.g. "workloads/networks/resnet20_cifar10.json"
  std::string_view bytes;
};

const std::vector<EmbeddedFile>& embedded_files();

// The embedded file whose file name without extension is `stem`, if any.
std::optional<std::string_view> find_embedded(std::string_view stem);

}  // namespace qtsim
