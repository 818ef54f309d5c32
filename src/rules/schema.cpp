#include "rules/schema.h"

#include <map>

namespace tfwarden {

SchemaIndex::SchemaIndex(const nlohmann::json& doc) {
  for (auto& [provider, ps] : doc["provider_schemas"].items()) {
    (void)provider;
    for (const char* kind : {"resource_schemas", "data_source_schemas"}) {
      if (!ps.contains(kind) || !ps[kind].is_object()) continue;
      for (auto& [type, s] : ps[kind].items())
        if (s.contains("block")) blocks_.emplace(type, &s["block"]);
    }
  }
}

bool SchemaIndex::has_type(const std::string& type) const { return blocks_.count(type) > 0; }

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '.') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (c == '[') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
      size_t end = path.find(']', i);
      std::string inner = path.substr(i + 1, end - i - 1);
      out.push_back(inner.empty() || inner[0] != '"' ? "[*]" : "[key]");
      i = end;
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// Walks a cty type (`["list", ["object", {...}]]`) by the remaining steps.
bool walk_type(const nlohmann::json& t, const std::vector<std::string>& steps, size_t i, std::string& why) {
  if (i >= steps.size()) return true;
  if (t.is_string()) {
    if (t == "dynamic") return true;
    // A string attribute may hold JSON decoded by the rule; anything below a scalar is invalid.
    why = "`" + steps[i - 1] + "` is a " + t.get<std::string>();
    return false;
  }
  if (!t.is_array() || t.empty()) return true;
  std::string kind = t[0];
  if (kind == "list" || kind == "set") {
    if (steps[i] == "[*]") return walk_type(t[1], steps, i + 1, why);
    return walk_type(t[1], steps, i, why);  // a one-element list navigated without an index
  }
  if (kind == "map") {
    if (steps[i] == "[key]" || steps[i] == "[*]") return walk_type(t[1], steps, i + 1, why);
    return true;  // map keys are data, not schema
  }
  if (kind == "object") {
    const auto& attrs = t[1];
    if (attrs.contains(steps[i])) return walk_type(attrs[steps[i]], steps, i + 1, why);
    why = "no attribute `" + steps[i] + "` in the object";
    return false;
  }
  return true;
}

bool walk_block(const nlohmann::json& block, const std::vector<std::string>& steps, size_t i, std::string& why) {
  if (i >= steps.size()) return true;
  const std::string& s = steps[i];
  if (s == "[*]" || s == "[key]") return walk_block(block, steps, i + 1, why);
  if (block.contains("attributes") && block["attributes"].contains(s)) {
    const auto& attr = block["attributes"][s];
    if (attr.contains("nested_type")) {
      const auto& nt = attr["nested_type"];
      size_t j = i + 1;
      if (j < steps.size() && (steps[j] == "[*]" || steps[j] == "[key]")) ++j;
      return walk_block(nt, steps, j, why);
    }
    if (attr.contains("type")) return walk_type(attr["type"], steps, i + 1, why);
    return true;
  }
  if (block.contains("block_types") && block["block_types"].contains(s)) {
    return walk_block(block["block_types"][s]["block"], steps, i + 1, why);
  }
  std::vector<std::string> names;
  if (block.contains("attributes"))
    for (auto& [k, v] : block["attributes"].items()) {
      (void)v;
      names.push_back(k);
    }
  if (block.contains("block_types"))
    for (auto& [k, v] : block["block_types"].items()) {
      (void)v;
      names.push_back(k);
    }
  std::string hint = did_you_mean(s, names);
  why = "no `" + s + "` here" + (hint.empty() ? "" : " (did you mean `" + hint + "`?)");
  return false;
}

}  // namespace

bool SchemaIndex::check(const std::string& type, const std::string& path, std::string& why) const {
  auto it = blocks_.find(type);
  if (it == blocks_.end()) return true;
  auto steps = split_path(path);
  if (steps.empty()) return true;
  return walk_block(*it->second, steps, 0, why);
}

std::vector<TypedPath> rule_paths(const Rule& r) {
  std::vector<const Expr*> lets;
  for (const auto& l : r.lets) lets.push_back(l.get());
  std::vector<TypedPath> out;
  if (r.where) collect_paths(*r.where, r.types, lets, out);
  if (r.assertion) collect_paths(*r.assertion, r.types, lets, out);
  if (r.path_expr) collect_paths(*r.path_expr, r.types, lets, out);
  if (r.evidence) collect_paths(*r.evidence, r.types, lets, out);
  return out;
}

}  // namespace tfwarden
