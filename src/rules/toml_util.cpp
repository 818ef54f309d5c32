#include "rules/toml_util.h"

#include <algorithm>

namespace tfwarden {

void toml_fail(size_t line, std::string key, std::string message) {
  throw TomlError{line, std::move(key), std::move(message)};
}

std::string toml_error_text(const std::string& path, const TomlError& e) {
  return path + ":" + std::to_string(e.line ? e.line : 1) + ": " + (e.key.empty() ? "" : "key `" + e.key + "`: ") +
         e.message;
}

std::string opt_string(const toml::table& t, const std::string& prefix, std::string_view key) {
  const toml::node* n = t.get(key);
  if (!n) return "";
  if (!n->is_string())
    toml_fail(line_of(*n), prefix + std::string(key), "expected a string, found " + toml_type_name(*n));
  return n->as_string()->get();
}

size_t line_of(const toml::node& n) {
  return n.source().begin.line;
}

std::string toml_type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "a date or time";
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

void check_toml_depth(std::string_view text, size_t limit) {
  size_t line = 1, parts = 1;
  bool in_key = true;      // reading a key (or a [table] header) rather than a value
  std::string containers;  // open `[` (arrays) and `{` (inline tables) of values
  auto fail = [&](const char* what) {
    toml_fail(line, "", std::string(what) + " nest deeper than " + std::to_string(limit) + " levels (the limit)");
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"' || c == '\'') {
      // Strings (basic, literal, multi-line) are skipped whole: their dots and brackets are text.
      bool multi = text.compare(i, 3, std::string(3, c)) == 0;
      size_t j = i + (multi ? 3 : 1);
      for (; j < text.size(); ++j) {
        if (text[j] == '\n') ++line;
        if (c == '"' && text[j] == '\\') {
          ++j;
          continue;
        }
        if (text[j] == c && (!multi || text.compare(j, 3, std::string(3, c)) == 0)) break;
      }
      i = multi ? j + 2 : j;
      continue;
    }
    if (c == '#') {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    if (c == '\n') {
      ++line;
      if (containers.empty()) {
        in_key = true;
        parts = 1;
      }
      continue;
    }
    if (in_key) {
      if (c == '.' && ++parts > limit) fail("keys");
      if (c == '=') in_key = false;
      continue;
    }
    if (c == '[' || c == '{') {
      containers.push_back(c);
      if (containers.size() > limit) fail("arrays and inline tables");
      if (c == '{') {
        in_key = true;
        parts = 1;
      }
    } else if ((c == ']' || c == '}') && !containers.empty()) {
      containers.pop_back();
    } else if (c == ',' && !containers.empty() && containers.back() == '{') {
      in_key = true;
      parts = 1;
    }
  }
}

}  // namespace tfwarden
