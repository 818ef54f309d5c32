#include "rules/rule.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>

#include "rules/bundled.h"
#include "rules/compiled.h"
#include "rules/fragment.h"
#include "rules/toml_util.h"

namespace tfwarden {

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Info: return "info";
    case Severity::Low: return "low";
    case Severity::Medium: return "medium";
    case Severity::High: return "high";
    case Severity::Critical: return "critical";
  }
  return "medium";
}

bool parse_severity(std::string_view t, Severity& out) {
  for (Severity s : {Severity::Info, Severity::Low, Severity::Medium, Severity::High, Severity::Critical})
    if (t == severity_name(s)) {
      out = s;
      return true;
    }
  return false;
}

bool Rule::selects_action(Action a) const {
  return std::find(actions.begin(), actions.end(), a) != actions.end();
}

namespace {

void bind_matches(Expr& e, const std::map<std::string, Literal>& params, std::string& err) {
  if (e.op == Expr::Op::Matches && e.kids.size() == 2 && e.kids[1]->op == Expr::Op::Param) {
    auto it = params.find(e.kids[1]->text);
    if (it == params.end() || it->second.kind != Literal::Kind::String) {
      err = "parameter `" + e.kids[1]->text + "` is used with `matches` and must be a string";
      return;
    }
    e.re = compile_pattern(it->second.s);
    if (!e.re->ok()) {
      err = "parameter `" + e.kids[1]->text + "` is not a valid RE2 pattern: " + e.re->error();
      return;
    }
  }
  for (auto& k : e.kids)
    if (k && err.empty()) bind_matches(*k, params, err);
}

}  // namespace

std::string Rule::bind_params() {
  std::string err;
  secret_names.reset();
  if (auto it = params.find("secret_name_pattern"); secret && it != params.end()) {
    if (it->second.kind != Literal::Kind::String)
      return "parameter `secret_name_pattern` of a secret rule must be a string";
    secret_names = compile_pattern(it->second.s);
    if (!secret_names->ok())
      return "parameter `secret_name_pattern` is not a valid RE2 pattern: " + secret_names->error();
  }
  for (auto& l : lets)
    if (err.empty()) bind_matches(*l, params, err);
  if (where && err.empty()) bind_matches(*where, params, err);
  if (assertion && err.empty()) bind_matches(*assertion, params, err);
  return err;
}

const Rule* RuleSet::find(std::string_view id) const {
  for (const auto& r : rules)
    if (r->id == id) return r.get();
  return nullptr;
}

std::vector<std::string> RuleSet::ids() const {
  std::vector<std::string> out;
  for (const auto& r : rules) out.push_back(r->id);
  return out;
}

namespace {

// Lines of the rule file being loaded, to place errors inside multi-line expressions.
thread_local std::vector<std::string_view> g_lines;

const toml::node* get(const toml::table& t, std::string_view key) { return t.get(key); }

std::string req_string(const toml::table& t, const std::string& prefix, std::string_view key, size_t table_line) {
  const toml::node* n = get(t, key);
  if (!n) toml_fail(table_line, prefix + std::string(key), "missing (a string is required)");
  if (!n->is_string()) toml_fail(line_of(*n), prefix + std::string(key), "expected a string, found " + toml_type_name(*n));
  std::string v = n->as_string()->get();
  if (v.empty()) toml_fail(line_of(*n), prefix + std::string(key), "must not be empty");
  return v;
}

std::vector<std::string> string_list(const toml::table& t, const std::string& prefix, std::string_view key) {
  std::vector<std::string> out;
  const toml::node* n = get(t, key);
  if (!n) return out;
  if (!n->is_array()) toml_fail(line_of(*n), prefix + std::string(key), "expected an array of strings, found " + toml_type_name(*n));
  for (const auto& item : *n->as_array()) {
    if (!item.is_string())
      toml_fail(line_of(item), prefix + std::string(key), "expected an array of strings, found an element that is " + toml_type_name(item));
    out.push_back(item.as_string()->get());
  }
  return out;
}

// Compiles an expression found at `node` (a TOML string), turning parse errors into
// errors on the right line of the rule file.
std::unique_ptr<Expr> compile(const toml::node& node, const std::string& key, const LetTable& lets,
                              const std::vector<std::string>& params, bool allow_sequence = false) {
  if (!node.is_string()) toml_fail(line_of(node), key, "expected a string holding an expression, found " + toml_type_name(node));
  const std::string& text = node.as_string()->get();
  try {
    return parse_expression(text, lets, params, allow_sequence);
  } catch (const ExprError& e) {
    size_t line = line_of(node);
    size_t col = 1;
    for (size_t i = 0; i < e.offset && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    // A multi-line string whose opening quotes end their line starts on the next line.
    if (line_of(node) >= 1 && line_of(node) <= g_lines.size()) {
      std::string_view src = g_lines[line_of(node) - 1];
      while (!src.empty() && (src.back() == ' ' || src.back() == '\r')) src.remove_suffix(1);
      if (src.size() >= 3 && (src.substr(src.size() - 3) == "\'\'\'" || src.substr(src.size() - 3) == "\"\"\""))
        ++line;
    }
    toml_fail(line, key, e.message + " (column " + std::to_string(col) + ")");
  }
}

void check_let_cycles(const Rule& r) {
  // Depth-first over let references; a let reaching itself is an error.
  std::vector<int> state(r.lets.size(), 0);
  std::function<bool(const Expr&, std::vector<int>&)> uses;
  std::function<void(size_t)> visit = [&](size_t i) {
    state[i] = 1;
    std::vector<int> refs;
    std::function<void(const Expr&)> collect = [&](const Expr& e) {
      if (e.op == Expr::Op::Let) refs.push_back(static_cast<int>(e.slot));
      for (const auto& k : e.kids)
        if (k) collect(*k);
    };
    collect(*r.lets[i]);
    for (int j : refs) {
      if (state[j] == 1) toml_fail(0, "let." + r.let_names[i], "`$" + r.let_names[i] + "` refers to itself through `$" + r.let_names[j] + "`");
      if (state[j] == 0) visit(static_cast<size_t>(j));
    }
    state[i] = 2;
  };
  for (size_t i = 0; i < r.lets.size(); ++i)
    if (state[i] == 0) visit(i);
}

// True when the expression reads the resource under evaluation: `self`, a bare attribute,
// `before`, `action()`, or a let that does.
bool reads_self(const Expr& e, const Rule& r, std::vector<int>& state) {
  switch (e.op) {
    case Expr::Op::Self:
    case Expr::Op::Before: return true;
    case Expr::Op::Call:
      if (e.fn == Builtin::ActionOf) return true;
      break;
    case Expr::Op::Let: {
      size_t i = e.slot;
      if (state[i] == 0) {
        state[i] = 1;  // in progress: cycles were rejected already
        state[i] = reads_self(*r.lets[i], r, state) ? 2 : 3;
      }
      return state[i] == 2;
    }
    default: break;
  }
  for (const auto& k : e.kids)
    if (k && reads_self(*k, r, state)) return true;
  return false;
}

void compute_let_self_use(Rule& r) {
  std::vector<int> state(r.lets.size(), 0);
  r.let_uses_self.assign(r.lets.size(), true);
  for (size_t i = 0; i < r.lets.size(); ++i) {
    Expr probe;
    probe.op = Expr::Op::Let;
    probe.slot = static_cast<uint32_t>(i);
    r.let_uses_self[i] = reads_self(probe, r, state);
  }
}

// True when the expression reads `self` itself, not through a let.
bool reads_self_directly(const Expr& e) {
  if (e.op == Expr::Op::Self || e.op == Expr::Op::Before) return true;
  if (e.op == Expr::Op::Call && e.fn == Builtin::ActionOf) return true;
  if (e.op == Expr::Op::Let) return false;
  for (const auto& k : e.kids)
    if (k && reads_self_directly(*k)) return true;
  return false;
}

void collect_let_uses(const Expr& e, std::set<uint32_t>& out) {
  if (e.op == Expr::Op::Let) out.insert(e.slot);
  for (const auto& k : e.kids)
    if (k) collect_let_uses(*k, out);
}

// The per-self lets (they read `self` but no `.` of their own) through which let i reads
// `self`, following the lets that read both `self` and `.` down to those; nullopt when it reads
// `self` itself somewhere on the way.
std::optional<std::set<uint32_t>> self_roots(uint32_t i, const Rule& r, const std::vector<bool>& free_context,
                                             std::vector<std::optional<std::optional<std::set<uint32_t>>>>& done) {
  if (done[i]) return *done[i];
  done[i] = std::optional<std::set<uint32_t>>();  // in progress: cycles were rejected already
  std::optional<std::set<uint32_t>> out = std::set<uint32_t>();
  if (reads_self_directly(*r.lets[i])) out.reset();
  std::set<uint32_t> uses;
  collect_let_uses(*r.lets[i], uses);
  for (uint32_t j : uses) {
    if (!out || !r.let_uses_self[j]) continue;  // j depends on `.` alone, wherever i puts it
    if (!free_context[j]) {
      out->insert(j);
      continue;
    }
    auto deeper = self_roots(j, r, free_context, done);
    if (!deeper)
      out.reset();
    else
      out->insert(deeper->begin(), deeper->end());
  }
  done[i] = out;
  return out;
}

void mark_context_use(Expr& e, const Rule& r, std::vector<int>& state);

// Whether let i reads `.` of its own; its body is marked first (state: 0 not yet, 1 in
// progress, 2 reads it, 3 does not; cycles were rejected already).
bool let_reads_context(uint32_t i, const Rule& r, std::vector<int>& state) {
  if (state[i] == 0) {
    state[i] = 1;
    mark_context_use(*r.lets[i], r, state);
    state[i] = r.lets[i]->reads_context ? 2 : 3;
  }
  return state[i] == 2;
}

// Marks every node with whether it reads `.` of its own (Expr::reads_context): outside the
// predicates of quantifiers (where `.` is the element), directly or through a let.
void mark_context_use(Expr& e, const Rule& r, std::vector<int>& state) {
  for (auto& k : e.kids)
    if (k) mark_context_use(*k, r, state);
  switch (e.op) {
    case Expr::Op::Context:
      e.reads_context = true;
      return;
    case Expr::Op::Let:
      e.reads_context = e.slot >= r.lets.size() || let_reads_context(e.slot, r, state);
      return;
    case Expr::Op::Call:
      if (takes_predicate(e.fn)) {
        e.reads_context = !e.kids.empty() && e.kids[0] && e.kids[0]->reads_context;
        return;
      }
      break;
    default:
      break;
  }
  e.reads_context = false;
  for (const auto& k : e.kids)
    if (k && k->reads_context) e.reads_context = true;
}

void compute_let_memo(Rule& r) {
  std::vector<int> state(r.lets.size(), 0);
  std::vector<bool> free_context(r.lets.size());
  for (uint32_t i = 0; i < r.lets.size(); ++i) free_context[i] = let_reads_context(i, r, state);
  if (r.where) mark_context_use(*r.where, r, state);
  if (r.assertion) mark_context_use(*r.assertion, r, state);
  if (r.evidence) mark_context_use(*r.evidence, r, state);
  r.let_memo.assign(r.lets.size(), Rule::LetMemo::None);
  r.let_keys.assign(r.lets.size(), {});
  std::vector<std::optional<std::optional<std::set<uint32_t>>>> done(r.lets.size());
  for (size_t i = 0; i < r.lets.size(); ++i) {
    if (!r.let_uses_self[i] || free_context[i]) continue;
    r.let_memo[i] = Rule::LetMemo::PerSelf;
    auto roots = self_roots(static_cast<uint32_t>(i), r, free_context, done);
    if (roots && !roots->empty()) {
      r.let_memo[i] = Rule::LetMemo::ByKeys;
      r.let_keys[i].assign(roots->begin(), roots->end());
    }
  }
}

// Marks every node with whether it reads `self`, so the engine may cache what does not.
void mark_self_use(Expr& e, const Rule& r) {
  for (auto& k : e.kids)
    if (k) mark_self_use(*k, r);
  switch (e.op) {
    case Expr::Op::Self:
    case Expr::Op::Before: e.reads_self = true; return;
    case Expr::Op::Let: e.reads_self = e.slot >= r.let_uses_self.size() || r.let_uses_self[e.slot]; return;
    case Expr::Op::Call:
      if (e.fn == Builtin::ActionOf) {
        e.reads_self = true;
        return;
      }
      break;
    default: break;
  }
  e.reads_self = false;
  for (const auto& k : e.kids)
    if (k && k->reads_self) e.reads_self = true;
}

const std::vector<std::string> kTopKeys = {"id", "name", "title", "severity", "area", "rationale", "remediation",
                                            "references", "compliance", "params", "select", "let", "check", "test"};
const std::vector<std::string> kFrameworks = {"aws-fsbp", "cis-aws", "nist-800-53", "pci-dss", "soc2", "iso-27001"};
const std::vector<std::string> kActions = {"create", "update", "delete", "replace", "no-op", "read", "forget"};

// The text before the [[test]] tables, when they come last (as in every bundled rule).
std::string_view without_tests(std::string_view text) {
  size_t cut = text.find("\n[[test]]");
  if (cut == std::string_view::npos) return text;
  for (size_t i = cut + 1; i < text.size();) {
    size_t end = text.find('\n', i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(i, end - i);
    if (!line.empty() && line[0] == '[' && line.substr(0, 8) != "[[test]]") return text;
    i = end + 1;
  }
  return text.substr(0, cut + 1);
}

// Words of [A-Z0-9] (the first starting with a letter) joined by single dashes, at least two:
// `HP-NET-001`.
bool is_rule_id(std::string_view id) {
  if (id.empty() || !(id[0] >= 'A' && id[0] <= 'Z') || id.back() == '-') return false;
  bool dash = false;
  for (size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    if (c == '-') {
      if (id[i - 1] == '-') return false;
      dash = true;
    } else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return dash;
}

// Words of [a-z0-9] joined by single dashes: `cloudfront-without-waf`.
bool is_kebab_case(std::string_view name) {
  if (name.empty() || name.front() == '-' || name.back() == '-') return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '-' ? name[i - 1] == '-' : !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// The lets in the order the file has them, each with the comment block right above it, for
// `explain` and the rule pages: a definition reads as its author wrote it.
void record_let_layout(Rule& r, const toml::table& lets) {
  std::vector<std::pair<size_t, size_t>> at;  // (line, let index)
  r.let_comments.assign(r.let_names.size(), "");
  for (size_t i = 0; i < r.let_names.size(); ++i) {
    const toml::node* n = lets.get(r.let_names[i]);
    size_t line = n ? n->source().begin.line : 0;  // 1-based
    at.emplace_back(line, i);
    // The comment lines right above, read upwards (g_lines[line - 2] is the line above).
    std::vector<std::string_view> block;
    for (size_t above = std::min(line, g_lines.size() + 1); above >= 2; --above) {
      std::string_view s = g_lines[above - 2];
      size_t first = s.find_first_not_of(" \t");
      if (first == std::string_view::npos || s[first] != '#') break;
      s.remove_prefix(first + 1);
      if (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      block.push_back(s);
    }
    std::string comment;
    for (auto it = block.rbegin(); it != block.rend(); ++it) comment.append(*it).push_back('\n');
    r.let_comments[i] = std::move(comment);
  }
  std::stable_sort(at.begin(), at.end());
  r.let_file_order.clear();
  for (const auto& [line, i] : at) r.let_file_order.push_back(i);
}

// One [[test]] table of a rule (or of a pack's lib.toml, which allows `extra` keys).
RuleTest parse_test(const toml::table& tt, size_t line, const std::vector<std::string>& extra, bool& is_short) {
  std::vector<std::string> keys = {"name",     "expect", "addresses", "path",      "value", "plan",
                                   "resource", "module", "providers", "variables", "state", "params"};
  keys.insert(keys.end(), extra.begin(), extra.end());
  check_keys(tt, "test.", keys);
  RuleTest t;
  t.line = line;
  t.name = req_string(tt, "test.", "name", t.line);
  t.expect = req_string(tt, "test.", "expect", t.line);
  if (t.expect != "pass" && t.expect != "fail" && t.expect != "undecided")
    toml_fail(line_of(*tt.get("expect")), "test.expect", "`" + t.expect + "` is not one of pass, fail, undecided");
  t.addresses = string_list(tt, "test.", "addresses");
  if (t.expect == "pass" && !t.addresses.empty())
    toml_fail(line_of(*tt.get("addresses")), "test.addresses", "a passing test names no addresses");
  for (const char* key : {"path", "value"}) {
    const toml::node* n = tt.get(key);
    if (!n) continue;
    if (t.expect == "pass")
      toml_fail(line_of(*n), std::string("test.") + key, "a passing test has no finding to show a " + std::string(key));
    (std::string(key) == "path" ? t.path : t.value) = req_string(tt, "test.", key, t.line);
  }
  if (is_fragment_test(tt)) {
    if (const toml::node* n = tt.get("plan"))
      toml_fail(
          line_of(*n), "test.plan",
          "a test gives either a whole document (`plan`) or the resources it is about ([[test.resource]]), not both");
    t.plan = fragment_document(tt);
    is_short = true;
  } else {
    for (const char* k : {"module", "providers", "variables", "state"})
      if (const toml::node* n = tt.get(k))
        toml_fail(line_of(*n), std::string("test.") + k,
                  "belongs to a test of [[test.resource]] entries (a whole `plan` document says it itself)");
    if (!tt.get("plan"))
      toml_fail(t.line, "test.plan",
                "missing: give the resources the test is about ([[test.resource]]) or a whole document (`plan`)");
    t.plan = req_string(tt, "test.", "plan", t.line);
  }
  return t;
}

// The text of each short-form test: its lines up to `next_line` (the next test's; trailing blank
// lines and comments, which introduce the next test, left out).
std::string test_source(size_t line, size_t next_line) {
  size_t end = next_line - 1;
  while (end > line) {
    std::string_view l = g_lines[end - 1];
    size_t b = l.find_first_not_of(" \t\r");
    if (b != std::string_view::npos && l[b] != '#') break;
    --end;
  }
  std::string out;
  for (size_t l = line; l <= end && l <= g_lines.size(); ++l) out += std::string(g_lines[l - 1]) + "\n";
  return out;
}

void set_lines(std::string_view text) {
  g_lines.clear();
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    g_lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

std::unique_ptr<Rule> parse_rule(const std::string& path, std::string_view text, bool with_tests, const Library* lib) {
  if (!with_tests) text = without_tests(text);
  set_lines(text);
  toml::table doc;
  check_toml_depth(text);
  try {
    doc = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    toml_fail(e.source().begin.line, "", std::string(e.description()));
  }
  check_keys(doc, "", kTopKeys);
  auto rule = std::make_unique<Rule>();
  Rule& r = *rule;
  r.source = path;
  r.id = req_string(doc, "", "id", 1);
  if (!is_rule_id(r.id)) toml_fail(line_of(*doc.get("id")), "id", "`" + r.id + "` is not an id like `HP-NET-001`");
  r.name = req_string(doc, "", "name", 1);
  if (!is_kebab_case(r.name)) toml_fail(line_of(*doc.get("name")), "name", "`" + r.name + "` is not kebab-case");
  r.title = req_string(doc, "", "title", 1);
  std::string sev = req_string(doc, "", "severity", 1);
  if (!parse_severity(sev, r.severity))
    toml_fail(line_of(*doc.get("severity")), "severity", "`" + sev + "` is not one of critical, high, medium, low, info");
  r.default_severity = r.severity;
  r.area = req_string(doc, "", "area", 1);
  r.rationale = req_string(doc, "", "rationale", 1);
  r.remediation = req_string(doc, "", "remediation", 1);
  r.references = string_list(doc, "", "references");

  if (const toml::node* c = doc.get("compliance")) {
    if (!c->is_table()) toml_fail(line_of(*c), "compliance", "expected a table, found " + toml_type_name(*c));
    // `[compliance]` maps every finding; `[compliance.TYPE]` (a selected type) only that type's, for
    // a rule whose types fall under different controls (RDS.3 instances, RDS.27 clusters).
    std::vector<std::string> allowed = kFrameworks;
    if (const toml::node* s = doc["select"]["types"].node(); s && s->is_array())
      for (const auto& t : *s->as_array())
        if (t.is_string()) allowed.push_back(t.as_string()->get());
    check_keys(*c->as_table(), "compliance.", allowed);
    for (auto&& [k, v] : *c->as_table()) {
      std::string key(k.str());
      if (v.is_table()) {
        if (std::find(kFrameworks.begin(), kFrameworks.end(), key) != kFrameworks.end())
          toml_fail(line_of(v), "compliance." + key, "expected a list of control ids, found table");
        check_keys(*v.as_table(), "compliance." + key + ".", kFrameworks);
        for (auto&& [fk, fv] : *v.as_table()) {
          (void)fv;
          auto ids = string_list(*v.as_table(), "compliance." + key + ".", fk.str());
          if (ids.empty()) continue;
          r.compliance_by_type[key][std::string(fk.str())] = ids;
        }
        continue;
      }
      auto ids = string_list(*c->as_table(), "compliance.", k.str());
      if (ids.empty()) continue;
      r.compliance[key] = ids;
    }
  }
  std::vector<std::string> param_names;
  if (const toml::node* p = doc.get("params")) {
    if (!p->is_table()) toml_fail(line_of(*p), "params", "expected a table, found " + toml_type_name(*p));
    for (auto&& [k, v] : *p->as_table()) {
      r.params[std::string(k.str())] = to_literal(v, "params." + std::string(k.str()));
      param_names.emplace_back(k.str());
    }
  }

  const toml::node* sel = doc.get("select");
  if (!sel) toml_fail(1, "select", "missing: a rule selects resources with [select] types = [...]");
  if (!sel->is_table()) toml_fail(line_of(*sel), "select", "expected a table, found " + toml_type_name(*sel));
  const toml::table& st = *sel->as_table();
  check_keys(st, "select.", {"types", "actions", "modes", "address", "where"});
  r.types = string_list(st, "select.", "types");
  if (r.types.empty()) toml_fail(line_of(*sel), "select.types", "missing or empty: name the resource types the rule checks");
  std::vector<std::string> acts = string_list(st, "select.", "actions");
  if (acts.empty()) {
    r.actions = {Action::Create, Action::Update, Action::Replace, Action::NoOp};
  } else {
    for (const auto& a : acts) {
      static const std::pair<const char*, Action> map[] = {
          {"create", Action::Create}, {"update", Action::Update}, {"delete", Action::Delete},
          {"replace", Action::Replace}, {"no-op", Action::NoOp}, {"read", Action::Read}, {"forget", Action::Forget}};
      bool found = false;
      for (auto [n, act] : map)
        if (a == n) {
          r.actions.push_back(act);
          found = true;
        }
      if (!found) {
        std::string hint = did_you_mean(a, kActions);
        toml_fail(line_of(*st.get("actions")), "select.actions",
             "unknown action `" + a + "`" + (hint.empty() ? "" : " (did you mean `" + hint + "`?)"));
      }
    }
  }
  std::vector<std::string> modes = string_list(st, "select.", "modes");
  if (!modes.empty()) {
    r.select_managed = r.select_data = false;
    for (const auto& m : modes) {
      if (m == "managed") r.select_managed = true;
      else if (m == "data") r.select_data = true;
      else toml_fail(line_of(*st.get("modes")), "select.modes", "unknown mode `" + m + "` (managed or data)");
    }
  }
  r.address_text = opt_string(st, "select.", "address");
  if (!r.address_text.empty()) {
    RE2::Options o;
    o.set_log_errors(false);
    r.address_pattern = std::make_shared<RE2>(r.address_text, o);
    if (!r.address_pattern->ok())
      toml_fail(line_of(*st.get("address")), "select.address", "bad regular expression: " + r.address_pattern->error());
  }

  LetTable lets;
  lets.lib = lib;
  std::vector<const LibDef*> used;
  lets.used = &used;
  if (const toml::node* l = doc.get("let")) {
    if (!l->is_table()) toml_fail(line_of(*l), "let", "expected a table, found " + toml_type_name(*l));
    for (auto&& [k, v] : *l->as_table()) {
      if (lib && lib->find(k.str()))
        toml_fail(line_of(v), "let." + std::string(k.str()),
                  "`$" + std::string(k.str()) + "` is already defined by the pack's " + lib->find(k.str())->where +
                      ": use it, or give this definition another name");
      lets.names.emplace_back(k.str());
    }
    lets.sequence.assign(lets.names.size(), false);
    // A let may yield a sequence; which ones do is settled by compiling until nothing changes.
    for (size_t pass = 0; pass <= lets.names.size(); ++pass) {
      r.let_names.clear();
      r.let_texts.clear();
      r.lets.clear();
      bool changed = false;
      size_t i = 0;
      for (auto&& [k, v] : *l->as_table()) {
        r.let_names.emplace_back(k.str());
        r.let_texts.push_back(v.is_string() ? v.as_string()->get() : "");
        r.lets.push_back(compile(v, "let." + std::string(k.str()), lets, param_names, true));
        if (r.lets.back()->yields_sequence != lets.sequence[i]) {
          lets.sequence[i] = r.lets.back()->yields_sequence;
          changed = true;
        }
        ++i;
      }
      if (!changed) break;
    }
    check_let_cycles(r);
    compute_let_self_use(r);
    record_let_layout(r, *l->as_table());
  }
  if (const toml::node* w = st.get("where")) {
    r.where = compile(*w, "select.where", lets, param_names);
    r.where_text = w->as_string()->get();
  }

  const toml::node* chk = doc.get("check");
  if (!chk) toml_fail(1, "check", "missing: a rule needs [check] assert = '...'");
  if (!chk->is_table()) toml_fail(line_of(*chk), "check", "expected a table, found " + toml_type_name(*chk));
  const toml::table& ct = *chk->as_table();
  check_keys(ct, "check.", {"assert", "path", "evidence", "message", "secret"});
  const toml::node* as = ct.get("assert");
  if (!as) toml_fail(line_of(*chk), "check.assert", "missing: the condition that must hold");
  r.assertion = compile(*as, "check.assert", lets, param_names);
  r.assert_text = as->as_string()->get();
  r.path = opt_string(ct, "check.", "path");
  if (!r.path.empty()) {
    try {
      r.path_expr = parse_path(r.path);
    } catch (const ExprError& e) {
      toml_fail(line_of(*ct.get("path")), "check.path", e.message);
    }
  }
  if (const toml::node* ev = ct.get("evidence")) {
    r.evidence = compile(*ev, "check.evidence", lets, param_names);
    r.evidence_text = ev->as_string()->get();
  }
  if (const toml::node* sec = ct.get("secret")) {
    if (!sec->is_boolean())
      toml_fail(line_of(*sec), "check.secret", "expected a boolean, found " + toml_type_name(*sec));
    r.secret = sec->as_boolean()->get();
  }
  r.message = req_string(ct, "check.", "message", line_of(*chk));
  for (size_t i = 0; i < r.message.size(); ++i) {
    if (r.message[i] != '{') continue;
    size_t end = r.message.find('}', i);
    if (end == std::string::npos) toml_fail(line_of(*ct.get("message")), "check.message", "unclosed `{` in the template");
    std::string ph = r.message.substr(i + 1, end - i - 1);
    static const std::vector<std::string> kPlaceholders = {"address", "type", "name", "region", "path", "value", "action"};
    if (ph.rfind('$', 0) == 0) {
      int slot = lets.find(ph.substr(1));
      if (slot < 0) {
        std::string hint = did_you_mean(ph.substr(1), lets.names);
        toml_fail(line_of(*ct.get("message")), "check.message",
                  "unknown let `{" + ph + "}`" + (hint.empty() ? "" : " (did you mean `{$" + hint + "}`?)"));
      }
      if (std::find(r.message_lets.begin(), r.message_lets.end(), slot) == r.message_lets.end())
        r.message_lets.push_back(static_cast<uint32_t>(slot));
      i = end;
      continue;
    }
    bool ok = std::find(kPlaceholders.begin(), kPlaceholders.end(), ph) != kPlaceholders.end() ||
              (ph.rfind("params.", 0) == 0 && r.params.count(ph.substr(7)));
    if (!ok) {
      std::string hint = did_you_mean(ph, kPlaceholders);
      toml_fail(line_of(*ct.get("message")), "check.message",
           "unknown placeholder `{" + ph + "}`" + (hint.empty() ? "" : " (did you mean `{" + hint + "}`?)"));
    }
    i = end;
  }

  for (const LibDef* d : used) r.lib_uses.push_back(*d);
  const toml::node* tests = doc.get("test");
  if (r.let_uses_self.size() != r.lets.size()) compute_let_self_use(r);
  compute_let_memo(r);
  for (auto& l : r.lets) mark_self_use(*l, r);
  if (r.where) mark_self_use(*r.where, r);
  mark_self_use(*r.assertion, r);
  if (r.evidence) mark_self_use(*r.evidence, r);
  if (!with_tests) {
    if (std::string e = r.bind_params(); !e.empty()) toml_fail(1, "params", e);
    return rule;
  }
  if (!tests) toml_fail(1, "test", "missing: a rule needs [[test]] cases that must pass and must fail");
  if (!tests->is_array_of_tables()) toml_fail(line_of(*tests), "test", "expected [[test]] tables");
  bool has_pass = false, has_fail = false;
  std::vector<size_t> short_form;  // the tests that give resources, whose lines the docs show
  for (const auto& tn : *tests->as_array()) {
    const toml::table& tt = *tn.as_table();
    bool is_short = false;
    RuleTest t = parse_test(tt, line_of(tn), {}, is_short);
    if (is_short) short_form.push_back(r.tests.size());
    if (const toml::node* p = tt.get("params")) {
      if (!p->is_table()) toml_fail(line_of(*p), "test.params", "expected a table of parameter = value");
      for (auto&& [k, v] : *p->as_table()) {
        std::string key = "test.params." + std::string(k.str());
        auto it = r.params.find(std::string(k.str()));
        if (it == r.params.end()) toml_fail(line_of(v), key, "the rule has no parameter `" + std::string(k.str()) + "`");
        Literal lit = to_literal(v, key);
        if (lit.kind != it->second.kind)
          toml_fail(line_of(v), key, "expected a value like the default " + it->second.to_text());
        t.params[std::string(k.str())] = std::move(lit);
      }
    }
    has_pass |= t.expect == "pass";
    has_fail |= t.expect == "fail";
    r.tests.push_back(std::move(t));
  }
  // The text of each short-form test: its lines up to the next test (trailing blank lines and
  // comments, which introduce the next test, left out).
  for (size_t i : short_form)
    r.tests[i].source = test_source(r.tests[i].line, i + 1 < r.tests.size() ? r.tests[i + 1].line : g_lines.size() + 1);
  if (!has_pass) toml_fail(line_of(*tests), "test", "no test expects `pass`: add a plan on which the rule must not fire");
  if (!has_fail) toml_fail(line_of(*tests), "test", "no test expects `fail`: add a plan on which the rule must fire");
  if (std::string e = r.bind_params(); !e.empty()) toml_fail(1, "params", e);
  return rule;
}

}  // namespace

std::unique_ptr<Rule> load_rule(const std::string& path, std::string_view text, std::string& error, bool with_tests,
                                const Library* lib) {
  try {
    return parse_rule(path, text, with_tests, lib);
  } catch (const TomlError& e) {
    error = toml_error_text(path, e);
    return nullptr;
  }
}

namespace {

// `name` or `name(a, b)`: a definition's key in lib.toml.
bool parse_def_key(std::string_view key, LibDef& d) {
  auto ident = [](std::string_view w) {
    if (w.empty() || !(std::isalpha(static_cast<unsigned char>(w[0])) || w[0] == '_')) return false;
    return std::all_of(w.begin(), w.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
  };
  size_t open = key.find('(');
  d.name = std::string(key.substr(0, open));
  if (!ident(d.name)) return false;
  if (open == std::string_view::npos) return true;
  if (key.back() != ')') return false;
  std::string_view inner = key.substr(open + 1, key.size() - open - 2);
  while (!inner.empty()) {
    size_t comma = inner.find(',');
    std::string_view p = inner.substr(0, comma);
    while (!p.empty() && p.front() == ' ') p.remove_prefix(1);
    while (!p.empty() && p.back() == ' ') p.remove_suffix(1);
    if (!ident(p) || std::find(d.params.begin(), d.params.end(), p) != d.params.end()) return false;
    d.params.emplace_back(p);
    if (comma == std::string_view::npos) break;
    inner.remove_prefix(comma + 1);
  }
  return !d.params.empty();
}

std::unique_ptr<PackLibrary> parse_library(const std::string& path, std::string_view text, bool with_tests,
                                           const LibraryResolver& resolve) {
  set_lines(text);
  check_toml_depth(text);
  toml::table doc;
  try {
    doc = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    toml_fail(e.source().begin.line, "", std::string(e.description()));
  }
  check_keys(doc, "", {"uses", "let", "test"});
  auto out = std::make_unique<PackLibrary>();
  out->source = path;
  for (const auto& pack : string_list(doc, "", "uses")) {
    std::string err;
    const Library* u = resolve(pack, err);
    if (!u) toml_fail(line_of(*doc.get("uses")), "uses", err.empty() ? "pack `" + pack + "` has no lib.toml" : err);
    out->lib.uses.push_back(u);
  }
  const toml::node* l = doc.get("let");
  if (l && !l->is_table()) toml_fail(line_of(*l), "let", "expected a table, found " + toml_type_name(*l));
  if ((!l || l->as_table()->empty()) && out->lib.uses.empty())
    toml_fail(1, "let", "missing: a lib.toml holds [let] definitions the pack's rules share, or `uses` other packs'");
  if (!l) return out;
  for (auto&& [k, v] : *l->as_table()) {
    LibDef d;
    std::string key = "let." + std::string(k.str());
    if (!parse_def_key(k.str(), d))
      toml_fail(line_of(v), key, "a definition is named `name` or `name(param, ...)`, with distinct parameter names");
    if (out->lib.find(d.name)) toml_fail(line_of(v), key, "`$" + d.name + "` is defined twice");
    if (!v.is_string())
      toml_fail(line_of(v), key, "expected a string holding an expression, found " + toml_type_name(v));
    d.text = v.as_string()->get();
    d.where = path + ":" + std::to_string(line_of(v));
    out->lib.defs.push_back(std::move(d));
  }
  // Each definition parses (its parameters read as attribute paths, as they will be).
  LetTable only_lib;
  only_lib.lib = &out->lib;
  for (auto&& [k, v] : *l->as_table()) compile(v, "let." + std::string(k.str()), only_lib, {}, true);
  if (!with_tests) return out;
  const toml::node* tests = doc.get("test");
  if (!tests) toml_fail(1, "test", "missing: the definitions need [[test]] cases (select, assert, expect)");
  if (!tests->is_array_of_tables()) toml_fail(line_of(*tests), "test", "expected [[test]] tables");
  const auto& arr = *tests->as_array();
  for (size_t i = 0; i < arr.size(); ++i) {
    const toml::table& tt = *arr[i].as_table();
    size_t line = line_of(arr[i]);
    auto r = std::make_unique<Rule>();
    r->id = "LIB";
    r->name = "test-" + std::to_string(i + 1);
    r->title = "lib.toml test";
    r->area = "lib";
    r->source = path;
    r->types = {req_string(tt, "test.", "select", line)};
    r->actions = {Action::Create, Action::Update, Action::Replace, Action::NoOp, Action::Read};
    const toml::node* as = tt.get("assert");
    if (!as) toml_fail(line, "test.assert", "missing: the expression the test evaluates on each `select` resource");
    r->assertion = compile(*as, "test.assert", only_lib, {});
    r->assert_text = as->as_string()->get();
    r->message = "`{address}`: the assertion is false";
    compute_let_self_use(*r);
    compute_let_memo(*r);
    mark_self_use(*r->assertion, *r);
    bool is_short = false;
    RuleTest t = parse_test(tt, line, {"select", "assert"}, is_short);
    if (is_short) t.source = test_source(line, i + 1 < arr.size() ? line_of(arr[i + 1]) : g_lines.size() + 1);
    r->tests.push_back(std::move(t));
    out->tests.push_back(std::move(r));
  }
  return out;
}

}  // namespace

std::unique_ptr<PackLibrary> load_library(const std::string& path, std::string_view text, std::string& error,
                                          bool with_tests, const LibraryResolver& resolve) {
  try {
    return parse_library(path, text, with_tests, resolve);
  } catch (const TomlError& e) {
    error = toml_error_text(path, e);
    return nullptr;
  }
}

namespace {

void merge_compliance(std::map<std::string, std::vector<std::string>>& out,
                      const std::map<std::string, std::vector<std::string>>& more) {
  for (const auto& [fw, ids] : more)
    for (const auto& control : ids)
      if (std::find(out[fw].begin(), out[fw].end(), control) == out[fw].end()) out[fw].push_back(control);
}

}  // namespace

std::map<std::string, std::vector<std::string>> Rule::compliance_of(std::string_view type) const {
  auto out = compliance;
  if (auto it = compliance_by_type.find(std::string(type)); it != compliance_by_type.end())
    merge_compliance(out, it->second);
  return out;
}

std::map<std::string, std::vector<std::string>> Rule::all_compliance() const {
  auto out = compliance;
  for (const auto& [type, ids] : compliance_by_type) merge_compliance(out, ids);
  return out;
}

bool add_rule(RuleSet& set, std::unique_ptr<Rule> rule, std::string& error) {
  for (const auto& r : set.rules) {
    if (r->id == rule->id) {
      error = rule->source + ": key `id`: `" + rule->id + "` is already used by " + r->source;
      return false;
    }
    if (r->name == rule->name) {
      error =
          rule->source + ": key `name`: `" + rule->name + "` is already the name of " + r->id + " (" + r->source + ")";
      return false;
    }
  }
  auto pos = std::lower_bound(set.rules.begin(), set.rules.end(), rule,
                              [](const auto& a, const auto& b) { return a->id < b->id; });
  set.rules.insert(pos, std::move(rule));
  return true;
}

std::string check_rule_location(const Rule& rule, const std::string& relative, bool area_folders) {
  std::filesystem::path p(relative);
  std::string stem = p.stem().string();
  if (stem != rule.name)
    return rule.source + ": key `name`: `" + rule.name + "` is not the file's name `" + p.filename().string() +
           "` (a rule file is named for its rule: `" + rule.name + ".toml`)";
  std::filesystem::path folder = p.parent_path().filename();
  if (area_folders && !folder.empty() && folder.string() != rule.area)
    return rule.source + ": key `area`: `" + rule.area + "` is not the folder's name `" + folder.string() +
           "` (a rule file lives in the folder of its area: `" + rule.area + "/`)";
  return "";
}

namespace {

// The pack of a bundled file: `rules/<pack>/...`.
std::string pack_of(std::string_view path) {
  std::filesystem::path p(path);
  auto it = p.begin();
  if (it == p.end() || *it != "rules" || ++it == p.end()) return "";
  return it->string();
}

}  // namespace

bool pack_selected(const Rule& rule, const std::vector<std::string>& packs) {
  return packs.empty() || rule.pack == "custom" || std::find(packs.begin(), packs.end(), rule.pack) != packs.end();
}

std::vector<std::string> bundled_packs() {
  std::set<std::string> out;
  for (const auto& f : bundled_rule_files())
    if (std::string p = pack_of(f.path); !p.empty()) out.insert(p);
  return {out.begin(), out.end()};
}

std::string check_pack_names(const std::vector<std::string>& packs, const std::string& flag) {
  std::vector<std::string> known = bundled_packs();
  for (const auto& p : packs) {
    if (std::find(known.begin(), known.end(), p) != known.end()) continue;
    std::string hint = did_you_mean(p, known);
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    return "unknown pack `" + p + "`" + (flag.empty() ? "" : " in " + flag) +
           (hint.empty() ? "" : " (did you mean `" + hint + "`?)") + "; the bundled packs are " + list;
  }
  return "";
}

namespace {

// The library of a bundled pack, loaded into `out` (with the libraries it uses) the first time
// it is asked for; nullptr with `err` when the pack has none or the libraries use each other.
const Library* bundled_library(const std::string& pack, RuleSet& out, std::string& err, bool with_tests,
                               std::set<std::string>& loading) {
  for (const auto& l : out.libraries)
    if (l->pack == pack && l->source == "rules/" + pack + "/lib.toml") return &l->lib;
  const EmbeddedFile* file = nullptr;
  for (const auto& f : bundled_rule_files())
    if (f.path == "rules/" + pack + "/lib.toml") file = &f;
  if (!file) {
    err = check_pack_names({pack}, "");
    if (err.empty()) err = "pack `" + pack + "` has no lib.toml";
    return nullptr;
  }
  if (!loading.insert(pack).second) {
    err = "the libraries of `" + pack + "` and the packs it uses use each other";
    return nullptr;
  }
  LibraryResolver get = [&](const std::string& p, std::string& e) {
    return bundled_library(p, out, e, with_tests, loading);
  };
  auto lib = load_library(std::string(file->path), file->content, err, with_tests, get);
  if (!lib) return nullptr;
  lib->pack = pack;
  const Library* result = &lib->lib;
  out.libraries.push_back(std::move(lib));
  return result;
}

}  // namespace

bool load_bundled_rules(RuleSet& out, std::string& error, bool with_tests) {
  if (!with_tests && !compiled_rule_pack().empty()) return deserialize_rules(compiled_rule_pack(), out, error);
  return load_bundled_rule_files(out, error, with_tests);
}

bool load_bundled_rule_files(RuleSet& out, std::string& error, bool with_tests) {
  // Each pack's lib.toml first: its rules are compiled with its definitions.
  std::map<std::string, const Library*> libs;
  std::set<std::string> loading;
  LibraryResolver get = [&](const std::string& pack, std::string& err) -> const Library* {
    const Library* l = bundled_library(pack, out, err, with_tests, loading);
    if (l) libs[pack] = l;
    return l;
  };
  for (const auto& f : bundled_rule_files()) {
    std::string pack = pack_of(f.path);
    if (f.path == "rules/" + pack + "/lib.toml" && !get(pack, error)) return false;
  }
  for (const auto& f : bundled_rule_files()) {
    std::string pack = pack_of(f.path);
    if (f.path == "rules/" + pack + "/lib.toml") continue;
    auto it = libs.find(pack);
    auto rule = load_rule(std::string(f.path), f.content, error, with_tests, it == libs.end() ? nullptr : it->second);
    if (!rule) return false;
    rule->pack = pack;
    // The pack's files are rules/<pack>/<area>/<name>.toml.
    std::string at = std::filesystem::path(f.path).lexically_relative("rules/" + rule->pack).string();
    if (error = check_rule_location(*rule, at, true); !error.empty()) return false;
    if (!add_rule(out, std::move(rule), error)) return false;
  }
  return true;
}

bool load_rule_dir(const std::string& dir, RuleSet& out, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    error = dir + ": not a directory of rule files";
    return false;
  }
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".toml") files.push_back(it->path().string());
  }
  if (ec) {
    error = dir + ": " + ec.message();
    return false;
  }
  std::sort(files.begin(), files.end());
  auto read = [](const std::string& f, std::string& text, std::string& err) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
    if (!in) err = f + ": cannot read the file";
    return static_cast<bool>(in);
  };
  // A lib.toml holds definitions the rules of its folder and below share, as a bundled pack's
  // does; `uses = ["P"]` names the lib.toml of a folder P of this directory, else a bundled pack.
  std::map<fs::path, std::string> lib_files;  // folder -> its lib.toml
  for (const auto& f : files)
    if (fs::path(f).filename() == "lib.toml") lib_files[fs::path(f).parent_path()] = f;
  std::map<fs::path, const Library*> loaded;
  std::set<fs::path> loading;
  std::set<std::string> bundled_loading;
  std::function<const Library*(const fs::path&, std::string&)> load_at = [&](const fs::path& folder,
                                                                             std::string& err) -> const Library* {
    if (auto it = loaded.find(folder); it != loaded.end()) return it->second;
    if (!loading.insert(folder).second) {
      err = lib_files[folder] + ": the libraries it uses use it";
      return nullptr;
    }
    std::string text;
    if (!read(lib_files[folder], text, err)) return nullptr;
    LibraryResolver get = [&](const std::string& pack, std::string& e) -> const Library* {
      for (const auto& [other, file] : lib_files)
        if (other.filename() == pack) return load_at(other, e);
      return bundled_library(pack, out, e, false, bundled_loading);
    };
    auto l = load_library(lib_files[folder], text, err, true, get);
    if (!l) return nullptr;
    l->pack = "custom";
    loaded[folder] = &l->lib;
    out.libraries.push_back(std::move(l));
    return loaded[folder];
  };
  for (const auto& [folder, file] : lib_files)
    if (!load_at(folder, error)) return false;
  for (const auto& f : files) {
    if (fs::path(f).filename() == "lib.toml") continue;
    const Library* lib = nullptr;
    for (fs::path folder = fs::path(f).parent_path();; folder = folder.parent_path()) {
      if (auto it = loaded.find(folder); it != loaded.end()) {
        lib = it->second;
        break;
      }
      if (folder == fs::path(dir) || !folder.has_parent_path() || folder.parent_path() == folder) break;
    }
    std::string text;
    if (!read(f, text, error)) return false;
    auto rule = load_rule(f, text, error, true, lib);
    if (!rule) return false;
    rule->pack = "custom";
    // A directory of the user's own rules may be laid out as its team likes; its files are
    // still named for their rules.
    if (error = check_rule_location(*rule, std::filesystem::path(f).lexically_relative(dir).string(), false);
        !error.empty())
      return false;
    if (!add_rule(out, std::move(rule), error)) return false;
  }
  return true;
}

}  // namespace tfwarden
