#include "source/load.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "hcl/eval.h"
#include "hcl/parser.h"
#include "source/module.h"

namespace tfwarden::source {

namespace fs = std::filesystem;
using hcl::Kind;
using hcl::Value;
using Json = nlohmann::ordered_json;

namespace {

constexpr int kMaxModuleDepth = 32;      // a module that calls itself through a local path stops here
constexpr size_t kMaxInstances = 10000;  // of one resource or module call: count = 1e9 is a mistake

// A module in the configuration tree: the root, or what a module call reads.
struct ConfigNode {
  std::unique_ptr<Module> mod;
  std::string path;  // "" for the root, else "module.a.module.b"
  std::string key;   // modules.json's key: "a.b"
  ConfigNode* parent = nullptr;
  const ModuleCall* call = nullptr;                             // the call in the parent that reads it
  std::map<std::string, std::unique_ptr<ConfigNode>> children;  // by call name; null: not read
};

// The modules `terraform init` installed: `.terraform/modules/modules.json`, key -> directory.
std::map<std::string, std::string> installed_modules(const std::string& root) {
  std::map<std::string, std::string> out;
  std::ifstream in(fs::path(root) / ".terraform" / "modules" / "modules.json");
  if (!in) return out;
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (!j.is_object() || !j.contains("Modules") || !j["Modules"].is_array()) return out;
  for (const auto& m : j["Modules"])
    if (m.is_object() && m.contains("Key") && m.contains("Dir") && m["Key"].is_string() && m["Dir"].is_string())
      out[m["Key"].get<std::string>()] = (fs::path(root) / m["Dir"].get<std::string>()).lexically_normal().string();
  return out;
}

// The text of a count or for_each key in an address: `[0]`, `["a"]`.
std::string index_text(const Value& key) {
  if (key.kind == Kind::Number) return "[" + hcl::number_text(key.number) + "]";
  return "[" + hcl::to_json(key) + "]";
}

// An aws_iam_policy_document's JSON from its arguments, as the AWS provider writes it (one
// value as a string, more as a list); unknown when any part is, or when it merges other
// documents (source_policy_documents, override_policy_documents), which this does not do.
Value policy_json(const Value& doc) {
  for (const char* merged : {"source_policy_documents", "override_policy_documents", "source_json", "override_json"})
    if (auto it = doc.fields.find(merged); it != doc.fields.end() && !it->second.is_null())
      return Value::unknown(std::string("the policy document merges `") + merged +
                            "`, which tfwarden does not evaluate");
  if (!doc.wholly_known()) return Value::unknown(doc.first_unknown());
  auto field = [](const Value& o, const char* name) -> const Value* {
    auto it = o.fields.find(name);
    return it == o.fields.end() || it->second.is_null() ? nullptr : &it->second;
  };
  auto one_or_list = [](const Value& list) {
    if (list.kind == Kind::Tuple && list.items.size() == 1) return list.items[0];
    return list;
  };
  std::map<std::string, Value> out;
  const Value* version = field(doc, "version");
  out["Version"] = version ? *version : Value::of("2012-10-17");
  if (const Value* id = field(doc, "policy_id")) out["Id"] = *id;
  std::vector<Value> statements;
  if (const Value* list = field(doc, "statement")) {
    for (const Value& st : list->items) {
      std::map<std::string, Value> s;
      if (const Value* sid = field(st, "sid")) s["Sid"] = *sid;
      const Value* effect = field(st, "effect");
      s["Effect"] = effect ? *effect : Value::of("Allow");
      for (auto [from, to] : {std::pair{"actions", "Action"},
                              {"not_actions", "NotAction"},
                              {"resources", "Resource"},
                              {"not_resources", "NotResource"}})
        if (const Value* v = field(st, from); v && !v->items.empty()) s[to] = one_or_list(*v);
      for (auto [from, to] : {std::pair{"principals", "Principal"}, {"not_principals", "NotPrincipal"}}) {
        const Value* blocks = field(st, from);
        if (!blocks || blocks->items.empty()) continue;
        std::map<std::string, Value> p;
        bool star = false;
        for (const Value& b : blocks->items) {
          const Value* type = field(b, "type");
          const Value* ids = field(b, "identifiers");
          if (!type || !ids) continue;
          if (type->text == "*" && ids->items.size() == 1 && ids->items[0].text == "*") star = true;
          Value& slot = p[type->text];
          if (slot.kind != Kind::Tuple) slot = Value::tuple({});
          for (const Value& i : ids->items) slot.items.push_back(i);
        }
        if (star && p.size() == 1) {
          s[to] = Value::of("*");
          continue;
        }
        for (auto& [k, ids] : p) ids = one_or_list(ids);
        s[to] = Value::object(std::move(p));
      }
      if (const Value* conds = field(st, "condition"); conds && !conds->items.empty()) {
        std::map<std::string, Value> c;
        for (const Value& b : conds->items) {
          const Value* test = field(b, "test");
          const Value* variable = field(b, "variable");
          const Value* values = field(b, "values");
          if (!test || !variable || !values) continue;
          Value& by_test = c[test->text];
          if (by_test.kind != Kind::Object) by_test = Value::object({});
          by_test.fields[variable->text] = one_or_list(*values);
        }
        s["Condition"] = Value::object(std::move(c));
      }
      statements.push_back(Value::object(std::move(s)));
    }
  }
  out["Statement"] = Value::tuple(std::move(statements));
  // Keys in sorted order, not the provider's: the rules read the policy as JSON, not as text.
  return Value::of(hcl::to_json(Value::object(std::move(out))));
}

class Loader;

// One instance of a module: its variables' values, and its locals, resources and calls
// evaluated as something asks for them.
class Instance : public hcl::Scope {
 public:
  Instance(Loader& loader, ConfigNode& node, std::string address, Instance* parent)
      : loader_(loader), node_(node), address_(std::move(address)), parent_(parent) {}

  ConfigNode& node() { return node_; }
  const std::string& address() const { return address_; }
  std::map<std::string, Value> vars;

  Value lookup(const std::string& root, const std::vector<std::string>& steps, size_t& used,
               const hcl::Range& at) override;
  std::string module_dir() const override;

  // One evaluated instance of a resource block.
  struct ResourceInstance {
    std::string address;
    std::optional<Value> key;  // count.index or each.key
    Value value;               // the instance's attributes as configured (an open object)
  };
  struct ResourceState {
    int state = 0;  // 0 not yet, 1 evaluating, 2 done
    Value value;    // what `type.name` means here
    std::vector<ResourceInstance> instances;
  };
  struct CallState {
    int state = 0;
    Value value;  // what `module.name` means here, built when asked for whole
    std::vector<std::pair<std::optional<Value>, std::unique_ptr<Instance>>> instances;
    bool expanded = false;
  };

  ResourceState& resource(const ResourceBlock& r);
  CallState& call(const ModuleCall& c);
  Value output(const std::string& name);

  // For the instance of a module call: the call, and its key and each.value, that its
  // variables are evaluated from, in the parent, when something asks for them.
  void from_call(const ModuleCall* call, std::optional<Value> key, Value each_value, bool counted) {
    call_ = call;
    call_key_ = std::move(key);
    call_each_ = std::move(each_value);
    call_counted_ = counted;
  }

 private:
  friend class Loader;
  Value var(const std::string& name, const hcl::Range& at);
  Value local(const std::string& name, const hcl::Range& at);
  Value module_value(const ModuleCall& c);
  Value provider_attribute(const std::string& ref, const std::string& name);
  void known_data(const ResourceBlock& r, Value& v);

  Loader& loader_;
  ConfigNode& node_;
  std::string address_;
  Instance* parent_;
  std::map<std::string, Value> locals_;
  std::set<std::string> locals_busy_;
  std::map<std::string, ResourceState> resources_;
  std::map<std::string, CallState> calls_;
  std::map<std::string, Value> outputs_;
  std::set<std::string> outputs_busy_;
  const ModuleCall* call_ = nullptr;
  std::optional<Value> call_key_;
  Value call_each_;
  bool call_counted_ = false;
  std::set<std::string> vars_busy_;
};

// `each` and `count` of one instance being evaluated, over its module's names.
class Bound : public hcl::Scope {
 public:
  Bound(Instance& in, const std::optional<Value>& key, const Value* each_value, bool counted)
      : in_(in), key_(key), each_value_(each_value), counted_(counted) {}
  Value lookup(const std::string& root, const std::vector<std::string>& steps, size_t& used,
               const hcl::Range& at) override {
    if (root == "count" && counted_ && key_) {
      if (steps.empty() || steps[0] != "index") throw hcl::EvalError{"`count` has only the attribute `index`", at};
      used = 1;
      return *key_;
    }
    if (root == "each" && each_value_ && key_) {
      if (steps.empty() || (steps[0] != "key" && steps[0] != "value"))
        throw hcl::EvalError{"`each` has only the attributes `key` and `value`", at};
      used = 1;
      return steps[0] == "key" ? *key_ : *each_value_;
    }
    return in_.lookup(root, steps, used, at);
  }
  std::string module_dir() const override { return in_.module_dir(); }

 private:
  Instance& in_;
  const std::optional<Value>& key_;
  const Value* each_value_;
  bool counted_;
};

// The names of a constant: none. `what` says what may not refer to one (`a default value`).
class Constants : public hcl::Scope {
 public:
  explicit Constants(std::string what) : what_(std::move(what)) {}
  Value lookup(const std::string& root, const std::vector<std::string>& /*steps*/, size_t& /*used*/,
               const hcl::Range& at) override {
    throw hcl::EvalError{what_ + " cannot refer to `" + root + "`", at};
  }

 private:
  std::string what_;
};

// One expression as the configuration part of a plan writes it: `constant_value` when it is a
// constant that evaluates, else its `references`, else nothing.
Json expression_json(const hcl::Expr& e) {
  Json out = Json::object();
  if (hcl::is_constant(e)) {
    Constants none("a constant");
    try {
      out["constant_value"] = Json::parse(hcl::to_json(hcl::evaluate(e, none)));
    } catch (const hcl::EvalError&) {
    }
  } else if (auto refs = hcl::references(e); !refs.empty()) {
    out["references"] = refs;
  }
  return out;
}

// What a block's expressions are in the configuration part of a plan, nested blocks as lists of
// the same (dynamic blocks are not written).
Json expressions(const hcl::Body& body, const std::set<std::string>& skip) {
  Json out = Json::object();
  for (const auto& a : body.attributes)
    if (!skip.contains(a.name)) out[a.name] = expression_json(*a.expr);
  for (const auto& b : body.blocks) {
    if (b.type == "dynamic" || b.type == "lifecycle" || b.type == "provisioner" || b.type == "connection") continue;
    if (!out.contains(b.type)) out[b.type] = Json::array();
    out[b.type].push_back(expressions(*b.body, {}));
  }
  return out;
}

// A value as `after`, with its unknowns as `after_unknown` marks and its sensitive parts as
// `after_sensitive` marks, in the shapes Terraform writes them.
void split(const Value& v, Json& after, Json& unknown, Json& sensitive) {
  if (v.is_unknown()) {
    after = nullptr;
    unknown = true;
    sensitive = v.sensitive;
    return;
  }
  if (v.kind == Kind::Tuple) {
    after = Json::array();
    unknown = Json::array();
    sensitive = Json::array();
    for (const Value& i : v.items) {
      Json a, u, s;
      split(i, a, u, s);
      after.push_back(std::move(a));
      unknown.push_back(u.is_null() ? Json(false) : std::move(u));
      sensitive.push_back(s.is_null() ? Json(false) : std::move(s));
    }
    if (v.sensitive) sensitive = true;
    return;
  }
  if (v.kind == Kind::Object) {
    after = Json::object();
    unknown = Json::object();
    sensitive = Json::object();
    for (const auto& [k, f] : v.fields) {
      Json a, u, s;
      split(f, a, u, s);
      after[k] = std::move(a);
      if (u.is_boolean() ? u.get<bool>() : !u.is_null()) unknown[k] = std::move(u);
      if (s.is_boolean() ? s.get<bool>() : !s.is_null()) sensitive[k] = std::move(s);
    }
    if (v.sensitive) sensitive = true;
    return;
  }
  after = Json::parse(hcl::to_json(v));
  unknown = nullptr;
  sensitive = v.sensitive ? Json(true) : Json(nullptr);
}

class Loader {
 public:
  Loader(std::string root, const SourceOptions& options, std::vector<std::string>& notes)
      : root_(std::move(root)), options_(options), notes_(notes) {}

  std::string run(std::string& error) {
    installed_ = installed_modules(root_);
    tree_.mod = read_module(root_);
    read_children(tree_, 0);
    std::vector<hcl::Diagnostic> errors;
    collect_errors(tree_, errors);
    if (!errors.empty()) {
      // Each error on its line (`file:line:column: message`), its help on the next; ten at most.
      for (size_t i = 0; i < errors.size() && i < 10; ++i) {
        const hcl::Diagnostic& d = errors[i];
        if (i) error += "\n";
        error += d.file + ":" + std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " + d.message;
        if (!d.help.empty()) error += "\n  help: " + d.help;
      }
      if (errors.size() > 10) error += "\n  and " + std::to_string(errors.size() - 10) + " more errors";
      return "";
    }
    Instance root(*this, tree_, "", nullptr);
    root_variables(root);
    Json changes = Json::array();
    emit(root, changes);
    Json doc;
    doc["format_version"] = "1.2";
    doc["terraform_version"] = "source";
    Json vars = Json::object();
    for (const auto& [k, v] : root.vars)
      if (v.wholly_known()) vars[k] = Json{{"value", Json::parse(hcl::to_json(v))}};
    doc["variables"] = std::move(vars);
    doc["resource_changes"] = std::move(changes);
    Json cfg;
    cfg["provider_config"] = provider_config();
    cfg["root_module"] = config_module(tree_);
    doc["configuration"] = std::move(cfg);
    // The files are UTF-8; a value a function made of bytes (base64decode) may not be.
    return doc.dump(-1, ' ', false, Json::error_handler_t::replace);
  }

  const std::string& root() const { return root_; }
  void note(std::string n) {
    if (std::find(notes_.begin(), notes_.end(), n) == notes_.end()) notes_.push_back(std::move(n));
  }

  // The provider configuration a provider reference in a module means: the key of the block
  // that configures it, through `providers = {}` mappings and inheritance.
  std::string provider_key(const ConfigNode& node, const std::string& ref) const {
    for (const auto& p : node.mod->providers)
      if (p.local_key() == ref) return node.path.empty() ? ref : node.path + ":" + ref;
    if (node.parent && node.call) {
      if (auto it = node.call->providers.find(ref); it != node.call->providers.end())
        return provider_key(*node.parent, it->second);
      if (ref.find('.') == std::string::npos) return provider_key(*node.parent, ref);
    }
    return node.path.empty() ? ref : node.path + ":" + ref;
  }

  std::string provider_source(const ConfigNode& node, const std::string& name) const {
    for (const ConfigNode* n = &node; n; n = n->parent)
      if (auto it = n->mod->required_providers.find(name); it != n->mod->required_providers.end()) {
        std::string s = it->second;
        return std::count(s.begin(), s.end(), '/') == 1 ? "registry.terraform.io/" + s : s;
      }
    return "registry.terraform.io/hashicorp/" + name;
  }

 private:
  void read_children(ConfigNode& node, int depth) {
    for (const ModuleCall& c : node.mod->calls) {
      std::string key = node.key.empty() ? c.name : node.key + "." + c.name;
      std::string dir;
      if (c.local()) {
        dir = (fs::path(node.mod->dir) / c.source).lexically_normal().string();
      } else if (auto it = installed_.find(key); it != installed_.end()) {
        dir = it->second;
      }
      auto& child = node.children[c.name];
      if (dir.empty() || !fs::is_directory(dir)) {
        note("module." + c.name + " (source `" + c.source +
             "`) is not installed here: its resources are not linted (run `terraform init` to install it)");
        continue;
      }
      if (depth >= kMaxModuleDepth) {
        note("module calls nest more than " + std::to_string(kMaxModuleDepth) + " deep at " + node.path +
             ": the rest is not read");
        continue;
      }
      child = std::make_unique<ConfigNode>();
      child->mod = read_module(dir);
      child->path = (node.path.empty() ? "" : node.path + ".") + "module." + c.name;
      child->key = key;
      child->parent = &node;
      child->call = &c;
      read_children(*child, depth + 1);
    }
  }

  void collect_errors(const ConfigNode& node, std::vector<hcl::Diagnostic>& out) {
    out.insert(out.end(), node.mod->errors.begin(), node.mod->errors.end());
    for (const auto& n : node.mod->notes) note(n);
    for (const auto& [name, child] : node.children)
      if (child) collect_errors(*child, out);
  }

  // Values of the root's variables: defaults, then terraform.tfvars, *.auto.tfvars, --var-file
  // and --var, the later winning, as Terraform reads them.
  void root_variables(Instance& root) {
    std::map<std::string, Value> given;
    auto read_tfvars = [&](const std::string& path, bool must) {
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        if (must) note(path + ": cannot read this variables file");
        return;
      }
      std::ostringstream text;
      text << in.rdbuf();
      hcl::File f = hcl::parse(text.str(), path);
      if (!f.errors.empty()) {
        note(hcl::to_string(f.errors.front()));
        return;
      }
      Constants none("a variables file");
      for (const auto& a : f.body.attributes) {
        try {
          given[a.name] = hcl::evaluate(*a.expr, none);
        } catch (const hcl::EvalError& e) {
          note(path + ":" + std::to_string(e.range.begin.line) + ": " + e.message);
        }
      }
    };
    read_tfvars((fs::path(root_) / "terraform.tfvars").string(), false);
    std::vector<std::string> autos;
    std::error_code ec;
    for (fs::directory_iterator it(root_, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().filename().string().ends_with(".auto.tfvars")) autos.push_back(it->path().string());
    std::sort(autos.begin(), autos.end());
    for (const auto& a : autos) read_tfvars(a, false);
    for (const auto& f : options_.var_files) read_tfvars(f, true);
    for (const auto& [name, text] : options_.vars) {
      const Variable* decl = nullptr;
      for (const auto& v : tree_.mod->variables)
        if (v.name == name) decl = &v;
      bool as_string =
          !decl || !decl->type || (decl->type->kind == hcl::ExprKind::Variable && decl->type->text == "string");
      if (as_string) {
        given[name] = Value::of(text);
        continue;
      }
      hcl::File f = hcl::parse("v = " + text + "\n", "--var " + name);
      Constants none("a --var value");
      try {
        if (!f.errors.empty() || f.body.attributes.empty()) throw hcl::EvalError{"not a value", {}};
        given[name] = hcl::evaluate(*f.body.attributes[0].expr, none);
      } catch (const hcl::EvalError&) {
        given[name] = Value::of(text);
      }
    }
    for (const Variable& v : tree_.mod->variables) {
      auto it = given.find(v.name);
      Value value;
      if (it != given.end()) {
        value = it->second;
      } else if (v.default_value) {
        value = evaluate_constant(*v.default_value);
      } else {
        value = Value::unknown("variable `" + v.name + "` has no value here (give it with --var or a .tfvars file)");
        note("variable `" + v.name + "` has no default and no value was given: what depends on it is undecided");
      }
      value.sensitive = value.sensitive || v.sensitive;
      root.vars[v.name] = std::move(value);
    }
  }

 public:
  Value evaluate_constant(const hcl::Expr& e) {
    Constants none("a default value");
    try {
      return hcl::evaluate(e, none);
    } catch (const hcl::EvalError& err) {
      return Value::unknown(err.message);
    }
  }

  // An expression of the configuration, evaluated; what Terraform would refuse is unknown with
  // the reason, and noted, so that one mistake does not stop the lint.
  Value evaluate(const hcl::Expr& e, hcl::Scope& scope) {
    try {
      return hcl::evaluate(e, scope);
    } catch (const hcl::EvalError& err) {
      std::string where =
          file_of(e) + ":" + std::to_string(err.range.begin.line) + ":" + std::to_string(err.range.begin.column);
      note(where + ": " + err.message + " (Terraform would refuse this; its value is undecided here)");
      return Value::unknown(err.message);
    }
  }

  std::string file_of(const hcl::Expr& e) {
    // The file whose text holds the expression: found by range among the files read.
    std::string found;
    std::function<void(const ConfigNode&)> walk = [&](const ConfigNode& n) {
      for (const auto& f : n.mod->files)
        if (contains(f.body, e)) found = f.path;
      for (const auto& [k, c] : n.children)
        if (c && found.empty()) walk(*c);
    };
    walk(tree_);
    return found.empty() ? root_ : found;
  }

 private:
  static bool contains(const hcl::Body& b, const hcl::Expr& e) {
    for (const auto& a : b.attributes)
      if (within(*a.expr, &e)) return true;
    for (const auto& blk : b.blocks)
      if (contains(*blk.body, e)) return true;
    return false;
  }
  static bool within(const hcl::Expr& x, const hcl::Expr* e) {
    if (&x == e) return true;
    for (const auto& k : x.kids)
      if (within(*k, e)) return true;
    return false;
  }

  void emit(Instance& in, Json& changes) {
    for (const ResourceBlock& r : in.node().mod->resources) {
      if (r.ephemeral) continue;  // never in a plan
      auto& state = in.resource(r);
      for (const auto& ri : state.instances) {
        Json rc;
        rc["address"] = ri.address;
        if (!in.address().empty()) rc["module_address"] = in.address();
        rc["mode"] = r.data ? "data" : "managed";
        rc["type"] = r.type;
        rc["name"] = r.name;
        if (ri.key) rc["index"] = Json::parse(hcl::to_json(*ri.key));
        rc["provider_name"] = provider_source(in.node(), r.provider.substr(0, r.provider.find('.')));
        Json after, unknown, sensitive;
        Value v = ri.value;
        v.open = false;
        split(v, after, unknown, sensitive);
        Json change;
        change["actions"] = Json::array({r.data ? "read" : "create"});
        change["before"] = nullptr;
        change["after"] = std::move(after);
        change["after_unknown"] = unknown.is_null() ? Json::object() : std::move(unknown);
        change["before_sensitive"] = false;
        change["after_sensitive"] = sensitive.is_null() ? Json::object() : std::move(sensitive);
        rc["change"] = std::move(change);
        changes.push_back(std::move(rc));
      }
    }
    for (const ModuleCall& c : in.node().mod->calls) {
      auto& state = in.call(c);
      for (auto& [key, child] : state.instances) emit(*child, changes);
    }
  }

  Json provider_config() {
    Json out = Json::object();
    std::function<void(const ConfigNode&)> walk = [&](const ConfigNode& n) {
      for (const auto& p : n.mod->providers) {
        Json pc;
        pc["name"] = p.name;
        pc["full_name"] = provider_source(n, p.name);
        if (!p.alias.empty()) pc["alias"] = p.alias;
        if (auto it = n.mod->provider_versions.find(p.name); it != n.mod->provider_versions.end())
          pc["version_constraint"] = it->second;
        if (!n.path.empty()) pc["module_address"] = n.path;
        pc["expressions"] = expressions(*p.block->body, {"alias", "version"});
        out[n.path.empty() ? p.local_key() : n.path + ":" + p.local_key()] = std::move(pc);
      }
      for (const auto& [k, c] : n.children)
        if (c) walk(*c);
    };
    walk(tree_);
    for (const auto& [name, src] : tree_.mod->required_providers)
      if (!out.contains(name)) {
        Json pc;
        pc["name"] = name;
        pc["full_name"] = provider_source(tree_, name);
        out[name] = std::move(pc);
      }
    return out;
  }

  Json config_module(const ConfigNode& n) {
    Json m = Json::object();
    Json outputs = Json::object();
    for (const Output& o : n.mod->outputs) {
      Json out;
      if (o.value) out["expression"] = expression_json(*o.value);
      if (o.sensitive) out["sensitive"] = true;
      outputs[o.name] = std::move(out);
    }
    if (!outputs.empty()) m["outputs"] = std::move(outputs);
    Json resources = Json::array();
    for (const ResourceBlock& r : n.mod->resources) {
      if (r.ephemeral) continue;
      Json j;
      j["address"] = r.key();
      j["mode"] = r.data ? "data" : "managed";
      j["type"] = r.type;
      j["name"] = r.name;
      j["provider_config_key"] = provider_key(n, r.provider);
      j["expressions"] = expressions(*r.block->body, {"count", "for_each", "provider", "depends_on"});
      if (r.count) j["count_expression"] = expression_json(*r.count);
      if (r.for_each) j["for_each_expression"] = expression_json(*r.for_each);
      j["schema_version"] = 0;
      resources.push_back(std::move(j));
    }
    if (!resources.empty()) m["resources"] = std::move(resources);
    Json calls = Json::object();
    for (const ModuleCall& c : n.mod->calls) {
      Json j;
      j["source"] = c.source;
      j["expressions"] =
          expressions(*c.block->body, {"source", "version", "count", "for_each", "providers", "depends_on"});
      if (auto it = n.children.find(c.name); it != n.children.end() && it->second)
        j["module"] = config_module(*it->second);
      else
        j["module"] = Json::object();
      if (c.count) j["count_expression"] = expression_json(*c.count);
      if (c.for_each) j["for_each_expression"] = expression_json(*c.for_each);
      calls[c.name] = std::move(j);
    }
    if (!calls.empty()) m["module_calls"] = std::move(calls);
    Json vars = Json::object();
    for (const Variable& v : n.mod->variables) {
      Json j = Json::object();
      if (v.default_value) j["default"] = Json::parse(hcl::to_json(evaluate_constant(*v.default_value)));
      if (v.description) {
        if (auto d = hcl::literal_string(*v.description)) j["description"] = *d;
      }
      if (v.sensitive) j["sensitive"] = true;
      vars[v.name] = std::move(j);
    }
    if (!vars.empty()) m["variables"] = std::move(vars);
    return m;
  }

  std::string root_;
  const SourceOptions& options_;
  std::vector<std::string>& notes_;
  std::map<std::string, std::string> installed_;
  ConfigNode tree_;
};

// ---- Instance ----

std::string Instance::module_dir() const {
  return loader_.root();
}

Value Instance::local(const std::string& name, const hcl::Range& at) {
  if (auto it = locals_.find(name); it != locals_.end()) return it->second;
  const hcl::Attribute* decl = nullptr;
  for (const hcl::Attribute* a : node_.mod->locals)
    if (a->name == name) decl = a;
  if (!decl) throw hcl::EvalError{"there is no local value `" + name + "`", at};
  if (locals_busy_.contains(name)) return Value::unknown("local." + name + " refers to itself");
  locals_busy_.insert(name);
  Value v = loader_.evaluate(*decl->expr, *this);
  locals_busy_.erase(name);
  return locals_[name] = v;
}

Value Instance::lookup(const std::string& root, const std::vector<std::string>& steps, size_t& used,
                       const hcl::Range& at) {
  auto need = [&](size_t n, const char* what) {
    if (steps.size() < n) throw hcl::EvalError{std::string("`") + root + "` needs " + what + " after it", at};
  };
  if (root == "var") {
    need(1, "a variable name");
    used = 1;
    return var(steps[0], at);
  }
  if (root == "local") {
    need(1, "a local value's name");
    used = 1;
    return local(steps[0], at);
  }
  if (root == "path") {
    need(1, "`module`, `root` or `cwd`");
    used = 1;
    if (steps[0] == "root") return Value::of(".");
    if (steps[0] == "cwd") return Value::of(fs::absolute(loader_.root()).lexically_normal().string());
    if (steps[0] == "module") {
      std::string rel = fs::path(node_.mod->dir).lexically_relative(loader_.root()).string();
      return Value::of(rel.empty() ? "." : rel);
    }
    throw hcl::EvalError{"`path` has no attribute `" + steps[0] + "`", at};
  }
  if (root == "terraform") {
    need(1, "`workspace`");
    used = 1;
    if (steps[0] == "workspace") return Value::of("default");
    return Value::unknown("terraform." + steps[0] + " is not known from the source");
  }
  if (root == "module") {
    need(1, "a module call's name");
    for (const ModuleCall& c : node_.mod->calls) {
      if (c.name != steps[0]) continue;
      if (!c.count && !c.for_each && steps.size() >= 2) {
        used = 2;
        CallState& s = call(c);
        if (s.instances.empty()) return Value::unknown("module." + c.name + " is not read here");
        return s.instances.front().second->output(steps[1]);
      }
      used = 1;
      return module_value(c);
    }
    throw hcl::EvalError{"there is no module call `" + steps[0] + "` in this module", at};
  }
  if (root == "data") {
    need(2, "a data source's type and name");
    for (const ResourceBlock& r : node_.mod->resources)
      if (r.data && r.type == steps[0] && r.name == steps[1]) {
        used = 2;
        return resource(r).value;
      }
    throw hcl::EvalError{"there is no data source `data." + steps[0] + "." + steps[1] + "` in this module", at};
  }
  if (root == "ephemeral") {
    need(2, "an ephemeral resource's type and name");
    for (const ResourceBlock& r : node_.mod->resources)
      if (r.ephemeral && r.type == steps[0] && r.name == steps[1]) {
        used = 2;
        return resource(r).value;
      }
    throw hcl::EvalError{"there is no ephemeral resource `ephemeral." + steps[0] + "." + steps[1] + "` in this module",
                         at};
  }
  if (root == "each" || root == "count" || root == "self")
    throw hcl::EvalError{"`" + root + "` is not available here", at};
  need(1, "a resource name");
  for (const ResourceBlock& r : node_.mod->resources)
    if (!r.data && !r.ephemeral && r.type == root && r.name == steps[0]) {
      used = 1;
      return resource(r).value;
    }
  throw hcl::EvalError{"there is no resource `" + root + "." + steps[0] + "` in this module", at};
}

// The keys count or for_each makes, or nothing (one instance, no key); unknown when the
// number of instances is known only after apply.
struct Expansion {
  bool single = true, known = true;
  std::string why;
  std::vector<std::pair<Value, Value>> keys;  // key, each.value
  bool counted = false;
};

Expansion expand(Loader& loader, hcl::Scope& scope, const hcl::Expr* count, const hcl::Expr* for_each,
                 const std::string& what) {
  Expansion x;
  if (count) {
    x.single = false;
    x.counted = true;
    Value n = loader.evaluate(*count, scope);
    if (!n.wholly_known()) {
      x.known = false;
      x.why = n.first_unknown();
      return x;
    }
    double k = n.kind == Kind::Number ? static_cast<double>(n.number) : -1;
    if (!(k >= 0 && k <= static_cast<double>(kMaxInstances)) || k != std::floor(k)) {
      x.known = false;
      x.why = "the count of " + what + " is not a whole number from 0 to " + std::to_string(kMaxInstances);
      return x;
    }
    for (long long i = 0; i < static_cast<long long>(k); ++i)
      x.keys.emplace_back(Value::of(static_cast<double>(i)), Value::null());
    return x;
  }
  if (for_each) {
    x.single = false;
    Value m = loader.evaluate(*for_each, scope);
    if (m.is_unknown() || (m.kind == Kind::Tuple && !m.wholly_known())) {
      x.known = false;
      x.why = m.first_unknown();
      return x;
    }
    if (m.kind == Kind::Object) {
      for (const auto& [k, v] : m.fields) x.keys.emplace_back(Value::of(k), v);
    } else if (m.kind == Kind::Tuple) {
      for (const Value& v : m.items) {
        if (v.kind != Kind::String) {
          x.known = false;
          x.why = "the for_each of " + what + " is a set of " + hcl::kind_name(v.kind) + ", not of strings";
          return x;
        }
        x.keys.emplace_back(v, v);
      }
    } else if (!m.is_null()) {
      x.known = false;
      x.why = std::string("the for_each of ") + what + " is a " + hcl::kind_name(m.kind) + ", not a map or set";
    }
    if (x.keys.size() > kMaxInstances) {
      x.known = false;
      x.why = "the for_each of " + what + " makes more than " + std::to_string(kMaxInstances) + " instances";
    }
  }
  return x;
}

// A block's body as a value: its attributes, and its nested blocks as lists of objects
// (`dynamic` blocks expanded); meta-arguments left out.
Value body_value(Loader& loader, const hcl::Body& body, hcl::Scope& scope, bool top, const std::string& path) {
  static const std::set<std::string> meta = {"count", "for_each", "provider", "depends_on", "lifecycle"};
  std::map<std::string, Value> fields;
  for (const auto& a : body.attributes) {
    if (top && meta.contains(a.name)) continue;
    fields[a.name] = loader.evaluate(*a.expr, scope);
  }
  for (const auto& b : body.blocks) {
    if (top && (b.type == "lifecycle" || b.type == "provisioner" || b.type == "connection")) continue;
    if (b.type == "dynamic" && !b.labels.empty()) {
      Value& list = fields[b.labels[0]];
      if (list.kind != Kind::Tuple && !list.is_unknown()) list = Value::tuple({});
      const hcl::Attribute* fe = b.body->attribute("for_each");
      const hcl::Attribute* it = b.body->attribute("iterator");
      std::string iter = it && it->expr->kind == hcl::ExprKind::Variable ? it->expr->text : b.labels[0];
      const hcl::Block* content = nullptr;
      for (const auto& inner : b.body->blocks)
        if (inner.type == "content") content = &inner;
      if (!fe || !content) continue;
      Value coll = loader.evaluate(*fe->expr, scope);
      if (!coll.wholly_known() && (coll.is_unknown() || coll.kind != Kind::Object)) {
        list = Value::unknown(coll.first_unknown());
        continue;
      }
      auto one = [&](const Value& key, const Value& value) {
        // `iter.key` and `iter.value` over the enclosing names.
        class Iter : public hcl::Scope {
         public:
          Iter(hcl::Scope& outer, const std::string& name, Value v) : outer_(outer), name_(name), v_(std::move(v)) {}
          Value lookup(const std::string& root, const std::vector<std::string>& steps, size_t& used,
                       const hcl::Range& at) override {
            if (root == name_) {
              used = 0;
              return v_;
            }
            return outer_.lookup(root, steps, used, at);
          }
          std::string module_dir() const override { return outer_.module_dir(); }

         private:
          hcl::Scope& outer_;
          const std::string& name_;
          Value v_;
        } iter_scope(scope, iter, Value::object({{"key", key}, {"value", value}}));
        if (list.kind == Kind::Tuple)
          list.items.push_back(body_value(loader, *content->body, iter_scope, false,
                                          path + "." + b.labels[0] + "[" + std::to_string(list.items.size()) + "]"));
      };
      if (coll.kind == Kind::Object)
        for (const auto& [k, v] : coll.fields) one(Value::of(k), v);
      else if (coll.kind == Kind::Tuple)
        for (size_t i = 0; i < coll.items.size(); ++i) one(coll.items[i], coll.items[i]);
      continue;
    }
    Value& list = fields[b.type];
    if (list.kind != Kind::Tuple) list = Value::tuple({});
    list.items.push_back(
        body_value(loader, *b.body, scope, false, path + "." + b.type + "[" + std::to_string(list.items.size()) + "]"));
  }
  // Attributes the block does not set may be computed: known only after apply.
  Value v = Value::object(std::move(fields));
  v.open = true;
  v.text = path;
  return v;
}

Instance::ResourceState& Instance::resource(const ResourceBlock& r) {
  ResourceState& s = resources_[r.key()];
  if (s.state == 2) return s;
  std::string base = (address_.empty() ? "" : address_ + ".") + r.key();
  if (s.state == 1) {
    s.value = Value::unknown(base + " refers to itself through its own attributes");
    return s;
  }
  s.state = 1;
  Expansion x = expand(loader_, *this, r.count, r.for_each, base);
  auto make = [&](const std::optional<Value>& key, const Value* each_value) {
    Bound scope(*this, key, each_value, x.counted);
    std::string address = base + (key ? index_text(*key) : "");
    Value v = body_value(loader_, *r.block->body, scope, true, address);
    if (r.data) known_data(r, v);
    s.instances.push_back(ResourceInstance{address, key, v});
    return v;
  };
  if (!x.known) {
    s.value = Value::unknown(x.why);
    loader_.note(base + ": its number of instances is not known from the source (" + x.why + "): it is not linted");
  } else if (x.single) {
    s.value = make(std::nullopt, nullptr);
  } else if (x.counted) {
    std::vector<Value> items;
    for (const auto& [key, each_value] : x.keys) items.push_back(make(key, nullptr));
    s.value = Value::tuple(std::move(items));
  } else {
    std::map<std::string, Value> fields;
    for (const auto& [key, each_value] : x.keys) fields[key.text] = make(key, &each_value);
    s.value = Value::object(std::move(fields));
  }
  s.state = 2;
  return s;
}

// An attribute of the provider configuration a reference in this module means, evaluated in
// the module instance that holds the provider block; unknown when no block sets it.
Value Instance::provider_attribute(const std::string& ref, const std::string& name) {
  std::string key = loader_.provider_key(node_, ref);
  auto colon = key.rfind(':');
  std::string module_path = colon == std::string::npos ? "" : key.substr(0, colon);
  std::string local = colon == std::string::npos ? key : key.substr(colon + 1);
  Instance* at = this;
  while (at && at->node_.path != module_path) at = at->parent_;
  if (!at) return Value::unknown("provider `" + key + "` is not configured here");
  for (const ProviderBlock& p : at->node_.mod->providers) {
    if (p.local_key() != local) continue;
    const hcl::Attribute* a = p.block->body->attribute(name);
    if (!a) return Value::unknown("provider `" + key + "` does not set `" + name + "`");
    return loader_.evaluate(*a->expr, *at);
  }
  return Value::unknown("provider `" + key + "` has no configuration block (its " + name +
                        " comes from the environment)");
}

// What a data source returns when the answer follows from the configuration alone: the
// region and partition of its provider, the one account `allowed_account_ids` permits, an IAM
// policy document's JSON. Terraform reads them while planning; other data sources' results
// stay unknown.
void Instance::known_data(const ResourceBlock& r, Value& v) {
  auto set = [&](const char* name, Value value) {
    if (!v.fields.contains(name)) v.fields[name] = std::move(value);
  };
  if (r.type == "aws_region") {
    Value region = v.fields.contains("name") ? v.fields["name"] : provider_attribute(r.provider, "region");
    set("name", region);
    set("id", region);
    set("region", region);
  } else if (r.type == "aws_partition") {
    Value region = provider_attribute(r.provider, "region");
    if (region.kind != Kind::String) return;
    std::string partition = region.text.starts_with("cn-")       ? "aws-cn"
                            : region.text.starts_with("us-gov-") ? "aws-us-gov"
                            : region.text.starts_with("us-iso")  ? ""
                                                                 : "aws";
    if (partition.empty()) return;
    set("partition", Value::of(partition));
    set("id", Value::of(partition));
    set("dns_suffix", Value::of(partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"));
  } else if (r.type == "aws_caller_identity") {
    Value allowed = provider_attribute(r.provider, "allowed_account_ids");
    if (allowed.kind == Kind::Tuple && allowed.items.size() == 1 && allowed.items[0].kind == Kind::String) {
      set("account_id", allowed.items[0]);
      set("id", allowed.items[0]);
    }
  } else if (r.type == "aws_iam_policy_document") {
    set("json", policy_json(v));
    set("minified_json", v.fields["json"]);
  }
}

Instance::CallState& Instance::call(const ModuleCall& c) {
  CallState& s = calls_[c.name];
  if (s.expanded) return s;
  s.expanded = true;
  auto child_node = node_.children.find(c.name);
  if (child_node == node_.children.end() || !child_node->second) return s;
  std::string base = (address_.empty() ? "" : address_ + ".") + "module." + c.name;
  Expansion x = expand(loader_, *this, c.count, c.for_each, base);
  if (!x.known) {
    loader_.note(base + ": its number of instances is not known from the source (" + x.why + "): it is not linted");
    return s;
  }
  auto make = [&](const std::optional<Value>& key, const Value* each_value) {
    auto child = std::make_unique<Instance>(loader_, *child_node->second, base + (key ? index_text(*key) : ""), this);
    child->from_call(&c, key, each_value ? *each_value : Value::null(), x.counted);
    s.instances.emplace_back(key, std::move(child));
  };
  if (x.single) {
    make(std::nullopt, nullptr);
  } else {
    for (const auto& [key, each_value] : x.keys) make(key, x.counted ? nullptr : &each_value);
  }
  return s;
}

Value Instance::var(const std::string& name, const hcl::Range& at) {
  if (auto it = vars.find(name); it != vars.end()) return it->second;
  const Variable* decl = nullptr;
  for (const Variable& v : node_.mod->variables)
    if (v.name == name) decl = &v;
  if (!decl || !call_ || !parent_) throw hcl::EvalError{"there is no variable `" + name + "` in this module", at};
  if (vars_busy_.contains(name)) return Value::unknown("var." + name + " refers to itself");
  static const std::set<std::string> meta = {"source", "version", "count", "for_each", "providers", "depends_on"};
  const hcl::Attribute* a = meta.contains(name) ? nullptr : call_->block->body->attribute(name);
  Value value;
  if (a) {
    vars_busy_.insert(name);
    Bound scope(*parent_, call_key_, call_counted_ ? nullptr : &call_each_, call_counted_);
    value = loader_.evaluate(*a->expr, scope);
    vars_busy_.erase(name);
    if (value.is_null() && !decl->nullable && decl->default_value)
      value = loader_.evaluate_constant(*decl->default_value);
  } else if (decl->default_value) {
    value = loader_.evaluate_constant(*decl->default_value);
  } else {
    value = Value::unknown("module argument `" + name + "` is not given");
  }
  value.sensitive = value.sensitive || decl->sensitive;
  return vars[name] = value;
}

Value Instance::output(const std::string& name) {
  if (auto it = outputs_.find(name); it != outputs_.end()) return it->second;
  const Output* decl = nullptr;
  for (const Output& o : node_.mod->outputs)
    if (o.name == name) decl = &o;
  if (!decl || !decl->value) return Value::unknown("module output `" + name + "` is not declared");
  if (outputs_busy_.contains(name)) return Value::unknown("output `" + name + "` refers to itself");
  outputs_busy_.insert(name);
  Value v = loader_.evaluate(*decl->value, *this);
  if (decl->sensitive) v.sensitive = true;
  outputs_busy_.erase(name);
  return outputs_[name] = v;
}

Value Instance::module_value(const ModuleCall& c) {
  CallState& s = call(c);
  if (s.state == 2) return s.value;
  if (s.state == 1) return Value::unknown("module." + c.name + " refers to itself");
  s.state = 1;
  auto outputs_of = [&](Instance& child) {
    std::map<std::string, Value> fields;
    for (const Output& o : child.node().mod->outputs) fields[o.name] = child.output(o.name);
    return Value::object(std::move(fields));
  };
  auto child_node = node_.children.find(c.name);
  if (child_node == node_.children.end() || !child_node->second) {
    s.value = Value::unknown("module." + c.name + " is not installed here");
  } else if (!c.count && !c.for_each) {
    s.value = s.instances.empty() ? Value::unknown("module." + c.name + " is not read")
                                  : outputs_of(*s.instances.front().second);
  } else if (s.instances.empty() && (c.count || c.for_each)) {
    // Zero instances, or a number known only after apply.
    Expansion x = expand(loader_, *this, c.count, c.for_each, "module." + c.name);
    s.value = !x.known ? Value::unknown(x.why) : c.count ? Value::tuple({}) : Value::object({});
  } else if (c.count) {
    std::vector<Value> items;
    for (auto& [key, child] : s.instances) items.push_back(outputs_of(*child));
    s.value = Value::tuple(std::move(items));
  } else {
    std::map<std::string, Value> fields;
    for (auto& [key, child] : s.instances) fields[key->text] = outputs_of(*child);
    s.value = Value::object(std::move(fields));
  }
  s.state = 2;
  return s.value;
}

}  // namespace

std::string plan_document(const std::string& root_dir, const SourceOptions& options, std::string& error,
                          std::vector<std::string>& notes) {
  Loader loader(root_dir, options, notes);
  return loader.run(error);
}

std::unique_ptr<Plan> load_source(const std::string& root_dir, const SourceOptions& options, LoadError& error) {
  std::vector<std::string> notes;
  std::string message;
  std::string doc = plan_document(root_dir, options, message, notes);
  if (doc.empty()) {
    error.kind = LoadErrorKind::Syntax;
    error.message = message;
    return nullptr;
  }
  auto plan = load_plan(root_dir, simdjson::padded_string(doc), error);
  if (!plan) return nullptr;
  plan->kind = DocumentKind::Source;
  plan->terraform_version = "";
  plan->format_version = "";
  for (auto& n : notes) plan->notes.push_back(std::move(n));
  return plan;
}

}  // namespace tfwarden::source
