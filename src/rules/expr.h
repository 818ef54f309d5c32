#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tfwarden {

// A literal in a rule: a scalar or a list of literals (also the form of rule parameters).
struct Literal {
  enum class Kind : uint8_t { Null, Bool, Number, String, List } kind = Kind::Null;
  bool b = false;
  double n = 0;
  std::string s;
  std::vector<Literal> items;

  std::string to_text() const;  // as written in a rule: "x", 3, ["a", "b"]
};

enum class Builtin : uint8_t {
  All,
  Any,
  None,
  Count,
  CountDistinct,
  Present,
  Configured,
  IsUnknown,
  IsNull,
  IsAbsent,
  IsSensitive,
  Refs,
  ManagedRefs,
  Referrers,
  Resources,
  ResourcesBy,
  Region,
  ArnRegion,
  ActionOf,
  Json,
  Len,
  Lower,
  Upper,
  If,
  Unknown,
  First,
  At,
  Concat,
  TypeOf,
};

// Whether the function evaluates its second argument once for each element of its first
// (`all`, `any`, `count`, ...), `.` being the element there.
bool takes_predicate(Builtin fn);

// A compiled condition: a tree built once per rule; paths are parsed, regexes compiled.
struct Expr {
  enum class Op : uint8_t {
    Literal,   // lit
    Self,      // the resource under evaluation
    Context,   // `.`: the current element (the resource at the top level)
    Before,    // values before the change
    Param,     // text: parameter name
    Let,       // text: let name; index: slot
    Attr,      // kids[0] . text
    Index,     // kids[0] [index]
    Key,       // kids[0] ["text"]
    Splat,     // kids[0] [*]
    Call,      // fn(kids...)
    Not, And, Or,
    Eq, Ne, Lt, Le, Gt, Ge, In, Matches,
  } op = Op::Literal;
  std::vector<std::unique_ptr<Expr>> kids;
  std::string text;
  int64_t index = 0;
  Builtin fn = Builtin::All;
  Literal lit;
  std::shared_ptr<RE2> re;  // Matches with a literal pattern
  bool yields_sequence = false;
  bool reads_self = true;  // reads the resource under evaluation (set when the rule loads)
  // Reads `.` outside the predicates of quantifiers, directly or through a let (set when the
  // rule loads): where false, the node has one value for every element a predicate sees.
  bool reads_context = true;
  uint32_t slot = 0;       // Let: index of the definition
  size_t offset = 0;            // byte offset in the source text
};

struct ExprError {
  size_t offset = 0;
  std::string message;
};

// A definition of a pack's `lib.toml` that every rule of the pack may use: `$name` or, with
// parameters, `$name(path, ...)`. A use is replaced by the definition, its parameters by the
// attribute paths given, and parsed where it is used (so `.` and `self` are the user's).
struct LibDef {
  std::string name;
  std::vector<std::string> params;
  std::string text;
  std::string where;  // "rules/PACK/lib.toml:LINE", for errors
};

struct Library {
  std::vector<LibDef> defs;
  std::vector<const Library*> uses;  // other packs' libraries (`uses = [...]`), searched after `defs`
  const LibDef* find(std::string_view name) const;
};

// Names of let definitions visible to an expression, by slot, and the pack's library.
struct LetTable {
  std::vector<std::string> names;
  std::vector<bool> sequence;  // whether each let yields a sequence
  const Library* lib = nullptr;
  // Where set, the library definitions the parsed expressions use (each once, in first use order).
  std::vector<const LibDef*>* used = nullptr;
  int find(std::string_view name) const;
};

// A rule's regular expression (`matches`, a parameter used with it, `secret_name_pattern`),
// compiled with the memory bound and quiet errors every such pattern gets; check ok().
std::shared_ptr<RE2> compile_pattern(const std::string& pattern);

// Parses a condition. `params` names the rule's parameters (their values are bound later).
// Throws ExprError on a syntax or static error.
std::unique_ptr<Expr> parse_expression(std::string_view text, const LetTable& lets,
                                       const std::vector<std::string>& params, bool allow_sequence = false);

// Parses an attribute path used as a function argument (`ecs_service[*].service_name`).
std::unique_ptr<Expr> parse_path(std::string_view text);

// An attribute path read from a resource of a known type (for `rules validate --schema`):
// dotted, with `[*]` for every list step.
struct TypedPath {
  std::string type;
  std::string path;
};

// Collects the attribute paths an expression reads, given the types its context can have.
void collect_paths(const Expr& e, const std::vector<std::string>& context_types,
                   const std::vector<const Expr*>& lets, std::vector<TypedPath>& out);

// Edit-distance suggestion among candidates, or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// The names of the language's functions, in the order of their table.
std::vector<std::string> builtin_names();

}  // namespace tfwarden
