#include "rules/toml_util.h"

#include <algorithm>

namespace tfwarden {

void toml_fail(size_t line, std::string key, std::string message) {
  throw TomlError{line, std::move(key), std::move(message)};
}

size_t line_of(const toml::node& n) { return n.source().begin.line; }

std::string toml_type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

void check_keys(const toml::table& t, const std::string& prefix, const std::vector<std::string>& allowed) {
  for (auto&& [k, v] : t) {
    std::string key(k.str());
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string hint = did_you_mean(key, allowed);
    toml_fail(k.source().begin.line ? k.source().begin.line : line_of(v), prefix + key,
              "unknown key" + (hint.empty() ? "" : " (did you mean `" + prefix + hint + "`?)"));
  }
}

Literal to_literal(const toml::node& n, const std::string& key) {
  Literal l;
  if (n.is_string()) {
    l.kind = Literal::Kind::String;
    l.s = n.as_string()->get();
  } else if (n.is_integer()) {
    l.kind = Literal::Kind::Number;
    l.n = static_cast<double>(n.as_integer()->get());
  } else if (n.is_floating_point()) {
    l.kind = Literal::Kind::Number;
    l.n = n.as_floating_point()->get();
  } else if (n.is_boolean()) {
    l.kind = Literal::Kind::Bool;
    l.b = n.as_boolean()->get();
  } else if (n.is_array()) {
    l.kind = Literal::Kind::List;
    for (const auto& item : *n.as_array()) l.items.push_back(to_literal(item, key));
  } else {
    toml_fail(line_of(n), key,
              "a parameter is a string, number, boolean or array of those, found " + toml_type_name(n));
  }
  return l;
}

}  // namespace tfwarden
