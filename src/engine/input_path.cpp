#include "engine/input_path.h"

#include <filesystem>

namespace tfwarden {

namespace fs = std::filesystem;

std::string stable_path(const std::string& path) {
  if (path == "-" || path == "<stdin>") return "<stdin>";
  fs::path p = fs::path(path).lexically_normal();
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (!ec) {
    fs::path abs = p.is_absolute() ? p : (cwd / p).lexically_normal();
    fs::path rel = abs.lexically_relative(cwd);
    if (!rel.empty() && *rel.begin() != "..") return rel.generic_string();
  }
  return p.generic_string();
}

}  // namespace tfwarden
