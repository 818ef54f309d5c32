#pragma once

#include <string_view>
#include <vector>

namespace tfwarden {

struct EmbeddedFile {
  std::string_view path;
  std::string_view content;
};

// Rule files of the bundled packs, compiled into the binary, sorted by path.
const std::vector<EmbeddedFile>& bundled_rule_files();

}  // namespace tfwarden
