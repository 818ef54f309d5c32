#include "hcl/parser.h"

#include <catch2/catch.hpp>
#include <random>

using namespace tfwarden::hcl;

namespace {

// A compact rendering of an expression tree, to state the expected shape on one line.
std::string dump(const Expr& e) {
  auto kid = [&](size_t i) { return dump(*e.kids[i]); };
  auto list = [&](size_t from, const char* sep) {
    std::string out;
    for (size_t i = from; i < e.kids.size(); ++i) out += (i > from ? sep : "") + kid(i);
    return out;
  };
  switch (e.kind) {
    case ExprKind::Literal:
      if (e.literal == LiteralType::Null) return "null";
      if (e.literal == LiteralType::Bool) return e.boolean ? "true" : "false";
      if (e.literal == LiteralType::Number) return e.text;
      return e.bare_key ? e.text : "'" + e.text + "'";
    case ExprKind::Template: {
      if (auto s = literal_string(e)) return "\"" + *s + "\"";
      std::string out = "(tpl";
      for (const auto& p : e.kids) out += " " + dump(*p);
      return out + ")";
    }
    case ExprKind::Tuple:
      return "[" + list(0, ", ") + "]";
    case ExprKind::Object: {
      std::string out = "{";
      for (size_t i = 0; i + 1 < e.kids.size(); i += 2) out += (i ? ", " : "") + kid(i) + " = " + kid(i + 1);
      return out + "}";
    }
    case ExprKind::Variable:
      return e.text;
    case ExprKind::GetAttr:
      return kid(0) + "." + e.text;
    case ExprKind::Index:
      return kid(0) + "[" + kid(1) + "]";
    case ExprKind::Splat:
      return kid(0) + "[*]{" + kid(1) + "}";
    case ExprKind::SplatItem:
      return "@";
    case ExprKind::Call:
      return e.text + "(" + list(0, ", ") + (e.expand_final ? "...)" : ")");
    case ExprKind::For: {
      std::string head = "for " + (e.key_var.empty() ? "" : e.key_var + ", ") + e.value_var + " in " + kid(0) + " : ";
      std::string body = e.object_for ? kid(1) + " => " + kid(2) + (e.grouping ? "..." : "") : kid(1);
      std::string cond = e.has_condition ? " if " + dump(*e.kids.back()) : "";
      return e.object_for ? "{" + head + body + cond + "}" : "[" + head + body + cond + "]";
    }
    case ExprKind::Unary:
      return "(" + e.text + kid(0) + ")";
    case ExprKind::Binary:
      return "(" + kid(0) + " " + e.text + " " + kid(1) + ")";
    case ExprKind::Conditional:
      return "(" + kid(0) + " ? " + kid(1) + " : " + kid(2) + ")";
    case ExprKind::Parens:
      return "(" + kid(0) + ")";
    case ExprKind::TemplateIf:
      return "%if " + kid(0) + " then " + kid(1) + " else " + kid(2);
    case ExprKind::TemplateFor:
      return "%for " + (e.key_var.empty() ? "" : e.key_var + ", ") + e.value_var + " in " + kid(0) + " do " + kid(1);
  }
  return "?";
}

// The expression of `x = ...`, parsed from a one-attribute file.
std::string expr(const std::string& source) {
  File f = parse("x = " + source + "\n", "t.tf");
  INFO(source);
  for (const auto& d : f.errors) INFO(to_string(d));
  REQUIRE(f.errors.empty());
  REQUIRE(f.body.attributes.size() == 1);
  return dump(*f.body.attributes[0].expr);
}

// The first error of a file.
std::string error_of(const std::string& source) {
  File f = parse(source, "t.tf");
  INFO(source);
  REQUIRE_FALSE(f.errors.empty());
  return to_string(f.errors.front());
}

}  // namespace

TEST_CASE("hcl: blocks, labels and attributes with their places", "[hcl]") {
  File f = parse(
      "# a comment\n"
      "resource \"aws_s3_bucket\" \"logs\" {\n"
      "  bucket = \"logs\"   // trailing\n"
      "  tags = {\n"
      "    Name = \"logs\"\n"
      "  }\n"
      "\n"
      "  lifecycle { prevent_destroy = true }\n"
      "  versioning {\n"
      "    enabled = true\n"
      "  }\n"
      "}\n"
      "terraform {}\n"
      "locals { é = 1 }\n",
      "main.tf");
  REQUIRE(f.errors.empty());
  REQUIRE(f.body.blocks.size() == 3);
  const Block& r = f.body.blocks[0];
  CHECK(r.type == "resource");
  CHECK(r.labels == std::vector<std::string>{"aws_s3_bucket", "logs"});
  CHECK(r.range.begin.line == 2);
  CHECK(r.range.end.line == 12);
  REQUIRE(r.body->attributes.size() == 2);
  CHECK(r.body->attributes[0].name == "bucket");
  CHECK(r.body->attributes[0].range.begin.line == 3);
  CHECK(r.body->attributes[0].range.begin.column == 3);
  CHECK(dump(*r.body->attributes[1].expr) == "{Name = \"logs\"}");
  REQUIRE(r.body->blocks.size() == 2);
  CHECK(r.body->blocks[0].type == "lifecycle");
  CHECK(dump(*r.body->blocks[0].body->attributes[0].expr) == "true");
  CHECK(r.body->blocks[1].body->attributes[0].range.begin.line == 10);
  CHECK(f.body.blocks[1].body->attributes.empty());
  // Columns count characters, not bytes.
  CHECK(f.body.blocks[2].body->attributes[0].name == "é");
  CHECK(f.body.blocks[2].body->attributes[0].expr->range.begin.column == 14);
}

TEST_CASE("hcl: every expression form", "[hcl]") {
  CHECK(expr("1.5e3") == "1.5e3");
  CHECK(expr("null") == "null");
  CHECK(expr("var.a.b") == "var.a.b");
  CHECK(expr("aws_instance.web[0].id") == "aws_instance.web[0].id");
  CHECK(expr("aws_instance.web.0.id") == "aws_instance.web[0].id");
  CHECK(expr("local.m[\"k\"]") == "local.m[\"k\"]");
  CHECK(expr("aws_subnet.s[*].id") == "aws_subnet.s[*]{@.id}");
  CHECK(expr("aws_subnet.s.*.id") == "aws_subnet.s[*]{@.id}");
  CHECK(expr("a[*].b[0].c") == "a[*]{@.b[0].c}");
  CHECK(expr("a.*.b[0]") == "a[*]{@.b}[0]");
  CHECK(expr("1 + 2 * 3 - 4") == "((1 + (2 * 3)) - 4)");
  CHECK(expr("a || b && !c == d") == "(a || (b && ((!c) == d)))");
  CHECK(expr("-x < 3 ? \"lo\" : \"hi\"") == "(((-x) < 3) ? \"lo\" : \"hi\")");
  CHECK(expr("a ? b : c ? d : e") == "(a ? b : (c ? d : e))");
  CHECK(expr("(1 + 2) * 3") == "(((1 + 2)) * 3)");
  CHECK(expr("[1, \"two\", [3],]") == "[1, \"two\", [3]]");
  CHECK(expr("{a = 1, \"b\" = 2, (var.k) = 3, c: 4}") == "{a = 1, \"b\" = 2, (var.k) = 3, c = 4}");
  CHECK(expr("merge(local.a, {x = 1})") == "merge(local.a, {x = 1})");
  CHECK(expr("concat(local.lists...)") == "concat(local.lists...)");
  CHECK(expr("provider::aws::arn_parse(var.arn).region") == "provider::aws::arn_parse(var.arn).region");
  CHECK(expr("[for s in var.subnets : s.id if s.public]") == "[for s in var.subnets : s.id if s.public]");
  CHECK(expr("{for k, v in var.m : v.name => k...}") == "{for k, v in var.m : v.name => k...}");
}

TEST_CASE("hcl: newlines end attributes but not brackets, calls or interpolations", "[hcl]") {
  CHECK(expr("[\n  1,\n  2\n]") == "[1, 2]");
  CHECK(expr("join(\",\",\n  var.list\n)") == "join(\",\", var.list)");
  CHECK(expr("{\n  a = 1\n  b = [\n    2,\n  ]\n}") == "{a = 1, b = [2]}");
  CHECK(expr("[for x in var.l :\n  upper(x)\n]") == "[for x in var.l : upper(x)]");
  CHECK(expr("\"${\n  var.a\n}\"") == "(tpl var.a)");
}

TEST_CASE("hcl: templates, escapes, directives and strip markers", "[hcl]") {
  CHECK(expr(R"("a\tb\"c\\d\u00e9\U0001F600")") == "\"a\tb\"c\\d\xC3\xA9\xF0\x9F\x98\x80\"");
  CHECK(expr(R"("arn:${var.partition}:s3:::${local.name}/*")") ==
        "(tpl 'arn:' var.partition ':s3:::' local.name '/*')");
  CHECK(expr(R"("$${literal} %%{also}")") == "\"${literal} %{also}\"");
  CHECK(expr(R"("${"${var.nested}-x"}")") == "(tpl (tpl var.nested '-x'))");
  CHECK(expr(R"("%{if var.on}yes%{else}no%{endif}")") == "(tpl %if var.on then \"yes\" else \"no\")");
  CHECK(expr(R"("%{for i, s in var.l}${i}=${s},%{endfor}")") == "(tpl %for i, s in var.l do (tpl i '=' s ','))");
  CHECK(expr(R"("a  ${~ var.x ~}  b")") == "(tpl 'a' var.x 'b')");
}

TEST_CASE("hcl: heredocs, indented and not", "[hcl]") {
  CHECK(expr("<<EOT\nline ${var.a}\n  kept\nEOT") == "(tpl 'line ' var.a '\n  kept\n')");
  CHECK(expr("<<-EOT\n    {\n      \"a\": 1\n    }\n    EOT") == "\"{\n  \"a\": 1\n}\n\"");
  CHECK(expr("<<EOT\nno \\n escapes, $${literal}\nEOT") == "\"no \\n escapes, ${literal}\n\"");
  CHECK(expr("<<EOF\r\nwindows\r\nEOF") == "\"windows\r\n\"");
  File f = parse("a = <<EOT\none\nEOT\nb = 2\n", "t.tf");
  REQUIRE(f.errors.empty());
  REQUIRE(f.body.attributes.size() == 2);
  CHECK(f.body.attributes[1].range.begin.line == 4);
}

TEST_CASE("hcl: syntax errors name the line and column, with a help line", "[hcl]") {
  CHECK(error_of("x = \"open\n") ==
        "t.tf:1:5: error: this string is not closed on its line\n"
        "  help: end it with `\"`; for text on several lines use a heredoc (<<-EOT)");
  CHECK(error_of("resource \"a\" \"b\" {\n  x = [1 2]\n}\n") ==
        "t.tf:2:10: error: expected `,` or `]` in the list, found `2`\n  help: separate list elements with commas");
  CHECK(error_of("x =\n") ==
        "t.tf:1:4: error: expected an expression, found a new line\n"
        "  help: an attribute needs a value on the same line as its `=`");
  CHECK(error_of("resource \"a\" \"b\" {\n  x = 1\n") ==
        "t.tf:1:18: error: this block is not closed\n  help: add the `}` that ends it");
  CHECK(error_of("x = \"\\q\"\n").starts_with("t.tf:1:6: error: `\\q` is not an escape of HCL"));
  CHECK(error_of("x = <<EOT\nnever closed\n").starts_with("t.tf:1:5: error: this heredoc has no closing `EOT` line"));
  CHECK(error_of("x = 1\nx = 2\n").starts_with("t.tf:2:1: error: attribute `x` is set twice (first on line 1)"));
  CHECK(error_of("x = \"%{if a}b\"\n").starts_with("t.tf:1:6: error: this `%{if}` has no `%{endif}`"));
  CHECK(error_of("/* open\nx = 1\n").starts_with("t.tf:1:1: error: expected an attribute or a block, found `/* open"));
  CHECK(error_of("x = a ? b\n").starts_with("t.tf:1:10: error: expected `:` of the conditional, found a new line"));
  CHECK(error_of("x = 1 y = 2\n").starts_with("t.tf:1:7: error: expected a new line after the attribute, found `y`"));
  CHECK(error_of("x = \"${a\"\n").starts_with("t.tf:1:9: error: expected `}` to end the interpolation"));
  CHECK(error_of("x = f(a b)\n").starts_with("t.tf:1:9: error: expected `,` or `)` in the arguments of `f`"));
  CHECK(error_of("x = { for = 1 }\n").starts_with("t.tf:1:11: error: expected a name after `for`, found `=`"));
  CHECK(error_of("x = @\n").starts_with("t.tf:1:5: error: expected an expression, found `@` (this character"));
  CHECK(error_of("x = <<\n").starts_with("t.tf:1:5: error: expected an expression, found `<<` (`<<` starts a heredoc"));
}

TEST_CASE("hcl: an error drops its item and reading goes on", "[hcl]") {
  File f = parse(
      "resource \"a\" \"one\" {\n"
      "  bad = [1 2\n"
      "  good = 3\n"
      "  also = \"no end\n"
      "  last = 4\n"
      "}\n"
      "}}} )))\n"
      "resource \"a\" \"two\" {\n"
      "  x = 1\n"
      "}\n",
      "t.tf");
  REQUIRE(f.errors.size() == 3);
  REQUIRE(f.body.blocks.size() == 2);
  const Body& one = *f.body.blocks[0].body;
  CHECK_FALSE(one.attribute("bad"));
  CHECK(one.attribute("good"));
  CHECK_FALSE(one.attribute("also"));
  CHECK(one.attribute("last"));
  CHECK(f.body.blocks[1].labels[1] == "two");
  CHECK(f.body.blocks[1].body->attribute("x"));
}

TEST_CASE("hcl: lines that close what the broken item opened go with it", "[hcl]") {
  File f = parse("b {\n  tags = {\n    a = 1 2\n  }\n  after = 1\n}\nx = [\n  1 2\n]\ny = 1\n", "t.tf");
  REQUIRE(f.errors.size() == 2);
  REQUIRE(f.body.blocks.size() == 1);
  CHECK(f.body.blocks[0].body->attribute("after"));
  CHECK(f.body.attribute("y"));
}

TEST_CASE("hcl: hostile input ends with an error, never a crash", "[hcl]") {
  std::string deep = "x = ";
  for (int i = 0; i < 100000; ++i) deep += "[";
  CHECK(error_of(deep).find("nested more than 128 levels deep") != std::string::npos);
  std::string strings = "x = \"";
  for (int i = 0; i < 50000; ++i) strings += "${\"";
  CHECK(error_of(strings + "\n").find("nested more than") != std::string::npos);
  std::string blocks;
  for (int i = 0; i < 50000; ++i) blocks += "b {\n";
  CHECK(error_of(blocks).find("nested more than") != std::string::npos);
  // Blocks not closed, each around the next: one error, and the file is read once, not once
  // per enclosing block (which took 2^depth).
  std::string open_blocks;
  for (int i = 0; i < 100; ++i) open_blocks += "b {\n  a = 1\n";
  File unclosed = parse(open_blocks, "t.tf");
  REQUIRE(unclosed.errors.size() == 1);
  CHECK(to_string(unclosed.errors[0]).find("t.tf:199:3: error: this block is not closed") == 0);
  const Body* inner = &unclosed.body;
  for (int i = 0; i < 100; ++i) {
    REQUIRE(inner->blocks.size() == 1);
    CHECK(inner->blocks[0].body->attribute("a"));
    inner = inner->blocks[0].body.get();
  }
  // A chain of operators or traversals is a tree as deep as it is long: past the limit it is an
  // error too (what walks the tree would overflow the stack); a real one is far shorter.
  std::string ops = "x = 1";
  for (int i = 0; i < 100; ++i) ops += " + 1";
  CHECK(parse(ops + "\n", "t.tf").errors.empty());
  for (int i = 0; i < 100000; ++i) ops += " + 1";
  CHECK(error_of(ops + "\n").find("nested more than 128 levels deep") != std::string::npos);
  std::string path = "x = a";
  for (int i = 0; i < 100000; ++i) path += ".b";
  CHECK(error_of(path + "\n").find("nested more than 128 levels deep") != std::string::npos);
  std::string unary = "x = ";
  for (int i = 0; i < 100000; ++i) unary += "!";
  CHECK(error_of(unary + "a\n").find("nested more than") != std::string::npos);

  // Random bytes from the characters HCL gives meaning to: any result, no crash or hang.
  std::mt19937 rng(7);
  const std::string alphabet = "ab1 =\n{}[]()\"$%~<-EOT.*,:?!\\#/ \t";
  for (int n = 0; n < 3000; ++n) {
    std::string s;
    size_t len = rng() % 80;
    for (size_t k = 0; k < len; ++k) s += alphabet[rng() % alphabet.size()];
    File f = parse(s, "fuzz.tf");
    for (const auto& d : f.errors) CHECK(d.pos.byte <= s.size());
  }
}
