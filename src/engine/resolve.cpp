#include "engine/resolve.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "plan/address.h"

namespace tfwarden {

namespace {

constexpr int kMaxDepth = 32;
constexpr int kBudget = 20000;

bool is_expression(const Node& n) {
  return n.is_object() && (n["constant_value"].present || n["references"].present || n.size() == 0);
}

// Parent module instance address: `module.a["x"].module.b` -> `module.a["x"]`.
std::optional<std::string> parent_address(const std::optional<std::string>& a) {
  if (!a) return std::nullopt;
  auto steps = split_traversal(*a);
  if (!steps || steps->size() < 2) return std::string();
  std::string out;
  for (size_t i = 0; i + 2 < steps->size(); ++i) {
    if (!out.empty()) out += ".";
    out += (*steps)[i].name;
    if ((*steps)[i].has_key) out += "[" + (*steps)[i].key + "]";
  }
  return out;
}

}  // namespace

std::optional<std::string_view> arn_region(std::string_view s) {
  if (s.substr(0, 4) != "arn:") return std::nullopt;
  size_t p1 = s.find(':', 4);  // after partition
  if (p1 == std::string_view::npos) return std::nullopt;
  size_t p2 = s.find(':', p1 + 1);  // after service
  if (p2 == std::string_view::npos) return std::nullopt;
  size_t p3 = s.find(':', p2 + 1);  // after region
  if (p3 == std::string_view::npos) return std::nullopt;
  return s.substr(p2 + 1, p3 - p2 - 1);
}

Resolver::Resolver(const Plan& plan, std::string default_region, std::shared_ptr<KnownValueIndex> values)
    : plan_(plan),
      default_region_(std::move(default_region)),
      regions_(plan.resources.size()),
      values_(values ? std::move(values) : std::make_shared<KnownValueIndex>()) {}

Node Resolver::attribute_expression(const Resource& r, const std::vector<PathStep>& path) const {
  if (!r.config) return {};
  Node n = r.config->expressions;
  bool top = true;  // the resource's own map of expressions, even when empty, is not an expression
  for (const auto& step : path) {
    if (!n.present) return {};
    if (!top && is_expression(n)) return n;  // the attribute's expression covers the rest of the path
    top = false;
    if (step.index >= 0) {
      if (!n.is_array()) return n.is_object() ? n : Node();
      if (static_cast<size_t>(step.index) < n.size()) n = n.at(static_cast<size_t>(step.index));
      else if (n.size() == 1) n = n.at(0);
      else return {};
    } else {
      if (n.is_array()) {
        // A block given once in configuration and navigated without an index.
        if (n.size() != 1) return {};
        n = n.at(0);
      }
      n = n[step.key];
    }
  }
  return n;
}

void Resolver::resolve(const Node& expr, const ConfigModule& module, const std::optional<std::string>& address,
                       const std::string& what, Resolution& out, const Resource* referrer) const {
  int budget = kBudget;
  size_t first = out.unresolved.size();
  std::optional<EachScope> each = referrer ? resource_scope(*referrer) : std::nullopt;
  resolve_at(expr, module, address, referrer, each ? &*each : nullptr, out, 0, budget);
  for (size_t i = first; i < out.unresolved.size(); ++i) out.unresolved[i].insert(0, what);
}

namespace {

// Drops repeated targets, constants and reasons, keeping the first of each: a node reached
// along two paths of a diamond appears once in what its users merge.
void dedupe(Resolution& r) {
  std::set<const Resource*> targets;
  r.targets.erase(
      std::remove_if(r.targets.begin(), r.targets.end(), [&](const Resource* t) { return !targets.insert(t).second; }),
      r.targets.end());
  std::set<std::string> constants;
  r.constants.erase(std::remove_if(r.constants.begin(), r.constants.end(),
                                   [&](const Node& c) { return !constants.insert(to_json(c)).second; }),
                    r.constants.end());
  std::set<std::string> reasons;
  r.unresolved.erase(std::remove_if(r.unresolved.begin(), r.unresolved.end(),
                                    [&](const std::string& u) { return !reasons.insert(u).second; }),
                     r.unresolved.end());
}

void append(Resolution& out, const Resolution& r) {
  out.targets.insert(out.targets.end(), r.targets.begin(), r.targets.end());
  out.constants.insert(out.constants.end(), r.constants.begin(), r.constants.end());
  out.unresolved.insert(out.unresolved.end(), r.unresolved.begin(), r.unresolved.end());
  out.sensitive |= r.sensitive;
  out.limited |= r.limited;
  out.exhausted |= r.exhausted;
}

bool declared_sensitive(const ConfigModule& module, std::string_view variable) {
  auto it = module.variables.find(variable);
  return it != module.variables.end() && it->second["sensitive"].is_true();
}

std::string memo_key(char kind, const ConfigModule& module, const std::optional<std::string>& address,
                     std::string_view name) {
  std::string key(1, kind);
  key.append(module.path).push_back('\0');
  key.append(address ? "=" + *address : "*").push_back('\0');
  key.append(name);
  return key;
}

}  // namespace

template <typename Compute>
void Resolver::memoised(const std::string& key, int depth, Resolution& out, Compute compute) const {
  ++thread_steps;
  if (active_.count(key)) {
    out.unresolved.push_back(" is reached through a cycle of references between modules");
    return;
  }
  auto reuse = [&](const Memo& m) {
    deepest_ = std::max(deepest_, depth + m.height);
    append(out, m.res);
  };
  // A complete result holds where its references stay within the depth limit from here.
  if (auto it = memo_.find(key); it != memo_.end() && depth + it->second.height <= kMaxDepth) {
    reuse(it->second);
    return;
  }
  std::string at_depth = key + '\0' + std::to_string(depth);
  if (auto it = memo_.find(at_depth); it != memo_.end()) {
    reuse(it->second);
    return;
  }
  active_.insert(key);
  int outer_deepest = deepest_;
  deepest_ = depth;
  Resolution sub;
  compute(sub);
  dedupe(sub);
  Memo m{{}, deepest_ - depth};
  deepest_ = std::max(outer_deepest, deepest_);
  active_.erase(key);
  append(out, sub);
  if (sub.exhausted) return;
  bool limited = sub.limited;
  m.res = std::move(sub);
  memo_[limited ? at_depth : key] = std::move(m);
}

bool Resolver::same_keys(const Resource& referrer, const std::vector<uint32_t>& targets) const {
  const std::vector<uint32_t>* own = plan_.instances_in(referrer.module_address, referrer.block_key());
  if (!own) return false;
  auto [it, inserted] = same_keys_.try_emplace({own, &targets}, false);
  if (!inserted) return it->second;
  std::set<std::string_view> keys;
  for (uint32_t i : targets) {
    ++thread_steps;
    if (!plan_.resources[i].deposed) keys.insert(plan_.resources[i].index);
  }
  size_t matched = 0;
  bool same = true;
  for (uint32_t i : *own) {
    ++thread_steps;
    const Resource& r = plan_.resources[i];
    if (r.deposed) continue;
    if (!keys.count(r.index)) same = false;
    ++matched;
  }
  it->second = same && matched == keys.size();
  return it->second;
}

void Resolver::resolve_at(const Node& expr, const ConfigModule& module, const std::optional<std::string>& address,
                          const Resource* referrer, const EachScope* each, Resolution& out, int depth,
                          int& budget) const {
  if (!expr.present) return;
  ++thread_steps;
  deepest_ = std::max(deepest_, depth);
  if (depth > kMaxDepth) {
    out.limited = true;
    out.unresolved.push_back(" is reached through a chain of references deeper than " + std::to_string(kMaxDepth) +
                             " steps");
    return;
  }
  if (--budget < 0) {
    out.exhausted = true;
    out.unresolved.push_back(" is reached through more than " + std::to_string(kBudget) +
                             " references, more than tfwarden follows");
    return;
  }
  if (expr.is_array()) {  // a repeated block: every instance counts
    simdjson::dom::array items = expr.array();
    for (simdjson::dom::element e : items) resolve_at(Node(e), module, address, referrer, each, out, depth, budget);
    return;
  }
  if (!expr.is_object()) return;
  if (Node c = expr["constant_value"]; c.present) {
    out.constants.push_back(c);
    return;
  }
  Node refs = expr["references"];
  if (!refs.present) {
    // A nested block: resolve each of its attributes.
    if (!is_expression(expr))
      for (auto [k, v] : expr.object()) {
        (void)k;
        resolve_at(Node(v), module, address, referrer, each, out, depth, budget);
      }
    return;
  }
  if (!refs.is_array()) return;
  // Terraform lists a reference together with its prefixes (`a.b.arn`, `a.b`); keep the longest
  // of each, so an indexed reference (`a.b[0]`) is not widened by its bare prefix.
  std::vector<std::string_view> all;
  simdjson::dom::array ref_items = refs.array();
  for (simdjson::dom::element e : ref_items)
    if (e.is_string()) all.push_back(Node(e).str());
  // `x.y[count.index]` is recorded as `x.y` beside `count.index` (or `each.key`): the referrer's
  // index key selects the instance.
  const Resource* self = nullptr;
  if (referrer && !referrer->index.empty() &&
      std::any_of(all.begin(), all.end(), [](std::string_view r) { return r == "count.index" || r == "each.key"; }))
    self = referrer;
  bool narrowed = false;
  std::optional<size_t> each_key_reason;
  size_t first_target = out.targets.size(), first_constant = out.constants.size();
  std::string condition;  // the first reference whose value is true or false
  for (size_t i = 0; i < all.size(); ++i) {
    std::string_view r = all[i];
    bool is_prefix = false;
    for (size_t j = 0; j < all.size() && !is_prefix; ++j) {
      std::string_view o = all[j];
      if (j != i && o.size() > r.size() && o.substr(0, r.size()) == r && (o[r.size()] == '.' || o[r.size()] == '['))
        is_prefix = true;
    }
    if (is_prefix) continue;
    size_t reasons_before = out.unresolved.size(), constants_before = out.constants.size();
    narrowed |= resolve_reference(r, module, address, self, each, out, depth, budget);
    if (r == "each.key" && !each_key_reason && out.unresolved.size() > reasons_before) each_key_reason = reasons_before;
    for (size_t k = constants_before; k < out.constants.size() && condition.empty(); ++k)
      if (out.constants[k].is_bool())
        condition = "`" + std::string(r) + "` is " + (out.constants[k].is_true() ? "true" : "false");
  }
  // each.key only picked the instance: nothing about it is left unresolved.
  if (narrowed && each_key_reason && *each_key_reason < out.unresolved.size())
    out.unresolved.erase(out.unresolved.begin() + static_cast<std::ptrdiff_t>(*each_key_reason));
  // A true or false value beside resources or other values is most likely the condition of
  // `c ? a : b`: Terraform records the references of both branches and not which one the value
  // is, so neither branch may be taken for it (`c ? aws_kms_key.x.arn : null` with c false).
  if (!condition.empty()) {
    bool other = out.targets.size() > first_target ||
                 std::any_of(out.constants.begin() + static_cast<std::ptrdiff_t>(first_constant), out.constants.end(),
                             [](const Node& c) { return !c.is_bool(); });
    if (other) {
      out.targets.resize(first_target);
      out.constants.resize(first_constant);
      out.unresolved.push_back(" depends on a condition (" + condition +
                               "): the plan JSON lists the references of every branch, not which one the value is");
    }
  }
}

std::optional<EachScope> Resolver::resource_scope(const Resource& r) const {
  if (!r.config || !r.config->for_each.present || r.index.empty() || r.config->module == nullptr) return std::nullopt;
  EachScope scope;
  scope.for_each = r.config->for_each;
  scope.module = r.config->module;
  scope.address = r.module_address;
  scope.key = r.index;
  if (const std::vector<uint32_t>* inst = plan_.instances_in(r.module_address, r.block_key()))
    for (uint32_t i : *inst)
      if (!plan_.resources[i].deposed) scope.keys.push_back(plan_.resources[i].index);
  return scope;
}

std::optional<EachScope> Resolver::call_scope(const ConfigModule& module,
                                              const std::optional<std::string>& address) const {
  if (!module.call_for_each.present || module.parent == nullptr || !address) return std::nullopt;
  auto steps = split_traversal(*address);
  if (!steps || steps->empty() || !steps->back().has_key || steps->back().name != module.call_name) return std::nullopt;
  EachScope scope;
  scope.for_each = module.call_for_each;
  scope.module = module.parent;
  scope.address = parent_address(address);
  scope.key = steps->back().key;
  scope.keys = call_keys(*scope.address, module.call_name);
  return scope;
}

const std::vector<std::string>& Resolver::call_keys(const std::string& parent, std::string_view call) const {
  auto [it, inserted] = call_keys_.try_emplace({parent, std::string(call)});
  if (!inserted) return it->second;
  // The call's instances are the module instances the plan's resources are in. Those are
  // sorted once, so each call reads only the instances under it: a plan of many module
  // instances costs each one once per call above it, not once per call.
  if (module_instances_.empty()) {
    std::set<std::string_view> seen;
    for (const Resource& r : plan_.resources)
      if (!r.module_address.empty()) seen.insert(r.module_address);
    module_instances_.assign(seen.begin(), seen.end());
  }
  std::string prefix = (parent.empty() ? "" : parent + ".") + "module." + std::string(call) + "[";
  auto parent_steps = split_traversal(parent);
  size_t at = parent.empty() || !parent_steps ? 1 : parent_steps->size() + 1;
  std::set<std::string> keys;
  for (auto m = std::lower_bound(module_instances_.begin(), module_instances_.end(), std::string_view(prefix));
       m != module_instances_.end() && m->compare(0, prefix.size(), prefix) == 0; ++m) {
    ++thread_steps;
    auto own = split_traversal(*m);
    if (own && own->size() > at && (*own)[at].has_key) keys.insert((*own)[at].key);
  }
  it->second.assign(keys.begin(), keys.end());
  return it->second;
}

void Resolver::resolve_each_value(std::string_view ref, const std::vector<TraversalStep>& steps, const EachScope& each,
                                  Resolution& out, int depth, int& budget) const {
  std::string subject = " comes from `" + std::string(ref) + "`";
  std::set<std::string> keys(each.keys.begin(), each.keys.end());
  // `for_each = module.x` (a module called with for_each): each.value is the instance of x with
  // this key, and `each.value.out` its output.
  if (Node refs = each.for_each["references"]; refs.is_array() && refs.size() == 1 && steps.size() >= 3) {
    auto fe_steps = split_traversal(Node(refs.at(0)).str());
    if (fe_steps && fe_steps->size() == 2 && (*fe_steps)[0].name == "module" && !(*fe_steps)[1].has_key) {
      const std::string& call = (*fe_steps)[1].name;
      auto it = each.module->calls.find(call);
      if (it != each.module->calls.end() && it->second->call_for_each.present && each.address &&
          call_keys(*each.address, call) == std::vector<std::string>(keys.begin(), keys.end())) {
        std::string target = "module." + call + "[" + each.key + "]";
        for (size_t i = 2; i < steps.size(); ++i) {
          target += "." + steps[i].name;
          if (steps[i].has_key) target += "[" + steps[i].key + "]";
        }
        resolve_reference(target, *each.module, each.address, nullptr, nullptr, out, depth + 1, budget);
        return;
      }
    }
  }
  Resolution fe;
  resolve_at(each.for_each, *each.module, each.address, nullptr, nullptr, fe, depth + 1, budget);
  out.limited |= fe.limited;
  out.exhausted |= fe.exhausted;
  if (!fe.unresolved.empty()) {
    out.unresolved.push_back(subject + ", whose for_each expression" + fe.unresolved.front());
    return;
  }
  dedupe(fe);
  // A map or a set of strings (a variable, a literal, `toset(var.x)`): the element whose key is
  // the instance's. Its keys must be the instances' keys, or the expression made another value
  // of it (a `for` that filters or renames), which the plan JSON does not show.
  if (fe.targets.empty() && fe.constants.size() == 1) {
    Node v = fe.constants.front();
    Node picked;
    std::set<std::string> value_keys;
    bool readable = v.is_object() || v.is_array();
    // A map's keys, or a set's members (each its own key).
    auto key_of = [&](std::string_view key, Node element) {
      std::string repr = index_key_repr(key, true);
      if (repr == each.key) picked = element;
      value_keys.insert(std::move(repr));
    };
    if (v.is_object()) {
      for (auto [k, e] : v.object()) key_of(k, Node(e));
    } else if (v.is_array()) {
      simdjson::dom::array items = v.array();
      for (simdjson::dom::element e : items) {
        Node n(e);
        if (n.is_string())
          key_of(n.str(), n);
        else
          readable = false;
      }
    }
    if (readable && picked.present && value_keys == keys) {
      for (size_t i = 2; i < steps.size() && picked.present; ++i) {
        const TraversalStep& s = steps[i];
        picked = picked.is_object() ? picked[s.name] : Node();
        if (s.has_key && picked.present) {
          if (picked.is_object() && !s.key.empty() && s.key.front() == '"') {
            Node hit;
            for (auto [k, e] : picked.object())
              if (index_key_repr(k, true) == s.key) hit = Node(e);
            picked = hit;
          } else if (picked.is_array() && !s.key.empty() && std::isdigit(static_cast<unsigned char>(s.key.front()))) {
            size_t at = std::stoul(s.key);
            picked = at < picked.size() ? picked.at(at) : Node();
          } else {
            picked = Node();
          }
        }
      }
      if (picked.present) {
        out.constants.push_back(picked);
        out.sensitive |= fe.sensitive;
        return;
      }
      out.unresolved.push_back(subject + ", which names an attribute the for_each value does not have");
      return;
    }
  }
  // A resource or module output with for_each (`for_each = aws_subnet.private`): the instance
  // with the same key, when the targets are one block's instances with exactly these keys.
  if (fe.constants.empty() && !fe.targets.empty()) {
    const Resource* first = fe.targets.front();
    std::string block = first->block_key();
    std::set<std::string> target_keys;
    const Resource* mine = nullptr;
    bool one_block = true;
    for (const Resource* t : fe.targets) {
      if (t->module_address != first->module_address || t->block_key() != block) one_block = false;
      target_keys.insert(t->index);
      if (t->index == each.key) mine = t;
    }
    if (one_block && mine && target_keys == keys && fe.targets.size() == keys.size()) {
      out.targets.push_back(mine);
      return;
    }
  }
  out.unresolved.push_back(subject +
                           ", and tfwarden cannot tell which element of the for_each value is this instance's");
}

bool Resolver::resolve_reference(std::string_view ref, const ConfigModule& module,
                                 const std::optional<std::string>& address, const Resource* self, const EachScope* each,
                                 Resolution& out, int depth, int& budget) const {
  ++thread_steps;
  auto steps_opt = split_traversal(ref);
  if (!steps_opt) {
    out.unresolved.push_back(" has a reference tfwarden cannot read: `" + std::string(ref) + "`");
    return false;
  }
  const auto& steps = *steps_opt;
  const std::string& head = steps[0].name;
  std::string where = module.path.empty() ? "the root module" : "`" + module.path + "`";
  if (head == "local") {
    out.unresolved.push_back(" comes from `" + std::string(ref) + "` in " + where +
                             ", and locals are not in the plan JSON");
    return false;
  }
  if (head == "each") {
    bool key = steps.size() == 2 && steps[1].name == "key" && !steps[1].has_key;
    bool value = steps.size() >= 2 && steps[1].name == "value";
    if (each && key) return false;  // the instance's own key: known, and no resource
    if (each && value) {
      resolve_each_value(ref, steps, *each, out, depth, budget);
      return false;
    }
    out.unresolved.push_back(" comes from `" + std::string(ref) + "` in " + where +
                             (!each && (key || value) ? ", and tfwarden does not know which instance it is for"
                                                      : ", which tfwarden cannot read"));
    return false;
  }
  if (head == "count" || head == "path" || head == "terraform" || head == "self") {
    // Not a resource: these contribute no target. An unknown value built only from them
    // is reported by the caller.
    return false;
  }
  if (head == "var") {
    if (steps.size() < 2) return false;
    std::string_view name = steps[1].name;
    if (module.parent == nullptr) {
      Node v = plan_.variables[name]["value"];
      if (!v.present) {
        auto it = module.variables.find(name);
        if (it != module.variables.end()) v = it->second["default"];
      }
      if (v.present) {
        out.constants.push_back(v);
        out.sensitive |= declared_sensitive(module, name);
      } else
        out.unresolved.push_back(" comes from `var." + std::string(name) + "`, which has no value in the plan");
      return false;
    }
    Node arg = module.call_expressions[name];
    if (!arg.present) {
      auto it = module.variables.find(name);
      if (it != module.variables.end() && it->second["default"].present) {
        out.constants.push_back(it->second["default"]);
        out.sensitive |= declared_sensitive(module, name);
      } else {
        out.unresolved.push_back(" comes from `var." + std::string(name) + "` of `" + module.path +
                                 "`, which the module call does not set");
      }
      return false;
    }
    memoised(memo_key('v', module, address, name), depth, out, [&](Resolution& sub) {
      std::optional<EachScope> call = call_scope(module, address);
      resolve_at(arg, *module.parent, parent_address(address), nullptr, call ? &*call : nullptr, sub, depth + 1,
                 budget);
    });
    out.sensitive |= declared_sensitive(module, name);
    return false;
  }
  if (head == "module") {
    if (steps.size() < 2) return false;
    const TraversalStep& call = steps[1];
    auto it = module.calls.find(call.name);
    if (it == module.calls.end()) {
      out.unresolved.push_back(" refers to `module." + call.name + "`, which is not in the configuration of " + where);
      return false;
    }
    const ConfigModule& child = *it->second;
    if (steps.size() < 3) {
      out.unresolved.push_back(" refers to `module." + call.name +
                               "` without naming an output (terraform records `module.x[each.key].output` "
                               "this way), so tfwarden cannot follow it");
      return false;
    }
    std::optional<std::string> child_addr;
    if (address) {
      std::string prefix = address->empty() ? "" : *address + ".";
      if (call.has_key) child_addr = prefix + "module." + call.name + "[" + call.key + "]";
      else if (!child.call_has_count && !child.call_for_each.present)
        child_addr = prefix + "module." + call.name;
    }
    auto out_it = child.outputs.find(steps[2].name);
    if (out_it == child.outputs.end()) {
      out.unresolved.push_back(" refers to `module." + call.name + "." + steps[2].name +
                               "`, which that module does not output");
      return false;
    }
    memoised(memo_key('o', child, child_addr, steps[2].name), depth, out, [&](Resolution& sub) {
      resolve_at(out_it->second, child, child_addr, nullptr, nullptr, sub, depth + 1, budget);
    });
    out.sensitive |= child.sensitive_outputs.count(steps[2].name) > 0;
    return false;
  }
  // A resource: `type.name[key]` or `data.type.name[key]`.
  bool data = head == "data";
  size_t ti = data ? 1 : 0;
  if (steps.size() < ti + 2) return false;
  std::string block = (data ? "data." : "") + steps[ti].name + "." + steps[ti + 1].name;
  const TraversalStep& named = steps[ti + 1];
  const std::vector<uint32_t>* inst =
      address ? plan_.instances_in(*address, block) : plan_.instances_of_config(module.path, block);
  if (self && !named.has_key && address && inst && same_keys(*self, *inst)) {
    std::string at = (address->empty() ? "" : *address + ".") + block + "[" + self->index + "]";
    if (const Resource* r = plan_.by_address(at); r && !r->deposed) {
      out.targets.push_back(r);
      return true;
    }
  }
  bool found = false;
  if (inst) {
    for (uint32_t i : *inst) {
      ++thread_steps;
      const Resource& r = plan_.resources[i];
      if (r.deposed) continue;
      if (named.has_key && r.index != named.key) continue;
      out.targets.push_back(&r);
      found = true;
    }
  }
  if (!found && !module.resources.count(block)) {
    out.unresolved.push_back(" refers to `" + std::string(ref) + "`, which is not in the plan");
  }
  return false;
}

const std::vector<uint32_t>* Resolver::by_known_value(std::string_view value) {
  std::call_once(values_->built, [&] {
    auto& index = values_->by_value;
    for (const Resource& r : plan_.resources) {
      if (r.deposed || !r.after.is_object()) continue;
      // One pass over the attributes for both names (at_key would scan the object twice).
      Node arn, id;
      for (auto [k, v] : r.after.object()) {
        if (k == "arn") arn = Node(v);
        else if (k == "id") id = Node(v);
      }
      for (const Node& n : {arn, id}) {
        if (!n.is_string() || n.str().empty()) continue;
        auto& list = index[n.str()];
        if (list.empty() || list.back() != r.ordinal) list.push_back(r.ordinal);
      }
    }
  });
  auto it = values_->by_value.find(value);
  return it == values_->by_value.end() ? nullptr : &it->second;
}

RegionInfo Resolver::region_from_expression(const Node& expr, const ConfigModule& module,
                                            const std::optional<std::string>& address, const std::string& what) const {
  RegionInfo info;
  Resolution res;
  resolve(expr, module, address, what, res);
  std::set<std::string> seen;
  for (const Node& c : res.constants)
    if (c.is_string() && !c.str().empty()) seen.insert(std::string(c.str()));
  if (!res.unresolved.empty()) {
    info.reason = res.unresolved.front();
  } else if (seen.size() == 1) {
    info.known = true;
    info.region = *seen.begin();
    info.sensitive = res.sensitive;
  } else if (seen.size() > 1) {
    info.reason = what + " can take several values";
  } else if (!res.targets.empty()) {
    info.reason = what + " comes from an attribute of `" + std::string(res.targets.front()->address) +
                  "` that is known only after apply";
  } else {
    info.reason = what + " has no known value";
  }
  return info;
}

const RegionInfo& Resolver::region_of(const Resource& r) {
  auto& slot = regions_[r.ordinal];
  if (!slot) slot = compute_region(r);
  return *slot;
}

bool is_global_type(std::string_view type) {
  // Services AWS runs once per partition, whose resources have no region of their own (AWS
  // Config records them as `global`). Route 53 Resolver is regional; a WAFv2 ACL of scope
  // CLOUDFRONT lives in us-east-1 and is regional too.
  static constexpr std::string_view kPrefixes[] = {
      "aws_iam_",    "aws_cloudfront_", "aws_route53_", "aws_organizations_", "aws_globalaccelerator_",
      "aws_shield_", "aws_budgets_",    "aws_ce_",      "aws_waf_",           "aws_account_"};
  if (type.substr(0, 21) == "aws_route53_resolver_") return false;
  return std::any_of(std::begin(kPrefixes), std::end(kPrefixes),
                     [&](std::string_view p) { return type.substr(0, p.size()) == p; });
}

std::optional<RegionInfo> Resolver::provider_region(const ProviderConfig& pc, const Resource& r,
                                                    const std::string& source) const {
  Node expr = pc.expressions["region"];
  if (!expr.present) return std::nullopt;
  const ConfigModule* m = plan_.module_at(pc.module_address);
  std::optional<std::string> addr;
  if (pc.module_address.empty()) addr = std::string();
  RegionInfo p = region_from_expression(expr, m ? *m : plan_.root(), addr,
                                        "the `region` of provider `" + std::string(pc.key) + "`");
  p.source = source;
  // The provider sets a region tfwarden cannot follow: the default region would be a guess.
  if (!p.known) p.reason = "the region of `" + std::string(r.address) + "` is unknown: " + p.reason;
  return p;
}

RegionInfo Resolver::compute_region(const Resource& r) const {
  RegionInfo info;
  // 0. A global service: the same in every plan, whatever its provider's region.
  if (is_global_type(r.type)) {
    info.known = true;
    info.region = "global";
    info.source = "global service";
    return info;
  }
  Node values = r.after.present ? r.after : r.before;
  Node unknown = r.after.present ? r.after_unknown : Node();
  Node sensitive = r.after.present ? r.after_sensitive : r.before_sensitive;
  // 1. The resource's own `region` argument (AWS provider 6 and later).
  if (Node reg = values["region"]; reg.is_string() && !reg.str().empty()) {
    info.known = true;
    info.region = std::string(reg.str());
    info.source = "argument";
    info.sensitive = sensitive.is_true() || sensitive["region"].is_true();
    return info;
  }
  if (unknown["region"].is_true() && r.config) {
    Node expr = r.config->expressions["region"];
    if (expr.present) {
      RegionInfo fromcfg = region_from_expression(expr, *r.config->module, r.module_address,
                                                  "the `region` argument of `" + std::string(r.address) + "`");
      fromcfg.source = "argument";
      return fromcfg;
    }
  }
  // 2. A known ARN carries its region (some types, like aws_ecs_service, use the ARN as id).
  for (const char* attr : {"arn", "id"}) {
    Node arn = values[attr];
    if (!arn.is_string()) continue;
    if (auto reg = arn_region(arn.str()); reg && !reg->empty()) {
      info.known = true;
      info.region = std::string(*reg);
      info.source = attr;
      return info;
    }
  }
  // 3. The provider configuration.
  if (r.config && !r.config->provider_config_key.empty()) {
    std::string_view key = r.config->provider_config_key;
    auto it = plan_.providers.find(key);
    bool inherited = false;
    if (it == plan_.providers.end()) {
      // Terraform before 1.1 wrote `NAME:aws` keys for providers inherited from the root.
      auto colon = key.rfind(':');
      if (colon != std::string_view::npos) {
        it = plan_.providers.find(key.substr(colon + 1));
        inherited = it != plan_.providers.end();
      }
    }
    if (it != plan_.providers.end()) {
      const ProviderConfig& pc = it->second;
      std::string label = std::string(pc.key);
      if (auto p = provider_region(pc, r, "provider " + label + (inherited ? " (inherited)" : ""))) return *p;
      info.reason = "provider `" + label + "` sets no region";
    } else {
      info.reason = "its provider configuration `" + std::string(key) + "` is not in the plan";
    }
  } else if (plan_.has_configuration && !r.config && r.type.substr(0, 4) == "aws_") {
    // No block in the configuration any more (its module or block was removed): Terraform
    // deletes it with the provider configuration the state names, which the plan JSON does not
    // show. That is one the configuration still has, so when there is one `aws` configuration,
    // it is that one; with several, any would be a guess, and so would the default region.
    std::vector<const ProviderConfig*> aws;
    for (const auto& [key, pc] : plan_.providers)
      if (pc.name == "aws") aws.push_back(&pc);
    if (aws.size() == 1 && aws.front()->alias.empty()) {
      const ProviderConfig& pc = *aws.front();
      std::string label(pc.key);
      if (auto p = provider_region(pc, r,
                                   "provider " + label + " (the only aws configuration; `" + std::string(r.address) +
                                       "` is no longer in the configuration)"))
        return *p;
      info.reason = "`" + std::string(r.address) + "` is no longer in the configuration, and provider `" + label +
                    "` sets no region";
    } else if (!aws.empty()) {
      // An aliased configuration alone leaves the implicit default provider as a candidate too.
      info.reason = "the region of `" + std::string(r.address) +
                    "` is unknown: it is no longer in the configuration, and the plan does not say which aws " +
                    "provider configuration deletes it (" + std::to_string(aws.size()) + " configured" +
                    (aws.size() == 1 ? ", aliased" : "") + ")";
      return info;
    } else {
      info.reason = "`" + std::string(r.address) + "` has no provider configuration in the plan";
    }
  } else if (!plan_.has_configuration) {
    info.reason = "the input has no configuration section (a state), and `" + std::string(r.address) +
                  "` has no region argument or known ARN";
  } else {
    info.reason = "`" + std::string(r.address) + "` has no provider configuration in the plan";
  }
  // A resource of another provider whose configuration sets no region (null, random, external)
  // has none: it is not "unresolved", and the default region is not given to it.
  if (r.type.substr(0, 4) != "aws_") {
    info.applicable = false;
    info.reason = "`" + std::string(r.address) + "` is not an AWS resource and its provider sets no region";
    return info;
  }
  // 4. The default region.
  if (!default_region_.empty()) {
    RegionInfo d;
    d.known = true;
    d.region = default_region_;
    d.source = "default";
    return d;
  }
  info.reason = "the region of `" + std::string(r.address) + "` is unknown: " + info.reason +
                " (set --default-region or `default-region` in .tfwarden.toml)";
  return info;
}

}  // namespace tfwarden
