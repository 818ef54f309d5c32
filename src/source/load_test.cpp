#include "source/load.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/resolve.h"

using namespace tfwarden;
using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

using Files = std::map<std::string, std::string>;

// A fresh directory holding `files` (path below it -> text); removed with the object.
struct SourceTree {
  fs::path root;
  explicit SourceTree(const Files& files) {
    static int n = 0;
    root = fs::temp_directory_path() / ("tfwarden-source-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(root);
    for (const auto& [path, text] : files) {
      fs::create_directories((root / path).parent_path());
      std::ofstream(root / path) << text;
    }
  }
  ~SourceTree() { fs::remove_all(root); }
  SourceTree(const SourceTree&) = delete;
  SourceTree& operator=(const SourceTree&) = delete;
  std::string dir(const std::string& sub = "") const { return (root / sub).string(); }
};

struct Doc {  // NOLINT(bugprone-exception-escape): a test helper; nlohmann::json may throw
  Json json;
  std::vector<std::string> notes;
  std::string error;

  const Json& change(const std::string& address) const {
    for (const auto& rc : json["resource_changes"])
      if (rc["address"] == address) return rc;
    FAIL("no resource change " << address);
    static Json none;
    return none;
  }
  std::vector<std::string> addresses() const {
    std::vector<std::string> out;
    for (const auto& rc : json["resource_changes"]) out.push_back(rc["address"]);
    return out;
  }
  bool noted(const std::string& part) const {
    return std::any_of(notes.begin(), notes.end(),
                       [&](const std::string& n) { return n.find(part) != std::string::npos; });
  }
};

Doc document(const std::string& dir, const source::SourceOptions& options = {}) {
  Doc d;
  std::string text = source::plan_document(dir, options, d.error, d.notes);
  if (!text.empty()) d.json = Json::parse(text);
  return d;
}

}  // namespace

TEST_CASE("source: variables come from defaults, tfvars, auto.tfvars, --var-file and --var", "[source]") {
  SourceTree t(Files{{"main.tf", R"(
variable "a" { default = "from-default" }
variable "b" { default = "from-default" }
variable "c" { default = "from-default" }
variable "d" {
  type    = number
  default = 1
}
variable "required" {}
resource "aws_s3_bucket" "x" {
  bucket = "${var.a}/${var.b}/${var.c}/${var.d}"
  tags   = { r = var.required }
}
)"},
                     {"terraform.tfvars", "a = \"from-tfvars\"\nb = \"from-tfvars\"\n"},
                     {"z.auto.tfvars", "b = \"from-auto\"\n"},
                     {"extra.tfvars", "c = \"from-var-file\"\n"}});
  source::SourceOptions o;
  o.var_files = {t.dir("extra.tfvars")};
  o.vars = {{"d", "2"}};
  Doc d = document(t.dir(), o);
  REQUIRE(d.error.empty());
  const Json& after = d.change("aws_s3_bucket.x")["change"]["after"];
  CHECK(after["bucket"] == "from-tfvars/from-auto/from-var-file/2");
  // A required variable without a value: unknown, never a guess, and said so.
  CHECK(after["tags"]["r"].is_null());
  CHECK(d.change("aws_s3_bucket.x")["change"]["after_unknown"]["tags"]["r"] == true);
  CHECK(d.noted("variable `required` has no default"));
  CHECK(d.json["variables"]["a"]["value"] == "from-tfvars");
}

TEST_CASE("source: count and for_each expand where they are known", "[source]") {
  SourceTree t(Files{{"main.tf", R"(
locals {
  names = toset(["b", "a"])
  zones = { one = "us-east-1a", two = "us-east-1b" }
}
resource "aws_subnet" "counted" {
  count             = 2
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index)
  availability_zone = "zone-${count.index}"
}
resource "aws_subnet" "each" {
  for_each          = local.zones
  availability_zone = each.value
  tags              = { Name = each.key }
}
resource "aws_s3_bucket" "set" {
  for_each = local.names
  bucket   = "b-${each.key}"
}
resource "aws_instance" "later" {
  count         = length(aws_subnet.each["one"].ipv6_cidr_block)
  instance_type = "t3.micro"
}
)"}});
  Doc d = document(t.dir());
  REQUIRE(d.error.empty());
  CHECK(d.change("aws_subnet.counted[1]")["change"]["after"]["cidr_block"] == "10.0.1.0/24");
  CHECK(d.change("aws_subnet.counted[1]")["index"] == 1);
  CHECK(d.change("aws_subnet.each[\"two\"]")["change"]["after"]["availability_zone"] == "us-east-1b");
  CHECK(d.change("aws_subnet.each[\"two\"]")["index"] == "two");
  CHECK(d.change("aws_s3_bucket.set[\"a\"]")["change"]["after"]["bucket"] == "b-a");
  // A count known only after apply: Terraform would refuse to plan; here it is not linted, and said so.
  for (const auto& a : d.addresses()) CHECK(a.find("aws_instance.later") == std::string::npos);
  CHECK(d.noted("aws_instance.later: its number of instances is not known from the source"));
}

TEST_CASE("source: what exists only after apply is unknown, through references, with the reason", "[source]") {
  SourceTree t(Files{{"main.tf", R"(
resource "aws_kms_key" "k" {
  description = "k"
}
resource "aws_s3_bucket" "b" {
  bucket = "logs"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.bucket
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.k.arn
    }
  }
}
)"}});
  Doc d = document(t.dir());
  REQUIRE(d.error.empty());
  const Json& c = d.change("aws_s3_bucket_server_side_encryption_configuration.b")["change"];
  CHECK(c["after"]["bucket"] == "logs");  // configured on the bucket: known
  const Json& by_default = c["after"]["rule"][0]["apply_server_side_encryption_by_default"][0];
  CHECK(by_default["sse_algorithm"] == "aws:kms");
  CHECK(by_default["kms_master_key_id"].is_null());
  CHECK(c["after_unknown"]["rule"][0]["apply_server_side_encryption_by_default"][0]["kms_master_key_id"] == true);
  // The configuration lists the references as Terraform does.
  const Json& cfg = d.json["configuration"]["root_module"]["resources"][2];
  CHECK(cfg["address"] == "aws_s3_bucket_server_side_encryption_configuration.b");
  CHECK(cfg["expressions"]["bucket"]["references"] == Json::array({"aws_s3_bucket.b.bucket", "aws_s3_bucket.b"}));
  CHECK(
      cfg["expressions"]["rule"][0]["apply_server_side_encryption_by_default"][0]["sse_algorithm"]["constant_value"] ==
      "aws:kms");
}

TEST_CASE("source: module calls, their providers and regions", "[source]") {
  SourceTree t(Files{{"root/main.tf", R"(
provider "aws" {
  region = "us-east-1"
}
provider "aws" {
  alias  = "west"
  region = var.west
}
variable "west" { default = "us-west-2" }
module "east" {
  source = "../modules/bucket"
  name   = "east"
}
module "west" {
  source    = "../modules/bucket"
  providers = { aws = aws.west }
  name      = "west"
}
module "many" {
  source   = "../modules/bucket"
  for_each = toset(["x", "y"])
  name     = "many-${each.key}"
}
resource "aws_sns_topic" "t" {
  name = module.west.bucket_name
}
)"},
                     {"modules/bucket/main.tf", R"(
variable "name" {}
data "aws_region" "here" {}
resource "aws_s3_bucket" "this" {
  bucket = "${var.name}-${data.aws_region.here.name}"
}
output "bucket_name" { value = aws_s3_bucket.this.bucket }
)"}});
  Doc d = document(t.dir("root"));
  REQUIRE(d.error.empty());
  CHECK(d.change("module.east.aws_s3_bucket.this")["change"]["after"]["bucket"] == "east-us-east-1");
  CHECK(d.change("module.west.aws_s3_bucket.this")["change"]["after"]["bucket"] == "west-us-west-2");
  CHECK(d.change("module.many[\"y\"].aws_s3_bucket.this")["change"]["after"]["bucket"] == "many-y-us-east-1");
  CHECK(d.change("module.many[\"y\"].aws_s3_bucket.this")["module_address"] == "module.many[\"y\"]");
  CHECK(d.change("aws_sns_topic.t")["change"]["after"]["name"] == "west-us-west-2");
  const Json& calls = d.json["configuration"]["root_module"]["module_calls"];
  CHECK(calls["west"]["module"]["resources"][1]["provider_config_key"] == "aws.west");
  CHECK(calls["east"]["module"]["resources"][1]["provider_config_key"] == "aws");
  CHECK(calls["many"]["for_each_expression"].is_object());
  CHECK(d.json["configuration"]["provider_config"]["aws.west"]["expressions"]["region"]["references"] ==
        Json::array({"var.west"}));

  // Loaded, the engine resolves the regions as it does for a plan.
  LoadError error;
  auto plan = source::load_source(t.dir("root"), {}, error);
  REQUIRE(plan);
  CHECK(plan->kind == DocumentKind::Source);
  Resolver resolver(*plan, "");
  const Resource* west = plan->by_address("module.west.aws_s3_bucket.this");
  REQUIRE(west);
  CHECK(resolver.region_of(*west).known);
  CHECK(resolver.region_of(*west).region == "us-west-2");
}

TEST_CASE("source: dynamic blocks, ephemeral resources and data sources known from the configuration", "[source]") {
  SourceTree t(Files{{"main.tf", R"(
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["123456789012"]
}
data "aws_caller_identity" "me" {}
data "aws_partition" "p" {}
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.p.partition}:iam::${data.aws_caller_identity.me.account_id}:root"]
    }
  }
}
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
ephemeral "aws_secretsmanager_random_password" "pw" {
  password_length = 40
}
resource "aws_db_instance" "db" {
  password_wo = ephemeral.aws_secretsmanager_random_password.pw.random_password
}
resource "aws_security_group" "sg" {
  dynamic "ingress" {
    for_each = [443, 80]
    content {
      from_port = ingress.value
      to_port   = ingress.value
    }
  }
}
)"}});
  Doc d = document(t.dir());
  REQUIRE(d.error.empty());
  auto policy = Json::parse(d.change("aws_iam_role.r")["change"]["after"]["assume_role_policy"].get<std::string>());
  CHECK(policy["Statement"][0]["Principal"]["AWS"] == "arn:aws:iam::123456789012:root");
  CHECK(policy["Statement"][0]["Action"] == "sts:AssumeRole");
  CHECK(policy["Statement"][0]["Effect"] == "Allow");
  CHECK(d.change("aws_db_instance.db")["change"]["after_unknown"]["password_wo"] == true);
  for (const auto& a : d.addresses()) CHECK(a.find("ephemeral") == std::string::npos);  // never in a plan
  const Json& ingress = d.change("aws_security_group.sg")["change"]["after"]["ingress"];
  REQUIRE(ingress.size() == 2);
  CHECK(ingress[1]["from_port"] == 80);
}

TEST_CASE("source: a syntax error names file, line and column; Terraform's refusals are notes", "[source]") {
  SourceTree bad(Files{{"main.tf", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = [1\n}\n"}});
  Doc d = document(bad.dir());
  CHECK(d.json.is_null());
  INFO(d.error);
  CHECK(d.error.find(
            "main.tf:3:1: expected `,` or `]` in the list, found `}`\n  help: separate list elements with commas") !=
        std::string::npos);

  SourceTree latin1(Files{{"main.tf", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"caf\xe9\"\n}\n"}});
  Doc l = document(latin1.dir());
  INFO(l.error);
  CHECK(l.error.find("main.tf:2:16: the file is not UTF-8 (byte 46)\n  help: save it as UTF-8") != std::string::npos);

  SourceTree twice(
      Files{{"a.tf", "resource \"aws_s3_bucket\" \"b\" {}\n"}, {"b.tf", "\nresource \"aws_s3_bucket\" \"b\" {}\n"}});
  Doc dup = document(twice.dir());
  INFO(dup.error);
  CHECK(dup.error.find("b.tf:2:1: resource `aws_s3_bucket.b` is declared twice (first on line 1)") !=
        std::string::npos);

  SourceTree refused(Files{{"main.tf", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = var.nope\n}\n"}});
  Doc r = document(refused.dir());
  REQUIRE(r.error.empty());
  CHECK(r.change("aws_s3_bucket.b")["change"]["after_unknown"]["bucket"] == true);
  CHECK(r.noted("main.tf:2:12: there is no variable `nope` in this module"));

  SourceTree missing(Files{{"main.tf", "module \"m\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\n"}});
  Doc m = document(missing.dir());
  REQUIRE(m.error.empty());
  CHECK(m.noted("module.m (source `terraform-aws-modules/vpc/aws`) is not installed here"));
}

TEST_CASE("source: modules that terraform init installed are read from .terraform/modules", "[source]") {
  SourceTree t(Files{
      {"main.tf", "module \"vpc\" {\n  source = \"acme/vpc/aws\"\n  cidr = \"10.1.0.0/16\"\n}\n"},
      {".terraform/modules/modules.json",
       R"({"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"vpc","Source":"registry.terraform.io/acme/vpc/aws","Dir":".terraform/modules/vpc"}]})"},
      {".terraform/modules/vpc/main.tf",
       "variable \"cidr\" {}\nresource \"aws_vpc\" \"this\" {\n  cidr_block = var.cidr\n}\n"}});
  Doc d = document(t.dir());
  REQUIRE(d.error.empty());
  CHECK(d.change("module.vpc.aws_vpc.this")["change"]["after"]["cidr_block"] == "10.1.0.0/16");
}
