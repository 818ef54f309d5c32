#include "engine/eval.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <unordered_set>

#include "engine/redact.h"
#include "plan/encoding.h"

namespace tfwarden {

// ---- paths and values ----

std::vector<PathStep> path_steps(const PathRef& p) {
  std::vector<PathStep> out;
  for (const PathNode* n = p.get(); n; n = n->parent.get()) out.push_back(n->step);
  std::reverse(out.begin(), out.end());
  return out;
}

std::string path_text(const PathRef& p) {
  std::string out;
  for (const auto& s : path_steps(p)) {
    if (s.index >= 0) out.append("[").append(std::to_string(s.index)).append("]");
    else out.append(out.empty() ? "" : ".").append(s.key);
  }
  return out;
}

static PathRef extend(const PathRef& p, PathStep step) {
  return std::make_shared<const PathNode>(PathNode{p, step});
}

Val Val::resource(const Resource& r) {
  Val v;
  v.k = K::Resource;
  v.origin = &r;
  v.json = r.after.present ? r.after : r.before;
  v.unk = r.after.present ? r.after_unknown : Node();
  v.sens = r.after.present ? r.after_sensitive : r.before_sensitive;
  v.sensitive = v.sens.is_true();
  return v;
}

static std::string number_text(double n) {
  if (std::isfinite(n) && n == std::floor(n) && std::fabs(n) < 1e15) return std::to_string(static_cast<long long>(n));
  char buf[64];
  snprintf(buf, sizeof buf, "%g", n);
  return buf;
}

// `s` cut to `max_len` bytes on a character boundary, with "..." when it was longer.
static std::string shorten(std::string s, size_t max_len) {
  if (s.size() > max_len) s = std::string(utf8_prefix(s, max_len)) + "...";
  return s;
}

std::string render_value(const Val& v, size_t max_len) {
  if (v.sensitive) return "(sensitive)";
  std::string out;
  switch (v.k) {
    case Val::K::Absent: return "(absent)";
    case Val::K::Null: return "null";
    case Val::K::Unknown: return "(known after apply)";
    case Val::K::Bool: return v.b ? "true" : "false";
    case Val::K::Num: return number_text(v.n);
    case Val::K::Str: out = std::string(v.s); break;
    case Val::K::Resource: return std::string(v.origin->address);
    case Val::K::List:
    case Val::K::Object:
      if (v.json.present) {
        if (marks_any(v.unk)) return "(partly known after apply)";
        out = to_json_masked(v.json, v.sens, "(sensitive)");
      } else if (v.items) {
        out = "[";
        for (size_t i = 0; i < v.items->size(); ++i) out += (i ? ", " : "") + render_value((*v.items)[i], max_len);
        out += "]";
      }
      break;
    case Val::K::Seq: {
      out = "[";
      for (size_t i = 0; v.items && i < v.items->size(); ++i)
        out += (i ? ", " : "") + render_value((*v.items)[i], max_len);
      out += "]";
      break;
    }
  }
  return shorten(std::move(out), max_len);
}

// Builds the value of a JSON node inside a resource, with its unknown and sensitive markers.
// `label` names the value in an unknown's reason when it has no origin (an attribute name is
// quoted); the reason is built only for unknown values.
static Val from_json(Node json, Node unk, Node sens, bool parent_sensitive, const Val& parent, PathStep step,
                     std::string_view label, bool quote_label) {
  Val v;
  v.origin = parent.origin;
  v.before_side = parent.before_side;
  v.path = parent.origin ? extend(parent.path, step) : PathRef();
  v.sensitive = parent_sensitive || sens.is_true();
  v.json = json;
  v.unk = unk;
  v.sens = sens;
  if (unk.is_true()) {
    v.k = Val::K::Unknown;
    if (v.origin)
      v.reason = "`" + path_text(v.path) + "` of `" + std::string(v.origin->address) + "` is known only after apply";
    else
      v.reason.append(quote_label ? "`" : "").append(label).append(quote_label ? "`" : "").append(" is known only after apply");
    return v;
  }
  if (!json.present) {
    v.k = Val::K::Absent;
    return v;
  }
  switch (json.elem.type()) {
    case simdjson::dom::element_type::NULL_VALUE: v.k = Val::K::Null; break;
    case simdjson::dom::element_type::BOOL: v.k = Val::K::Bool; v.b = json.elem.get_bool().value_unsafe(); break;
    case simdjson::dom::element_type::STRING: v.k = Val::K::Str; v.s = json.str(); break;
    case simdjson::dom::element_type::ARRAY: v.k = Val::K::List; break;
    case simdjson::dom::element_type::OBJECT: v.k = Val::K::Object; break;
    default: v.k = Val::K::Num; v.n = json.num(); break;
  }
  return v;
}

static Val seq_of(std::vector<Val> items, bool incomplete = false, std::string reason = {}) {
  Val v;
  v.k = Val::K::Seq;
  v.items = std::make_shared<std::vector<Val>>(std::move(items));
  v.incomplete = incomplete;
  v.reason = std::move(reason);
  return v;
}

Val get_attr(const Val& v, std::string_view key) {
  switch (v.k) {
    case Val::K::Unknown: {
      Val u = v;
      u.k = Val::K::Unknown;
      return u;
    }
    case Val::K::Resource:
    case Val::K::Object: {
      Node child = v.json[key];
      Node unk = v.unk.is_object() ? v.unk[key] : Node();
      Node sens = v.sens.is_object() ? v.sens[key] : Node();
      return from_json(child, unk, sens, v.sensitive, v, PathStep{key, -1}, key, true);
    }
    case Val::K::Seq: {
      std::vector<Val> out;
      for (const Val& e : *v.items) {
        Val c = get_attr(e, key);
        if (c.k == Val::K::Seq) out.insert(out.end(), c.items->begin(), c.items->end());
        else out.push_back(std::move(c));
      }
      return seq_of(std::move(out), v.incomplete, v.reason);
    }
    default: {
      Val a;
      a.k = Val::K::Absent;
      return a;
    }
  }
}

Val get_index(const Val& v, int64_t i) {
  if (v.k == Val::K::Unknown) return v;
  if (v.k == Val::K::List) {
    if (v.json.present) {
      Node child = v.json.at(static_cast<size_t>(i));
      Node unk = v.unk.is_array() ? v.unk.at(static_cast<size_t>(i)) : Node();
      Node sens = v.sens.is_array() ? v.sens.at(static_cast<size_t>(i)) : Node();
      return from_json(child, unk, sens, v.sensitive, v, PathStep{{}, i}, "element", false);
    }
    if (v.items && static_cast<size_t>(i) < v.items->size()) return (*v.items)[static_cast<size_t>(i)];
  }
  if (v.k == Val::K::Seq) {
    std::vector<Val> out;
    for (const Val& e : *v.items) out.push_back(get_index(e, i));
    return seq_of(std::move(out), v.incomplete, v.reason);
  }
  Val a;
  a.k = Val::K::Absent;
  return a;
}

Val splat(const Val& v) {
  switch (v.k) {
    case Val::K::Unknown: return v;
    case Val::K::Absent:
    case Val::K::Null: return seq_of({});
    case Val::K::List: {
      if (!v.json.present) return seq_of(v.items ? *v.items : std::vector<Val>{});
      // Walk the value and its markers side by side: simdjson's array indexing is linear.
      // The markers are arrays too when the list has unknown or sensitive elements; gather
      // their elements once rather than indexing them per element.
      auto elements = [](const Node& n) {
        std::vector<Node> out;
        if (n.is_array()) {
          simdjson::dom::array a = n.array();
          for (simdjson::dom::element e : a) out.emplace_back(e);
        }
        return out;
      };
      std::vector<Node> unk = elements(v.unk), sens = elements(v.sens);
      std::vector<Val> out;
      int64_t i = 0;
      simdjson::dom::array items = v.json.array();
      for (simdjson::dom::element e : items) {
        size_t k = static_cast<size_t>(i);
        out.push_back(from_json(Node(e), k < unk.size() ? unk[k] : Node(), k < sens.size() ? sens[k] : Node(),
                                v.sensitive, v, PathStep{{}, i}, "element", false));
        ++i;
      }
      return seq_of(std::move(out));
    }
    case Val::K::Object: {
      // One walk over the members, their markers found by key in maps built by one walk each:
      // get_attr per member would scan the object for each (quadratic in a map's size).
      auto members = [](const Node& n) {
        std::unordered_map<std::string_view, Node> out;
        if (n.is_object())
          for (auto [k, e] : n.object()) {
            ++thread_steps;
            out.emplace(k, Node(e));
          }
        return out;
      };
      std::unordered_map<std::string_view, Node> unk = members(v.unk), sens = members(v.sens);
      auto marker = [](const std::unordered_map<std::string_view, Node>& m, std::string_view k) {
        auto it = m.find(k);
        return it == m.end() ? Node() : it->second;
      };
      std::vector<Val> out;
      for (auto [k, e] : v.json.object()) {
        ++thread_steps;
        out.push_back(from_json(Node(e), marker(unk, k), marker(sens, k), v.sensitive, v, PathStep{k, -1}, k, true));
      }
      return seq_of(std::move(out));
    }
    case Val::K::Seq: {
      std::vector<Val> out;
      bool inc = v.incomplete;
      std::string reason = v.reason;
      for (const Val& e : *v.items) {
        Val s = splat(e);
        if (s.k == Val::K::Unknown) {
          inc = true;
          if (reason.empty()) reason = s.reason;
          continue;
        }
        if (s.k == Val::K::Seq) {
          out.insert(out.end(), s.items->begin(), s.items->end());
          if (s.incomplete && reason.empty()) reason = s.reason;
          inc |= s.incomplete;
        } else {
          out.push_back(s);
        }
      }
      return seq_of(std::move(out), inc, reason);
    }
    default: return seq_of({v});
  }
}

// Whether the value at `steps` of `r` is in a known, non-empty list of blocks that the
// configuration has no expression for: a block made by `dynamic`, or on an update perhaps the
// prior value Terraform keeps of a computed block (see configured()).
static bool unexpressed_blocks(const Resource& r, const std::vector<PathStep>& steps) {
  if (!r.config || steps.empty() || steps[0].index >= 0) return false;
  Node top = r.after[steps[0].key];
  return !r.config->expressions[steps[0].key].present && top.is_array() && top.size() > 0 && top.at(0).is_object();
}

static bool creates(const Resource& r) {
  return r.action == Action::Create || r.action == Action::Replace;
}

// Whether the value at `steps` of `r` is in a block made by `dynamic`: such blocks on a create.
static bool made_by_dynamic(const Resource& r, const std::vector<PathStep>& steps) {
  return creates(r) && unexpressed_blocks(r, steps);
}

// ---- the per-plan index ----

PlanIndex::PlanIndex(const Plan& plan, std::string default_region, std::shared_ptr<SharedIndexes> shared)
    : plan_(plan),
      shared_(shared ? std::move(shared) : std::make_shared<SharedIndexes>()),
      resolver_(plan, std::move(default_region), shared_->values) {}

void PlanIndex::refs_into(const Val& v, std::vector<const Resource*>& out, std::vector<std::string>& reasons) {
  if (v.k == Val::K::Seq) {
    for (const Val& e : *v.items) refs_into(e, out, reasons);
    if (v.incomplete) reasons.push_back(v.reason);
    return;
  }
  if (v.k == Val::K::Absent || v.k == Val::K::Null) return;
  if (v.k == Val::K::Resource) {
    out.push_back(v.origin);
    return;
  }
  size_t before_targets = out.size();
  size_t before_reasons = reasons.size();
  bool configured_expr = false;
  // Through the configuration: the attribute's expression and what its references reach.
  if (v.origin && !v.before_side && v.origin->config) {
    std::vector<PathStep> steps = path_steps(v.path);
    Node expr = resolver_.attribute_expression(*v.origin, steps);
    if (expr.present) {
      configured_expr = true;
      Resolution res;
      const ConfigModule& module = *v.origin->config->module;
      resolver_.resolve(expr, module, v.origin->module_address,
                        "`" + path_text(v.path) + "` of `" + std::string(v.origin->address) + "`", res, v.origin);
      out.insert(out.end(), res.targets.begin(), res.targets.end());
      reasons.insert(reasons.end(), res.unresolved.begin(), res.unresolved.end());
      for (const Node& c : res.constants) {
        auto lookup = [&](const Node& s) {
          if (!s.is_string()) return;
          if (auto* hits = resolver_.by_known_value(s.str()))
            for (uint32_t i : *hits) out.push_back(&plan_.resources[i]);
        };
        if (c.is_array()) {
          simdjson::dom::array items = c.array();
          for (simdjson::dom::element e : items) lookup(Node(e));
        } else {
          lookup(c);
        }
      }
    }
  }
  // Through the known value: an ARN or id equal to another resource's.
  bool has_unknown = false;
  auto lookup_val = [&](const Val& e) {
    if (e.k == Val::K::Str) {
      if (auto* hits = resolver_.by_known_value(e.s))
        for (uint32_t i : *hits) out.push_back(&plan_.resources[i]);
    } else if (e.k == Val::K::Unknown) {
      has_unknown = true;
    }
  };
  if (v.k == Val::K::List || v.k == Val::K::Object) {
    Val elems = splat(v);
    if (elems.k == Val::K::Seq)
      for (const Val& e : *elems.items) lookup_val(e);
  } else {
    lookup_val(v);
  }
  // A known value decides: what it points at is what the plan holds with that ARN or id, whether
  // or not its expression could be followed (a local, a for_each value, a chain too deep).
  if (!has_unknown && v.k != Val::K::Unknown && reasons.size() > before_reasons) reasons.resize(before_reasons);
  if (has_unknown && out.size() == before_targets && reasons.size() == before_reasons) {
    std::string label = v.origin ? "`" + path_text(v.path) + "` of `" + std::string(v.origin->address) + "`" : "the value";
    if (!plan_.has_configuration)
      reasons.push_back(label + " is known only after apply, and the input has no configuration to follow");
    else if (!configured_expr && v.origin && made_by_dynamic(*v.origin, path_steps(v.path)))
      reasons.push_back(label + " is known only after apply, in a block made by `dynamic`, whose references the plan " +
                        "does not record");
    else if (!configured_expr)
      reasons.push_back(label + " is known only after apply and is not set in the configuration");
    else
      reasons.push_back(label + " is known only after apply and its expression refers to no resource");
  }
}

const Val* PlanIndex::known_refs(const Val& val, const std::vector<std::string>& types) {
  if (val.k != Val::K::Str || val.s.empty()) return nullptr;
  const std::vector<uint32_t>* hits = resolver_.by_known_value(val.s);
  if (!hits) return nullptr;
  // What the expression reaches must be among the hits (ascending ordinals) for them to be the
  // whole answer; a constant of the expression must be the value itself.
  if (val.origin && !val.before_side && val.origin->config) {
    Node expr = resolver_.attribute_expression(*val.origin, path_steps(val.path));
    if (expr.present) {
      Resolution res;
      resolver_.resolve(expr, *val.origin->config->module, val.origin->module_address, "", res, val.origin);
      for (const Resource* t : res.targets)
        if (!std::binary_search(hits->begin(), hits->end(), t->ordinal)) return nullptr;
      for (const Node& c : res.constants) {
        if (c.is_string() && c.str() != val.s) return nullptr;
        if (c.is_array())
          for (simdjson::dom::element e : c.array())
            if (Node n(e); n.is_string() && n.str() != val.s) return nullptr;
      }
    }
  }
  std::string key(val.s);
  for (const std::string& t : types) {
    key.push_back('\0');
    key += t;
  }
  auto [it, inserted] = known_refs_.try_emplace(std::move(key));
  if (inserted) {
    std::vector<Val> items;
    for (uint32_t i : *hits) {
      const Resource& r = plan_.resources[i];
      if (types.empty() || std::find(types.begin(), types.end(), r.type) != types.end())
        items.push_back(Val::resource(r));
    }
    it->second = seq_of(std::move(items));
    it->second.interned = true;
  }
  return &it->second;
}

Val PlanIndex::refs(const Val& val, const std::vector<std::string>& types) {
  if (val.k == Val::K::Unknown && !val.origin) return seq_of({}, true, val.reason);
  if (const Val* known = known_refs(val, types)) return *known;
  std::vector<const Resource*> found;
  std::vector<std::string> reasons;
  refs_into(val, found, reasons);
  thread_steps += found.size();
  std::vector<Val> items;
  std::unordered_set<const Resource*> seen;
  for (const Resource* r : found) {
    if (!types.empty() && std::find(types.begin(), types.end(), r->type) == types.end()) continue;
    if (seen.insert(r).second) items.push_back(Val::resource(*r));
  }
  std::sort(items.begin(), items.end(), [](const Val& a, const Val& b) { return a.origin->ordinal < b.origin->ordinal; });
  return seq_of(std::move(items), !reasons.empty(), reasons.empty() ? "" : reasons.front());
}

// Known strings of `v` (itself, or the elements of a list or sequence), with their places.
static void known_strings(const Val& v, std::vector<Val>& out) {
  if (v.k == Val::K::Str) {
    if (!v.s.empty()) out.push_back(v);
    return;
  }
  if (v.k == Val::K::List || v.k == Val::K::Seq) {
    Val elems = v.k == Val::K::Seq ? v : splat(v);
    if (elems.k == Val::K::Seq && elems.items)
      for (const Val& e : *elems.items)
        if (e.k == Val::K::Str && !e.s.empty()) out.push_back(e);
  }
}

Val PlanIndex::managed_refs(const Val& val, const std::vector<std::string>& types) {
  if (val.k == Val::K::Unknown && !val.origin) return seq_of({}, true, val.reason);
  std::vector<const Resource*> found;
  std::vector<std::string> reasons;
  refs_into(val, found, reasons);
  auto of_types = [&](const Resource& r) {
    return types.empty() || std::find(types.begin(), types.end(), r.type) != types.end();
  };
  auto type_list = [&] {
    std::string t;
    for (size_t i = 0; i < types.size(); ++i)
      t += (i ? (i + 1 == types.size() ? " or `" : ", `") : "`") + types[i] + "`";
    return t.empty() ? std::string("resource") : t;
  };
  auto label_of = [](const Val& v) {
    return v.origin ? "`" + path_text(v.path) + "` of `" + std::string(v.origin->address) + "`"
                    : std::string("a value");
  };
  // A data source of `types`, or of a type named after one (`aws_subnets` or `aws_subnet_ids`
  // for `aws_subnet`), names resources the plan does not manage.
  const Resource* source = nullptr;
  std::vector<Val> items;
  std::unordered_set<const Resource*> seen;
  for (const Resource* r : found) {
    if (r->data && !source &&
        std::any_of(types.begin(), types.end(), [&](const std::string& t) { return r->type.substr(0, t.size()) == t; }))
      source = r;
    if (r->data || !of_types(*r)) continue;
    if (seen.insert(r).second) items.push_back(Val::resource(*r));
  }
  // A known id or ARN decides: it must be that of a managed resource of `types` in the plan.
  std::vector<Val> strings;
  known_strings(val, strings);
  for (const Val& s : strings) {
    const Resource* data = nullptr;
    bool managed = false;
    if (const auto* hits = resolver_.by_known_value(s.s))
      for (uint32_t i : *hits) {
        const Resource& r = plan_.resources[i];
        if (r.deposed || !of_types(r)) continue;
        if (r.data)
          data = data ? data : &r;
        else
          managed = true;
      }
    if (managed) continue;
    if (!data) data = source;
    std::string value = s.sensitive ? "(sensitive)" : "`" + std::string(s.s) + "`";
    reasons.push_back(label_of(s) + " is " + value +
                      (data ? ", from the data source `" + std::string(data->address) + "`: no " : ", which no ") +
                      type_list() + " in the plan " + (data ? "manages it" : "has"));
  }
  // While the value is unknown, its references decide.
  bool known = val.k != Val::K::Unknown && !marks_any(val.unk);
  if (source && !known)
    reasons.push_back(label_of(val) + " comes from the data source `" + std::string(source->address) + "`: no " +
                      type_list() + " in the plan manages what it reads");
  std::sort(items.begin(), items.end(),
            [](const Val& a, const Val& b) { return a.origin->ordinal < b.origin->ordinal; });
  return seq_of(std::move(items), !reasons.empty(), reasons.empty() ? "" : reasons.front());
}

Val PlanIndex::referrers(const Resource& target, const std::string& type, const std::string& path) {
  auto key = std::make_pair(type, path);
  std::unique_lock lock(shared_->mu);
  auto it = shared_->reverse.find(key);
  if (it == shared_->reverse.end()) {
    SharedIndexes::ReverseIndex idx;
    std::unique_ptr<Expr> p = parse_path(path);
    if (const auto* list = plan_.of_type(type)) {
      for (uint32_t i : *list) {
        const Resource& src = plan_.resources[i];
        if (!src.exists_after() || src.deposed) continue;
        Val v = eval_path(*p, Val::resource(src));
        std::vector<const Resource*> found;
        std::vector<std::string> reasons;
        refs_into(v, found, reasons);
        std::unordered_set<uint32_t> seen;
        for (const Resource* t : found)
          if (seen.insert(t->ordinal).second) idx.by_target[t->ordinal].push_back(src.ordinal);
        if (!reasons.empty()) idx.unresolved.push_back(reasons.front());
      }
    }
    it = shared_->reverse.emplace(key, std::move(idx)).first;
  }
  lock.unlock();  // the entry is read-only from here
  std::vector<Val> items;
  if (auto t = it->second.by_target.find(target.ordinal); t != it->second.by_target.end())
    for (uint32_t s : t->second) items.push_back(Val::resource(plan_.resources[s]));
  const auto& unresolved = it->second.unresolved;
  std::string reason;
  if (!unresolved.empty())
    reason = std::to_string(unresolved.size()) + " `" + type + "` resource" + (unresolved.size() == 1 ? "" : "s") +
             " could not be followed: " + unresolved.front();
  return seq_of(std::move(items), !unresolved.empty(), reason);
}

Val PlanIndex::resources_of(const std::string& type) {
  std::lock_guard lock(shared_->mu);
  if (auto it = shared_->by_type_seq.find(type); it != shared_->by_type_seq.end()) return it->second;
  std::vector<Val> items;
  if (const auto* list = plan_.of_type(type))
    for (uint32_t i : *list) {
      const Resource& r = plan_.resources[i];
      if (r.exists_after() && !r.deposed) items.push_back(Val::resource(r));
    }
  return shared_->by_type_seq.emplace(type, seq_of(std::move(items))).first->second;
}

Val* PlanIndex::aggregate(const void* expr, const void* items) {
  auto it = aggregates_.find({expr, items});
  return it == aggregates_.end() ? nullptr : &it->second;
}

void PlanIndex::remember_aggregate(const void* expr, const void* items, const Val& v) {
  aggregates_.emplace(std::make_pair(expr, items), v);
}

static std::string key_of(const Val& v) {
  switch (v.k) {
    case Val::K::Str: return "s:" + std::string(v.s);
    case Val::K::Num: return "n:" + number_text(v.n);
    case Val::K::Bool: return v.b ? "b:1" : "b:0";
    default: return "";
  }
}

Val PlanIndex::resources_by(const std::string& type, const std::string& attr, const Val& value) {
  if (value.k == Val::K::Unknown) return seq_of({}, true, value.reason);
  auto key = std::make_pair(type, attr);
  std::lock_guard lock(shared_->mu);
  auto it = shared_->by_attr.find(key);
  if (it == shared_->by_attr.end()) {
    SharedIndexes::AttrIndex idx;
    if (const auto* list = plan_.of_type(type))
      for (uint32_t i : *list) {
        const Resource& r = plan_.resources[i];
        if (!r.exists_after() || r.deposed) continue;
        Val a = get_attr(Val::resource(r), attr);
        if (a.k == Val::K::Unknown) idx.unknown.push_back(i);
        else if (std::string k = key_of(a); !k.empty()) idx.by_value[k].push_back(i);
      }
    it = shared_->by_attr.emplace(key, std::move(idx)).first;
  }
  std::string k = key_of(value);
  if (auto cached = it->second.seqs.find(k); cached != it->second.seqs.end()) return cached->second;
  std::vector<Val> items;
  if (!k.empty())
    if (auto hit = it->second.by_value.find(k); hit != it->second.by_value.end())
      for (uint32_t i : hit->second) items.push_back(Val::resource(plan_.resources[i]));
  const auto& unk = it->second.unknown;
  std::string reason;
  if (!unk.empty())
    reason = "the `" + attr + "` of " + std::to_string(unk.size()) + " `" + type + "` resource" +
             (unk.size() == 1 ? " is" : "s are") + " known only after apply (e.g. `" +
             std::string(plan_.resources[unk.front()].address) + "`)";
  // The same Seq for the same value, so aggregates over it can be cached.
  return it->second.seqs.emplace(k, seq_of(std::move(items), !unk.empty(), reason)).first->second;
}

Val PlanIndex::decode_json(const Val& v) {
  if (v.k == Val::K::Unknown) return v;
  if (v.k == Val::K::Absent || v.k == Val::K::Null) return v;
  if (v.k != Val::K::Str) return Val::unknown("json() expects a string, found another type");
  auto it = decoded_.find(v.s.data());
  if (it == decoded_.end()) {
    simdjson::dom::parser& p = parsers_.emplace_back();
    simdjson::dom::element e;
    Node n;
    if (!p.parse(v.s.data(), v.s.size()).get(e)) n = Node(e);
    it = decoded_.emplace(v.s.data(), n).first;
  }
  if (!it->second.present) {
    std::string label = v.origin ? "`" + path_text(v.path) + "` of `" + std::string(v.origin->address) + "`" : "a value";
    return Val::unknown(label + " is not valid JSON");
  }
  Val root;  // no origin: decoded content has no configuration to follow
  Val out = from_json(it->second, Node(), Node(), v.sensitive, root, PathStep{}, "decoded JSON", false);
  return out;
}

Val* PlanIndex::memo(const Rule* rule, uint32_t slot, uint32_t ordinal) {
  auto it = memo_.find(MemoKey{rule, slot, ordinal});
  return it == memo_.end() ? nullptr : &it->second;
}

void PlanIndex::remember(const Rule* rule, uint32_t slot, uint32_t ordinal, const Val& v) {
  memo_.emplace(MemoKey{rule, slot, ordinal}, v);
}

Val* PlanIndex::keyed_memo(const Rule* rule, uint32_t slot, const std::string& key) {
  auto it = keyed_memo_.find(KeyedMemoKey{rule, slot, key});
  return it == keyed_memo_.end() ? nullptr : &it->second;
}

void PlanIndex::remember_keyed(const Rule* rule, uint32_t slot, const std::string& key, const Val& v) {
  keyed_memo_.emplace(KeyedMemoKey{rule, slot, key}, v);
}

// ---- evaluation ----

namespace {

enum class Tri : uint8_t { F, T, U };

struct Evaluator {
  const Rule& rule;
  const Resource& self;
  PlanIndex& index;
  Val self_val;
  int depth = 0;

  // Values of the lets that have one value per `self` (Rule::LetMemo), once computed.
  std::vector<std::optional<Val>> per_self;

  Val per_self_let(uint32_t slot, const Val& ctx) {
    if (per_self.empty()) per_self.resize(rule.lets.size());
    if (per_self[slot]) return *per_self[slot];
    // Keyed by the values of the per-self lets it reads, when those are plain known values.
    std::string key;
    bool keyed = rule.let_memo[slot] == Rule::LetMemo::ByKeys;
    for (uint32_t j = 0; keyed && j < rule.let_keys[slot].size(); ++j) {
      Val k = per_self_let(rule.let_keys[slot][j], ctx);  // a key is itself a per-self let
      bool plain = !k.sensitive && (k.k == Val::K::Str || k.k == Val::K::Num || k.k == Val::K::Bool);
      if (!plain)
        keyed = false;
      else
        key += key_of(k) + '\0';
    }
    if (keyed)
      if (Val* hit = index.keyed_memo(&rule, slot, key)) return *(per_self[slot] = *hit);
    Val v = eval(*rule.lets[slot], ctx);
    // Only values that belong to no resource are shared: a value with a place in a resource
    // would show that place for another resource's finding.
    bool shareable = v.origin == nullptr && !v.sensitive &&
                     (v.k == Val::K::Bool || v.k == Val::K::Num || v.k == Val::K::Unknown || v.k == Val::K::Null);
    if (keyed && shareable) index.remember_keyed(&rule, slot, key, v);
    per_self[slot] = v;
    return v;
  }

  Tri tri(const Val& v, std::string& reason) const {
    if (v.k == Val::K::Bool) return v.b ? Tri::T : Tri::F;
    if (v.k == Val::K::Unknown) {
      reason = v.reason;
      return Tri::U;
    }
    return Tri::F;
  }

  static Val from_tri(Tri t, const std::string& reason) {
    if (t == Tri::U) return Val::unknown(reason);
    return Val::boolean(t == Tri::T);
  }

  Val literal(const Literal& l) {
    switch (l.kind) {
      case Literal::Kind::Null: {
        Val v;
        v.k = Val::K::Null;
        return v;
      }
      case Literal::Kind::Bool: return Val::boolean(l.b);
      case Literal::Kind::Number: return Val::number(l.n);
      case Literal::Kind::String: {
        Val v;
        v.k = Val::K::Str;
        v.s = l.s;
        return v;
      }
      case Literal::Kind::List: {
        Val v;
        v.k = Val::K::List;
        v.items = std::make_shared<std::vector<Val>>();
        for (const auto& i : l.items) v.items->push_back(literal(i));
        return v;
      }
    }
    return {};
  }

  // Elements of a value used as a sequence.
  Val as_seq(const Val& v) {
    if (v.k == Val::K::Seq || v.k == Val::K::Unknown) return v;
    return splat(v);
  }

  static bool equal(const Val& a, const Val& b) {
    auto nullish = [](const Val& v) { return v.k == Val::K::Null || v.k == Val::K::Absent; };
    if (nullish(a) || nullish(b)) return nullish(a) && nullish(b);
    if (a.k != b.k) return false;
    switch (a.k) {
      case Val::K::Bool: return a.b == b.b;
      case Val::K::Num: return a.n == b.n;
      case Val::K::Str: return a.s == b.s;
      case Val::K::Resource: return a.origin == b.origin;
      case Val::K::List:
      case Val::K::Object:
        if (a.json.present && b.json.present) return to_json(a.json) == to_json(b.json);
        return false;
      default: return false;
    }
  }

  Val compare(Expr::Op op, const Val& a, const Val& b) {
    if (a.k == Val::K::Unknown) return a;
    if (b.k == Val::K::Unknown) return b;
    switch (op) {
      case Expr::Op::Eq: return Val::boolean(equal(a, b));
      case Expr::Op::Ne: return Val::boolean(!equal(a, b));
      default: break;
    }
    if (a.k == Val::K::Num && b.k == Val::K::Num) {
      switch (op) {
        case Expr::Op::Lt: return Val::boolean(a.n < b.n);
        case Expr::Op::Le: return Val::boolean(a.n <= b.n);
        case Expr::Op::Gt: return Val::boolean(a.n > b.n);
        default: return Val::boolean(a.n >= b.n);
      }
    }
    if (a.k == Val::K::Str && b.k == Val::K::Str) {
      switch (op) {
        case Expr::Op::Lt: return Val::boolean(a.s < b.s);
        case Expr::Op::Le: return Val::boolean(a.s <= b.s);
        case Expr::Op::Gt: return Val::boolean(a.s > b.s);
        default: return Val::boolean(a.s >= b.s);
      }
    }
    return Val::boolean(false);
  }

  Val member(const Val& a, const Val& list) {
    if (a.k == Val::K::Unknown) return a;
    if (list.k == Val::K::Unknown) return list;
    Val elems = as_seq(list);
    if (elems.k != Val::K::Seq) return Val::boolean(false);
    std::string why;
    bool unknown = false;
    for (const Val& e : *elems.items) {
      if (e.k == Val::K::Unknown) {
        unknown = true;
        why = e.reason;
        continue;
      }
      if (equal(a, e)) return Val::boolean(true);
    }
    if (unknown) return Val::unknown(why);
    return Val::boolean(false);
  }

  // Whether an aggregate over `seq` can be cached: a stable bucket and a predicate that reads
  // nothing but the elements.
  bool cacheable(const Expr& e, const Val& seq) const {
    if (seq.k != Val::K::Seq || !seq.items) return false;
    const Expr& first = *e.kids[0];
    bool stable =
        (first.op == Expr::Op::Call && (first.fn == Builtin::Resources || first.fn == Builtin::ResourcesBy)) ||
        seq.interned;
    return stable && (e.kids.size() < 2 || !e.kids[1]->reads_self);
  }

  // Evaluates an aggregate (`compute`) over the sequence of e's first argument, from the plan's
  // memo when the sequence is a stable bucket and the predicate does not read `self`.
  template <typename Compute>
  Val aggregate(const Expr& e, const Val& ctx, Compute compute) {
    Val seq = as_seq(eval(*e.kids[0], ctx));
    if (seq.k == Val::K::Unknown) return seq;
    bool cache = cacheable(e, seq);
    if (cache)
      if (Val* hit = index.aggregate(&e, seq.items.get())) return *hit;
    Val out = compute(e, seq);
    if (cache) index.remember_aggregate(&e, seq.items.get(), out);
    return out;
  }

  Val quantifier(const Expr& e, const Val& ctx) {
    return aggregate(e, ctx, [this](const Expr& x, const Val& seq) {
      std::vector<uint32_t> scratch;
      return quantify(x, seq, candidates(x, seq, scratch));
    });
  }

  // A value of the element alone: reads `.` (an attribute path such as `.a.b["k"][0]`,
  // `region(.)`, a let of `.`) and not `self`, so it is the same whoever asks.
  static bool element_key(const Expr& e) { return e.reads_context && !e.reads_self; }

  // A conjunct `K == X` of the predicate (through `and` and lets), K a value of the element
  // alone and X reading no `.`: K, with `value` set to X.
  const Expr* indexed_equality(const Expr& p, const Expr*& value, int level = 0) const {
    if (level > 32) return nullptr;
    if (p.op == Expr::Op::Let)
      return p.slot < rule.lets.size() ? indexed_equality(*rule.lets[p.slot], value, level + 1) : nullptr;
    if (p.op == Expr::Op::And) {
      for (const auto& k : p.kids)
        if (const Expr* key = indexed_equality(*k, value, level + 1)) return key;
      return nullptr;
    }
    if (p.op != Expr::Op::Eq) return nullptr;
    for (int side = 0; side < 2; ++side) {
      const Expr& key = *p.kids[side];
      const Expr& other = *p.kids[1 - side];
      if (element_key(key) && !other.reads_context) {
        value = &other;
        return &key;
      }
    }
    return nullptr;
  }

  // The conjuncts of a predicate (through `and` and lets) that do not read `self`.
  void self_free_conjuncts(const Expr& p, std::vector<const Expr*>& out, int level = 0) const {
    if (!p.reads_self) {
      out.push_back(&p);
      return;
    }
    if (level > 32) return;
    if (p.op == Expr::Op::Let) {
      if (p.slot < rule.lets.size()) self_free_conjuncts(*rule.lets[p.slot], out, level + 1);
      return;
    }
    if (p.op == Expr::Op::And)
      for (const auto& k : p.kids) self_free_conjuncts(*k, out, level + 1);
  }

  // The elements of a stable sequence the predicate can hold for: those its conjuncts that do
  // not read `self` are not false for, and when it requires `K == X` (K a value of the element
  // alone, X a plain value), of those, the ones whose K has that value or is unknown, in order.
  // Every other element makes a conjunct, and so the predicate, false (Kleene `and`). Null when
  // neither rules an element out (every element is then evaluated). The result is kept in the
  // plan's index or in `scratch`.
  const std::vector<uint32_t>* candidates(const Expr& e, const Val& seq, std::vector<uint32_t>& scratch) {
    if (e.kids.size() < 2 || seq.k != Val::K::Seq || !seq.items) return nullptr;
    const Expr& first_arg = *e.kids[0];
    if (first_arg.op != Expr::Op::Call || (first_arg.fn != Builtin::Resources && first_arg.fn != Builtin::ResourcesBy))
      return nullptr;
    const Expr& predicate = *e.kids[1];
    // A predicate that does not read `self` is worked out once per sequence (aggregate()).
    if (!predicate.reads_self) return nullptr;
    const auto& items = *seq.items;
    PlanIndex::Narrowing& narrow = index.narrowing(&items, &predicate);
    if (!narrow.viable_built) {
      narrow.viable_built = true;
      std::vector<const Expr*> conjuncts;
      self_free_conjuncts(predicate, conjuncts);
      for (uint32_t i = 0; i < items.size() && !conjuncts.empty(); ++i) {
        bool ruled_out = false;
        for (const Expr* c : conjuncts) {
          std::string r;
          if (tri(eval(*c, items[i]), r) == Tri::F) {
            ruled_out = true;
            break;
          }
        }
        if (!ruled_out) narrow.viable.push_back(i);
      }
      narrow.all_viable = conjuncts.empty() || narrow.viable.size() == items.size();
      if (narrow.all_viable) narrow.viable = {};
    }
    const Expr* value = nullptr;
    const Expr* key = indexed_equality(predicate, value);
    Val x;
    if (key) x = eval(*value, self_val);  // reads no `.`: the same for every element
    if (!key || (x.k != Val::K::Str && x.k != Val::K::Num && x.k != Val::K::Bool))
      return narrow.all_viable ? nullptr : &narrow.viable;
    if (!narrow.keys_built) {
      narrow.keys_built = true;
      auto add = [&](uint32_t i) {
        Val v = eval(*key, items[i]);
        if (v.k == Val::K::Unknown)
          narrow.unknown.push_back(i);
        else if (v.k == Val::K::Str || v.k == Val::K::Num || v.k == Val::K::Bool)
          narrow.by_key[key_of(v)].push_back(i);
      };
      if (narrow.all_viable)
        for (uint32_t i = 0; i < items.size(); ++i) add(i);
      else
        for (uint32_t i : narrow.viable) add(i);
    }
    auto hit = narrow.by_key.find(key_of(x));
    if (hit == narrow.by_key.end()) return &narrow.unknown;
    if (narrow.unknown.empty()) return &hit->second;
    scratch.resize(hit->second.size() + narrow.unknown.size());
    std::merge(hit->second.begin(), hit->second.end(), narrow.unknown.begin(), narrow.unknown.end(), scratch.begin());
    return &scratch;
  }

  // `subset`: the only elements the predicate may hold for (the others are false), or null.
  Val quantify(const Expr& e, const Val& seq, const std::vector<uint32_t>* subset = nullptr) {
    bool incomplete = seq.incomplete;
    std::string why = seq.reason;
    bool any_t = false, any_f = subset && subset->size() < seq.items->size(), any_u = false;
    std::string u_reason;
    size_t count = 0;
    size_t n = subset ? subset->size() : seq.items->size();
    for (size_t at = 0; at < n; ++at) {
      const Val& el = (*seq.items)[subset ? (*subset)[at] : at];
      Tri t = Tri::T;
      std::string r;
      if (e.kids.size() > 1) t = tri(eval(*e.kids[1], el), r);
      else if (e.fn != Builtin::Count && el.k == Val::K::Unknown) {
        t = Tri::T;  // an unknown element still exists
      }
      if (t == Tri::T) {
        any_t = true;
        ++count;
        if (e.fn == Builtin::Any || e.fn == Builtin::None) break;  // decided, whatever follows
      } else if (t == Tri::F) {
        any_f = true;
        if (e.fn == Builtin::All) break;
      } else {
        any_u = true;
        if (u_reason.empty()) u_reason = r;
      }
    }
    std::string reason = !u_reason.empty() ? u_reason : why;
    switch (e.fn) {
      case Builtin::All:
        if (any_f) return Val::boolean(false);
        if (any_u || incomplete) return Val::unknown(reason);
        return Val::boolean(true);
      case Builtin::Any:
        if (any_t) return Val::boolean(true);
        if (any_u || incomplete) return Val::unknown(reason);
        return Val::boolean(false);
      case Builtin::None:
        if (any_t) return Val::boolean(false);
        if (any_u || incomplete) return Val::unknown(reason);
        return Val::boolean(true);
      default:  // Count
        if (any_u || incomplete) return Val::unknown(reason);
        return Val::number(static_cast<double>(count));
    }
  }

  // The first element for which the predicate holds. An element before it whose predicate is
  // undecided, or a sequence that may miss elements, leaves "which is first" unknown.
  Val first(const Expr& e, const Val& ctx) {
    Val seq = as_seq(eval(*e.kids[0], ctx));
    if (seq.k == Val::K::Unknown) return seq;
    std::vector<uint32_t> scratch;
    const std::vector<uint32_t>* subset = candidates(e, seq, scratch);
    size_t n = subset ? subset->size() : seq.items->size();
    for (size_t at = 0; at < n; ++at) {
      const Val& el = (*seq.items)[subset ? (*subset)[at] : at];
      std::string r;
      Tri t = tri(eval(*e.kids[1], el), r);
      if (t == Tri::T) return el;
      if (t == Tri::U) return Val::unknown(r);
    }
    if (seq.incomplete) return Val::unknown(seq.reason);
    return Val{};
  }

  Val count_distinct(const Expr& e, const Val& ctx) {
    return aggregate(e, ctx, [this](const Expr& x, const Val& seq) { return distinct(x, seq); });
  }

  Val distinct(const Expr& e, const Val& seq) {
    std::set<std::string> seen;
    for (const Val& el : *seq.items) {
      Val v = eval(*e.kids[1], el);
      if (v.k == Val::K::Unknown) return v;
      seen.insert(key_of(v) + (v.k == Val::K::Resource ? std::to_string(v.origin->ordinal) : ""));
    }
    if (seq.incomplete) return Val::unknown(seq.reason);
    return Val::number(static_cast<double>(seen.size()));
  }

  // Whether the configuration sets the value at `v`'s path (it decides "the provider chooses it").
  Val configured(const Val& v) {
    if (v.origin && !v.before_side && index.plan().has_configuration && v.origin->config) {
      std::vector<PathStep> steps = path_steps(v.path);
      Node expr = index.resolver().attribute_expression(*v.origin, steps);
      if (expr.present) {
        Node c = expr["constant_value"];
        if (c.present && c.is_null()) return Val::boolean(false);
        // An expression whose references all end in null (a module variable left to its `default =
        // null`, a root variable set to null) sets nothing: null is "not set" to Terraform.
        if (expr["references"].present) {
          Resolution res;
          index.resolver().resolve(expr, *v.origin->config->module, v.origin->module_address, "", res, v.origin);
          bool all_null =
              res.unresolved.empty() && res.targets.empty() && !res.constants.empty() &&
              std::all_of(res.constants.begin(), res.constants.end(), [](const Node& n) { return n.is_null(); });
          if (all_null) return Val::boolean(false);
        }
        return Val::boolean(true);
      }
      // A block made by `dynamic` leaves no expression, but Terraform writes its content in
      // `after`. On a create, a block attribute the configuration does not set is unknown
      // (computed) or empty, so a known, non-empty list of blocks there came from it, and so did
      // the values inside it: those decide, as without a configuration.
      // On an update, Terraform keeps the prior value of a computed block the configuration does
      // not set (security group rules managed as separate resources): such a list may come from
      // a `dynamic` block or not, and the plan does not say which.
      if (!unexpressed_blocks(*v.origin, steps)) return Val::boolean(false);
      if (!creates(*v.origin))
        return Val::unknown("`" + std::string(steps[0].key) + "` of `" + std::string(v.origin->address) +
                            "` has no expression in the configuration, and on an update Terraform keeps the prior " +
                            "value of a block the configuration does not set: the plan does not show whether a " +
                            "`dynamic` block makes it");
    }
    // No configuration to look at: what the value says.
    if (v.k == Val::K::Unknown) return v;
    return Val::boolean(v.k != Val::K::Absent && v.k != Val::K::Null);
  }

  Val call(const Expr& e, const Val& ctx) {
    switch (e.fn) {
      case Builtin::All:
      case Builtin::Any:
      case Builtin::None:
      case Builtin::Count: return quantifier(e, ctx);
      case Builtin::CountDistinct: return count_distinct(e, ctx);
      case Builtin::Present: {
        Val v = eval(*e.kids[0], ctx);
        if (v.k == Val::K::Absent || v.k == Val::K::Null) return Val::boolean(false);
        if (v.k != Val::K::Unknown) return Val::boolean(true);
        Val c = configured(v);
        if (c.is_true()) return Val::boolean(true);
        if (c.k == Val::K::Bool)
          return Val::unknown(v.reason + " and is not set in the configuration (the provider chooses it)");
        return v;
      }
      case Builtin::Configured: return configured(eval(*e.kids[0], ctx));
      case Builtin::IsUnknown: return Val::boolean(eval(*e.kids[0], ctx).k == Val::K::Unknown);
      case Builtin::IsNull: return Val::boolean(eval(*e.kids[0], ctx).k == Val::K::Null);
      case Builtin::IsAbsent: return Val::boolean(eval(*e.kids[0], ctx).k == Val::K::Absent);
      case Builtin::IsSensitive: return Val::boolean(eval(*e.kids[0], ctx).sensitive);
      case Builtin::Refs:
      case Builtin::ManagedRefs: {
        Val v = eval(*e.kids[0], ctx);
        std::vector<std::string> types;
        if (e.kids.size() > 1) {
          const Literal& l = e.kids[1]->lit;
          if (l.kind == Literal::Kind::String) types.push_back(l.s);
          else
            for (const auto& i : l.items) types.push_back(i.s);
        }
        return e.fn == Builtin::ManagedRefs ? index.managed_refs(v, types) : index.refs(v, types);
      }
      case Builtin::Referrers: {
        const Resource* target = ctx.k == Val::K::Resource ? ctx.origin : nullptr;
        if (!target) return Val::unknown("referrers() is used where the current value is not a resource");
        return index.referrers(*target, e.kids[0]->lit.s, e.kids[1]->lit.s);
      }
      case Builtin::Resources: return index.resources_of(e.kids[0]->lit.s);
      case Builtin::ResourcesBy: return index.resources_by(e.kids[0]->lit.s, e.kids[1]->lit.s, eval(*e.kids[2], ctx));
      case Builtin::Region: {
        Val r = eval(*e.kids[0], ctx);
        if (r.k != Val::K::Resource) {
          if (r.k == Val::K::Unknown) return r;
          return Val::unknown("region() is given something that is not a resource");
        }
        const RegionInfo& info = index.resolver().region_of(*r.origin);
        if (!info.known) return Val::unknown(info.reason);
        Val s;
        s.k = Val::K::Str;
        s.s = info.region;
        s.sensitive = info.sensitive;
        return s;
      }
      case Builtin::TypeOf: {
        Val r = eval(*e.kids[0], ctx);
        if (r.k != Val::K::Resource) {
          if (r.k == Val::K::Unknown) return r;
          return Val::unknown("type_of() is given something that is not a resource");
        }
        Val s;
        s.k = Val::K::Str;
        s.s = r.origin->type;
        return s;
      }
      case Builtin::ArnRegion: {
        Val v = eval(*e.kids[0], ctx);
        if (v.k == Val::K::Unknown) return v;
        if (v.k != Val::K::Str) return Val::unknown("arn_region() is given a value that is not a string");
        auto reg = arn_region(v.s);
        // The reason names the value, never shows it: it may be a secret.
        if (!reg)
          return Val::unknown(v.origin ? "`" + path_text(v.path) + "` of `" + std::string(v.origin->address) +
                                             "` is not an ARN"
                                       : std::string("the value given to arn_region() is not an ARN"));
        Val s;
        s.k = Val::K::Str;
        s.s = *reg;
        s.owned = v.owned;
        s.sensitive = v.sensitive;
        return s;
      }
      case Builtin::ActionOf: {
        Val s;
        s.k = Val::K::Str;
        s.s = action_name(self.action);
        return s;
      }
      case Builtin::Json: return index.decode_json(eval(*e.kids[0], ctx));
      case Builtin::Len: {
        Val v = eval(*e.kids[0], ctx);
        if (v.k == Val::K::Unknown) return v;
        if (v.k == Val::K::Str) return Val::number(static_cast<double>(v.s.size()));
        if ((v.k == Val::K::List || v.k == Val::K::Object) && v.json.present) return Val::number(static_cast<double>(v.json.size()));
        if (v.items) return Val::number(static_cast<double>(v.items->size()));
        return Val::number(0);
      }
      case Builtin::Lower:
      case Builtin::Upper: {
        Val v = eval(*e.kids[0], ctx);
        if (v.k != Val::K::Str) return v;
        std::string s(v.s);
        for (char& c : s) c = static_cast<char>(e.fn == Builtin::Lower ? std::tolower(static_cast<unsigned char>(c))
                                                                       : std::toupper(static_cast<unsigned char>(c)));
        Val out = Val::string(std::move(s));
        out.sensitive = v.sensitive;
        return out;
      }
      case Builtin::Unknown: return Val::unknown(e.kids[0]->lit.s);
      case Builtin::First:
        return first(e, ctx);
      case Builtin::At: {
        Val where = eval(*e.kids[0], ctx);
        Val v = eval(*e.kids[1], ctx);
        // A resource or a sequence is shown as its rendering: it cannot take another origin.
        if (v.k == Val::K::Resource || v.k == Val::K::Seq) {
          Val shown = Val::string(render_value(v, std::string::npos));
          shown.sensitive = v.sensitive;
          v = std::move(shown);
        }
        v.origin = where.origin;
        v.path = where.path;
        v.before_side = where.before_side;
        return v;
      }
      case Builtin::Concat: {
        std::string out;
        bool sensitive = false;
        for (const auto& k : e.kids) {
          Val v = eval(*k, ctx);
          if (v.k == Val::K::Unknown) return v;
          sensitive |= v.sensitive;
          out += v.k == Val::K::Str ? std::string(v.s) : render_value(v, std::string::npos);
        }
        Val s = Val::string(std::move(out));
        s.sensitive = sensitive;
        return s;
      }
      case Builtin::If: {
        std::string r;
        Tri c = tri(eval(*e.kids[0], ctx), r);
        if (c == Tri::T) return eval(*e.kids[1], ctx);
        if (c == Tri::F) return eval(*e.kids[2], ctx);
        Val a = eval(*e.kids[1], ctx), b = eval(*e.kids[2], ctx);
        if (a.k == Val::K::Bool && b.k == Val::K::Bool && a.b == b.b) return a;
        return Val::unknown(r);
      }
    }
    return Val::unknown("unsupported function");
  }

  Val eval(const Expr& e, const Val& ctx) {
    ++thread_steps;
    if (++depth > 200) {
      --depth;
      return Val::unknown("the condition nests too deeply");
    }
    Val out = eval_inner(e, ctx);
    --depth;
    return out;
  }

  Val eval_inner(const Expr& e, const Val& ctx) {
    switch (e.op) {
      case Expr::Op::Literal: return literal(e.lit);
      case Expr::Op::Self: return self_val;
      case Expr::Op::Context: return ctx;
      case Expr::Op::Before: {
        Val v;
        if (!self.before.present) {
          v.k = Val::K::Absent;
          return v;
        }
        v.k = Val::K::Object;
        v.json = self.before;
        v.sens = self.before_sensitive;
        v.sensitive = v.sens.is_true();
        v.origin = &self;
        v.before_side = true;
        return v;
      }
      case Expr::Op::Param: {
        auto it = rule.params.find(e.text);
        if (it == rule.params.end()) return Val::unknown("parameter `" + e.text + "` has no value");
        return literal(it->second);
      }
      case Expr::Op::Let: {
        // A let that does not read `self` depends only on `.`: one value per resource.
        bool memoizable = ctx.k == Val::K::Resource && e.slot < rule.let_uses_self.size() && !rule.let_uses_self[e.slot];
        if (memoizable)
          if (Val* hit = index.memo(&rule, e.slot, ctx.origin->ordinal)) return *hit;
        if (e.slot < rule.let_memo.size() && rule.let_memo[e.slot] != Rule::LetMemo::None)
          return per_self_let(e.slot, ctx);
        Val v = eval(*rule.lets[e.slot], ctx);
        if (memoizable) index.remember(&rule, e.slot, ctx.origin->ordinal, v);
        return v;
      }
      case Expr::Op::Attr: return get_attr(eval(*e.kids[0], ctx), e.text);
      case Expr::Op::Index: return get_index(eval(*e.kids[0], ctx), e.index);
      case Expr::Op::Key: return get_attr(eval(*e.kids[0], ctx), e.text);
      case Expr::Op::Splat: return splat(eval(*e.kids[0], ctx));
      case Expr::Op::Call: return call(e, ctx);
      case Expr::Op::Not: {
        Val v = eval(*e.kids[0], ctx);
        std::string r;
        Tri t = tri(v, r);
        if (t == Tri::U) return v;
        return Val::boolean(t == Tri::F);
      }
      case Expr::Op::And:
      case Expr::Op::Or: {
        bool is_and = e.op == Expr::Op::And;
        std::string r1, r2;
        Tri a = tri(eval(*e.kids[0], ctx), r1);
        if (is_and && a == Tri::F) return Val::boolean(false);
        if (!is_and && a == Tri::T) return Val::boolean(true);
        Tri b = tri(eval(*e.kids[1], ctx), r2);
        if (is_and && b == Tri::F) return Val::boolean(false);
        if (!is_and && b == Tri::T) return Val::boolean(true);
        if (a == Tri::U) return Val::unknown(r1);
        if (b == Tri::U) return Val::unknown(r2);
        return Val::boolean(is_and);
      }
      case Expr::Op::Eq: case Expr::Op::Ne: case Expr::Op::Lt: case Expr::Op::Le: case Expr::Op::Gt: case Expr::Op::Ge:
        return compare(e.op, eval(*e.kids[0], ctx), eval(*e.kids[1], ctx));
      case Expr::Op::In: return member(eval(*e.kids[0], ctx), eval(*e.kids[1], ctx));
      case Expr::Op::Matches: {
        Val v = eval(*e.kids[0], ctx);
        if (v.k == Val::K::Unknown) return v;
        if (v.k != Val::K::Str || !e.re) return Val::boolean(false);
        return Val::boolean(RE2::PartialMatch(re2::StringPiece(v.s.data(), v.s.size()), *e.re));
      }
    }
    return Val::unknown("unsupported expression");
  }
};

}  // namespace

Val eval_path(const Expr& path, const Val& root) {
  switch (path.op) {
    case Expr::Op::Context:
    case Expr::Op::Self: return root;
    case Expr::Op::Attr:
    case Expr::Op::Key: return get_attr(eval_path(*path.kids[0], root), path.text);
    case Expr::Op::Index: return get_index(eval_path(*path.kids[0], root), path.index);
    case Expr::Op::Splat: return splat(eval_path(*path.kids[0], root));
    default: return Val::unknown("not a path");
  }
}

std::string render_message(const Rule& rule, const Resource& self, PlanIndex& index, const Evidence& shown) {
  std::string out;
  const std::string& m = rule.message;
  for (size_t i = 0; i < m.size(); ++i) {
    if (m[i] != '{') {
      out.push_back(m[i]);
      continue;
    }
    size_t end = m.find('}', i);
    std::string ph = m.substr(i + 1, end - i - 1);
    if (ph == "address") out += self.address;
    else if (ph == "type") out += self.type;
    else if (ph == "name") out += self.name;
    else if (ph == "path")
      out += shown.path;
    else if (ph == "value")
      out += shown.value;
    else if (ph.rfind('$', 0) == 0) {
      auto slot = static_cast<size_t>(std::find(rule.let_names.begin(), rule.let_names.end(), ph.substr(1)) -
                                      rule.let_names.begin());
      if (slot < shown.lets.size()) out += shown.lets[slot];
    } else if (ph == "action")
      out += action_name(self.action);
    else if (ph == "region") {
      const RegionInfo& r = index.resolver().region_of(self);
      out += r.known ? r.printable() : "(unknown region)";
    } else if (ph.rfind("params.", 0) == 0) {
      auto it = rule.params.find(ph.substr(7));
      if (it != rule.params.end())
        out += it->second.kind == Literal::Kind::String ? it->second.s : it->second.to_text();
    }
    i = end;
  }
  return out;
}

namespace {

constexpr size_t kShownLength = 120;
// Longest rendering redacted before it is shortened (a longer one is cut first).
constexpr size_t kRedactedLength = size_t{1} << 20;

}  // namespace

std::string finding_value(const Rule& rule, const Val& v) {
  if (v.sensitive) return "(sensitive)";
  bool content =
      v.k == Val::K::Str || v.k == Val::K::Num || v.k == Val::K::List || v.k == Val::K::Object || v.k == Val::K::Seq;
  if (!content) return render_value(v, kShownLength);
  // Redacted in full, then shortened: a secret cut in two would escape the detector.
  std::string full = render_value(v, kRedactedLength);
  if (rule.secret) return shorten(secret_value(full, rule.secret_names.get()), kShownLength);
  return shorten(redact_value(full), kShownLength);
}

Verdict evaluate_rule(const Rule& rule, const Resource& self, PlanIndex& index) {
  Evaluator ev{rule, self, index, Val::resource(self)};
  Verdict v;
  std::string where_reason;
  bool where_unknown = false;
  if (rule.where) {
    std::string r;
    Tri w = ev.tri(ev.eval(*rule.where, ev.self_val), r);
    if (w == Tri::F) {
      v.outcome = Outcome::NotInScope;
      return v;
    }
    if (w == Tri::U) {
      where_unknown = true;
      where_reason = r;
    }
  }
  std::string r;
  Tri a = ev.tri(ev.eval(*rule.assertion, ev.self_val), r);
  if (a == Tri::T) {
    v.outcome = Outcome::Pass;
    return v;
  }
  if (a == Tri::F && !where_unknown) v.outcome = Outcome::Fail;
  else {
    v.outcome = Outcome::Undecided;
    v.reason = where_unknown ? where_reason : r;
    if (v.reason.empty()) v.reason = "a value the rule needs is not known";
  }
  Evidence shown;
  shown.path = rule.path;
  if (rule.evidence) {
    Val e = ev.eval(*rule.evidence, ev.self_val);
    // A value computed by the rule (a string, a count) has no place: the rule's path names it.
    if (e.origin == &self && e.path) shown.path = path_text(e.path);
    shown.value = finding_value(rule, e);
  } else if (rule.path_expr) {
    shown.value = finding_value(rule, eval_path(*rule.path_expr, ev.self_val));
  }
  shown.lets.resize(rule.lets.size());
  for (uint32_t slot : rule.message_lets) {
    Expr let;
    let.op = Expr::Op::Let;
    let.slot = slot;
    shown.lets[slot] = finding_value(rule, ev.eval(let, ev.self_val));
  }
  v.path = shown.path;
  v.value = shown.value;
  v.message = redact_text(render_message(rule, self, index, shown));
  v.reason = redact_text(v.reason);
  return v;
}

}  // namespace tfwarden
