#include "rules/fragment.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "plan/address.h"
#include "rules/expr.h"
#include "rules/toml_util.h"

namespace tfwarden {

namespace {

using Json = nlohmann::ordered_json;

// The Terraform version the generated documents say they come from: the one the fixtures use.
constexpr const char* kTerraformVersion = "1.11.4";

const std::vector<std::string> kResourceKeys = {"address", "action",    "values", "computed", "unknown", "nulls",
                                                "refs",    "sensitive", "before", "provider", "count",   "for_each"};
const std::vector<std::string> kModuleKeys = {"address", "source", "inputs", "refs", "outputs", "count", "for_each"};
const std::vector<std::string> kActions = {"create", "update", "delete", "replace", "no-op", "read"};

Json to_json(const toml::node& n, const std::string& key) {
  switch (n.type()) {
    case toml::node_type::string:
      return n.as_string()->get();
    case toml::node_type::integer:
      return n.as_integer()->get();
    case toml::node_type::floating_point:
      return n.as_floating_point()->get();
    case toml::node_type::boolean:
      return n.as_boolean()->get();
    case toml::node_type::array: {
      Json a = Json::array();
      for (const auto& e : *n.as_array()) a.push_back(to_json(e, key));
      return a;
    }
    case toml::node_type::table: {
      Json o = Json::object();
      for (auto&& [k, v] : *n.as_table()) o[std::string(k.str())] = to_json(v, key);
      return o;
    }
    default:
      toml_fail(line_of(n), key, "expected a value a plan can hold, found " + toml_type_name(n));
  }
}

const toml::table* opt_table(const toml::table& t, std::string_view k, const std::string& key) {
  const toml::node* n = t.get(k);
  if (!n) return nullptr;
  if (!n->is_table()) toml_fail(line_of(*n), key, "expected a table, found " + toml_type_name(*n));
  return n->as_table();
}

std::vector<std::string> str_list(const toml::node& n, const std::string& key) {
  std::vector<std::string> out;
  if (n.is_string()) return {n.as_string()->get()};
  if (!n.is_array()) toml_fail(line_of(n), key, "expected an array of strings, found " + toml_type_name(n));
  for (const auto& e : *n.as_array()) {
    if (!e.is_string())
      toml_fail(line_of(e), key, "expected an array of strings, found an element that is " + toml_type_name(e));
    out.push_back(e.as_string()->get());
  }
  return out;
}

// One step of an attribute path (`ingress[0].cidr_blocks`, `tags["Name"]`).
struct Step {
  std::string key;
  size_t index = 0;
  bool is_index = false;
};

std::vector<Step> parse_path(const std::string& text, size_t line, const std::string& key) {
  auto bad = [&](const std::string& why) {
    toml_fail(line, key,
              "`" + text + "` is not an attribute path (" + why + "): write `name`, `block[0].name` or `map[\"key\"]`");
  };
  std::vector<Step> out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '[') {
      size_t end = text.find(']', i);
      if (end == std::string::npos) bad("an unclosed `[`");
      std::string inner = text.substr(i + 1, end - i - 1);
      if (inner.size() >= 2 && inner.front() == '"' && inner.back() == '"') {
        out.push_back({inner.substr(1, inner.size() - 2), 0, false});
      } else if (!inner.empty() && inner.find_first_not_of("0123456789") == std::string::npos) {
        out.push_back({"", std::stoul(inner), true});
      } else {
        bad("an index is a number or a quoted key");
      }
      i = end + 1;
      if (i < text.size() && text[i] == '.') ++i;
      continue;
    }
    size_t end = text.find_first_of(".[", i);
    if (end == std::string::npos) end = text.size();
    if (end == i) bad("an empty name");
    out.push_back({text.substr(i, end - i), 0, false});
    i = end;
    if (i < text.size() && text[i] == '.') ++i;
  }
  if (out.empty()) bad("it is empty");
  return out;
}

// The place `steps` names in `root`, created (objects, arrays padded with `pad`) where missing.
Json& place(Json& root, const std::vector<Step>& steps, const Json& pad) {
  Json* at = &root;
  for (const auto& s : steps) {
    if (s.is_index) {
      if (!at->is_array()) *at = Json::array();
      while (at->size() <= s.index) at->push_back(pad);
      at = &(*at)[s.index];
    } else {
      if (!at->is_object()) *at = Json::object();
      at = &(*at)[s.key];
    }
  }
  return *at;
}

const Json* find(const Json& root, const std::vector<Step>& steps) {
  const Json* at = &root;
  for (const auto& s : steps) {
    if (s.is_index) {
      if (!at->is_array() || at->size() <= s.index) return nullptr;
      at = &(*at)[s.index];
    } else {
      if (!at->is_object() || !at->contains(s.key)) return nullptr;
      at = &(*at)[s.key];
    }
  }
  return at;
}

// A planned value as the configuration writes it: a list of objects is a list of blocks, each
// attribute of which has its own expression; anything else is one constant.
Json expression_of(const Json& v) {
  bool blocks = v.is_array() && !v.empty();
  for (const auto& e : v.is_array() ? v : Json::array()) blocks = blocks && e.is_object();
  if (!blocks) return Json{{"constant_value", v}};
  Json out = Json::array();
  for (const auto& block : v) {
    Json b = Json::object();
    for (const auto& [k, x] : block.items()) b[k] = expression_of(x);
    out.push_back(std::move(b));
  }
  return out;
}

// The references Terraform records for one traversal: the traversal and each prefix down to the
// object it starts at (`aws_lb.this[0].arn`, `aws_lb.this[0]`, `aws_lb.this`).
void add_references(const std::string& ref, Json& out, size_t line, const std::string& key) {
  auto steps = split_traversal(ref);
  if (!steps || steps->empty())
    toml_fail(line, key, "`" + ref + "` is not a reference (`aws_lb.this.arn`, `var.name`, `module.m.out`)");
  const std::string& head = steps->front().name;
  size_t root = head == "data" ? 3 : 2;
  if (steps->size() < root)
    toml_fail(line, key, "`" + ref + "` is not a reference: it names no object (`" + head + ".NAME`)");
  std::vector<TraversalStep> cur = *steps;
  for (;;) {
    std::string text;
    for (const auto& s : cur) {
      text += (text.empty() ? "" : ".") + s.name;
      if (s.has_key) text += "[" + s.key + "]";
    }
    bool seen = false;
    for (const auto& r : out) seen = seen || r == text;
    if (!seen) out.push_back(text);
    if (cur.back().has_key) {
      cur.back().has_key = false;
      cur.back().key.clear();
    } else if (cur.size() > root) {
      cur.pop_back();
    } else {
      break;
    }
  }
}

Json references_of(const toml::node& n, const std::string& key) {
  Json refs = Json::array();
  for (const auto& r : str_list(n, key)) add_references(r, refs, line_of(n), key);
  return refs;
}

// `registry.terraform.io/hashicorp/aws` for `aws_lb`.
std::string provider_source(const std::string& type) {
  if (type == "terraform_data") return "terraform.io/builtin/terraform";
  return "registry.terraform.io/hashicorp/" + type.substr(0, type.find('_'));
}

struct Address {
  std::vector<std::pair<std::string, std::string>> modules;  // call name, instance key ("" if none)
  std::string module_address;                                // as written, with instance keys
  bool data = false;
  std::string type, name, key;
  bool has_key = false;
};

Address parse_address(const std::string& text, size_t line, const std::string& key) {
  auto bad = [&] {
    toml_fail(
        line, key,
        "`" + text +
            "` is not a resource address (`aws_lb.public`, `module.edge.aws_lb.public[0]`, `data.aws_region.current`)");
  };
  auto steps = split_traversal(text);
  if (!steps) bad();
  Address a;
  size_t i = 0;
  while (i + 1 < steps->size() && (*steps)[i].name == "module" && !(*steps)[i].has_key) {
    const auto& call = (*steps)[i + 1];
    a.modules.emplace_back(call.name, call.has_key ? call.key : "");
    a.module_address += (a.module_address.empty() ? "" : ".") + std::string("module.") + call.name;
    if (call.has_key) a.module_address += "[" + call.key + "]";
    i += 2;
  }
  if (i < steps->size() && (*steps)[i].name == "data" && !(*steps)[i].has_key) {
    a.data = true;
    ++i;
  }
  if (i + 2 != steps->size() || (*steps)[i].has_key) bad();
  a.type = (*steps)[i].name;
  a.name = (*steps)[i + 1].name;
  a.has_key = (*steps)[i + 1].has_key;
  a.key = (*steps)[i + 1].key;
  return a;
}

Json index_json(const std::string& key, size_t line, const std::string& where) {
  try {
    return Json::parse(key);
  } catch (const nlohmann::json::exception&) {
    toml_fail(line, where, "instance key `[" + key + "]` is neither a number nor a quoted string");
  }
}

// The configuration of one module: its resources, each once, and the calls it makes.
struct ModuleConfig {
  Json resources = Json::array();
  std::set<std::string> addresses;
  std::map<std::string, ModuleConfig> calls;
  Json call = Json::object();     // source and expressions of the call that makes this module
  Json outputs = Json::object();  // output name -> its expression
};

// The resources of one module instance in a state or prior_state, and its child instances.
struct ModuleValues {
  Json resources = Json::array();
  std::map<std::string, ModuleValues> children;  // by instance address
};

Json values_json(const ModuleValues& m, const std::string& address) {
  Json out = Json::object();
  if (!m.resources.empty()) out["resources"] = m.resources;
  if (!address.empty()) out["address"] = address;
  if (!m.children.empty()) {
    Json kids = Json::array();
    for (const auto& [a, c] : m.children) kids.push_back(values_json(c, a));
    out["child_modules"] = std::move(kids);
  }
  return out;
}

ModuleValues& values_module(ModuleValues& root, const Address& a) {
  ModuleValues* at = &root;
  std::string path;
  for (const auto& [call, key] : a.modules) {
    path += (path.empty() ? "" : ".") + std::string("module.") + call;
    if (!key.empty()) path += "[" + key + "]";
    at = &at->children[path];
  }
  return *at;
}

ModuleConfig& config_module(ModuleConfig& root, const std::vector<std::string>& calls) {
  ModuleConfig* at = &root;
  for (const auto& c : calls) {
    ModuleConfig& next = at->calls[c];
    if (!next.call.contains("source")) next.call["source"] = "./modules/" + c;
    at = &next;
  }
  return *at;
}

Json config_json(const ModuleConfig& m) {
  Json out = Json::object();
  if (!m.resources.empty()) out["resources"] = m.resources;
  if (!m.outputs.empty()) out["outputs"] = m.outputs;
  if (!m.calls.empty()) {
    Json calls = Json::object();
    for (const auto& [name, c] : m.calls) {
      Json call = c.call;
      call["module"] = config_json(c);
      calls[name] = std::move(call);
    }
    out["module_calls"] = std::move(calls);
  }
  return out;
}

// `count` or `for_each` of a resource or module call, as its configuration expression.
void add_repetition(const toml::table& t, Json& out, const std::string& prefix) {
  for (const char* k : {"count", "for_each"}) {
    const toml::node* n = t.get(k);
    if (!n) continue;
    std::string key = prefix + k;
    Json v = to_json(*n, key);
    if (std::string(k) == "count" && !v.is_number_integer())
      toml_fail(line_of(*n), key, "expected an integer, found " + toml_type_name(*n));
    out[std::string(k) + "_expression"] = Json{{"constant_value", v}};
  }
}

// Constants and `refs` of a table as configuration expressions (a module call's inputs, a
// provider configuration's arguments).
Json expressions_of(const toml::table* constants, const toml::table* refs, const std::string& prefix) {
  Json out = Json::object();
  if (constants)
    for (auto&& [k, v] : *constants)
      out[std::string(k.str())] = expression_of(to_json(v, prefix + std::string(k.str())));
  if (refs)
    for (auto&& [k, v] : *refs) {
      std::string key = prefix + "refs." + std::string(k.str());
      out[std::string(k.str())] = Json{{"references", references_of(v, key)}};
    }
  return out;
}

class Builder {
 public:
  explicit Builder(const toml::table& test) : test_(test) {}

  std::string build() {
    state_ = false;
    if (const toml::node* n = test_.get("state")) {
      if (!n->is_boolean()) toml_fail(line_of(*n), "test.state", "expected a boolean, found " + toml_type_name(*n));
      state_ = n->as_boolean()->get();
    }
    const toml::node* list = test_.get("resource");
    if (!list->is_array_of_tables()) toml_fail(line_of(*list), "test.resource", "expected [[test.resource]] tables");
    for (const auto& n : *list->as_array()) add_resource(*n.as_table());
    if (const toml::node* mods = test_.get("module")) {
      if (state_)
        toml_fail(line_of(*mods), "test.module", "a state has no configuration: give module calls in a plan test");
      if (!mods->is_array_of_tables()) toml_fail(line_of(*mods), "test.module", "expected [[test.module]] tables");
      for (const auto& n : *mods->as_array()) add_module(*n.as_table());
    }

    Json doc = Json::object();
    if (state_) {
      doc["format_version"] = "1.0";
      doc["terraform_version"] = kTerraformVersion;
      if (test_.get("providers") || test_.get("variables"))
        toml_fail(line_of(test_), "test",
                  "a state has no configuration: `providers` and `variables` belong to a plan test");
      doc["values"] = Json{{"root_module", values_json(prior_, "")}};
      return doc.dump(2);
    }
    doc["format_version"] = "1.2";
    doc["terraform_version"] = kTerraformVersion;
    Json config = Json::object();
    config["provider_config"] = providers();
    Json root = config_json(config_);
    if (const toml::table* vars = opt_table(test_, "variables", "test.variables")) {
      Json values = Json::object(), decl = Json::object();
      for (auto&& [k, v] : *vars) {
        values[std::string(k.str())] = Json{{"value", to_json(v, "test.variables." + std::string(k.str()))}};
        decl[std::string(k.str())] = Json::object();
      }
      doc["variables"] = std::move(values);
      root["variables"] = std::move(decl);
    }
    doc["resource_changes"] = changes_;
    if (!prior_.resources.empty() || !prior_.children.empty())
      doc["prior_state"] = Json{{"format_version", "1.0"},
                                {"terraform_version", kTerraformVersion},
                                {"values", Json{{"root_module", values_json(prior_, "")}}}};
    config["root_module"] = std::move(root);
    doc["configuration"] = std::move(config);
    return doc.dump(2);
  }

 private:
  Json providers() const {
    Json out = Json::object();
    const toml::table* given = opt_table(test_, "providers", "test.providers");
    if (!given) {
      out["aws"] = Json{{"name", "aws"},
                        {"full_name", "registry.terraform.io/hashicorp/aws"},
                        {"expressions", Json{{"region", Json{{"constant_value", "us-east-1"}}}}}};
      return out;
    }
    for (auto&& [k, v] : *given) {
      std::string name(k.str()), key = "test.providers." + name;
      if (!v.is_table())
        toml_fail(line_of(v), key,
                  "expected a table of arguments (`{ region = \"us-east-1\" }`), found " + toml_type_name(v));
      // `aws`, `aws.eu`, or `module.edge:aws` for a configuration inside a module.
      std::string module, local = name;
      if (auto colon = name.rfind(':'); colon != std::string::npos) {
        module = name.substr(0, colon);
        local = name.substr(colon + 1);
      }
      std::string type = local.substr(0, local.find('.'));
      Json p = Json{{"name", type}, {"full_name", provider_source(type + "_")}};
      if (local.find('.') != std::string::npos) p["alias"] = local.substr(local.find('.') + 1);
      if (!module.empty()) p["module_address"] = module;
      toml::table constants = *v.as_table();
      const toml::table* refs = opt_table(constants, "refs", key + ".refs");
      toml::table refs_copy = refs ? *refs : toml::table{};
      constants.erase("refs");
      p["expressions"] = expressions_of(&constants, refs ? &refs_copy : nullptr, key + ".");
      out[name] = std::move(p);
    }
    return out;
  }

  void add_module(const toml::table& t) {
    size_t line = line_of(t);
    check_keys(t, "test.module.", kModuleKeys);
    std::string text = opt_string(t, "test.module.", "address");
    if (text.empty()) toml_fail(line, "test.module.address", "missing (the call's address: `module.edge`)");
    auto steps = split_traversal(text);
    std::vector<std::string> calls;
    for (size_t i = 0; steps && i + 1 < steps->size(); i += 2) {
      if ((*steps)[i].name != "module" || (*steps)[i + 1].has_key) {
        calls.clear();
        break;
      }
      calls.push_back((*steps)[i + 1].name);
    }
    if (!steps || calls.empty() || steps->size() != calls.size() * 2)
      toml_fail(line, "test.module.address",
                "`" + text + "` is not a module call's address (`module.edge`, `module.a.module.b`, no instance keys)");
    ModuleConfig& m = config_module(config_, calls);
    if (std::string src = opt_string(t, "test.module.", "source"); !src.empty()) m.call["source"] = src;
    Json exprs = expressions_of(opt_table(t, "inputs", "test.module.inputs"), opt_table(t, "refs", "test.module.refs"),
                                "test.module.");
    if (!exprs.empty()) m.call["expressions"] = std::move(exprs);
    add_repetition(t, m.call, "test.module.");
    // Outputs by the references of their expressions: `outputs = { key_arn = ["aws_kms_key.this.arn"] }`.
    if (const toml::table* outs = opt_table(t, "outputs", "test.module.outputs"))
      for (auto&& [k, v] : *outs) {
        std::string key = "test.module.outputs." + std::string(k.str());
        m.outputs[std::string(k.str())] = Json{{"expression", Json{{"references", references_of(v, key)}}}};
      }
  }

  void add_resource(const toml::table& t) {
    size_t line = line_of(t);
    check_keys(t, "test.resource.", kResourceKeys);
    std::string text = opt_string(t, "test.resource.", "address");
    if (text.empty()) toml_fail(line, "test.resource.address", "missing (the instance's address: `aws_lb.public`)");
    Address a = parse_address(text, line, "test.resource.address");
    std::string action = opt_string(t, "test.resource.", "action");
    if (!action.empty() && std::find(kActions.begin(), kActions.end(), action) == kActions.end())
      toml_fail(line_of(*t.get("action")), "test.resource.action",
                "`" + action + "` is not one of create, update, delete, replace, no-op, read");
    if (!action.empty() && state_)
      toml_fail(line_of(*t.get("action")), "test.resource.action", "a state holds no changes: leave `action` out");
    if (action == "read" && !a.data)
      toml_fail(line_of(*t.get("action")), "test.resource.action", "only a data source is read (`data.TYPE.NAME`)");
    if (a.data && !action.empty() && action != "read")
      toml_fail(line_of(*t.get("action")), "test.resource.action", "a data source is read, never `" + action + "`");

    // The planned values: constants the configuration sets, computed values it does not.
    Json after = Json::object();
    Json expressions = Json::object();
    if (const toml::table* values = opt_table(t, "values", "test.resource.values"))
      for (auto&& [k, v] : *values) {
        Json j = to_json(v, "test.resource.values." + std::string(k.str()));
        expressions[std::string(k.str())] = expression_of(j);
        after[std::string(k.str())] = std::move(j);
      }
    if (const toml::table* computed = opt_table(t, "computed", "test.resource.computed"))
      for (auto&& [k, v] : *computed) {
        std::string key = "test.resource.computed." + std::string(k.str());
        if (after.contains(std::string(k.str()))) toml_fail(line_of(v), key, "is in `values` too: give it once");
        after[std::string(k.str())] = to_json(v, key);
      }
    if (const toml::node* n = t.get("nulls"))
      for (const auto& p : str_list(*n, "test.resource.nulls"))
        place(after, parse_path(p, line_of(*n), "test.resource.nulls"), Json::object()) = nullptr;

    Json unknown = Json::object();
    if (const toml::node* n = t.get("unknown"))
      for (const auto& p : str_list(*n, "test.resource.unknown")) {
        auto steps = parse_path(p, line_of(*n), "test.resource.unknown");
        if (find(after, steps))
          toml_fail(line_of(*n), "test.resource.unknown",
                    "`" + p + "` has a value in `values` or `computed`: a value is known or unknown, not both");
        place(unknown, steps, Json::object()) = true;
      }
    if (const toml::table* refs = opt_table(t, "refs", "test.resource.refs"))
      for (auto&& [k, v] : *refs) {
        std::string key = "test.resource.refs." + std::string(k.str());
        auto steps = parse_path(std::string(k.str()), line_of(v), key);
        place(expressions, steps, Json::object()) = Json{{"references", references_of(v, key)}};
        // A value the configuration computes from other objects is known after apply, unless
        // the test gives it (a variable's value, an attribute known at plan time).
        if (!find(after, steps)) place(unknown, steps, Json::object()) = true;
      }
    Json sensitive = Json::object();
    if (const toml::node* n = t.get("sensitive"))
      for (const auto& p : str_list(*n, "test.resource.sensitive"))
        place(sensitive, parse_path(p, line_of(*n), "test.resource.sensitive"), Json::object()) = true;

    Json before = nullptr;
    if (const toml::table* b = opt_table(t, "before", "test.resource.before")) {
      if (action != "update" && action != "replace" && action != "delete" && action != "no-op")
        toml_fail(line_of(*t.get("before")), "test.resource.before",
                  "only an update, replace, delete or no-op has values before the change (set `action`)");
      before = to_json(*b, "test.resource.before");
    }
    if (action == "update" && before.is_null())
      toml_fail(line, "test.resource.before", "an update needs the values before the change (`before = { ... }`)");
    if (action == "no-op" && before.is_null()) before = after;
    if ((action == "delete" || action == "replace") && before.is_null()) before = after;

    std::string provider = opt_string(t, "test.resource.", "provider");
    if (provider.empty()) provider = a.type.substr(0, a.type.find('_'));
    if (a.type == "terraform_data") provider = "terraform";

    // The configuration, once per resource block (instances of one block share it). A deleted
    // resource has left the configuration.
    if (!state_ && action != "delete") {
      std::vector<std::string> calls;
      for (const auto& [call, key] : a.modules) calls.push_back(call);
      ModuleConfig& m = config_module(config_, calls);
      std::string config_address = (a.data ? "data." : "") + a.type + "." + a.name;
      if (m.addresses.insert(config_address).second) {
        Json r = Json::object();
        r["address"] = config_address;
        r["mode"] = a.data ? "data" : "managed";
        r["type"] = a.type;
        r["name"] = a.name;
        r["provider_config_key"] = provider;
        if (!expressions.empty()) r["expressions"] = expressions;  // Terraform leaves an empty map out
        r["schema_version"] = 0;
        add_repetition(t, r, "test.resource.");
        m.resources.push_back(std::move(r));
      }
    }

    Json head = Json::object();
    head["address"] = text;
    if (!a.module_address.empty()) head["module_address"] = a.module_address;
    head["mode"] = a.data ? "data" : "managed";
    head["type"] = a.type;
    head["name"] = a.name;
    if (a.has_key) head["index"] = index_json(a.key, line, "test.resource.address");
    head["provider_name"] = provider_source(a.type);

    // A state, and a data source read while planning (prior_state): values, all known.
    if (state_ || (a.data && action.empty())) {
      if (!unknown.empty())
        toml_fail(line, "test.resource.unknown",
                  state_ ? "a state holds no unknown values"
                         : "a data source read while planning has no unknown values: set `action = \"read\"` to read "
                           "it during apply");
      Json r = head;
      r["schema_version"] = 0;
      r["values"] = after;
      r["sensitive_values"] = sensitive;
      values_module(prior_, a).resources.push_back(std::move(r));
      return;
    }

    Json actions = action == "replace" ? Json::array({"delete", "create"})
                                       : Json::array({action.empty() ? std::string("create") : action});
    bool gone = action == "delete";
    Json change = Json::object();
    change["actions"] = std::move(actions);
    change["before"] = before;
    change["after"] = gone ? Json(nullptr) : after;
    change["after_unknown"] = gone ? Json::object() : unknown;
    change["before_sensitive"] = before.is_null() ? Json(false) : sensitive;
    change["after_sensitive"] = gone ? Json(false) : sensitive;
    head["change"] = std::move(change);
    changes_.push_back(std::move(head));
  }

  const toml::table& test_;
  bool state_ = false;
  Json changes_ = Json::array();
  ModuleConfig config_;
  ModuleValues prior_;
};

}  // namespace

bool is_fragment_test(const toml::table& test) {
  return test.get("resource") != nullptr;
}

std::string fragment_document(const toml::table& test) {
  return Builder(test).build();
}

}  // namespace tfwarden
