#include "cli/io.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace tfwarden {

namespace fs = std::filesystem;

bool expand_inputs(const std::vector<std::string>& args, std::vector<std::string>& out, std::string& error) {
  for (const auto& a : args) {
    if (a == "-") {
      out.push_back(a);
      continue;
    }
    std::error_code ec;
    auto st = fs::status(a, ec);
    if (ec || !fs::exists(st)) {
      error = a + ": no such file or directory";
      return false;
    }
    if (fs::is_directory(st)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(a, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file() && it->path().extension() == ".json") found.push_back(it->path().string());
      }
      if (ec) {
        error = a + ": " + ec.message();
        return false;
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) {
        error = a + ": the directory holds no *.json files";
        return false;
      }
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.push_back(a);
    }
  }
  return true;
}

bool write_file_atomic(const std::string& path, const std::string& content, std::string& error) {
  if (path == "-") {
    fwrite(content.data(), 1, content.size(), stdout);
    fflush(stdout);
    return true;
  }
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + target.filename().string() + ".tfwarden-XXXXXX")).string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  int fd = mkstemp(buf.data());
  if (fd < 0) {
    error = path + ": cannot create a temporary file beside it: " + std::strerror(errno);
    return false;
  }
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = path + ": write failed: " + std::strerror(errno);
      ::close(fd);
      ::unlink(buf.data());
      return false;
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    error = path + ": write failed: " + std::strerror(errno);
    ::unlink(buf.data());
    return false;
  }
  ::chmod(buf.data(), 0644);
  if (std::rename(buf.data(), path.c_str()) != 0) {
    error = path + ": cannot replace the file: " + std::strerror(errno);
    ::unlink(buf.data());
    return false;
  }
  return true;
}

void print_error(const std::string& msg) { std::cerr << "tfwarden: error: " << msg << "\n"; }

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  if (const char* nc = std::getenv("NO_COLOR"); nc && *nc) return false;
  if (const char* fc = std::getenv("FORCE_COLOR"); fc && *fc && std::string(fc) != "0") return true;
  const char* term = std::getenv("TERM");
  if (term && std::string(term) == "dumb") return false;
  return ::isatty(STDOUT_FILENO) != 0;
}

}  // namespace tfwarden
