#include "cli/app.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "cli/completion.h"
#include "cli/exit_status.h"
#include "cli/io.h"
#include "rules/expr.h"

namespace tfwarden {

namespace {

const std::vector<std::string> kCommands = {"check", "inspect",    "rules", "explain",
                                            "init",  "completion", "man",   "version"};

// Every option takes exactly one value per occurrence, wherever it stands: CLI11 lets a vector
// option swallow the positional arguments after it (`--format json plan.json` would read
// `plan.json` as a second format), and pre-commit appends file names after `args:`. Lists
// come from repeating the option or from commas.
void one_value_per_occurrence(CLI::App& app) {
  for (CLI::Option* o : app.get_options())
    if (!o->get_positional()) o->allow_extra_args(false);
  for (CLI::App* sub : app.get_subcommands({})) one_value_per_occurrence(*sub);
}

// Runs a command; an exception that escapes it is one error line and exit 2.
template <typename F>
int run_command(F command) {
  try {
    return command();
  } catch (const std::bad_alloc&) {
    print_error("out of memory");
    return static_cast<int>(ExitStatus::kError);
  } catch (const std::exception& e) {
    print_error(std::string("internal error: ") + e.what());
    return static_cast<int>(ExitStatus::kError);
  }
}

}  // namespace

int run_cli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // Bare `tfwarden` prints the help. `check` is the default command: `tfwarden plan.json` means
  // `tfwarden check plan.json`.
  if (args.empty()) args.emplace_back("--help");
  if (std::find(kCommands.begin(), kCommands.end(), args[0]) == kCommands.end() && args[0] != "-h" &&
      args[0] != "--help" && args[0] != "--help-all" && args[0] != "--version" && args[0] != "-V") {
    args.insert(args.begin(), "check");
  }
  if (args[0] == "--version" || args[0] == "-V") args[0] = "version";

  CLI::App app{"tfwarden: a fast policy and compliance linter for Terraform plans", "tfwarden"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "show help for every command");
  app.footer(
      "Options go before or after the inputs; each takes one value per occurrence: repeat it or separate\n"
      "values with commas (--only net,edge --only HP-BAK-002).\n"
      "Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, config, rule or input error\n"
      "(an input that cannot be read is listed in the report, the others are still linted, and the exit is 2).\n"
      "Environment: TFWARDEN_FORMAT, TFWARDEN_FAIL_ON, TFWARDEN_CONFIG and the others `check --help` names set\n"
      "check's options; a flag wins over the environment, the environment over .tfwarden.toml.\n"
      "Docs: README.md, docs/rule-language.md, docs/rules/, man tfwarden.");

  CheckOptions check;
  CLI::App* c = app.add_subcommand("check", "lint plan or state JSON (the default command)");
  c->add_option("inputs", check.inputs,
                "plan or state JSON files, Terraform source (.tf files or their directory), directories (recursive: "
                "*.json and root modules), or - for stdin");
  c->add_option("-f,--format", check.formats,
                "output format, repeatable: text, json, sarif, junit, github, markdown, gitlab, checkstyle; "
                "FORMAT=FILE writes that format to FILE")
      ->type_name("FORMAT[=FILE]");
  c->add_option("-o,--output", check.output, "write the (first) format to FILE, atomically");
  c->add_option("--config", check.config, "configuration file (default: .tfwarden.toml found upward)");
  c->add_option("--rules", check.rule_dirs, "load more rules from DIR (repeatable)")->type_name("DIR");
  c->add_option("--pack", check.packs,
                "run only these bundled packs (comma-separated, repeatable; default: every pack). Rules from --rules "
                "always run")
      ->delimiter(',')
      ->type_name("NAME");
  c->add_option("--only", check.only, "run only these rule ids or areas (comma-separated, repeatable)")->delimiter(',');
  c->add_option("--skip", check.skip, "skip these rule ids or areas (comma-separated, repeatable)")->delimiter(',');
  c->add_option("--fail-on", check.fail_on, "lowest severity that fails the run (default low)")
      ->check(CLI::IsMember({"critical", "high", "medium", "low", "info"}));
  c->add_option("--severity", check.min_severity, "report only findings at or above this severity")
      ->check(CLI::IsMember({"critical", "high", "medium", "low", "info"}));
  c->add_option("--type", check.types,
                "report only findings on resources of these types (comma-separated, repeatable); every rule still "
                "reads the whole plan. A type no rule selects and no input has is an error")
      ->delimiter(',');
  c->add_option("--address", check.address,
                "report only findings whose resource address matches this RE2 pattern (partial match); every rule "
                "still reads the whole plan. A pattern that matches no resource is an error");
  c->add_option("--default-region", check.default_region, "region of resources whose provider sets none");
  c->add_option("--source-dir", check.source_dir, "map addresses to .tf files and lines under DIR");
  c->add_option("--baseline", check.baseline,
                "a previous JSON report: findings in it are known and do not fail the run");
  c->add_option("--write-baseline", check.write_baseline, "write the findings of this run as a baseline JSON report");
  c->add_option("--color", check.color, "colour: auto, always, never (NO_COLOR and FORCE_COLOR are honoured)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  c->add_flag("-q,--quiet", check.quiet, "print only findings that count toward the exit code, and the summary");
  c->add_flag("--exit-zero", check.exit_zero, "exit 0 even when there are findings (errors still exit 2)");
  c->add_flag("--timings", check.timings, "print the time of each phase on stderr");
  c->add_flag("-v,--verbose", check.verbose, "print the configuration file in use on stderr");
  c->add_option("--max-annotations", check.max_annotations,
                "--format github: at most N error, N warning and N notice annotations, most severe first, then one "
                "notice counting the rest (default 10, GitHub's limit per step; 0 = unlimited)")
      ->type_name("N");
  c->add_option("--sarif-category", check.sarif_category,
                "--format sarif: the code scanning category, written as runs[0].automationDetails.id `NAME/`")
      ->type_name("NAME");
  c->add_option("-j,--jobs", check.jobs, "inputs linted in parallel (default: every core)");
  c->add_option("--input-kind", check.input_kind,
                "what a directory is read for: plan (plan and state JSON), source (.tf root modules), or any (both, "
                "the default)")
      ->check(CLI::IsMember({"any", "plan", "source"}))
      ->type_name("KIND");
  c->add_option("--var-file", check.var_files, "Terraform source: a .tfvars file of root variables (repeatable)")
      ->type_name("FILE");
  c->add_option("--var", check.vars, "Terraform source: a root variable's value, NAME=VALUE (repeatable)")
      ->type_name("NAME=VALUE");
  for (auto [name, type] : {std::pair{"output", "FILE"},
                            {"config", "FILE"},
                            {"only", "ID|AREA"},
                            {"skip", "ID|AREA"},
                            {"fail-on", "SEVERITY"},
                            {"severity", "SEVERITY"},
                            {"type", "TYPE"},
                            {"address", "PATTERN"},
                            {"default-region", "REGION"},
                            {"source-dir", "DIR"},
                            {"baseline", "FILE"},
                            {"write-baseline", "FILE"},
                            {"color", "WHEN"},
                            {"jobs", "N"}})
    c->get_option(std::string("--") + name)->type_name(type);
  // TFWARDEN_FAIL_ON for --fail-on, and so on: for the options a CI job sets once for every run.
  for (const char* name :
       {"format", "output", "config", "rules", "pack", "only", "skip", "fail-on", "severity", "default-region",
        "source-dir", "baseline", "color", "jobs", "max-annotations", "sarif-category"}) {
    std::string env = std::string("TFWARDEN_") + name;
    for (char& ch : env) ch = ch == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    c->get_option(std::string("--") + name)->envname(env);
  }

  InspectOptions inspect;
  CLI::App* ins =
      app.add_subcommand("inspect", "show what tfwarden reads from a plan: resources by type, action and region");
  ins->add_option("inputs", inspect.inputs, "plan or state JSON files")->required();
  ins->add_option("--default-region", inspect.default_region, "region of resources whose provider sets none");
  ins->add_option("--format", inspect.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  ins->add_flag("--resources", inspect.list_resources, "list every resource with its region and provider");

  RulesOptions rules;
  CLI::App* r = app.add_subcommand("rules", "list, show, test and validate rules");
  r->require_subcommand(1);
  CLI::App* rl = r->add_subcommand("list", "list the rules");
  rl->add_option("--rules", rules.rule_dirs, "also load rules from DIR");
  rl->add_option("--pack", rules.packs, "list only these bundled packs (comma-separated, repeatable)")
      ->delimiter(',')
      ->type_name("NAME");
  rl->add_option("--format", rules.format, "text or json")->check(CLI::IsMember({"text", "json", "markdown"}));
  CLI::App* rs = r->add_subcommand("show", "print a rule's file");
  rs->add_option("id", rules.id, "rule id")->required();
  rs->add_option("--rules", rules.rule_dirs, "also load rules from DIR");
  CLI::App* rt = r->add_subcommand("test", "run the inline tests of rules (the bundled pack, or the rules under DIR)");
  rt->add_option("dir", rules.test_dir, "directory of rule files (default: the bundled pack)");
  rt->add_flag("-v,--verbose", rules.verbose, "print every test, not only failures");
  CLI::App* rp = r->add_subcommand("plan", "print the plan document a rule's test runs on (its short form filled in)");
  rp->add_option("id", rules.id, "rule id")->required();
  rp->add_option("test", rules.test, "test number, from 1 in file order")->required();
  rp->add_option("--rules", rules.rule_dirs, "also load rules from DIR");
  CLI::App* rv = r->add_subcommand("validate", "check every attribute path the rules use against a provider schema");
  rv->add_option("--schema", rules.schema, "output of `terraform providers schema -json`")->required();
  rv->add_option("--rules", rules.rule_dirs, "validate these rules instead of the bundled pack")->type_name("DIR");
  rv->add_flag("--strict", rules.strict, "fail when a rule names a resource type the schema does not hold");
  CLI::App* rd = r->add_subcommand("docs", "write docs/rules/*.md and the README rule table from the rule files");
  rd->add_option("--out", rules.docs_dir, "directory for the rule pages")->required();
  rd->add_option("--readme", rules.readme, "README.md whose rule table to rewrite");

  std::string explain_id;
  std::vector<std::string> explain_dirs;
  CLI::App* ex = app.add_subcommand("explain", "explain a rule: what it checks, why, how to fix, compliance ids");
  ex->add_option("id", explain_id, "rule id or name")->required();
  ex->add_option("--rules", explain_dirs, "also load rules from DIR");

  std::string init_path = ".tfwarden.toml";
  bool init_force = false;
  CLI::App* in = app.add_subcommand("init", "write a commented .tfwarden.toml");
  in->add_option("path", init_path, "where to write it (default .tfwarden.toml)");
  in->add_flag("--force", init_force, "overwrite an existing file");

  std::string shell;
  CLI::App* comp = app.add_subcommand("completion", "print a shell completion script: bash, zsh or fish");
  comp->add_option("shell", shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  comp->footer(
      "bash: source <(tfwarden completion bash); zsh: tfwarden completion zsh > \"${fpath[1]}/_tfwarden\";\n"
      "fish: tfwarden completion fish > ~/.config/fish/completions/tfwarden.fish");
  CLI::App* man = app.add_subcommand("man", "print the manual page (roff): tfwarden man | man -l -");

  app.add_subcommand("version", "print the version (also -V, --version)");

  one_value_per_occurrence(app);
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError& e) {
    // Suggest the closest flag for a mistyped one.
    std::string msg = e.what();
    std::vector<std::string> flags;
    for (CLI::App* sub : app.get_subcommands({}))
      for (const CLI::Option* o : sub->get_options())
        for (const auto& l : o->get_lnames()) flags.push_back("--" + l);
    std::string extra;
    for (const auto& a : args)
      if (a.rfind("--", 0) == 0 && std::find(flags.begin(), flags.end(), a.substr(0, a.find('='))) == flags.end()) {
        extra = a.substr(0, a.find('='));
        break;
      }
    if (!extra.empty()) {
      std::string hint = did_you_mean(extra, flags);
      print_error("unknown flag `" + extra + "`" + (hint.empty() ? "" : " (did you mean `" + hint + "`?)"));
    } else {
      print_error(msg);
    }
    return static_cast<int>(ExitStatus::kError);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    if (!msg.empty()) msg[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(msg[0])));
    // A bad value that came from the environment names the variable.
    if (msg.rfind("--", 0) == 0) {
      std::string flag = msg.substr(0, msg.find(':'));
      const CLI::Option* o = nullptr;
      try {
        o = c->get_option(flag);
      } catch (const CLI::OptionNotFound&) {
      }
      bool on_command_line = std::any_of(
          args.begin(), args.end(), [&](const std::string& a) { return a == flag || a.rfind(flag + "=", 0) == 0; });
      if (o && !o->get_envname().empty() && std::getenv(o->get_envname().c_str()) && !on_command_line)
        msg += " (from the environment variable " + o->get_envname() + ")";
    }
    print_error(msg);
    return static_cast<int>(ExitStatus::kError);
  }

  // A reader that stops early (`tfwarden check plan.json | head`) is not an error: with SIGPIPE
  // ignored a write gets EPIPE, and the output code drops the rest quietly (see write_output).
  std::signal(SIGPIPE, SIG_IGN);
  int status = run_command([&] {
    if (c->parsed()) return run_check(check);
    if (ins->parsed()) return run_inspect(inspect);
    if (rl->parsed()) return run_rules_list(rules);
    if (rs->parsed()) return run_rules_show(rules);
    if (rt->parsed()) return run_rules_test(rules);
    if (rp->parsed()) return run_rules_plan(rules);
    if (rv->parsed()) return run_rules_validate(rules);
    if (rd->parsed()) return run_rules_docs(rules);
    if (ex->parsed()) return run_explain(explain_id, explain_dirs);
    if (in->parsed()) return run_init(init_path, init_force);
    if (comp->parsed()) {
      std::cout << completion_script(app, shell);
      return 0;
    }
    if (man->parsed()) {
      std::cout << man_page(app);
      return 0;
    }
    std::cout << "tfwarden " << TFWARDEN_VERSION << "\n";
    return 0;
  });
  std::string error;
  if (!finish_stdout(error)) {
    print_error(error);
    return static_cast<int>(ExitStatus::kError);
  }
  return status;
}

}  // namespace tfwarden
