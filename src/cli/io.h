#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace tfwarden {

// One input to read: named on the command line, or found in a directory named there.
struct InputPath {
  std::string path;
  bool from_directory = false;
  std::string directory;  // the directory as named, when from_directory
  bool source = false;    // a root module's directory of `.tf` files, not a JSON document
};

// What a directory scan takes: plan and state JSON, Terraform source, or both (`--input-kind`).
enum class InputKind { Any, Plan, Source };

// What a directory scan met and could not read: a directory that could not be listed, an entry
// whose type could not be read, a symbolic link loop.
struct UnreadablePath {
  std::string path, error;  // `error` says why (`cannot read the directory: ...`), quoting no raw bytes
};

// Expands command-line inputs: "-" (stdin), files, and directories: each is scanned recursively
// for *.json regular files, in sorted order, skipping directories whose name starts with a dot
// below it (`.terraform`, `.git`; a dot-directory named itself is scanned), and for root
// modules: directories of `.tf` files that no other directory found calls as a local module
// (a `.tf` file named itself is its directory's root module). Symbolic links are
// followed; a directory is scanned once, by device and inode. A subdirectory that cannot be
// listed, an entry that cannot be read and a link back to a directory above it go to
// `unreadable`. Returns false with `error` set when an input does not exist or a directory holds
// no input of the kind asked for.
bool expand_inputs(const std::vector<std::string>& args, std::vector<InputPath>& out,
                   std::vector<UnreadablePath>& unreadable, std::string& error, InputKind kind = InputKind::Any);
// The same as paths only; an unreadable subdirectory is an error.
bool expand_inputs(const std::vector<std::string>& args, std::vector<std::string>& out, std::string& error);

// Writes `content` to `path` ("-" is stdout). A regular file, or a path that does not exist, is
// written atomically: a temporary file beside it, then a rename; SIGINT, SIGTERM and SIGHUP
// remove the temporary file. Anything else that exists (a device, a FIFO, a socket,
// `/dev/stdout`, a symbolic link) is written through in place, never replaced. Every write, the
// flush and the close are checked (`PATH: write failed: REASON`); a reader that closed its pipe
// (EPIPE) is not a failure: the rest is dropped.
bool write_output(const std::string& path, const std::string& content, std::string& error);

// An output written as it is made, to `path` as write_output describes: stream() goes to the
// descriptor in blocks of 1 MiB, with no copy of the whole output in memory; commit() flushes,
// syncs and closes it (renaming a temporary file over the target) and reports the first failure
// (`PATH: write failed: REASON`). Destroyed without commit(), it removes its temporary file and
// the target stays as it was. One is open at a time.
class OutputFile {
 public:
  OutputFile();
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  bool open(const std::string& path, std::string& error);
  std::ostream& stream() { return stream_; }
  bool commit(std::string& error);

 private:
  class Buffer;
  enum class Kind { None, Std, InPlace, Atomic };
  Kind kind_ = Kind::None;
  int fd_ = -1;
  bool committed_ = false;
  std::string path_;
  std::unique_ptr<Buffer> buffer_;
  std::ostream stream_;
};

// Flushes and closes stdout at the end of a command, for the failures that only show there.
bool finish_stdout(std::string& error);

// Prints the tool's own error: `tfwarden: error: MSG` on stderr, MSG escaped by printable():
// one line of printable ASCII whatever it quotes.
void print_error(const std::string& msg);
// The same for a note: `tfwarden: note: MSG`.
void print_note(const std::string& msg);

// True when colour should be used on stdout for `mode` (auto, always, never).
bool use_color(const std::string& mode);

}  // namespace tfwarden
