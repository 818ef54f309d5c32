#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "cli/exit_status.h"
#include "cli/io.h"
#include "engine/config.h"
#include "engine/engine.h"
#include "engine/tool_rules.h"
#include "plan/printable.h"
#include "report/json_document.h"
#include "report/report.h"
#include "rules/bundled.h"
#include "rules/docs.h"
#include "rules/schema.h"

namespace tfwarden {

namespace {

constexpr int kError = static_cast<int>(ExitStatus::kError);

bool load_all(const std::vector<std::string>& dirs, RuleSet& set, std::string& error, bool bundled = true) {
  if (bundled && !load_bundled_rules(set, error)) return false;
  for (const auto& d : dirs)
    if (!load_rule_dir(d, set, error)) return false;
  return true;
}

const Rule* find_rule(const RuleSet& set, const std::string& id, std::string& error) {
  for (const auto& r : set.rules)
    if (r->id == id || r->name == id) return r.get();
  if (const Rule* tool = find_tool_rule(id)) return tool;
  std::vector<std::string> names = set.ids();
  for (const auto& r : set.rules) names.push_back(r->name);
  for (const Rule* r : tool_rules()) {
    names.push_back(r->id);
    names.push_back(r->name);
  }
  std::string hint = did_you_mean(id, names);
  error = "unknown rule `" + id + "`" + (hint.empty() ? "" : " (did you mean `" + hint + "`?)") +
          "; `tfwarden rules list` shows every rule";
  return nullptr;
}

}  // namespace

int run_rules_list(const RulesOptions& o) {
  RuleSet set;
  std::string error;
  if (!load_all(o.rule_dirs, set, error)) {
    print_error(error);
    return kError;
  }
  if (error = check_pack_names(o.packs, "--pack"); !error.empty()) {
    print_error(error);
    return kError;
  }
  std::vector<const Rule*> shown;
  std::map<std::string, size_t> per_pack;
  for (const auto& r : set.rules) {
    if (!pack_selected(*r, o.packs)) continue;
    shown.push_back(r.get());
    ++per_pack[r->pack];
  }
  if (o.format == "json") {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const Rule* r : shown) {
      nlohmann::ordered_json j = {
          {"id", r->id},     {"name", r->name}, {"title", r->title}, {"severity", severity_name(r->severity)},
          {"pack", r->pack}, {"area", r->area}, {"types", r->types}};
      j["compliance"] = r->all_compliance();
      j["source"] = r->source;
      arr.push_back(std::move(j));
    }
    std::cout << arr.dump(2) << "\n";
    return 0;
  }
  if (o.format == "markdown") {
    std::cout << rule_table_markdown(set);
    return 0;
  }
  size_t w_id = 2, w_name = 4, w_pack = 4;
  for (const Rule* r : shown) {
    w_id = std::max(w_id, r->id.size());
    w_name = std::max(w_name, r->name.size());
    w_pack = std::max(w_pack, r->pack.size());
  }
  auto pad = [](std::string s, size_t w) {
    s.resize(std::max(w, s.size()), ' ');
    return s;
  };
  std::cout << pad("ID", w_id) << "  " << pad("SEVERITY", 8) << "  " << pad("PACK", w_pack) << "  "
            << pad("NAME", w_name) << "  TITLE\n";
  for (const Rule* r : shown)
    std::cout << pad(r->id, w_id) << "  " << pad(severity_name(r->severity), 8) << "  " << pad(r->pack, w_pack) << "  "
              << pad(r->name, w_name) << "  " << r->title << "\n";
  std::string counts;
  for (const auto& [pack, n] : per_pack) counts += (counts.empty() ? "" : ", ") + pack + " " + std::to_string(n);
  std::cout << shown.size() << " rules in " << per_pack.size() << (per_pack.size() == 1 ? " pack" : " packs") << " ("
            << counts << ")\n";
  return 0;
}

int run_rules_show(const RulesOptions& o) {
  RuleSet set;
  std::string error;
  if (!load_all(o.rule_dirs, set, error)) {
    print_error(error);
    return kError;
  }
  const Rule* r = find_rule(set, o.id, error);
  if (!r) {
    print_error(error);
    return kError;
  }
  if (find_tool_rule(r->id) == r) {
    std::cout << "# " << r->id << " is built into tfwarden (it has no rule file)\n\n" << rule_page_text(*r);
    return 0;
  }
  for (const auto& f : bundled_rule_files())
    if (f.path == r->source) {
      std::cout << "# " << r->source << " (bundled)\n" << f.content;
      return 0;
    }
  std::ifstream in(r->source, std::ios::binary);
  std::cout << "# " << r->source << "\n" << in.rdbuf();
  return 0;
}

int run_rules_plan(const RulesOptions& o) {
  RuleSet set;
  std::string error;
  if (!load_all(o.rule_dirs, set, error)) {
    print_error(error);
    return kError;
  }
  const Rule* r = find_rule(set, o.id, error);
  if (!r) {
    print_error(error);
    return kError;
  }
  if (o.test < 1 || o.test > r->tests.size()) {
    print_error(r->id + " has " + std::to_string(r->tests.size()) + " tests: give a number from 1 to " +
                std::to_string(r->tests.size()));
    return kError;
  }
  std::cout << r->tests[o.test - 1].plan << "\n";
  return 0;
}

int run_explain(const std::string& id, const std::vector<std::string>& dirs) {
  RuleSet set;
  std::string error;
  if (!load_all(dirs, set, error)) {
    print_error(error);
    return kError;
  }
  const Rule* r = find_rule(set, id, error);
  if (!r) {
    print_error(error);
    return kError;
  }
  std::cout << rule_page_text(*r);
  return 0;
}

int run_rules_test(const RulesOptions& o) {
  RuleSet set;
  std::string error;
  bool ok = o.test_dir.empty() ? load_bundled_rules(set, error) : load_rule_dir(o.test_dir, set, error);
  if (!ok) {
    print_error(error);
    return kError;
  }
  size_t total = 0, failed = 0, lib_tests = 0;
  // The libraries' tests first (a rule's failure may come from a shared definition), then the rules'.
  std::vector<const Rule*> runs;
  for (const auto& lib : set.libraries)
    for (const auto& t : lib->tests) runs.push_back(t.get());
  lib_tests = runs.size();
  for (const auto& r : set.rules) runs.push_back(r.get());
  for (const Rule* rule : runs) {
    for (size_t i = 0; i < rule->tests.size(); ++i) {
      const RuleTest& t = rule->tests[i];
      ++total;
      std::string label = rule->area == "lib"
                              ? rule->source + " test " + rule->name.substr(5) + " (" + t.name + ")"
                              : rule->id + " " + rule->name + " #" + std::to_string(i + 1) + " (" + t.name + ")";
      std::string load_error;
      auto plan = load_plan(rule->source + ":" + std::to_string(t.line), simdjson::padded_string(t.plan), load_error);
      if (!plan) {
        ++failed;
        std::cout << "FAIL " << label << "\n     " << rule->source << ":" << t.line << ": the test plan does not load: "
                  << load_error << "\n";
        continue;
      }
      // A test's own parameters, for this test only.
      auto* mutable_rule = const_cast<Rule*>(rule);
      std::map<std::string, Literal> defaults = rule->params;
      for (const auto& [k, v] : t.params) mutable_rule->params[k] = v;
      std::string bind_error = t.params.empty() ? "" : mutable_rule->bind_params();
      PlanResult res = bind_error.empty() ? run_rules(*plan, {rule}, {}) : PlanResult{};
      if (!t.params.empty()) {
        mutable_rule->params = defaults;
        mutable_rule->bind_params();
      }
      if (!bind_error.empty()) {
        ++failed;
        std::cout << "FAIL " << label << "\n     " << rule->source << ":" << t.line << ": test.params: " << bind_error
                  << "\n";
        continue;
      }
      std::set<std::string> fails, undecided;
      std::string reason;
      for (const auto& f : res.findings) {
        if (f.undecided) {
          undecided.insert(f.address);
          if (reason.empty()) reason = f.reason;
        } else {
          fails.insert(f.address);
        }
      }
      std::set<std::string> want(t.addresses.begin(), t.addresses.end());
      bool pass;
      if (t.expect == "pass") pass = fails.empty() && undecided.empty();
      else if (t.expect == "fail") pass = !fails.empty() && undecided.empty() && (want.empty() || want == fails);
      else pass = !undecided.empty() && fails.empty() && (want.empty() || want == undecided);
      // The evidence every finding must show.
      std::string shown;
      for (const auto& f : res.findings) {
        if (!pass) break;
        if ((t.path && f.path != *t.path) || (t.value && f.value != *t.value)) {
          pass = false;
          shown = "     " + rule->source + ":" + std::to_string(t.line) + ": expected path `" +
                  (t.path ? *t.path : f.path) + "` value `" + (t.value ? *t.value : f.value) + "`; `" + f.address +
                  "` shows path `" + f.path + "` value `" + f.value + "`\n";
        }
      }
      if (!pass) ++failed;
      if (!pass || o.verbose) {
        std::cout << (pass ? "ok   " : "FAIL ") << label << "\n";
        if (!pass) {
          auto list = [](const std::set<std::string>& s) {
            std::string out;
            for (const auto& a : s) out += (out.empty() ? "" : ", ") + a;
            return out.empty() ? std::string("none") : out;
          };
          if (!shown.empty()) {
            std::cout << shown;
            continue;
          }
          std::cout << "     " << rule->source << ":" << t.line << ": expected " << t.expect;
          if (!want.empty()) std::cout << " on " << list(want);
          std::cout << "; got fail on " << list(fails) << ", undecided on " << list(undecided) << "\n";
          if (!reason.empty()) std::cout << "     undecided because: " << reason << "\n";
        }
      }
    }
  }
  std::cout << total << " tests of " << set.rules.size() << " rules";
  if (lib_tests)
    std::cout << " and " << set.libraries.size() << (set.libraries.size() == 1 ? " library" : " libraries");
  std::cout << ": " << (total - failed) << " passed, " << failed << " failed\n";
  return failed ? 1 : 0;
}

int run_rules_validate(const RulesOptions& o) {
  RuleSet set;
  std::string error;
  if (!load_all(o.rule_dirs, set, error, o.rule_dirs.empty())) {
    print_error(error);
    return kError;
  }
  std::ifstream in(o.schema, std::ios::binary);
  if (!in) {
    print_error(o.schema + ": cannot open the schema file");
    return kError;
  }
  nlohmann::json schema;
  try {
    schema = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    print_error(o.schema + ": invalid JSON at byte " + std::to_string(e.byte));
    return kError;
  }
  if (!schema.is_object() || !schema.contains("provider_schemas") || !schema["provider_schemas"].is_object()) {
    print_error(o.schema + ": not the output of `terraform providers schema -json` (no provider_schemas)");
    return kError;
  }
  SchemaIndex index(schema);
  size_t checked = 0, bad = 0, unchecked = 0;
  std::set<std::string> missing_types;
  for (const auto& rule : set.rules) {
    // A path read from a rule that selects several types must exist in at least one of them
    // (rules tell the types apart with conditions such as `is_absent(subnet_id)`).
    std::map<std::string, std::vector<std::string>> types_by_path;
    for (const auto& p : rule_paths(*rule)) {
      auto& v = types_by_path[p.path];
      if (std::find(v.begin(), v.end(), p.type) == v.end()) v.push_back(p.type);
    }
    for (const auto& [path, types] : types_by_path) {
      bool any_known = false, valid = false, any_missing = false;
      std::string why, where;
      for (const auto& t : types) {
        if (!index.has_type(t)) {
          missing_types.insert(t);
          any_missing = true;
          continue;
        }
        any_known = true;
        std::string w;
        if (index.check(t, path, w)) valid = true;
        else if (why.empty()) why = w;
        where += (where.empty() ? "`" : ", `") + t + "`";
      }
      if (!any_known || (!valid && any_missing)) {
        ++unchecked;
        continue;
      }
      ++checked;
      if (!valid) {
        ++bad;
        std::cout << rule->source << ": " << rule->id << ": `" << path << "` is not an attribute of " << where
                  << (why.empty() ? "" : ": " + why) << "\n";
      }
    }
  }
  for (const auto& t : missing_types)
    std::cout << (o.strict ? "error" : "note") << ": `" << t << "` is not in the schema; its paths are unchecked\n";
  std::cout << checked << " attribute paths checked in " << set.rules.size() << " rules: " << bad << " invalid, "
            << unchecked << " unchecked (types not in the schema)\n";
  if (bad) return 1;
  if (o.strict && !missing_types.empty()) return 1;
  return 0;
}

int run_rules_docs(const RulesOptions& o) {
  RuleSet set;
  std::string error;
  if (!load_all(o.rule_dirs, set, error)) {
    print_error(error);
    return kError;
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(o.docs_dir, ec);
  for (const auto& r : set.rules) {
    if (!write_output((fs::path(o.docs_dir) / (r->id + ".md")).string(), rule_page_markdown(*r), error)) {
      print_error(error);
      return kError;
    }
  }
  if (!write_output(
          (fs::path(o.docs_dir) / "README.md").string(),
          "# Rules of the bundled pack\n\nGenerated by `tfwarden rules docs` from `rules/`; do not edit.\n\n" +
              rule_table_markdown(set, ""),
          error)) {
    print_error(error);
    return kError;
  }
  if (!o.readme.empty()) {
    std::ifstream in(o.readme, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    const std::string begin = "<!-- rules:begin -->", end = "<!-- rules:end -->";
    auto b = text.find(begin), e = text.find(end);
    if (b == std::string::npos || e == std::string::npos || e < b) {
      print_error(o.readme + ": no `" + begin + "` ... `" + end + "` markers for the rule table");
      return kError;
    }
    text = text.substr(0, b + begin.size()) + "\n" + rule_table_markdown(set, "docs/rules/") + text.substr(e);
    if (!write_output(o.readme, text, error)) {
      print_error(error);
      return kError;
    }
  }
  std::cout << "wrote " << set.rules.size() << " rule pages to " << o.docs_dir << "\n";
  return 0;
}

int run_init(const std::string& path, bool force) {
  std::error_code ec;
  if (!force && std::filesystem::exists(path, ec)) {
    print_error(path + " already exists (use --force to overwrite it)");
    return kError;
  }
  std::string error;
  if (!write_output(path, starter_config(), error)) {
    print_error(error);
    return kError;
  }
  std::cout << "wrote " << path << "\n";
  return 0;
}

int run_inspect(const InspectOptions& o) {
  std::vector<std::string> inputs;
  std::string error;
  if (!expand_inputs(o.inputs, inputs, error)) {
    print_error(error);
    return kError;
  }
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const auto& path : inputs) {
    auto plan = load_plan_file(path, error);
    if (!plan) {
      print_error((path == "-" ? "<stdin>" : path) + ": " + error);
      return kError;
    }
    Resolver resolver(*plan, o.default_region);
    std::map<std::string, size_t> by_type, by_action, by_region;
    std::map<std::string, size_t> unresolved;
    for (const Resource& r : plan->resources) {
      ++by_type[std::string(r.data ? "data." : "") + std::string(r.type)];
      ++by_action[action_name(r.action)];
      const RegionInfo& reg = resolver.region_of(r);
      ++by_region[reg.known ? reg.printable() : reg.applicable ? "(unknown)" : "(not an AWS resource)"];
      if (!reg.known && reg.applicable) ++unresolved[reg.reason];
    }
    nlohmann::ordered_json j;
    j["input"] = plan->input;
    j["kind"] = plan->kind == DocumentKind::Plan ? "plan" : plan->kind == DocumentKind::State ? "state" : "hcl";
    j["format_version"] = plan->format_version;
    j["terraform_version"] = std::string(plan->terraform_version);
    InstanceCounts counts = plan->counts();
    j["resources"] = counts.resources;
    j["data_sources"] = counts.data_sources;
    j["deposed"] = counts.deposed;
    j["by_type"] = by_type;
    j["by_action"] = by_action;
    j["by_region"] = by_region;
    std::map<std::string, std::string> providers;
    for (const auto& [k, p] : plan->providers) {
      Resolution res;
      std::string region = "(not set)";
      if (Node e = p.expressions["region"]; e.present) {
        const ConfigModule* m = plan->module_at(p.module_address);
        resolver.resolve(e, m ? *m : plan->root(), std::nullopt, "region", res);
        bool known = !res.constants.empty() && res.constants[0].is_string();
        region = known && res.sensitive    ? "(sensitive)"
                 : known                   ? std::string(res.constants[0].str())
                 : !res.unresolved.empty() ? "(unresolved: " + res.unresolved[0] + ")"
                                           : "(unknown)";
      }
      providers[std::string(k)] = region;
    }
    j["provider_regions"] = providers;
    j["region_problems"] = unresolved;
    j["notes"] = plan->notes;
    if (o.list_resources) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const Resource& r : plan->resources) {
        const RegionInfo& reg = resolver.region_of(r);
        list.push_back(
            {{"address", r.address},
             {"action", action_name(r.action)},
             {"region", reg.known ? nlohmann::ordered_json(reg.printable()) : nlohmann::ordered_json(nullptr)},
             {"region_source", reg.known ? reg.source : reg.reason},
             {"provider_config_key", r.config ? std::string(r.config->provider_config_key) : ""}});
      }
      j["resource_list"] = std::move(list);
    }
    all.push_back(std::move(j));
  }
  if (o.format == "json") {
    write_json_document(all, std::cout);
    return 0;
  }
  // Addresses, names and regions come from the plan: shown displayable, like every report.
  auto d = [](const nlohmann::ordered_json& s) { return displayable(s.get<std::string>()); };
  for (const auto& j : all) {
    std::cout << d(j["input"]) << ": " << d(j["kind"]) << " (format " << d(j["format_version"])
              << (j["terraform_version"].get<std::string>().empty() ? "" : ", terraform " + d(j["terraform_version"]))
              << "), "
              << counts_text(
                     {j["resources"].get<size_t>(), j["data_sources"].get<size_t>(), j["deposed"].get<size_t>()})
              << "\n";
    for (const auto& n : j["notes"]) std::cout << "  note: " << d(n) << "\n";
    auto section = [&](const char* title, const nlohmann::ordered_json& m) {
      std::cout << "  " << title << ":\n";
      for (auto it = m.begin(); it != m.end(); ++it)
        std::cout << "    " << displayable(it.key()) << ": " << it.value().dump() << "\n";
    };
    section("by action", j["by_action"]);
    section("by region", j["by_region"]);
    section("by type", j["by_type"]);
    if (!j["provider_regions"].empty()) section("provider regions", j["provider_regions"]);
    if (!j["region_problems"].empty()) section("unresolved regions", j["region_problems"]);
    if (j.contains("resource_list"))
      for (const auto& r : j["resource_list"])
        std::cout << "  " << d(r["address"]) << "  " << d(r["action"]) << "  "
                  << (r["region"].is_null() ? "(unknown)" : d(r["region"])) << "  (" << d(r["region_source"]) << ")\n";
  }
  return 0;
}

}  // namespace tfwarden
