// The check command's own plumbing, through the real binary.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "test_util.h"

namespace {

// The region of the single finding in a JSON report ("" when it is not known: null).
std::string finding_region(const std::string& report) {
  auto doc = nlohmann::json::parse(report);
  REQUIRE(doc["findings"].size() == 1);
  const auto& region = doc["findings"][0]["region"];
  return region.is_null() ? "" : region.get<std::string>();
}

}  // namespace

TEST_CASE("the config's default region reaches the engine, and --default-region wins", "[cli]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tfwarden-cli-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  // A public subnet whose provider sets no region.
  std::ofstream(dir / "plan.json") << R"({"format_version": "1.2", "resource_changes": [
    {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a", "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null, "after": {"map_public_ip_on_launch": true}, "after_unknown": {}}}],
    "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}},
      "root_module": {"resources": [{"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a",
        "provider_config_key": "aws", "expressions": {"map_public_ip_on_launch": {"constant_value": true}}}]}}})";
  std::ofstream(dir / "region.toml") << "default-region = \"eu-west-3\"\n";
  std::string plan = "'" + (dir / "plan.json").string() + "'";
  std::string cfg = " --config '" + (dir / "region.toml").string() + "'";
  std::string only = " --only HP-NET-001 --format json";

  auto none = tfwarden::test::run_tfwarden("check " + plan + only);
  REQUIRE(none.code == 1);
  CHECK(finding_region(none.out).empty());
  auto from_config = tfwarden::test::run_tfwarden("check " + plan + only + cfg);
  REQUIRE(from_config.code == 1);
  CHECK(finding_region(from_config.out) == "eu-west-3");
  auto from_flag = tfwarden::test::run_tfwarden("check " + plan + only + cfg + " --default-region ap-south-1");
  REQUIRE(from_flag.code == 1);
  CHECK(finding_region(from_flag.out) == "ap-south-1");
  fs::remove_all(dir);
}

namespace {

const char* kPlan = "fixtures/reference-platform/variants/subnet-maps-public-ip/plan.json";

// The JSON findings as "RULE ADDRESS" lines, to compare runs whatever else differs.
std::string finding_keys(const std::string& report) {
  std::string out;
  auto doc = nlohmann::json::parse(report);
  for (const auto& f : doc["findings"])
    out += f["rule"].get<std::string>() + " " + f["address"].get<std::string>() + "\n";
  return out;
}

bool printable_ascii_lines(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '\n' || (c >= 0x20 && c < 0x7f); });
}

}  // namespace

// pre-commit appends the file names after `args:`, so an option may stand before or after the
// inputs; it must never swallow one.
TEST_CASE("every multi-value option takes one value per occurrence, before or after the input", "[cli]") {
  struct Option {
    std::string before;  // the option as it is written before the input
    std::string after;   // the same, written after it (or with `=`)
  };
  const std::vector<Option> options = {
      {"--format json", "--format=json"},
      {"-f json", "-f json"},
      {"--only HP-NET-001,HP-NET-002 --only net", "--only=HP-NET-001,HP-NET-002 --only=net"},
      {"--skip edge --skip HP-BAK-001", "--skip=edge,HP-BAK-001"},
      {"--type aws_subnet --type aws_ecs_service", "--type=aws_subnet,aws_ecs_service"},
      {"--rules tests/fixtures/plans", "--rules=tests/fixtures/plans"},
  };
  for (const auto& opt : options) {
    INFO(opt.before);
    std::string json = opt.before.find("json") == std::string::npos ? " --format json" : "";
    auto first = tfwarden::test::run_tfwarden("check " + opt.before + json + " " + kPlan);
    auto last = tfwarden::test::run_tfwarden("check " + std::string(kPlan) + json + " " + opt.before);
    auto eq = tfwarden::test::run_tfwarden("check " + opt.after + json + " " + kPlan);
    REQUIRE(first.err.empty());
    CHECK(first.code == 1);
    CHECK(last.code == first.code);
    CHECK(eq.code == first.code);
    CHECK(last.out == first.out);
    CHECK(eq.out == first.out);
    CHECK_FALSE(finding_keys(first.out).empty());
  }
  // Two inputs after options that take lists: both are read.
  auto two = tfwarden::test::run_tfwarden("check --only net --type aws_subnet --format json " + std::string(kPlan) +
                                          " fixtures/reference-platform/plan.json");
  CHECK(two.code == 1);
  CHECK(nlohmann::json::parse(two.out)["inputs"].size() == 2);
  // The other commands' list options too.
  auto list = tfwarden::test::run_tfwarden("rules list --rules tests/fixtures/plans --format json");
  CHECK(list.code == 0);
  auto explain = tfwarden::test::run_tfwarden("explain --rules tests/fixtures/plans HP-NET-001");
  CHECK(explain.code == 0);
}

TEST_CASE("a filter that can match nothing is an error with a did-you-mean", "[cli]") {
  auto type = tfwarden::test::run_tfwarden(std::string("check ") + kPlan + " --type aws_lbb");
  CHECK(type.code == 2);
  CHECK(type.out.empty());
  CHECK(type.err ==
        "tfwarden: error: --type `aws_lbb`: no rule that runs selects this type and no input has a resource of it "
        "(did you mean `aws_lb`?)\n");
  auto address = tfwarden::test::run_tfwarden(
      std::string("check ") + kPlan + " --address 'module.regions.module.primary.module.network.aws_subnet.publik'");
  CHECK(address.code == 2);
  CHECK(address.err.find("matches no resource in the inputs (did you mean "
                         "`module.regions.module.primary.module.network.aws_subnet.public[0]`?)") != std::string::npos);
  // A type that resources have but no rule checks is not an error, but it is said.
  auto unchecked = tfwarden::test::run_tfwarden(std::string("check ") + kPlan + " --type aws_appautoscaling_target");
  CHECK(unchecked.code == 0);
  CHECK(unchecked.err == "tfwarden: note: no rule that runs checks resources of type `aws_appautoscaling_target`\n");
  // A type a rule selects is valid even when these inputs have none of it.
  auto absent = tfwarden::test::run_tfwarden(
      "check fixtures/reference-platform/plan.json --type aws_fis_experiment_template --only net");
  CHECK(absent.err.find("--type") == std::string::npos);
  // --type and --address limit what is reported: the same findings as without them, filtered.
  auto all = tfwarden::test::run_tfwarden(std::string("check ") + kPlan + " --format json");
  auto subnets = tfwarden::test::run_tfwarden(std::string("check ") + kPlan + " --format json --type aws_subnet");
  std::string expected;
  auto doc = nlohmann::json::parse(all.out);
  for (const auto& f : doc["findings"])
    if (f["type"] == "aws_subnet")
      expected += f["rule"].get<std::string>() + " " + f["address"].get<std::string>() + "\n";
  CHECK_FALSE(expected.empty());
  CHECK(finding_keys(subnets.out) == expected);
}

TEST_CASE("explain and rules show know the ids of tfwarden's own findings", "[cli]") {
  for (const char* id : {"TFW-WAIVER-001", "TFW-WAIVER-002", "waiver-stale"}) {
    INFO(id);
    auto r = tfwarden::test::run_tfwarden(std::string("explain ") + id);
    CHECK(r.code == 0);
    CHECK(r.out.find("Why it matters") != std::string::npos);
    CHECK(r.out.find("Waive it") == std::string::npos);
    CHECK(tfwarden::test::run_tfwarden(std::string("rules show ") + id).code == 0);
  }
  auto typo = tfwarden::test::run_tfwarden("explain TFW-WAIVER-003");
  CHECK(typo.code == 2);
  CHECK(typo.err.find("did you mean `TFW-WAIVER-00") != std::string::npos);
}

TEST_CASE("inspect --resources lists resources whose region is unknown", "[cli]") {
  namespace fs = std::filesystem;
  fs::path plan = fs::temp_directory_path() / ("tfwarden-inspect-" + std::to_string(::getpid()) + ".json");
  std::ofstream(plan) << R"({"format_version": "1.2", "resource_changes": [
    {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a", "provider_name": "registry.terraform.io/hashicorp/aws",
     "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {}}}]})";
  auto r = tfwarden::test::run_tfwarden("inspect --resources --format json '" + plan.string() + "'");
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  auto doc = nlohmann::json::parse(r.out);
  CHECK(doc[0]["resource_list"][0]["region"].is_null());
  CHECK(tfwarden::test::run_tfwarden("inspect --resources '" + plan.string() + "'").code == 0);
  fs::remove(plan);
}

TEST_CASE("the same address in two root modules never shares a fingerprint or a baseline entry", "[cli][baseline]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tfwarden-roots-" + std::to_string(::getpid()));
  fs::create_directories(dir / "prod");
  fs::create_directories(dir / "stage");
  fs::copy_file(kPlan, dir / "prod" / "plan.json", fs::copy_options::overwrite_existing);
  fs::copy_file(kPlan, dir / "stage" / "plan.json", fs::copy_options::overwrite_existing);
  std::string prod = "'" + (dir / "prod" / "plan.json").string() + "'";
  std::string stage = "'" + (dir / "stage" / "plan.json").string() + "'";
  std::string baseline = "'" + (dir / "prod-baseline.json").string() + "'";

  auto both = tfwarden::test::run_tfwarden("check --format json " + prod + " " + stage);
  auto doc = nlohmann::json::parse(both.out);
  std::set<std::string> fingerprints;
  for (const auto& f : doc["findings"]) fingerprints.insert(f["fingerprint"].get<std::string>());
  CHECK(fingerprints.size() == doc["findings"].size());
  CHECK(doc["findings"].size() == 12);

  REQUIRE(tfwarden::test::run_tfwarden("check " + prod + " --write-baseline " + baseline).code == 1);
  // The baseline of prod accepts prod's findings, not stage's.
  CHECK(tfwarden::test::run_tfwarden("check " + prod + " --baseline " + baseline).code == 0);
  auto on_stage = tfwarden::test::run_tfwarden("check " + stage + " --baseline " + baseline + " --format json");
  CHECK(on_stage.code == 1);
  CHECK(nlohmann::json::parse(on_stage.out)["summary"]["counted"] == 6);

  // A baseline of report_version 1 (fingerprints without the input) is still read: by rule,
  // address and path in every input, with a note that says so.
  auto legacy = nlohmann::json::parse(tfwarden::test::read_file((dir / "prod-baseline.json").string()));
  legacy["tool"]["report_version"] = 1;
  for (auto& f : legacy["findings"]) {
    std::string fp = f["fingerprint"];
    f["fingerprint"] = fp.substr(fp.find('|') + 1);
  }
  std::ofstream(dir / "legacy.json") << legacy.dump();
  auto old = tfwarden::test::run_tfwarden("check " + stage + " --baseline '" + (dir / "legacy.json").string() + "'");
  CHECK(old.code == 0);
  CHECK(old.err.find("tfwarden: note: ") == 0);
  CHECK(old.err.find("report_version 1 baseline") != std::string::npos);
  // A newer report than this tfwarden reads is refused, not half-read.
  legacy["tool"]["report_version"] = 3;
  std::ofstream(dir / "future.json") << legacy.dump();
  auto future = tfwarden::test::run_tfwarden("check " + stage + " --baseline '" + (dir / "future.json").string() + "'");
  CHECK(future.code == 2);
  CHECK(future.err.find("newer than this tfwarden reads") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("a relative and an absolute name of one input share a fingerprint", "[cli][baseline]") {
  auto rel = tfwarden::test::run_tfwarden(std::string("check --format json ") + kPlan);
  auto abs =
      tfwarden::test::run_tfwarden("check --format json '" + (std::filesystem::current_path() / kPlan).string() + "'");
  auto a = nlohmann::json::parse(rel.out), b = nlohmann::json::parse(abs.out);
  REQUIRE(a["findings"].size() == b["findings"].size());
  CHECK(a["findings"][0]["fingerprint"] == b["findings"][0]["fingerprint"]);
  CHECK(a["findings"][0]["fingerprint"].get<std::string>().rfind(std::string(kPlan) + "|HP-NET-001|", 0) == 0);
}

TEST_CASE("a file name with control characters reaches stderr escaped", "[cli][inputs]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tfwarden-cli-names-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string name = "plan\x1b[2J\a\xE9.json";
  std::ofstream(dir / name) << "{\"format_version\": \"1.2\", \"x\": \"\xE9\"}";
  // The shell's $'...' would be bash-only: the name is globbed instead.
  auto r = tfwarden::test::run_tfwarden("check '" + dir.string() + "'/plan*.json");
  CHECK(r.code == 2);
  CHECK(printable_ascii_lines(r.err));
  CHECK_THAT(r.err, Catch::Matchers::Contains("plan\\u001b[2J\\u0007\\xe9.json: invalid UTF-8 at byte 32 (`\\xe9`)"));
  auto missing = tfwarden::test::run_tfwarden("check '" + dir.string() + "'/plan*.json'" + "\x1b[1m" + "'");
  CHECK(missing.code == 2);
  CHECK(printable_ascii_lines(missing.err));
  fs::remove_all(dir);
}

TEST_CASE("a directory scan skips what is not a plan, but not everything, and not unreadable folders",
          "[cli][inputs]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tfwarden-cli-scan-" + std::to_string(::getpid()));
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "package.json") << R"({"name": "x", "version": "1.0.0"})";
  std::ofstream(dir / "sub" / "tsconfig.json") << R"({"compilerOptions": {}})";
  // Only JSON that is neither a plan nor a state: nothing to lint is an error, as an empty folder is.
  auto none = tfwarden::test::run_tfwarden("check '" + dir.string() + "' --format json");
  CHECK(none.code == 2);
  CHECK(none.out.empty());
  CHECK_THAT(none.err, Catch::Matchers::Contains("tfwarden: note: skipped 2 JSON files under " + dir.string() +
                                                 " that are neither plans nor states\n"));
  CHECK_THAT(none.err, Catch::Matchers::Contains("tfwarden: error: no plan or state to lint"));

  std::ofstream(dir / "plan.json") << R"({"format_version": "1.2", "resource_changes": []})";
  // A file name that is not UTF-8 (Latin-1 "café") cannot go into JSON as it is.
  std::ofstream(dir / "caf\xE9.json") << R"({"name": "x", "version": "1.0.0"})";
  auto one = tfwarden::test::run_tfwarden("check '" + dir.string() + "' --format json");
  CHECK(one.code == 0);
  auto report = nlohmann::json::parse(one.out);
  CHECK(report["inputs"].size() == 1);
  REQUIRE(report["skipped"].size() == 3);
  CHECK(report["skipped"][0]["path"] == (dir / "caf\\xe9.json").string());
  CHECK(report["skipped"][2]["path"] == (dir / "sub" / "tsconfig.json").string());
  CHECK(report["skipped"][2]["reason"] ==
        "not a plan or state: a JSON object without `format_version` (keys `compilerOptions`)");

  if (::geteuid() != 0) {
    fs::create_directories(dir / "locked");
    fs::permissions(dir / "locked", fs::perms::none);
    auto locked = tfwarden::test::run_tfwarden("check '" + dir.string() + "'");
    CHECK(locked.code == 2);
    CHECK_THAT(locked.err, Catch::Matchers::Contains((dir / "locked").string() + ": cannot read the directory: "));
    fs::permissions(dir / "locked", fs::perms::owner_all);
  }
  fs::remove_all(dir);
}

namespace {

// The real binary with `env` first: the variables reach it only, not this process.
tfwarden::test::RunResult run_with_env(const std::string& env, const std::string& args) {
  return tfwarden::test::run_tfwarden(args, "", env);
}

}  // namespace

TEST_CASE("TFWARDEN_* variables set check's options: the flag wins, then the environment, then the config", "[cli]") {
  namespace fs = std::filesystem;
  const std::string plan = "tests/fixtures/plans/findings.json";  // 1 critical, 11 high, 5 medium
  fs::path dir = fs::temp_directory_path() / ("tfwarden-env-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "fail-on-medium.toml") << "fail-on = \"medium\"\n";
  std::string config = " --config '" + (dir / "fail-on-medium.toml").string() + "'";
  auto summary = [](const tfwarden::test::RunResult& r) { return nlohmann::json::parse(r.out).at("summary"); };
  // The environment over the configuration.
  auto env = run_with_env("TFWARDEN_FAIL_ON=critical", "check " + plan + config + " --format json");
  CHECK(summary(env).at("fail_on") == "critical");
  // The flag over the environment.
  auto flag = run_with_env("TFWARDEN_FAIL_ON=critical", "check " + plan + config + " --format json --fail-on high");
  CHECK(summary(flag).at("fail_on") == "high");
  // The configuration where neither is given.
  auto cfg = tfwarden::test::run_tfwarden("check " + plan + config + " --format json");
  CHECK(summary(cfg).at("fail_on") == "medium");
  // A list, comma-separated as for the flag; and the format.
  auto only = run_with_env("TFWARDEN_ONLY=HP-DATA-001,HP-EDGE-001 TFWARDEN_FORMAT=json", "check " + plan);
  CHECK(summary(only).at("rules") == 2);
  // A bad value names the variable.
  auto bad = run_with_env("TFWARDEN_FAIL_ON=urgent", "check " + plan);
  CHECK(bad.code == 2);
  CHECK(bad.err ==
        "tfwarden: error: --fail-on: urgent not in {critical,high,medium,low,info} (from the environment "
        "variable TFWARDEN_FAIL_ON)\n");
  fs::remove_all(dir);
}

TEST_CASE("bare tfwarden prints the help; -V and --version print the version", "[cli]") {
  auto bare = tfwarden::test::run_tfwarden("");
  CHECK(bare.code == 0);
  CHECK_THAT(bare.out, Catch::Matchers::Contains("Subcommands:") && Catch::Matchers::Contains("completion"));
  for (const char* flag : {"-V", "--version", "version"}) {
    auto v = tfwarden::test::run_tfwarden(flag);
    CHECK(v.code == 0);
    CHECK(v.out == std::string("tfwarden ") + TFWARDEN_VERSION + "\n");
  }
}

TEST_CASE("cli: check reads Terraform source: the reference platform's passes every rule", "[cli][source]") {
  std::string root = std::string(TFWARDEN_SOURCE_DIR) + "/reference-terraform/platform";
  auto r = tfwarden::test::run_tfwarden("check '" + root + "' -f json");
  INFO(r.err);
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["inputs"].size() == 1);
  CHECK(j["inputs"][0]["kind"] == "hcl");
  CHECK(j["inputs"][0]["resources"].get<int>() > 400);
  CHECK(j["summary"]["findings"] == 0);
  // What the source cannot tell (instances counted by values known only after apply) is said.
  bool said = false;
  for (const auto& n : j["inputs"][0]["notes"])
    said =
        said || n.get<std::string>().find("its number of instances is not known from the source") != std::string::npos;
  CHECK(said);

  auto plan_only = tfwarden::test::run_tfwarden("check '" + root + "' --input-kind plan");
  CHECK(plan_only.code == 2);
  CHECK(plan_only.err.find("the directory holds no *.json files") != std::string::npos);
}

TEST_CASE("cli: a syntax error in Terraform source exits 2 naming file, line and column", "[cli][source]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tfwarden-cli-source-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "main.tf") << "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\" \"y\"\n}\n";
  std::ofstream(dir / "plan.json") << R"({"format_version": "1.2", "resource_changes": []})";
  auto r = tfwarden::test::run_tfwarden("check '" + dir.string() + "' -f json");
  fs::remove_all(dir);
  CHECK(r.code == 2);
  CHECK(r.err.find("main.tf:2:16: expected a new line after the attribute, found a string") != std::string::npos);
  CHECK(r.err.find("  help: ") != std::string::npos);
  CHECK(r.err.find("holds plan or state JSON and Terraform source; both are read") != std::string::npos);
  // The other input of the directory is still linted and reported.
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["inputs"].size() == 2);
}

TEST_CASE("cli: findings on Terraform source point at the file and line, with no --source-dir", "[cli][source]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tfwarden-cli-source-loc-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "main.tf") << "provider \"aws\" {\n  region = \"us-east-1\"\n}\n\n"
                                    "resource \"aws_security_group\" \"web\" {\n  name = \"web\"\n  ingress {\n"
                                    "    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n"
                                    "    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n";
  auto r = tfwarden::test::run_tfwarden("check '" + dir.string() + "' --only HP-NET-003 -f json");
  fs::remove_all(dir);
  INFO(r.err);
  REQUIRE(r.code == 1);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].size() == 1);
  CHECK(j["findings"][0]["location"]["file"].get<std::string>().ends_with("main.tf"));
  CHECK(j["findings"][0]["location"]["line"] == 7);
  CHECK(j["findings"][0]["region"] == "us-east-1");
}
