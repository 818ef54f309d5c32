#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "plan/plan.h"

namespace tfwarden::test {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::unique_ptr<Plan> load_text(const std::string& json, std::string& error) {
  return load_plan("test.json", simdjson::padded_string(json), error);
}

// The header keys of a valid rule file.
inline std::string rule_head() {
  return R"(id = "T-X-001"
name = "x-bad"
title = "t"
severity = "high"
area = "x"
rationale = "r"
remediation = "m"
)";
}

// A valid rule file around `body` (its [select], [let] and [check] tables): the header keys
// and one passing and one failing test.
inline std::string rule_text(const std::string& body) {
  return rule_head() + body + R"(
[[test]]
name = "p"
expect = "pass"
plan = '{"format_version": "1.2", "resource_changes": []}'

[[test]]
name = "f"
expect = "fail"
plan = '{"format_version": "1.2", "resource_changes": []}'
)";
}

inline std::string corpus_dir() { return TFWARDEN_CORPUS_DIR; }

inline bool have_corpus() { return std::filesystem::is_directory(corpus_dir()); }

struct RunResult {
  int code = -1;
  std::string out, err;
};

// Runs the real binary with a shell command line (arguments after `tfwarden`); `env`: variables
// for it alone (`NAME=value ...`, through env(1)).
inline RunResult run_tfwarden(const std::string& args, const std::string& stdin_file = "",
                              const std::string& env = "") {
  namespace fs = std::filesystem;
  static int counter = 0;
  fs::path tmp = fs::temp_directory_path() / ("tfwarden-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::string cmd = (env.empty() ? std::string() : "env " + env + " ") + "'" + TFWARDEN_BINARY + "' " + args + " > '" +
                    tmp.string() + ".out' 2> '" + tmp.string() + ".err'";
  if (!stdin_file.empty()) cmd += " < '" + stdin_file + "'";
  int status = std::system(cmd.c_str());
  RunResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(tmp.string() + ".out");
  r.err = read_file(tmp.string() + ".err");
  fs::remove(tmp.string() + ".out");
  fs::remove(tmp.string() + ".err");
  return r;
}

}  // namespace tfwarden::test
