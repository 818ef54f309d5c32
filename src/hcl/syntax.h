#pragma once

// The syntax tree of a Terraform configuration file in HCL's native syntax
// (https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md): a body of attributes and
// blocks, and expressions as written, not yet evaluated.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tfwarden::hcl {

// A place in a file: line and column from 1, the column in characters (as HCL counts them),
// and the byte offset.
struct Pos {
  uint32_t line = 1, column = 1;
  size_t byte = 0;
};

struct Range {
  Pos begin, end;
};

enum class ExprKind : uint8_t {
  Literal,      // null, true/false, a number (`text` as written), or a string of a JSON file
  Template,     // a quoted string or heredoc: `kids` are its parts (see below)
  Tuple,        // [a, b]: `kids` are the elements
  Object,       // {k = v}: `kids` are keys and values, alternating
  Variable,     // a root name: `var`, `local`, `aws_s3_bucket`, `each`, `count`, `path`
  GetAttr,      // kids[0].text
  Index,        // kids[0][kids[1]]
  Splat,        // kids[0][*] then kids[1], an expression over the SplatItem of each element
  SplatItem,    // the element in a splat's kids[1]
  Call,         // text(kids...), `expand_final` for a final `...`
  For,          // [for key_var, value_var in kids[0] : kids[1]] or {... : kids[1] => kids[2]}
  Unary,        // text (`!` or `-`) kids[0]
  Binary,       // kids[0] text kids[1]
  Conditional,  // kids[0] ? kids[1] : kids[2]
  Parens,       // (kids[0])
  TemplateIf,   // %{if kids[0]}kids[1]%{else}kids[2]%{endif}; kids[1] and kids[2] are Templates
  TemplateFor,  // %{for key_var, value_var in kids[0]}kids[1]%{endfor}
};

enum class LiteralType : uint8_t { Null, Bool, Number, String };

// One node. The parts of a Template are Literal strings (the text between interpolations,
// escapes decoded), any expression (an interpolation `${...}`) and TemplateIf/TemplateFor.
struct Expr {
  ExprKind kind = ExprKind::Literal;
  LiteralType literal = LiteralType::Null;
  bool boolean = false;
  bool expand_final = false;       // Call: the last argument is followed by `...`
  bool object_for = false;         // For: `{for ...}` rather than `[for ...]`
  bool grouping = false;           // For: `=> v...`, values grouped by key
  bool has_condition = false;      // For: the last kid is its `if`
  bool bare_key = false;           // an Object key written as an identifier (`name = ...`)
  bool heredoc = false;            // Template: written as `<<EOT`
  std::string text;                // literal text or number, name, attribute, function, operator
  std::string key_var, value_var;  // For, TemplateFor: `for k, v in` (key_var empty with one name)
  std::vector<std::unique_ptr<Expr>> kids;
  Range range;
};
using ExprPtr = std::unique_ptr<Expr>;

// The string a template or literal always has (no interpolation or directive), if it does.
std::optional<std::string> literal_string(const Expr& e);

struct Body;

struct Attribute {
  std::string name;
  ExprPtr expr;
  Range range, name_range;
};

struct Block {
  std::string type;
  std::vector<std::string> labels;
  std::unique_ptr<Body> body;
  Range range, type_range;
};

struct Body {
  std::vector<Attribute> attributes;  // in file order
  std::vector<Block> blocks;          // in file order
  Range range;

  const Attribute* attribute(const std::string& name) const;
};

// A syntax error: where, what (lowercase, no final period) and how to fix it.
struct Diagnostic {
  std::string file;
  Pos pos;
  std::string message, help;
};

// `file:line:column: error: message` and, when there is one, `  help: ...` on a second line.
std::string to_string(const Diagnostic& d);

struct File {
  std::string path;
  Body body;
  std::vector<Diagnostic> errors;  // empty when the file parsed
};

}  // namespace tfwarden::hcl
