#include "report/source_map.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "../../tests/unit/test_util.h"

namespace tfwarden {

namespace fs = std::filesystem;

namespace {

const std::string kFixture = std::string(TFWARDEN_SOURCE_DIR) + "/tests/fixtures/source-map";

// The 1-based line of the first line at or after `from` that starts (after indentation) with
// `prefix`: expectations follow the fixture when it is edited.
size_t line_of(const std::string& file, const std::string& prefix, size_t from = 1) {
  std::istringstream in(test::read_file(kFixture + "/" + file));
  std::string line;
  for (size_t n = 1; std::getline(in, line); ++n) {
    if (n < from) continue;
    size_t start = line.find_first_not_of(' ');
    if (start != std::string::npos && line.compare(start, prefix.size(), prefix) == 0) return n;
  }
  FAIL("no line starts with " << prefix << " in " << file);
  return 0;
}

// A scratch module tree, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() / ("tfwarden-source-map-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const {
    fs::create_directories((path / name).parent_path());
    std::ofstream(path / name, std::ios::binary) << text;
  }
};

// Runs the test body from another working directory.
struct ChangeDir {
  fs::path old = fs::current_path();
  explicit ChangeDir(const fs::path& to) { fs::current_path(to); }
  ~ChangeDir() { fs::current_path(old); }
};

}  // namespace

TEST_CASE("source map: blocks, attributes and nested blocks in the root module", "[source-map]") {
  SourceMap map;
  std::string error;
  REQUIRE(map.load(kFixture, error));
  size_t main_line = line_of("main.tf", "resource \"aws_cloudfront_distribution\" \"main\"");
  size_t assets_line = line_of("main.tf", "resource \"aws_cloudfront_distribution\" \"assets\"");

  auto loc = map.locate("aws_cloudfront_distribution.main", "web_acl_id");
  REQUIRE(loc);
  CHECK(loc->file.ends_with("tests/fixtures/source-map/main.tf"));
  CHECK(loc->line == main_line);  // not set in the block: the block's own line

  loc = map.locate("aws_cloudfront_distribution.assets", "web_acl_id");
  REQUIRE(loc);
  CHECK(loc->line == line_of("main.tf", "web_acl_id", assets_line));

  loc = map.locate("aws_cloudfront_distribution.main", "default_cache_behavior[0].viewer_protocol_policy");
  REQUIRE(loc);
  CHECK(loc->line == line_of("main.tf", "default_cache_behavior {", main_line));

  loc = map.locate("aws_cloudfront_distribution.main", "comment");
  REQUIRE(loc);
  CHECK(loc->line == line_of("main.tf", "comment", main_line));

  // Attributes of nested blocks are not the block's own.
  loc = map.locate("aws_cloudfront_distribution.main", "restriction_type");
  REQUIRE(loc);
  CHECK(loc->line == main_line);
}

TEST_CASE("source map: count instances and other files of the module", "[source-map]") {
  SourceMap map;
  std::string error;
  REQUIRE(map.load(kFixture, error));
  auto loc = map.locate("aws_db_instance.reporting[0]", "publicly_accessible");
  REQUIRE(loc);
  CHECK(loc->file.ends_with("tests/fixtures/source-map/database.tf"));
  CHECK(loc->line == line_of("database.tf", "publicly_accessible"));
  loc = map.locate("aws_db_instance.reporting", "");
  REQUIRE(loc);
  CHECK(loc->line == 1);
}

TEST_CASE("source map: module calls with for_each keys and data sources", "[source-map]") {
  SourceMap map;
  std::string error;
  REQUIRE(map.load(kFixture, error));
  auto loc = map.locate("module.network[\"blue\"].aws_subnet.public[\"a\"]", "map_public_ip_on_launch");
  REQUIRE(loc);
  CHECK(loc->file.ends_with("tests/fixtures/source-map/modules/network/main.tf"));
  CHECK(loc->line == line_of("modules/network/main.tf", "map_public_ip_on_launch"));

  // Keys may hold dots, brackets and escaped quotes.
  loc = map.locate(R"(module.network["x.y]\"z"].aws_vpc.main)", "cidr_block");
  REQUIRE(loc);
  CHECK(loc->line == line_of("modules/network/main.tf", "cidr_block", line_of("modules/network/main.tf", "resource \"aws_vpc\"")));

  loc = map.locate("module.network[\"blue\"].data.aws_availability_zones.available", "state");
  REQUIRE(loc);
  CHECK(loc->line == line_of("modules/network/main.tf", "state"));

  CHECK_FALSE(map.locate("module.network.aws_subnet.missing", ""));
  CHECK_FALSE(map.locate("module.other.aws_subnet.public", ""));
  CHECK_FALSE(map.locate("aws_subnet.public", ""));  // only in the module
}

TEST_CASE("source map: comments, strings and heredocs hide no blocks", "[source-map]") {
  SourceMap map;
  std::string error;
  REQUIRE(map.load(kFixture, error));
  for (const char* name : {"in_block_comment", "in_line_comment", "in_hash_comment", "in_string", "in_heredoc",
                           "after_code"}) {
    CAPTURE(name);
    CHECK_FALSE(map.locate(std::string("aws_db_instance.") + name, ""));
    CHECK_FALSE(map.locate(std::string("aws_cloudfront_distribution.") + name, ""));
  }
  // The block after the heredoc and the template still has its own lines.
  auto loc = map.locate("aws_cloudfront_distribution.main", "");
  REQUIRE(loc);
  CHECK(loc->line == line_of("main.tf", "resource \"aws_cloudfront_distribution\" \"main\""));
}

TEST_CASE("source map: malformed addresses are not located", "[source-map]") {
  SourceMap map;
  std::string error;
  REQUIRE(map.load(kFixture, error));
  for (const char* address : {"", ".", "aws_x", "aws_db_instance..reporting", "aws_db_instance.reporting[0",
                              "module.network[\"blue", "aws_db_instance.reporting.extra", "data.aws_x"}) {
    CAPTURE(address);
    CHECK_FALSE(map.locate(address, ""));
  }
}

TEST_CASE("source map: files are named relative to the working directory", "[source-map]") {
  TempDir tmp;
  tmp.write("infra/main.tf", "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n");
  SourceMap map;
  std::string error;
  {
    ChangeDir cd(tmp.path);
    REQUIRE(map.load((tmp.path / "infra").string(), error));
  }
  auto loc = map.locate("aws_s3_bucket.logs", "bucket");
  REQUIRE(loc);
  CHECK(loc->file == "infra/main.tf");
  CHECK(loc->line == 2);
  {
    ChangeDir cd(tmp.path / "infra");
    REQUIRE(map.load(".", error));
  }
  loc = map.locate("aws_s3_bucket.logs", "");
  REQUIRE(loc);
  CHECK(loc->file == "main.tf");
}

TEST_CASE("source map: module cycles, deep chains and shared modules end", "[source-map]") {
  TempDir tmp;
  // Terraform rejects both, but the map must not loop or overflow on them.
  tmp.write("main.tf", "module \"self\" {\n  source = \"./\"\n}\nmodule \"a\" {\n  source = \"./a\"\n}\n"
                       "resource \"null_resource\" \"root\" {}\n");
  tmp.write("a/main.tf", "module \"back\" {\n  source = \"../\"\n}\nresource \"null_resource\" \"a\" {}\n");
  std::string chain;
  for (int i = 0; i < 40; ++i) {
    chain += "m" + std::to_string(i) + "/";
    tmp.write(chain + "main.tf", "module \"next\" {\n  source = \"./m" + std::to_string(i + 1) +
                                     "\"\n}\nresource \"null_resource\" \"here\" {}\n");
  }
  tmp.write("chain.tf", "module \"next\" {\n  source = \"./m0\"\n}\n");
  SourceMap map;
  std::string error;
  REQUIRE(map.load(tmp.path.string(), error));
  CHECK(map.locate("module.self.module.self.null_resource.root", ""));
  CHECK(map.locate("module.a.module.back.module.a.null_resource.a", ""));
  std::string address;
  for (int i = 1; i <= SourceMap::kMaxModuleDepth; ++i) address += "module.next.";
  CHECK(map.locate(address + "null_resource.here", ""));
  CHECK_FALSE(map.locate(address + "module.next.null_resource.here", ""));
}

TEST_CASE("source map: dynamic blocks, one-line blocks and override files", "[source-map]") {
  TempDir tmp;
  tmp.write("main.tf",
            "resource \"aws_lb_listener\" \"https\" {\n"
            "  dynamic \"default_action\" {\n"
            "    for_each = var.actions\n"
            "    content {\n"
            "      type = default_action.value\n"
            "    }\n"
            "  }\n"
            "  tags = { port = 443 }\n"
            "}\n"
            "resource \"aws_eip\" \"nat\" { domain = \"vpc\" }\n");
  // Terraform reads override files last, whatever their names; the original block stands.
  tmp.write("a_override.tf", "resource \"aws_eip\" \"nat\" {\n  domain = \"standard\"\n}\n");
  SourceMap map;
  std::string error;
  REQUIRE(map.load(tmp.path.string(), error));
  auto loc = map.locate("aws_lb_listener.https", "default_action[0].type");
  REQUIRE(loc);
  CHECK(loc->line == 2);
  CHECK(map.locate("aws_lb_listener.https", "tags").value().line == 8);
  CHECK(map.locate("aws_lb_listener.https", "port").value().line == 1);
  loc = map.locate("aws_eip.nat", "domain");
  REQUIRE(loc);
  CHECK(loc->file.ends_with("/main.tf"));
  CHECK(loc->line == 10);
}

TEST_CASE("source map: malformed HCL maps what it can and never crashes", "[source-map]") {
  TempDir tmp;
  tmp.write("a.tf",
            "resource \"aws_a\" \"unterminated_string\" {\n  name = \"no end\n  size = 3\n}\n"
            "resource \"aws_a\" \"after\" {\n  x = 1\n}\n");
  tmp.write("b.tf", "resource \"aws_b\" \"heredoc\" {\n  policy = <<EOF\nnever closed }\n");
  tmp.write("c.tf", "resource \"aws_c\" \"comment\" {\n  /* never closed\n");
  tmp.write("d.tf", "resource \"aws_d\" \"braces\" {\n  x = {{{{\n");
  tmp.write("e.tf", "}}}} )))\nresource \"aws_e\" \"stray\" {\n  y = 2\n}\n");
  std::string deep = "resource \"aws_f\" \"deep\" {\n  x = \"";
  for (int i = 0; i < 10000; ++i) deep += "${\"";
  tmp.write("f.tf", deep + "\n}\nresource \"aws_f\" \"next\" {}\n");
  tmp.write("g.tf", "\xEF\xBB\xBFresource \"aws_g\" \"bom\" {\r\n  z = 1\r\n}\r\n");
  tmp.write("ignored.tf.json", R"({"resource": {"aws_h": {"json": {}}}})");
  SourceMap map;
  std::string error;
  REQUIRE(map.load(tmp.path.string(), error));
  auto loc = map.locate("aws_a.unterminated_string", "size");
  REQUIRE(loc);
  CHECK(loc->line == 3);
  loc = map.locate("aws_a.after", "x");
  REQUIRE(loc);
  CHECK(loc->line == 6);
  CHECK(map.locate("aws_b.heredoc", ""));
  CHECK(map.locate("aws_c.comment", ""));
  CHECK(map.locate("aws_d.braces", ""));
  CHECK(map.locate("aws_e.stray", "y"));
  CHECK(map.locate("aws_f.deep", ""));
  loc = map.locate("aws_g.bom", "z");
  REQUIRE(loc);
  CHECK(loc->line == 2);
  CHECK_FALSE(map.locate("aws_h.json", ""));
}

TEST_CASE("source map: errors name the directory or the file", "[source-map]") {
  SourceMap map;
  std::string error;
  CHECK_FALSE(map.load(kFixture + "/no-such-dir", error));
  CHECK(error.find("no-such-dir` is not a directory") != std::string::npos);

  TempDir tmp;
  tmp.write("huge.tf", "");
  fs::resize_file(tmp.path / "huge.tf", SourceMap::kMaxFileSize + 1);
  CHECK_FALSE(map.load(tmp.path.string(), error));
  CHECK(error.find("huge.tf` is larger than 16 MiB") != std::string::npos);
}

}  // namespace tfwarden
