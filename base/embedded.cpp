#include "base/embedded.h"

namespace qtsim {

std::optional<std::string_view> find_embedded(const std::vector<EmbeddedFile>& files, std::string_view stem) {
  for (const EmbeddedFile& file : files) {
    std::string_view name = file.path.substr(file.path.rfind('/') + 1);
    name = name.substr(0, name.rfind('.'));
    if (name == stem) return file.bytes;
  }
  return std::nullopt;
}

}  // namespace qtsim
