#include "cli/io.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <utility>

#include "plan/printable.h"
#include "source/module.h"

namespace tfwarden {

namespace fs = std::filesystem;

namespace {

// A directory by device and inode: the same directory under any name.
using DirId = std::pair<dev_t, ino_t>;

bool dir_id(const fs::path& dir, DirId& id) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return false;
  id = {st.st_dev, st.st_ino};
  return true;
}

// Adds the *.json regular files under `dir` to `found`, and what cannot be read to
// `unreadable`: `dir` or a subdirectory that cannot be listed, an entry whose type cannot be
// read (a symbolic link loop such as `a -> b`, `b -> a`, a dangling `*.json` link), a link back
// to a directory being scanned (`loop -> .`). Symbolic links are followed; a directory already
// scanned under another name is not scanned again. `ancestors` holds `dir` and those above it.
void scan_directory(const fs::path& dir, std::set<DirId>& ancestors, std::set<DirId>& scanned,
                    std::vector<std::string>& found, std::vector<UnreadablePath>& unreadable,
                    std::vector<std::string>& source_dirs) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  std::vector<fs::path> subdirs;
  bool source = false;
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& e = *it;
    bool json = e.path().extension() == ".json";
    if (e.path().extension() == ".tf") source = true;
    std::error_code type_ec;
    fs::file_status st = e.status(type_ec);
    if (type_ec) {
      // A dangling link that is not a *.json name is not an input anyone meant.
      if (json || type_ec != std::errc::no_such_file_or_directory)
        unreadable.push_back({e.path().lexically_normal().string(), "cannot read it: " + printable(type_ec.message())});
    } else if (fs::is_directory(st)) {
      if (e.path().filename().string().rfind('.', 0) != 0) subdirs.push_back(e.path());
    } else if (fs::is_regular_file(st) && json) {
      // Only regular files: a FIFO or a device found in a directory would block or never end.
      found.push_back(e.path().lexically_normal().string());
    }
  }
  if (ec) {
    unreadable.push_back({dir.string(), "cannot read the directory: " + printable(ec.message())});
    return;
  }
  if (source) source_dirs.push_back(dir.lexically_normal().string());
  // Sorted, so which name of a directory reached twice is scanned does not depend on the order
  // the file system lists them in.
  std::sort(subdirs.begin(), subdirs.end());
  for (const auto& d : subdirs) {
    DirId id;
    if (!dir_id(d, id)) {
      unreadable.push_back(
          {d.lexically_normal().string(), "cannot read the directory: " + printable(std::strerror(errno))});
    } else if (ancestors.count(id)) {
      unreadable.push_back(
          {d.lexically_normal().string(), "a symbolic link loop: it leads back to a directory above it"});
    } else if (scanned.insert(id).second) {
      ancestors.insert(id);
      scan_directory(d, ancestors, scanned, found, unreadable, source_dirs);
      ancestors.erase(id);
    }
  }
}

// The directories of `dirs` that no other one calls as a local module (`source = "../x"`): the
// root modules, each one input.
std::vector<std::string> root_modules(const std::vector<std::string>& dirs) {
  std::set<std::string> called;
  for (const auto& d : dirs) {
    auto m = source::read_module(d);
    for (const auto& c : m->calls)
      if (c.local()) called.insert((fs::path(d) / c.source).lexically_normal().string());
  }
  std::vector<std::string> roots;
  for (const auto& d : dirs) {
    std::string n = fs::path(d).lexically_normal().string();
    if (!n.empty() && n.back() == '/') n.pop_back();
    if (!called.contains(n)) roots.push_back(d);
  }
  return roots;
}

}  // namespace

bool expand_inputs(const std::vector<std::string>& args, std::vector<InputPath>& out,
                   std::vector<UnreadablePath>& unreadable, std::string& error, InputKind kind) {
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
      std::vector<std::string> found, source_dirs;
      size_t before = unreadable.size();
      std::set<DirId> ancestors, scanned;
      if (DirId id; dir_id(a, id)) {
        ancestors.insert(id);
        scanned.insert(id);
      }
      scan_directory(a, ancestors, scanned, found, unreadable, source_dirs);
      if (kind == InputKind::Source) found.clear();
      if (kind == InputKind::Plan) source_dirs.clear();
      std::sort(source_dirs.begin(), source_dirs.end());
      std::vector<std::string> roots = root_modules(source_dirs);
      // The named directory itself unreadable: nothing can come from it.
      if (unreadable.size() > before && unreadable[before].path == fs::path(a).string()) {
        error = printable(a) + ": " + unreadable[before].error;
        unreadable.resize(before);
        return false;
      }
      std::sort(found.begin(), found.end());
      std::sort(unreadable.begin() + static_cast<std::ptrdiff_t>(before), unreadable.end(),
                [](const UnreadablePath& x, const UnreadablePath& y) { return x.path < y.path; });
      if (found.empty() && roots.empty() && unreadable.size() == before) {
        error = printable(a) + (kind == InputKind::Source ? ": the directory holds no .tf files"
                                : kind == InputKind::Plan ? ": the directory holds no *.json files"
                                                          : ": the directory holds no *.json files and no .tf files");
        return false;
      }
      for (auto& f : found) out.push_back({std::move(f), true, a, false});
      for (auto& r : roots) out.push_back({std::move(r), true, a, true});
    } else if (fs::path(a).extension() == ".tf") {
      // Its directory's root module, once however many of its files are named (pre-commit
      // passes each changed file).
      std::string dir = fs::path(a).parent_path().lexically_normal().string();
      if (dir.empty()) dir = ".";
      bool seen = std::any_of(out.begin(), out.end(), [&](const InputPath& p) { return p.source && p.path == dir; });
      if (!seen) out.push_back({dir, false, "", true});
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

namespace {

// The temporary file of the write in progress, for the signal handler: a fixed buffer, since the
// handler may only make async-signal-safe calls. Outputs are written one at a time.
char g_temp_path[4096];
volatile std::sig_atomic_t g_temp_live = 0;

constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP};

void remove_temp_and_reraise(int sig) {
  if (g_temp_live) ::unlink(g_temp_path);
  // SA_RESETHAND restored the default action: the signal, pending until the handler returns,
  // ends the process as it would have without the handler (the shell sees 128 + sig).
  ::raise(sig);
}

// Installs the handler once, for the signals whose action is still the default (a signal the
// parent ignores, such as SIGHUP under nohup, stays ignored).
void install_cleanup_handlers() {
  static bool installed = false;
  if (installed) return;
  installed = true;
  for (int sig : kCleanupSignals) {
    struct sigaction old = {};
    if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL) continue;
    struct sigaction sa = {};
    sa.sa_handler = remove_temp_and_reraise;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    ::sigaction(sig, &sa, nullptr);
  }
}

// Blocks the cleanup signals while the temporary path is created or retired, so the handler
// never sees a file that exists without its path, or a path already renamed.
class CleanupSignalsBlocked {
 public:
  CleanupSignalsBlocked() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : kCleanupSignals) sigaddset(&set, sig);
    ::pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~CleanupSignalsBlocked() { ::pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  CleanupSignalsBlocked(const CleanupSignalsBlocked&) = delete;
  CleanupSignalsBlocked& operator=(const CleanupSignalsBlocked&) = delete;

 private:
  sigset_t old_;
};

// Writes all of [data, data + n) to `fd`; 0, or the errno of the write that failed. A reader
// that closed its end of a pipe (EPIPE; SIGPIPE is ignored, see run_cli) wants no more: the rest
// is dropped, and that is not a failure.
int write_all(int fd, const char* data, size_t n, bool& reader_gone) {
  size_t off = 0;
  while (off < n && !reader_gone) {
    ssize_t w = ::write(fd, data + off, n - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno != EPIPE) return errno;
      reader_gone = true;
      break;
    }
    off += static_cast<size_t>(w);
  }
  return 0;
}

std::string write_failed(const std::string& name, int err) {
  return printable(name) + ": write failed: " + std::strerror(err);
}

}  // namespace

// What is written goes to the descriptor in blocks of kSize; a block as large goes straight
// through. The first failed write is kept, and nothing more is written after it.
class OutputFile::Buffer : public std::streambuf {
 public:
  static constexpr size_t kSize = 1 << 20;
  explicit Buffer(int fd) : fd_(fd), buf_(new char[kSize]) { setp(buf_.get(), buf_.get() + kSize); }
  int error() const { return error_; }
  void drain() {
    put(pbase(), static_cast<size_t>(pptr() - pbase()));
    setp(buf_.get(), buf_.get() + kSize);
  }

 protected:
  int_type overflow(int_type c) override {
    drain();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    auto size = static_cast<size_t>(n);
    if (size > static_cast<size_t>(epptr() - pptr())) {
      drain();
      if (size >= kSize) {
        put(s, size);
        return n;
      }
    }
    std::memcpy(pptr(), s, size);
    pbump(static_cast<int>(size));
    return n;
  }
  int sync() override {
    drain();
    return 0;
  }

 private:
  void put(const char* p, size_t n) {
    if (error_ == 0 && n > 0) error_ = write_all(fd_, p, n, reader_gone_);
  }
  int fd_;
  std::unique_ptr<char[]> buf_;
  int error_ = 0;
  bool reader_gone_ = false;
};

OutputFile::OutputFile() : stream_(nullptr) {}

OutputFile::~OutputFile() {
  if (kind_ == Kind::None || committed_) return;
  if (kind_ != Kind::Std) ::close(fd_);
  if (kind_ == Kind::Atomic) {
    CleanupSignalsBlocked blocked;
    ::unlink(g_temp_path);
    g_temp_live = 0;
  }
}

bool OutputFile::open(const std::string& path, std::string& error) {
  path_ = path;
  if (path == "-" || path == "/dev/stdout" || path == "/dev/stderr") {
    // stdout or stderr itself, not reopened: `/dev/stdout` onto a socket cannot be opened, and
    // reopening a file opened for appending (`>> log`) would truncate it.
    if (path == "-") path_ = "stdout";
    kind_ = Kind::Std;
    fd_ = path == "/dev/stderr" ? STDERR_FILENO : STDOUT_FILENO;
    std::cout.flush();
    std::cerr.flush();
    std::fflush(fd_ == STDOUT_FILENO ? stdout : stderr);
  } else if (struct stat st; ::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    // Anything else that exists (a device, FIFO, socket, directory, symbolic link): opened and
    // written where it is, never replaced. A link is followed; a dangling one creates its target.
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      error = printable(path) + ": cannot open it for writing: " + std::strerror(errno);
      return false;
    }
    kind_ = Kind::InPlace;
  } else {
    // A regular file or a new path: a temporary file beside it, renamed at commit().
    fs::path target(path);
    fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string tmpl = (dir / ("." + target.filename().string() + ".tfwarden-XXXXXX")).string();
    if (tmpl.size() >= sizeof g_temp_path) {
      error = printable(path) + ": cannot create a temporary file beside it: " + std::strerror(ENAMETOOLONG);
      return false;
    }
    install_cleanup_handlers();
    CleanupSignalsBlocked blocked;
    std::memcpy(g_temp_path, tmpl.c_str(), tmpl.size() + 1);
    fd_ = ::mkstemp(g_temp_path);
    if (fd_ < 0) {
      error = printable(path) + ": cannot create a temporary file beside it: " + std::strerror(errno);
      return false;
    }
    g_temp_live = 1;
    kind_ = Kind::Atomic;
  }
  buffer_ = std::make_unique<Buffer>(fd_);
  stream_.rdbuf(buffer_.get());
  return true;
}

bool OutputFile::commit(std::string& error) {
  buffer_->drain();
  int err = buffer_->error();
  committed_ = true;
  if (kind_ == Kind::Std) {
    if (err != 0) error = write_failed(path_, err);
    return err == 0;
  }
  struct stat st;
  // fsync means nothing on a device or a pipe (EINVAL there).
  if (err == 0 && ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) && ::fsync(fd_) != 0) err = errno;
  if (::close(fd_) != 0 && err == 0) err = errno;
  if (kind_ == Kind::InPlace) {
    if (err != 0) error = write_failed(path_, err);
    return err == 0;
  }
  CleanupSignalsBlocked blocked;
  if (err != 0) {
    error = write_failed(path_, err);
  } else {
    ::chmod(g_temp_path, 0644);
    if (std::rename(g_temp_path, path_.c_str()) != 0) {
      err = errno;
      error = printable(path_) + ": cannot replace the file: " + std::strerror(err);
    }
  }
  if (err != 0) ::unlink(g_temp_path);
  g_temp_live = 0;
  return err == 0;
}

bool write_output(const std::string& path, const std::string& content, std::string& error) {
  OutputFile out;
  if (!out.open(path, error)) return false;
  out.stream().write(content.data(), static_cast<std::streamsize>(content.size()));
  return out.commit(error);
}

bool finish_stdout(std::string& error) {
  bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) || std::cout.bad();
  // The errno of the failed write (std::cout writes through stdio's stdout).
  int err = errno;
  if (failed && err != EPIPE) {
    error = write_failed("stdout", err ? err : EIO);
    return false;
  }
  // A file system may report a failed write only when the file is closed (NFS, a full quota).
  // EBADF: stdout was closed before tfwarden started, and nothing was written to it.
  if (::close(STDOUT_FILENO) != 0 && errno != EBADF && errno != EINTR) {
    error = write_failed("stdout", errno);
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
