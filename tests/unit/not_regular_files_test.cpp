// Outputs and inputs that are not regular files: pipes, FIFOs, process substitution, closed
// readers, signals during a write, symbolic link loops in a directory scan. Devices (/dev/null,
// /dev/full) are tested in a private /dev by tests/hostile/devices.sh.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "test_util.h"

namespace fs = std::filesystem;
using tfwarden::test::read_file;
using tfwarden::test::RunResult;

namespace {

// A scratch directory, removed at the end of the test.
struct Scratch {
  fs::path dir;
  explicit Scratch(const std::string& name)
      : dir(fs::temp_directory_path() / ("tfwarden-nrf-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string at(const std::string& rel) const { return (dir / rel).string(); }
};

// Runs `script` with bash, `$TFWARDEN` naming the binary under test.
RunResult run_bash(const std::string& script) {
  static int counter = 0;
  fs::path tmp =
      fs::temp_directory_path() / ("tfwarden-nrf-run-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::ofstream(tmp.string() + ".sh") << script;
  std::string cmd = std::string("TFWARDEN='") + TFWARDEN_BINARY + "' bash '" + tmp.string() + ".sh' > '" +
                    tmp.string() + ".out' 2> '" + tmp.string() + ".err'";
  int status = std::system(cmd.c_str());
  RunResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(tmp.string() + ".out");
  r.err = read_file(tmp.string() + ".err");
  for (const char* ext : {".sh", ".out", ".err"}) fs::remove(tmp.string() + ext);
  return r;
}

// The findings fixture with `extra` more public subnets: one finding each, a report of about a
// kilobyte per subnet in JSON.
std::string plan_with_many_findings(int extra) {
  auto plan = nlohmann::json::parse(read_file("tests/fixtures/plans/findings.json"));
  nlohmann::json subnet;
  for (const auto& rc : plan["resource_changes"])
    if (rc["type"] == "aws_subnet") subnet = rc;
  REQUIRE(subnet.is_object());
  subnet.erase("module_address");
  for (int i = 0; i < extra; ++i) {
    nlohmann::json s = subnet;
    s["name"] = "bulk";
    s["index"] = std::to_string(i);
    s["address"] = "aws_subnet.bulk[\"" + std::to_string(i) + "\"]";
    plan["resource_changes"].push_back(std::move(s));
  }
  return plan.dump();
}

size_t temp_files_in(const fs::path& dir) {
  size_t n = 0;
  for (auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tfwarden-") != std::string::npos) ++n;
  return n;
}

}  // namespace

TEST_CASE("a FIFO and <(...) named as inputs are read", "[inputs][not-regular]") {
  Scratch s("fifo");
  std::string plan = fs::absolute("tests/fixtures/plans/findings.json").string();
  REQUIRE(::mkfifo(s.at("plan.fifo").c_str(), 0600) == 0);
  // `timeout`: the old reader opened a FIFO twice and waited for a second writer for ever.
  auto fifo = run_bash("cat '" + plan + "' > '" + s.at("plan.fifo") + "' &\ntimeout 60 \"$TFWARDEN\" check '" +
                       s.at("plan.fifo") + "' --format json\n");
  INFO(fifo.err);
  CHECK(fifo.code == 1);
  CHECK(fifo.err.empty());
  auto report = nlohmann::json::parse(fifo.out.empty() ? "{}" : fifo.out);
  CHECK(report["inputs"][0]["kind"] == "plan");
  CHECK(report["findings"].size() > 0);
  CHECK(fs::is_fifo(s.at("plan.fifo")));

  auto subst = run_bash("timeout 60 \"$TFWARDEN\" check <(cat '" + plan + "') --format json\n");
  INFO(subst.err);
  CHECK(subst.code == 1);
  CHECK(subst.err.empty());
  auto subst_report = nlohmann::json::parse(subst.out.empty() ? "{}" : subst.out);
  CHECK(subst_report["findings"].size() == report["findings"].size());
}

TEST_CASE("stdin through a pipe is read whole, beyond one chunk", "[inputs][not-regular]") {
  Scratch s("stdin");
  std::ofstream(s.at("big.json")) << plan_with_many_findings(3000);
  REQUIRE(fs::file_size(s.at("big.json")) > (size_t{2} << 20));  // the buffer starts at 1 MiB
  auto piped = run_bash("cat '" + s.at("big.json") + "' | \"$TFWARDEN\" check - --format json");
  auto direct = run_bash("\"$TFWARDEN\" check '" + s.at("big.json") + "' --format json");
  CHECK(piped.code == 1);
  CHECK(piped.err.empty());
  REQUIRE(direct.code == 1);
  auto a = nlohmann::json::parse(piped.out.empty() ? "{}" : piped.out);
  auto b = nlohmann::json::parse(direct.out);
  CHECK(a["findings"].size() == b["findings"].size());
  CHECK(a["inputs"][0]["input"] == "<stdin>");
}

TEST_CASE("a stream over the size limit stops being read", "[inputs][not-regular]") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  // The writer's end fails with EPIPE once the reader stops, instead of killing the test.
  auto old_pipe = ::signal(SIGPIPE, SIG_IGN);
  std::thread writer([&] {
    std::string chunk(1 << 16, ' ');
    // Endless unless the reader stops.
    while (::write(fds[1], chunk.data(), chunk.size()) > 0) {
    }
    ::close(fds[1]);
  });
  tfwarden::LoadError error;
  tfwarden::LoadLimits limits;
  limits.max_bytes = size_t{8} << 20;
  auto plan = tfwarden::load_plan_file("/dev/fd/" + std::to_string(fds[0]), error, limits);
  ::close(fds[0]);
  writer.join();
  ::signal(SIGPIPE, old_pipe);
  CHECK_FALSE(plan);
  CHECK(error.kind == tfwarden::LoadErrorKind::Limit);
  CHECK(error.message == "the document is over the limit of 8388608 bytes");
}

TEST_CASE("a reader that closes the pipe early is no error", "[outputs][not-regular]") {
  Scratch s("epipe");
  std::ofstream(s.at("big.json")) << plan_with_many_findings(2000);
  // The JSON report is far larger than a pipe holds: head is gone before it is written. SIGPIPE
  // at its default action, as in a shell (an ignored signal is inherited, and bash cannot reset it).
  auto old_pipe = ::signal(SIGPIPE, SIG_DFL);
  auto r = run_bash("\"$TFWARDEN\" check '" + s.at("big.json") +
                    "' --format json | head -c 10 > /dev/null; echo \"${PIPESTATUS[0]}\"");
  ::signal(SIGPIPE, old_pipe);
  CHECK(r.out == "1\n");
  CHECK(r.err.empty());
}

TEST_CASE("an output onto a FIFO or through a symbolic link is written there, not replaced", "[outputs][not-regular]") {
  Scratch s("outfifo");
  std::string plan = fs::absolute("tests/fixtures/plans/findings.json").string();
  REQUIRE(::mkfifo(s.at("out.fifo").c_str(), 0600) == 0);
  auto r = run_bash("timeout 60 cat '" + s.at("out.fifo") + "' > '" + s.at("got.json") + "' &\n\"$TFWARDEN\" check '" +
                    plan + "' --format json -o '" + s.at("out.fifo") + "'\necho $?\nwait\n");
  CHECK(r.out == "1\n");
  CHECK(fs::is_fifo(fs::symlink_status(s.at("out.fifo"))));
  CHECK(nlohmann::json::parse(read_file(s.at("got.json")))["findings"].size() > 0);

  // A link to a regular file: the link stays, its target gets the report.
  std::ofstream(s.at("target.json")) << "old";
  fs::create_symlink(s.at("target.json"), s.at("link.json"));
  r = run_bash("\"$TFWARDEN\" check '" + plan + "' --format json -o '" + s.at("link.json") + "'; echo $?");
  CHECK(r.out == "1\n");
  CHECK(fs::is_symlink(s.at("link.json")));
  CHECK(nlohmann::json::parse(read_file(s.at("target.json")))["findings"].size() > 0);
  CHECK(temp_files_in(s.dir) == 0);
}

TEST_CASE("SIGTERM or SIGINT during a write to -o removes the temporary file", "[outputs][signals]") {
  Scratch s("signal");
  std::ofstream(s.at("big.json")) << plan_with_many_findings(40000);
  fs::path out_dir = s.dir / "out";
  fs::create_directories(out_dir);
  std::string out = (out_dir / "report.json").string();
  for (int sig : {SIGTERM, SIGINT}) {
    INFO("signal " << sig);
    bool interrupted = false;
    // The temporary file lives only while the report is written: tfwarden is stopped as soon
    // as it appears, and signalled only if it is still there.
    for (int attempt = 0; attempt < 5 && !interrupted; ++attempt) {
      int watch = ::inotify_init1(IN_CLOEXEC);
      REQUIRE(watch >= 0);
      REQUIRE(::inotify_add_watch(watch, out_dir.c_str(), IN_CREATE) >= 0);
      std::string input = s.at("big.json");
      pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        // The signals at their default action, whatever the test runner inherited.
        ::signal(SIGINT, SIG_DFL);
        ::signal(SIGTERM, SIG_DFL);
        int devnull = ::open("/dev/null", O_WRONLY);
        ::dup2(devnull, STDOUT_FILENO);
        ::dup2(devnull, STDERR_FILENO);
        ::execl(TFWARDEN_BINARY, "tfwarden", "check", input.c_str(), "--format", "json", "-o", out.c_str(),
                static_cast<char*>(nullptr));
        ::_exit(127);
      }
      alignas(struct inotify_event) char buf[4096];
      std::string temp;
      struct pollfd pfd = {watch, POLLIN, 0};
      // A minute without the temporary file: tfwarden failed before writing (then `temp` stays empty).
      while (temp.empty() && ::poll(&pfd, 1, 60000) > 0) {
        ssize_t n = ::read(watch, buf, sizeof buf);
        if (n <= 0) break;
        for (char* p = buf; p < buf + n;) {
          auto* ev = reinterpret_cast<struct inotify_event*>(p);
          if (ev->len && std::string(ev->name).find(".tfwarden-") != std::string::npos) temp = ev->name;
          p += sizeof(struct inotify_event) + ev->len;
        }
      }
      ::kill(pid, SIGSTOP);
      int status = 0;
      ::waitpid(pid, &status, WUNTRACED);
      ::close(watch);
      if (WIFSTOPPED(status) && !temp.empty() && fs::exists(out_dir / temp)) {
        ::kill(pid, sig);
        interrupted = true;
      }
      ::kill(pid, SIGCONT);
      if (!WIFEXITED(status) && !WIFSIGNALED(status)) ::waitpid(pid, &status, 0);
      if (interrupted) {
        CHECK(WIFSIGNALED(status));
        CHECK(WTERMSIG(status) == sig);
      }
      CHECK(temp_files_in(out_dir) == 0);
      fs::remove(out);
    }
    CHECK(interrupted);
  }
}

TEST_CASE("a symbolic link loop in a scanned directory is a failed input; the rest is linted",
          "[inputs][not-regular]") {
  Scratch s("loop");
  fs::create_directories(s.dir / "scan");
  fs::copy_file("tests/fixtures/plans/findings.json", s.dir / "scan" / "plan.json");
  fs::create_directories(s.dir / "elsewhere");
  std::ofstream(s.dir / "elsewhere" / "other.json") << R"({"format_version": "1.2", "resource_changes": []})";
  fs::create_directory_symlink(".", s.dir / "scan" / "loop");
  fs::create_symlink("b", s.dir / "scan" / "a");
  fs::create_symlink("a", s.dir / "scan" / "b");
  // A link to a directory elsewhere is followed; a second name for it is not scanned twice.
  fs::create_directory_symlink("../elsewhere", s.dir / "scan" / "linked");
  fs::create_directory_symlink("linked", s.dir / "scan" / "linked-again");
  auto r = run_bash("cd '" + s.dir.string() + "' && \"$TFWARDEN\" check scan --format json");
  CHECK(r.code == 2);
  CHECK_THAT(r.err, !Catch::Matchers::Contains("internal error"));
  CHECK(r.err ==
        "tfwarden: error: scan/a: cannot read it: Too many levels of symbolic links\n"
        "tfwarden: error: scan/b: cannot read it: Too many levels of symbolic links\n"
        "tfwarden: error: scan/loop: a symbolic link loop: it leads back to a directory above it\n");
  auto report = nlohmann::json::parse(r.out.empty() ? "{}" : r.out);
  REQUIRE(report["inputs"].size() == 5);
  CHECK(report["inputs"][0]["input"] == "scan/linked/other.json");
  CHECK(report["inputs"][1]["input"] == "scan/plan.json");
  CHECK(report["inputs"][1]["kind"] == "plan");
  CHECK(report["inputs"][2]["input"] == "scan/a");
  CHECK(report["inputs"][2]["kind"] == "error");
  CHECK(report["inputs"][4]["input"] == "scan/loop");
  CHECK(report["inputs"][4]["error"] == "a symbolic link loop: it leads back to a directory above it");
  CHECK(report["findings"].size() > 0);
}
