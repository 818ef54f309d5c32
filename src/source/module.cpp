#include "source/module.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "hcl/parser.h"
#include "plan/encoding.h"

namespace tfwarden::source {

namespace fs = std::filesystem;

namespace {

bool is_source_name(const std::string& name) {
  return name.ends_with(".tf");
}

bool is_override(const std::string& name) {
  return name == "override.tf" || name.ends_with("_override.tf");
}

// The text of `provider = aws.west`, `aws = aws.primary`: a name with an optional alias.
std::string provider_ref(const hcl::Expr& e) {
  if (e.kind == hcl::ExprKind::Variable) return e.text;
  if (e.kind == hcl::ExprKind::GetAttr && e.kids[0]->kind == hcl::ExprKind::Variable)
    return e.kids[0]->text + "." + e.text;
  return "";
}

void error(Module& m, const std::string& file, const hcl::Range& at, std::string message, std::string help) {
  m.errors.push_back(hcl::Diagnostic{file, at.begin, std::move(message), std::move(help)});
}

void read_block(Module& m, const hcl::Block& b, const std::string& file) {
  const hcl::Body& body = *b.body;
  auto attr = [&](const char* name) -> const hcl::Expr* {
    const hcl::Attribute* a = body.attribute(name);
    return a ? a->expr.get() : nullptr;
  };
  auto flag = [&](const char* name, bool fallback) {
    const hcl::Expr* e = attr(name);
    if (e && e->kind == hcl::ExprKind::Literal && e->literal == hcl::LiteralType::Bool) return e->boolean;
    return fallback;
  };
  auto labels = [&](size_t n, const char* what) {
    if (b.labels.size() == n) return true;
    error(m, file, b.type_range, "a " + b.type + " block needs " + what, "");
    return false;
  };
  if (b.type == "variable") {
    if (!labels(1, "one label, its name")) return;
    m.variables.push_back(Variable{b.labels[0], attr("default"), attr("description"), attr("type"),
                                   flag("sensitive", false), flag("nullable", true)});
  } else if (b.type == "locals") {
    for (const auto& a : body.attributes) m.locals.push_back(&a);
  } else if (b.type == "resource" || b.type == "data" || b.type == "ephemeral") {
    if (!labels(2, "two labels, its type and name")) return;
    ResourceBlock r;
    r.type = b.labels[0];
    r.name = b.labels[1];
    r.data = b.type == "data";
    r.ephemeral = b.type == "ephemeral";
    r.block = &b;
    r.count = attr("count");
    r.for_each = attr("for_each");
    r.file = file;
    const hcl::Expr* p = attr("provider");
    r.provider = p ? provider_ref(*p) : r.type.substr(0, r.type.find('_'));
    m.resources.push_back(std::move(r));
  } else if (b.type == "module") {
    if (!labels(1, "one label, its name")) return;
    ModuleCall c;
    c.name = b.labels[0];
    c.block = &b;
    c.count = attr("count");
    c.for_each = attr("for_each");
    c.file = file;
    if (const hcl::Expr* s = attr("source")) c.source = hcl::literal_string(*s).value_or("");
    if (const hcl::Expr* p = attr("providers"); p && p->kind == hcl::ExprKind::Object) {
      for (size_t i = 0; i + 1 < p->kids.size(); i += 2) {
        std::string child = p->kids[i]->bare_key ? p->kids[i]->text : provider_ref(*p->kids[i]);
        if (child.empty()) child = hcl::literal_string(*p->kids[i]).value_or("");
        c.providers[child] = provider_ref(*p->kids[i + 1]);
      }
    }
    m.calls.push_back(std::move(c));
  } else if (b.type == "provider") {
    if (!labels(1, "one label, the provider's name")) return;
    ProviderBlock p;
    p.name = b.labels[0];
    p.block = &b;
    if (const hcl::Expr* a = attr("alias")) p.alias = hcl::literal_string(*a).value_or("");
    m.providers.push_back(std::move(p));
  } else if (b.type == "output") {
    if (!labels(1, "one label, its name")) return;
    m.outputs.push_back(Output{b.labels[0], attr("value"), attr("description"), flag("sensitive", false)});
  } else if (b.type == "terraform") {
    for (const auto& inner : body.blocks) {
      if (inner.type != "required_providers") continue;
      for (const auto& a : inner.body->attributes) {
        const hcl::Expr& e = *a.expr;
        if (e.kind != hcl::ExprKind::Object) {
          m.required_providers[a.name] = hcl::literal_string(e).value_or("");  // the old `aws = "~> 5.0"`
          m.provider_versions[a.name] = m.required_providers[a.name];
          m.required_providers[a.name] = "hashicorp/" + a.name;
          continue;
        }
        for (size_t i = 0; i + 1 < e.kids.size(); i += 2) {
          std::string key = e.kids[i]->bare_key ? e.kids[i]->text : hcl::literal_string(*e.kids[i]).value_or("");
          std::string value = hcl::literal_string(*e.kids[i + 1]).value_or("");
          if (key == "source") m.required_providers[a.name] = value;
          if (key == "version") m.provider_versions[a.name] = value;
        }
        if (!m.required_providers.contains(a.name)) m.required_providers[a.name] = "hashicorp/" + a.name;
      }
    }
  }
}

}  // namespace

bool has_source(const std::string& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_regular_file(type_ec) && is_source_name(it->path().filename().string())) return true;
  }
  return false;
}

std::unique_ptr<Module> read_module(const std::string& dir) {
  auto m = std::make_unique<Module>();
  m->dir = dir;
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    std::string name = it->path().filename().string();
    if (it->is_regular_file(type_ec) && is_source_name(name)) names.push_back(name);
  }
  if (ec) {
    m->errors.push_back(hcl::Diagnostic{dir, {}, "cannot read the directory: " + ec.message(), ""});
    return m;
  }
  std::sort(names.begin(), names.end());
  m->files.reserve(names.size());
  for (const std::string& name : names) {
    std::string path = (fs::path(dir) / name).lexically_normal().string();
    if (is_override(name)) {
      m->notes.push_back(path + ": override files are not merged yet; the blocks it overrides are read as written");
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      m->errors.push_back(hcl::Diagnostic{path, {}, "cannot read the file", ""});
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::string content = text.str();
    if (size_t bad = find_invalid_utf8(content); bad != std::string::npos) {
      // Terraform reads UTF-8 only: a Latin-1 or UTF-16 file is refused, at the first bad byte.
      hcl::File refused = hcl::parse(content.substr(0, bad), path);
      hcl::Pos at = refused.body.range.end;
      m->errors.push_back(hcl::Diagnostic{path, at, "the file is not UTF-8 (byte " + std::to_string(bad) + ")",
                                          "save it as UTF-8, as Terraform requires"});
      continue;
    }
    m->files.push_back(hcl::parse(content, path));
  }
  for (const hcl::File& f : m->files) {
    m->errors.insert(m->errors.end(), f.errors.begin(), f.errors.end());
    for (const hcl::Block& b : f.body.blocks) read_block(*m, b, f.path);
  }
  // Names Terraform refuses to see twice in one module.
  std::map<std::string, const hcl::Block*> seen;
  auto once = [&](const std::string& what, const std::string& name, const hcl::Block* b, const std::string& file) {
    auto [it, fresh] = seen.emplace(what + " " + name, b);
    if (!fresh)
      error(*m, file, b->type_range,
            what + " `" + name + "` is declared twice (first on line " + std::to_string(it->second->range.begin.line) +
                ")",
            "rename or remove one of them");
  };
  for (const auto& r : m->resources)
    once(r.data ? "data source" : r.ephemeral ? "ephemeral resource" : "resource", r.key(), r.block, r.file);
  for (const auto& c : m->calls) once("module call", c.name, c.block, c.file);
  std::map<std::string, const hcl::Attribute*> locals;
  for (const hcl::Attribute* a : m->locals) {
    auto [it, fresh] = locals.emplace(a->name, a);
    std::string file = m->dir;
    for (const hcl::File& f : m->files)
      for (const hcl::Block& b : f.body.blocks)
        if (b.type == "locals")
          for (const auto& attr : b.body->attributes)
            if (&attr == a) file = f.path;
    if (!fresh)
      m->errors.push_back(hcl::Diagnostic{file, a->name_range.begin,
                                          "local value `" + a->name + "` is declared twice (first on line " +
                                              std::to_string(it->second->range.begin.line) + ")",
                                          "rename or remove one of them"});
  }
  for (const auto& p : m->providers)
    if (!p.alias.empty()) once("provider", p.local_key(), p.block, m->dir);
  return m;
}

}  // namespace tfwarden::source
