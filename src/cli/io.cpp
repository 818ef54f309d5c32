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

#include "plan/printable.h"

namespace tfwarden {

namespace fs = std::filesystem;

namespace {

// Adds the *.json files under `dir` to `found`, and `dir` or any subdirectory it cannot list to
// `unreadable`. Symbolic links to directories are not followed (a link can make a cycle).
void scan_directory(const fs::path& dir, std::vector<std::string>& found, std::vector<UnreadablePath>& unreadable) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  std::vector<fs::path> subdirs;
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& e = *it;
    std::error_code type_ec;
    if (e.is_directory(type_ec) && !e.is_symlink(type_ec)) {
      if (e.path().filename().string().rfind('.', 0) != 0) subdirs.push_back(e.path());
    } else if (e.is_regular_file(type_ec) && e.path().extension() == ".json") {
      found.push_back(e.path().lexically_normal().string());
    }
  }
  if (ec) {
    unreadable.push_back({dir.string(), printable(ec.message())});
    return;
  }
  for (const auto& d : subdirs) scan_directory(d, found, unreadable);
}

}  // namespace

bool expand_inputs(const std::vector<std::string>& args, std::vector<InputPath>& out,
                   std::vector<UnreadablePath>& unreadable, std::string& error) {
  for (const auto& a : args) {
    if (a == "-") {
      out.push_back({a, false, ""});
      continue;
    }
    std::error_code ec;
    auto st = fs::status(a, ec);
    if (ec || !fs::exists(st)) {
      error = printable(a) + ": no such file or directory";
      return false;
    }
    if (fs::is_directory(st)) {
      std::vector<std::string> found;
      size_t before = unreadable.size();
      scan_directory(a, found, unreadable);
      // The named directory itself unreadable: nothing can come from it.
      if (unreadable.size() > before && unreadable[before].path == fs::path(a).string()) {
        error = printable(a) + ": " + unreadable[before].error;
        unreadable.resize(before);
        return false;
      }
      std::sort(found.begin(), found.end());
      if (found.empty() && unreadable.size() == before) {
        error = printable(a) + ": the directory holds no *.json files";
        return false;
      }
      for (auto& f : found) out.push_back({std::move(f), true, a});
    } else {
      out.push_back({a, false, ""});
    }
  }
  return true;
}

bool expand_inputs(const std::vector<std::string>& args, std::vector<std::string>& out, std::string& error) {
  std::vector<InputPath> inputs;
  std::vector<UnreadablePath> unreadable;
  if (!expand_inputs(args, inputs, unreadable, error)) return false;
  if (!unreadable.empty()) {
    error = printable(unreadable.front().path) + ": " + unreadable.front().error;
    return false;
  }
  for (auto& in : inputs) out.push_back(std::move(in.path));
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

// printable() once more here: a message that quotes a plan string, a file name or an
// exception's text raw still cannot start a line or write an escape sequence.
void print_error(const std::string& msg) {
  std::cerr << "tfwarden: error: " << printable(msg) << "\n";
}

void print_note(const std::string& msg) {
  std::cerr << "tfwarden: note: " << printable(msg) << "\n";
}

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
