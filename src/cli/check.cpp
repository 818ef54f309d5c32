#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <iostream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "cli/exit_status.h"
#include "cli/io.h"
#include "engine/config.h"
#include "engine/engine.h"
#include "engine/input_path.h"
#include "engine/waivers.h"
#include "plan/printable.h"
#include "report/baseline.h"
#include "report/filter.h"
#include "report/formats.h"
#include "report/report.h"
#include "report/source_map.h"
#include "source/load.h"

namespace tfwarden {

namespace {

constexpr int kError = static_cast<int>(ExitStatus::kError);

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// Loads the bundled pack, extra rule directories and the config, and picks the rules to run.
bool prepare_rules(const CheckOptions& o, RuleSet& set, Config& cfg, std::vector<const Rule*>& selected,
                   std::string& error) {
  if (!load_bundled_rules(set, error, /*with_tests=*/false)) return false;
  for (const auto& d : o.rule_dirs)
    if (!load_rule_dir(d, set, error)) return false;
  std::string cfg_path = o.config.empty() ? find_config_upward() : o.config;
  if (!cfg_path.empty()) {
    if (!load_config(cfg_path, cfg, error)) return false;
    if (!apply_config(cfg, set, error)) return false;
  }
  std::set<std::string> areas;
  std::vector<std::string> names = set.ids();
  for (const auto& r : set.rules) areas.insert(r->area);
  names.insert(names.end(), areas.begin(), areas.end());
  auto check_names = [&](const std::vector<std::string>& list, const char* flag) {
    for (const auto& n : list) {
      if (set.find(n) || areas.count(n)) continue;
      std::string hint = did_you_mean(n, names);
      error = std::string("unknown rule id or area `") + n + "` in " + flag +
              (hint.empty() ? "" : " (did you mean `" + hint + "`?)");
      return false;
    }
    return true;
  };
  if (!check_names(o.only, "--only") || !check_names(o.skip, "--skip")) return false;
  if (error = check_pack_names(o.packs, "--pack"); !error.empty()) return false;
  // The packs that run: --pack, else the config's `packs`, else every bundled pack. Rules of a
  // --rules directory always run.
  const std::vector<std::string>& packs = o.packs.empty() ? cfg.packs : o.packs;
  auto pack_runs = [&](const Rule& r) { return pack_selected(r, packs); };
  for (const auto& id : o.only)
    if (const Rule* r = set.find(id); r && !pack_runs(*r)) {
      error = "--only names " + id + " of the pack " + r->pack + ", which " +
              (o.packs.empty() ? "the configuration's `packs`" : "--pack") + " does not select";
      return false;
    }
  auto matches = [](const Rule& r, const std::vector<std::string>& list) {
    return std::find(list.begin(), list.end(), r.id) != list.end() ||
           std::find(list.begin(), list.end(), r.area) != list.end();
  };
  for (const auto& r : set.rules) {
    if (!pack_runs(*r)) continue;
    if (!o.only.empty() && !matches(*r, o.only)) continue;
    if (!cfg.only.empty() && !matches(*r, cfg.only)) continue;
    if (matches(*r, o.skip) || matches(*r, cfg.disable)) continue;
    selected.push_back(r.get());
  }
  return true;
}

// A plan deliberately left to the kernel at exit (see run_check).
const Plan* g_kept_until_exit = nullptr;

struct InputResult {
  InputInfo info;
  PlanResult result;
  std::string error;
  FilterScan scan;
  std::vector<bool> waivers_in_scope;
  std::string skipped;  // why a file found in a directory was skipped (not a plan or state)
  double load_ms = 0, rules_ms = 0;
  LoadTimings load;
};

}  // namespace

int run_check(const CheckOptions& o) {
  auto t_start = Clock::now();
  std::string error;
  std::vector<FormatSpec> specs;
  if (!parse_format_specs(o.formats, o.output, specs, error)) {
    print_error(error);
    return kError;
  }
  if (o.inputs.empty()) {
    print_error(
        "no input: give a plan or state JSON file (`terraform show -json tfplan > plan.json`), a directory, or - for "
        "stdin");
    return kError;
  }
  std::vector<InputPath> expanded;
  std::vector<UnreadablePath> unreadable;
  InputKind kind = o.input_kind == "plan"     ? InputKind::Plan
                   : o.input_kind == "source" ? InputKind::Source
                                              : InputKind::Any;
  if (!expand_inputs(o.inputs, expanded, unreadable, error, kind)) {
    print_error(error);
    return kError;
  }
  // A directory of plans that is also a Terraform configuration is read as both; say so once.
  std::set<std::string> with_plans, with_source, both_noted;
  for (const auto& in : expanded)
    if (in.from_directory) (in.source ? with_source : with_plans).insert(in.directory);
  for (const auto& in : expanded)
    if (in.from_directory && with_plans.contains(in.directory) && with_source.contains(in.directory) &&
        both_noted.insert(in.directory).second)
      print_note(in.directory +
                 ": holds plan or state JSON and Terraform source; both are read (--input-kind plan or source "
                 "reads one)");
  std::vector<std::string> inputs;
  inputs.reserve(expanded.size());
  for (const auto& in : expanded) inputs.push_back(in.path);
  bool stdin_used = std::count(inputs.begin(), inputs.end(), std::string("-")) > 1;
  if (stdin_used) {
    print_error("stdin (-) can be given only once");
    return kError;
  }
  source::SourceOptions source_options;
  source_options.var_files = o.var_files;
  for (const auto& v : o.vars) {
    auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0) {
      print_error("--var " + printable(v) + ": expected NAME=VALUE");
      return kError;
    }
    source_options.vars.emplace_back(v.substr(0, eq), v.substr(eq + 1));
  }
  ReportFilter filter;
  filter.types = o.types;
  if (!o.min_severity.empty()) parse_severity(o.min_severity, filter.min_severity);
  if (!o.address.empty()) {
    filter.address = std::make_shared<RE2>(o.address, RE2::Quiet);
    if (!filter.address->ok()) {
      print_error("--address: bad regular expression: " + filter.address->error());
      return kError;
    }
  }
  // The rules (bundled pack, rule directories, config) load on their own thread while the
  // first plans are read: neither needs the other until evaluation starts.
  RuleSet set;
  Config cfg;
  std::vector<const Rule*> rules;
  std::string rules_error;
  double setup_ms = 0;
  EngineOptions eopts;
  eopts.default_region = o.default_region;
  eopts.time_rules = o.timings;
  bool want_evaluations =
      std::any_of(specs.begin(), specs.end(), [](const FormatSpec& s) { return s.format == "junit"; });
  eopts.record_evaluations = want_evaluations;
  unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  // One input: its resources are split across the threads instead.
  eopts.threads = inputs.size() == 1 ? jobs : 1;
  jobs = std::min<unsigned>(jobs, static_cast<unsigned>(inputs.size()));
  // The config may name the default region; workers read `eopts` only once the rules are ready.
  std::shared_future<bool> rules_ready = std::async(std::launch::async, [&] {
                                           bool ok = prepare_rules(o, set, cfg, rules, rules_error);
                                           if (eopts.default_region.empty()) eopts.default_region = cfg.default_region;
                                           setup_ms = ms_since(t_start);
                                           return ok;
                                         }).share();
  // Lint each input independently, in parallel; results are merged in input order.
  std::vector<InputResult> results(inputs.size());
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  bool progress = inputs.size() > 20 && isatty(STDERR_FILENO);
  auto worker = [&] {
    while (true) {
      size_t i = next.fetch_add(1);
      if (i >= inputs.size()) return;
      InputResult& res = results[i];
      auto t0 = Clock::now();
      LoadError load_error;
      std::unique_ptr<Plan> plan = expanded[i].source ? source::load_source(inputs[i], source_options, load_error)
                                                      : load_plan_file(inputs[i], load_error);
      // Names are kept as they are, like those of the inputs read: every writer escapes them.
      if (!plan) res.info.name = inputs[i] == "-" ? std::string("<stdin>") : inputs[i];
      res.load_ms = ms_since(t0);
      if (plan) {
        res.info.name = plan->input;
        res.info.kind = plan->kind == DocumentKind::Plan ? "plan" : plan->kind == DocumentKind::State ? "state" : "hcl";
        res.info.format_version = plan->format_version;
        res.info.terraform_version = std::string(plan->terraform_version);
        res.info.counts = plan->counts();
        res.info.errored = plan->errored;
        res.info.notes = plan->notes;
        res.load = plan->timings;
        res.scan.scan(filter, *plan);
        // A rule or config error is reported once, after the workers stop.
        if (rules_ready.get()) {
          auto t1 = Clock::now();
          res.result = run_rules(*plan, rules, eopts);
          res.rules_ms = ms_since(t1);
          res.waivers_in_scope = waivers_in_scope(cfg, rules, *plan);
        }
        // With one input the process ends soon: the kernel reclaims the plan's memory faster
        // than freeing its parts one by one (tens of milliseconds on a large plan). A static
        // pointer keeps it reachable, so leak checkers do not report it.
        if (inputs.size() == 1) g_kept_until_exit = plan.release();
      } else if (expanded[i].from_directory && load_error.kind == LoadErrorKind::NotPlanOrState) {
        res.info.name = inputs[i];
        res.skipped = load_error.message;
      } else {
        res.error = load_error.message;
      }
      size_t d = ++done;
      if (progress && (d % 10 == 0 || d == inputs.size()))
        std::cerr << "\rtfwarden: " << d << "/" << inputs.size() << " inputs" << (d == inputs.size() ? "\n" : "")
                  << std::flush;
    }
  };
  std::vector<std::thread> pool;
  for (unsigned j = 1; j < jobs; ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (!rules_ready.get()) {
    print_error(rules_error);
    return kError;
  }
  if (o.verbose)
    std::cerr << "tfwarden: "
              << (cfg.path.empty() ? "no configuration file found"
                                   : "using configuration " + printable(stable_path(cfg.path)))
              << "\n";
  Severity fail_on = cfg.fail_on.value_or(Severity::Low);
  if (!o.fail_on.empty()) parse_severity(o.fail_on, fail_on);

  // An input that cannot be read is reported with its error; the others are linted and
  // reported as usual, and the run exits 2.
  bool input_failed = false;
  bool input_read = false;
  FilterScan scan;
  std::vector<bool> in_scope(cfg.waivers.size(), false);
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    if (!r.error.empty()) {
      if (expanded[i].source) {
        // Source errors name their file and line, one per line, each with its help line.
        std::istringstream lines(r.error);
        std::string line;
        for (bool first = true; std::getline(lines, line); first = false) {
          if (first)
            print_error(line);
          else
            std::cerr << printable(line) << "\n";
        }
      } else {
        print_error(r.info.name + ": " + r.error);
      }
      input_failed = true;
      continue;
    }
    if (r.skipped.empty()) input_read = true;
    scan.merge(r.scan);
    for (size_t w = 0; w < r.waivers_in_scope.size(); ++w)
      if (r.waivers_in_scope[w]) in_scope[w] = true;
  }
  // What a directory scan could not read (a directory, an entry, a link loop) is a failed input
  // too, never skipped in silence.
  for (const auto& u : unreadable) {
    print_error(u.path + ": " + u.error);
    input_failed = true;
  }
  // JSON files of a directory that are neither plans nor states: a count here, the list in the report.
  std::map<std::string, size_t> skipped_under;
  for (size_t i = 0; i < results.size(); ++i)
    if (!results[i].skipped.empty()) ++skipped_under[expanded[i].directory];
  for (const auto& [dir, n] : skipped_under)
    print_note("skipped " + std::to_string(n) + " JSON file" + (n == 1 ? "" : "s") + " under " + dir +
               (n == 1 ? " that is neither a plan nor a state" : " that are neither plans nor states"));
  if (!input_failed &&
      std::all_of(results.begin(), results.end(), [](const InputResult& r) { return !r.skipped.empty(); })) {
    print_error("no plan or state to lint: every JSON file found is neither a plan nor a state");
    return kError;
  }
  // With no input read there is nothing to report: the errors say why, and no report file is
  // written (an existing one stays as it was).
  if (!input_read) return kError;
  {
    std::vector<std::string> notes;
    if (std::string e = filter_error(filter, rules, scan, notes); !e.empty()) {
      print_error(e);
      return kError;
    }
    for (const auto& n : notes) print_note(n);
  }
  filter.hide_undecided = cfg.undecided == "ignore";

  auto t_report = Clock::now();
  Report report;
  report.rules = rules;
  report.fail_on = fail_on;
  report.undecided_fails = cfg.undecided == "fail";
  report.errored_fails = cfg.errored_plan == "fail";
  report.config_path = cfg.path.empty() ? "" : stable_path(cfg.path);
  report.max_annotations = o.max_annotations;
  report.sarif_category = o.sarif_category;
  // Findings are moved once, into a vector of the right size (one input's are taken whole): an
  // estate of 80,000 findings is not moved into a growing vector twice over.
  std::vector<Finding> findings;
  size_t n_findings = 0, n_evaluations = 0;
  for (const InputResult& r : results) {
    n_findings += r.result.findings.size();
    n_evaluations += r.result.evaluations.size();
  }
  if (want_evaluations) report.evaluations.reserve(n_evaluations);
  for (size_t i = 0; i < results.size(); ++i) {
    InputResult& r = results[i];
    if (!r.error.empty()) {
      r.info.kind = "error";
      r.info.error = r.error;
    }
    if (!r.skipped.empty()) {
      report.skipped.push_back({r.info.name, r.skipped});
      continue;
    }
    report.inputs.push_back(r.info);
    report.checks += r.result.checks;
    if (findings.empty()) {
      findings = std::move(r.result.findings);
      findings.reserve(n_findings);
    } else {
      findings.insert(findings.end(), std::make_move_iterator(r.result.findings.begin()),
                      std::make_move_iterator(r.result.findings.end()));
    }
    if (want_evaluations)
      for (auto& e : r.result.evaluations) report.evaluations.push_back(std::move(e));
  }
  for (const auto& u : unreadable) {
    InputInfo info;
    info.name = u.path;
    info.kind = "error";
    info.error = u.error;
    report.inputs.push_back(std::move(info));
  }
  // Waivers and the baseline see every finding, so a filter never makes a waiver look stale.
  report.waivers = apply_waivers(cfg, rules, in_scope, findings);
  if (!o.baseline.empty()) {
    std::string note;
    if (!apply_baseline(o.baseline, findings, note, error)) {
      print_error(error);
      return kError;
    }
    if (!note.empty()) print_note(note);
  }
  std::erase_if(findings, [&](const Finding& f) { return !filter.keep(f); });
  report.findings = std::move(findings);
  // A finding on Terraform source points at its file and line, with no --source-dir.
  for (size_t i = 0; i < results.size(); ++i) {
    if (!expanded[i].source || !results[i].error.empty() || !results[i].skipped.empty()) continue;
    SourceMap map;
    if (!map.load(inputs[i], error)) continue;  // read a moment ago: only a race makes this fail
    for (Finding& f : report.findings) {
      if (!f.source_file.empty() || f.input != results[i].info.name) continue;
      if (auto loc = map.locate(f.address, f.path)) {
        f.source_file = loc->file;
        f.source_line = loc->line;
      }
    }
  }
  if (!o.source_dir.empty()) {
    SourceMap map;
    if (!map.load(o.source_dir, error)) {
      print_error(error);
      return kError;
    }
    for (Finding& f : report.findings) {
      if (!f.source_file.empty()) continue;
      if (auto loc = map.locate(f.address, f.path)) {
        f.source_file = loc->file;
        f.source_line = loc->line;
      }
    }
  }
  sort_findings(report.findings);
  int exit_code = 0;
  for (const Finding& f : report.findings)
    if (report.counts(f)) exit_code = 1;
  // A plan terraform could not finish is incomplete: it never passes on its own.
  bool errored = false;
  for (const InputInfo& in : report.inputs)
    if (in.errored && report.errored_fails) {
      print_error(in.name +
                  ": the plan is marked errored (terraform could not finish planning): it was linted as far as it "
                  "goes, and the run fails (`errored-plan = \"lint\"` in the configuration lets findings decide)");
      errored = true;
    }
  report.exit_code = input_failed || errored ? kError : o.exit_zero ? 0 : exit_code;

  bool color = use_color(o.color);
  // Each report is written as it is made, straight to its file (through a temporary file renamed
  // when it is complete) or to stdout.
  for (const FormatSpec& s : specs) {
    OutputFile out;
    if (!out.open(s.file.empty() ? "-" : s.file, error)) {
      print_error(error);
      return kError;
    }
    write_format(s.format, report, color && s.file.empty(), o.quiet, out.stream());
    if (!out.commit(error)) {
      print_error(error);
      return kError;
    }
  }
  if (!o.write_baseline.empty()) {
    OutputFile out;
    if (!out.open(o.write_baseline, error)) {
      print_error(error);
      return kError;
    }
    write_json(report, out.stream());
    if (!out.commit(error)) {
      print_error(error);
      return kError;
    }
  }
  if (o.timings) {
    // Summed over the inputs: with several jobs, phases overlap and add up to more than the total.
    double load = 0, rules_ms = 0;
    LoadTimings split;
    for (const auto& r : results) {
      load += r.load_ms;
      rules_ms += r.rules_ms;
      split.read += r.load.read;
      split.parse += r.load.parse;
      split.model += r.load.model;
    }
    auto ms = [](double v) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f ms", v);
      return std::string(buf);
    };
    std::cerr << "tfwarden: timings: setup " << ms(setup_ms) << ", read+model " << ms(load) << " (read "
              << ms(split.read) << ", parse " << ms(split.parse) << ", model " << ms(split.model) << "), rules "
              << ms(rules_ms) << ", report " << ms(ms_since(t_report)) << ", total " << ms(ms_since(t_start)) << "\n";
    // The rules that took longest, summed over inputs and threads.
    std::unordered_map<const Rule*, double> per_rule;
    for (const auto& r : results)
      for (const auto& [rule, v] : r.result.rule_ms) per_rule[rule] += v;
    std::vector<std::pair<double, std::string>> slowest;
    slowest.reserve(per_rule.size());
    for (const auto& [rule, v] : per_rule) slowest.emplace_back(v, rule->id);
    std::sort(slowest.begin(), slowest.end(), std::greater<>());
    if (!slowest.empty()) {
      std::cerr << "tfwarden: timings: slowest rules";
      for (size_t i = 0; i < std::min<size_t>(5, slowest.size()); ++i)
        std::cerr << (i ? ", " : " ") << slowest[i].second << " " << ms(slowest[i].first);
      std::cerr << "\n";
    }
  }
  return report.exit_code;
}

}  // namespace tfwarden
