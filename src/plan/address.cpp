#include "plan/address.h"

namespace tfwarden {

std::optional<std::vector<TraversalStep>> split_traversal(std::string_view s) {
  std::vector<TraversalStep> steps;
  size_t i = 0;
  while (i < s.size()) {
    TraversalStep step;
    size_t start = i;
    while (i < s.size() && s[i] != '.' && s[i] != '[') ++i;
    step.name.assign(s.substr(start, i - start));
    if (step.name.empty()) return std::nullopt;
    if (i < s.size() && s[i] == '[') {
      size_t kstart = i + 1;
      ++i;
      if (i < s.size() && s[i] == '"') {
        ++i;
        while (i < s.size() && s[i] != '"') {
          if (s[i] == '\\') ++i;
          ++i;
        }
        if (i >= s.size()) return std::nullopt;
        ++i;
      } else {
        while (i < s.size() && s[i] != ']') ++i;
      }
      if (i >= s.size() || s[i] != ']') return std::nullopt;
      step.key.assign(s.substr(kstart, i - kstart));
      step.has_key = true;
      ++i;
      // A splat or a second index (`a[0][1]`) is kept in the key form but only the first counts.
      while (i < s.size() && s[i] == '[') {
        while (i < s.size() && s[i] != ']') ++i;
        if (i < s.size()) ++i;
      }
    }
    steps.push_back(std::move(step));
    if (i < s.size()) {
      if (s[i] != '.') return std::nullopt;
      ++i;
      if (i == s.size()) return std::nullopt;
    }
  }
  if (steps.empty()) return std::nullopt;
  return steps;
}

std::string strip_instance_keys(std::string_view a) {
  std::string out;
  out.reserve(a.size());
  size_t i = 0;
  while (i < a.size()) {
    if (a[i] == '[') {
      ++i;
      bool quoted = false;
      while (i < a.size()) {
        if (a[i] == '"') quoted = !quoted;
        else if (a[i] == '\\' && quoted) ++i;
        else if (a[i] == ']' && !quoted) break;
        ++i;
      }
      ++i;
      continue;
    }
    out.push_back(a[i]);
    ++i;
  }
  return out;
}

std::string index_key_repr(std::string_view text, bool is_string) {
  if (!is_string) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace tfwarden
