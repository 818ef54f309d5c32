#include "cli/io.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace fs = std::filesystem;
using namespace tfwarden;

namespace {

// A scratch directory tree, removed at the end of the test.
struct Tree {
  fs::path root = fs::temp_directory_path() / ("tfwarden-io-" + std::to_string(::getpid()));
  Tree() { fs::create_directories(root); }
  ~Tree() {
    std::error_code ec;
    for (auto& p : fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec))
      fs::permissions(p.path(), fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(root, ec);
  }
  void file(const std::string& rel) {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel) << "{}";
  }
  std::string at(const std::string& rel) const { return (root / rel).string(); }
};

std::vector<std::string> paths(const std::vector<InputPath>& in) {
  std::vector<std::string> out;
  out.reserve(in.size());
  for (const auto& i : in) out.push_back(i.path);
  return out;
}

}  // namespace

TEST_CASE("a directory scan skips dot-directories below it, in sorted order", "[io]") {
  Tree t;
  for (const char* f : {"plan.json", "b/z.json", "a/plan.json", "a/notes.txt", ".terraform/modules/modules.json",
                        ".git/x.json", "a/.cache/y.json", ".hidden.json"})
    t.file(f);
  std::vector<InputPath> out;
  std::vector<UnreadablePath> unreadable;
  std::string error;
  REQUIRE(expand_inputs({t.root.string()}, out, unreadable, error));
  CHECK(unreadable.empty());
  CHECK(paths(out) ==
        std::vector<std::string>{t.at(".hidden.json"), t.at("a/plan.json"), t.at("b/z.json"), t.at("plan.json")});
  for (const auto& i : out) {
    CHECK(i.from_directory);
    CHECK(i.directory == t.root.string());
  }

  // A dot-directory named itself is scanned; a file named itself is not from a directory.
  out.clear();
  REQUIRE(expand_inputs({t.at(".terraform"), t.at("a/notes.txt"), "-"}, out, unreadable, error));
  REQUIRE(out.size() == 3);
  CHECK(out[0].path == t.at(".terraform/modules/modules.json"));
  CHECK(out[0].from_directory);
  CHECK_FALSE(out[1].from_directory);
  CHECK(out[1].directory.empty());
  CHECK(out[2].path == "-");
  CHECK_FALSE(out[2].from_directory);
}

TEST_CASE("\".\" is scanned, with normalised paths under it (annotations and fingerprints say x/plan.json)", "[io]") {
  Tree t;
  t.file("x/plan.json");
  t.file(".terraform/modules/modules.json");
  auto cwd = fs::current_path();
  fs::current_path(t.root);
  std::vector<InputPath> out;
  std::vector<UnreadablePath> unreadable;
  std::string error;
  bool ok = expand_inputs({"."}, out, unreadable, error);
  fs::current_path(cwd);
  REQUIRE(ok);
  CHECK(paths(out) == std::vector<std::string>{"x/plan.json"});
}

TEST_CASE("missing inputs and empty directories are errors; names in errors are escaped", "[io]") {
  Tree t;
  fs::create_directories(t.root / "empty" / ".terraform");
  t.file("empty/.terraform/x.json");
  std::vector<InputPath> out;
  std::vector<UnreadablePath> unreadable;
  std::string error;
  CHECK_FALSE(expand_inputs({t.at("empty")}, out, unreadable, error));
  CHECK(error == t.at("empty") + ": the directory holds no *.json files and no .tf files");
  CHECK_FALSE(expand_inputs({t.at("empty")}, out, unreadable, error, InputKind::Plan));
  CHECK(error == t.at("empty") + ": the directory holds no *.json files");
  CHECK_FALSE(expand_inputs({t.at("no\x1b[2Jsuch.json")}, out, unreadable, error));
  CHECK(error == t.at("no\\u001b[2Jsuch.json") + ": no such file or directory");
}

TEST_CASE("root modules are inputs; the modules they call are not", "[io]") {
  Tree t;
  auto write = [&](const std::string& rel, const std::string& text) {
    fs::create_directories((t.root / rel).parent_path());
    std::ofstream(t.root / rel) << text;
  };
  write("live/main.tf", "module \"net\" {\n  source = \"../modules/net\"\n}\n");
  write("modules/net/main.tf", "resource \"aws_vpc\" \"v\" {}\n");
  write("other/main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n");
  write("other/plan.json", "{}");
  write("live/.terraform/modules/x/main.tf", "resource \"aws_vpc\" \"v\" {}\n");
  std::vector<InputPath> out;
  std::vector<UnreadablePath> unreadable;
  std::string error;
  REQUIRE(expand_inputs({t.root.string()}, out, unreadable, error));
  REQUIRE(out.size() == 3);
  CHECK(out[0].path == t.at("other/plan.json"));
  CHECK_FALSE(out[0].source);
  CHECK(out[1].path == t.at("live"));
  CHECK(out[1].source);
  CHECK(out[2].path == t.at("other"));  // read as both: its plan and its source
  CHECK(out[2].source);
  out.clear();
  REQUIRE(expand_inputs({t.root.string()}, out, unreadable, error, InputKind::Source));
  CHECK(paths(out) == std::vector<std::string>{t.at("live"), t.at("other")});
  out.clear();
  REQUIRE(expand_inputs({t.root.string()}, out, unreadable, error, InputKind::Plan));
  CHECK(paths(out) == std::vector<std::string>{t.at("other/plan.json")});
  out.clear();
  write("live/variables.tf", "variable \"x\" {}\n");
  REQUIRE(expand_inputs({t.at("live/main.tf"), t.at("live/variables.tf")}, out, unreadable, error));
  REQUIRE(out.size() == 1);
  CHECK(out[0].path == t.at("live"));
  CHECK(out[0].source);
}

TEST_CASE("a subdirectory that cannot be read is reported, not skipped", "[io]") {
  if (::geteuid() == 0) {
    WARN("skipped: permissions do not stop root");
    return;
  }
  Tree t;
  t.file("plan.json");
  t.file("locked/inner.json");
  fs::permissions(t.root / "locked", fs::perms::none);
  std::vector<InputPath> out;
  std::vector<UnreadablePath> unreadable;
  std::string error;
  REQUIRE(expand_inputs({t.root.string()}, out, unreadable, error));
  CHECK(paths(out) == std::vector<std::string>{t.at("plan.json")});
  REQUIRE(unreadable.size() == 1);
  CHECK(unreadable[0].path == t.at("locked"));
  CHECK_THAT(unreadable[0].error, Catch::Matchers::Contains("ermission denied"));
  // The paths-only form makes it an error.
  std::vector<std::string> flat;
  CHECK_FALSE(expand_inputs({t.root.string()}, flat, error));
  CHECK_THAT(error, Catch::Matchers::StartsWith(t.at("locked") + ": "));
}

TEST_CASE("a directory scan follows symbolic links, scans a directory once and reports loops", "[io]") {
  Tree t;
  t.file("scan/plan.json");
  t.file("elsewhere/other.json");
  fs::create_directory_symlink(".", t.root / "scan" / "loop");
  fs::create_directory_symlink("..", t.root / "scan" / "up");
  fs::create_symlink("b", t.root / "scan" / "a");
  fs::create_symlink("a", t.root / "scan" / "b");
  fs::create_symlink("missing", t.root / "scan" / "dangling");
  fs::create_symlink("missing.json", t.root / "scan" / "dangling.json");
  fs::create_directory_symlink("../elsewhere", t.root / "scan" / "linked");
  fs::create_directory_symlink("linked", t.root / "scan" / "linked-again");
  REQUIRE(::mkfifo(t.at("scan/pipe.json").c_str(), 0600) == 0);
  std::vector<InputPath> out;
  std::vector<UnreadablePath> unreadable;
  std::string error;
  REQUIRE(expand_inputs({t.at("scan")}, out, unreadable, error));
  // The FIFO is not read (it would block). `up` leads to the root: its `elsewhere` was scanned
  // already (as `linked`), and its `scan` is the directory above `up`.
  CHECK(paths(out) == std::vector<std::string>{t.at("scan/linked/other.json"), t.at("scan/plan.json")});
  std::vector<std::string> bad;
  bad.reserve(unreadable.size());
  for (const auto& u : unreadable) bad.push_back(u.path + ": " + u.error);
  CHECK(bad == std::vector<std::string>{
                   t.at("scan/a") + ": cannot read it: Too many levels of symbolic links",
                   t.at("scan/b") + ": cannot read it: Too many levels of symbolic links",
                   t.at("scan/dangling.json") + ": cannot read it: No such file or directory",
                   t.at("scan/loop") + ": a symbolic link loop: it leads back to a directory above it",
                   t.at("scan/up/scan") + ": a symbolic link loop: it leads back to a directory above it",
               });
}

namespace {

std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

size_t temporary_files(const fs::path& dir) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tfwarden-") != std::string::npos) ++n;
  return n;
}

}  // namespace

TEST_CASE("an output file is written as it goes and appears whole at commit", "[io]") {
  Tree t;
  std::string path = t.at("report.json");
  std::ofstream(path) << "previous report";
  // More than the 1 MiB block, in small writes and one large one.
  std::string large(3 << 20, 'x'), expected;
  std::string error;
  {
    OutputFile out;
    REQUIRE(out.open(path, error));
    for (int i = 0; i < 100000; ++i) {
      out.stream() << i << ',';
      expected += std::to_string(i) + ',';
    }
    out.stream().write(large.data(), static_cast<std::streamsize>(large.size()));
    expected += large;
    // Until commit, the target is as it was and the report is a temporary file beside it.
    CHECK(contents(path) == "previous report");
    CHECK(temporary_files(t.root) == 1);
    REQUIRE(out.commit(error));
  }
  CHECK(contents(path) == expected);
  CHECK(temporary_files(t.root) == 0);
}

TEST_CASE("an output dropped before commit leaves the target as it was and no temporary file", "[io]") {
  Tree t;
  std::string path = t.at("report.json");
  std::ofstream(path) << "previous report";
  std::string error;
  {
    OutputFile out;
    REQUIRE(out.open(path, error));
    out.stream() << std::string(2 << 20, 'y');
  }
  CHECK(contents(path) == "previous report");
  CHECK(temporary_files(t.root) == 0);
  {
    OutputFile out;
    REQUIRE(out.open(t.at("new.json"), error));
  }
  CHECK_FALSE(fs::exists(t.at("new.json")));
}

TEST_CASE("a failed write of an output says which file and why", "[io]") {
  if (!fs::exists("/dev/full")) {
    WARN("skipped: no /dev/full");
    return;
  }
  std::string error;
  OutputFile out;
  REQUIRE(out.open("/dev/full", error));  // a device: written in place
  out.stream() << std::string(3 << 20, 'z');
  CHECK_FALSE(out.commit(error));
  CHECK(error == "/dev/full: write failed: No space left on device");
  Tree t;
  fs::create_directories(t.at("dir"));
  OutputFile dir;
  CHECK_FALSE(dir.open(t.at("dir"), error));
  CHECK_THAT(error, Catch::Matchers::Contains("cannot open it for writing"));
}
