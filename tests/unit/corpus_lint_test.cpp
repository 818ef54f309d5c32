// The whole shared corpus is linted without error, and the result is stable byte for byte.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "test_util.h"

TEST_CASE("the corpus lints without error, the same output twice", "[corpus][e2e]") {
  if (!tfwarden::test::have_corpus()) {
    WARN("skipped: ../shared/corpus is absent (" << tfwarden::test::corpus_dir() << ")");
    return;
  }
  std::string dirs = "'" + tfwarden::test::corpus_dir() + "/terraform-golden' '" + tfwarden::test::corpus_dir() +
                     "/real-world'";
  // Terraform's own goldens hold an errored plan (plan-error.json): it fails the run by default,
  // and is linted like the others with errored-plan = "lint".
  auto strict = tfwarden::test::run_tfwarden("check " + dirs + " --format json --default-region us-east-1");
  CHECK(strict.code == 2);
  CHECK(strict.err.find("plan-error.json: the plan is marked errored") != std::string::npos);
  std::string cfg =
      (std::filesystem::temp_directory_path() / ("tfwarden-corpus-" + std::to_string(::getpid()) + ".toml")).string();
  std::ofstream(cfg) << "errored-plan = \"lint\"\n";
  dirs += " --config '" + cfg + "'";
  auto first = tfwarden::test::run_tfwarden("check " + dirs + " --format json --default-region us-east-1");
  auto second = tfwarden::test::run_tfwarden("check " + dirs + " --format json --default-region us-east-1 -j 1");
  INFO(first.err);
  CHECK(first.code != 2);
  CHECK(first.err.empty());
  CHECK(first.out == second.out);
  CHECK(first.out.find("\"inputs\"") != std::string::npos);
  auto text1 = tfwarden::test::run_tfwarden("check " + dirs + " --format text --color never");
  auto text2 = tfwarden::test::run_tfwarden("check " + dirs + " --format text --color never");
  CHECK(text1.out == text2.out);
  std::filesystem::remove(cfg);
}
