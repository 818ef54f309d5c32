// Prints what tfwarden's HCL parser reads from each file given, as one JSON object on stdout
// keyed by path, in the shape HashiCorp's hcl2json gives (blocks as arrays under their type
// and labels, literal values as JSON). Any other expression is "$expr". A file that does not
// parse is {"errors": [{"line": N, "column": N, "message": "..."}]}. For differential.js.

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hcl/parser.h"

using nlohmann::ordered_json;
using namespace tfwarden::hcl;

namespace {

// `aws.dr`: a key that is a traversal, which hcl2json writes as its text.
std::string traversal_name(const Expr& e) {
  if (e.kind == ExprKind::Variable) return e.text;
  if (e.kind == ExprKind::GetAttr) {
    std::string base = traversal_name(*e.kids[0]);
    return base.empty() ? base : base + "." + e.text;
  }
  return "";
}

ordered_json value(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Literal:
      if (e.literal == LiteralType::Null) return nullptr;
      if (e.literal == LiteralType::Bool) return e.boolean;
      if (e.literal == LiteralType::Number) return std::stod(e.text);
      return e.text;
    case ExprKind::Template:
      if (auto s = literal_string(e)) return *s;
      return "$expr";
    case ExprKind::Unary: {
      // hcl2json folds `-1` and `!true`.
      ordered_json v = value(*e.kids[0]);
      if (e.text == "-" && v.is_number()) return -v.get<double>();
      if (e.text == "!" && v.is_boolean()) return !v.get<bool>();
      return "$expr";
    }
    case ExprKind::Tuple: {
      ordered_json out = ordered_json::array();
      for (const auto& k : e.kids) out.push_back(value(*k));
      return out;
    }
    case ExprKind::Object: {
      ordered_json out = ordered_json::object();
      for (size_t i = 0; i + 1 < e.kids.size(); i += 2) {
        ordered_json key = value(*e.kids[i]);
        std::string name = traversal_name(*e.kids[i]);
        if (name.empty()) name = key.is_string() ? key.get<std::string>() : std::string("$expr");
        out[name] = value(*e.kids[i + 1]);
      }
      return out;
    }
    default:
      return "$expr";
  }
}

ordered_json body(const Body& b) {
  ordered_json out = ordered_json::object();
  for (const Attribute& a : b.attributes) out[a.name] = value(*a.expr);
  for (const Block& blk : b.blocks) {
    ordered_json* at = &out[blk.type];
    for (const std::string& l : blk.labels) at = &(*at)[l];
    if (!at->is_array()) *at = ordered_json::array();
    at->push_back(body(*blk.body));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  ordered_json all = ordered_json::object();
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::cerr << "hcl_dump: error: cannot read " << argv[i] << "\n";
      return 2;
    }
    std::stringstream text;
    text << in.rdbuf();
    File f = parse(text.str(), argv[i]);
    if (f.errors.empty()) {
      all[argv[i]] = body(f.body);
      continue;
    }
    ordered_json errors = ordered_json::array();
    for (const Diagnostic& d : f.errors)
      errors.push_back({{"line", d.pos.line}, {"column", d.pos.column}, {"message", to_string(d)}});
    all[argv[i]] = {{"errors", errors}};
  }
  std::cout << all.dump(1) << "\n";
  return 0;
}
