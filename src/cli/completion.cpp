#include "cli/completion.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "report/formats.h"

namespace tfwarden {

namespace {

// One command of the tree: `check`, `rules list`.
struct Command {
  std::string path;  // "check", "rules list"; "" for tfwarden itself
  const CLI::App* app;
  std::vector<const CLI::App*> children;
  std::vector<const CLI::Option*> options;  // named options, help included
  bool takes_files = false;                 // positional arguments that are paths
  std::string positional_words;             // the words a positional argument takes, if a fixed set
};

void collect(const CLI::App& app, const std::string& path, std::vector<Command>& out) {
  Command c{path, &app, app.get_subcommands([](const CLI::App*) { return true; }), {}, false, ""};
  for (const CLI::Option* o : app.get_options()) {
    std::string name = o->get_name(true);
    if (!o->get_positional())
      c.options.push_back(o);
    else if (name == "shell")
      c.positional_words = "bash zsh fish";
    else
      c.takes_files |= name == "inputs" || name == "dir" || name == "path";
  }
  out.push_back(c);
  for (const CLI::App* sub : c.children)
    collect(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
}

std::vector<Command> commands(const CLI::App& app) {
  std::vector<Command> out;
  collect(app, "", out);
  return out;
}

// What the value of an option is: a fixed set of words, a file, a directory, or free text.
struct ValueKind {
  enum { None, Words, File, Dir, Free } kind = None;
  std::string words;
};

ValueKind value_kind(const Command& c, const CLI::Option& o) {
  ValueKind v;
  if (o.get_items_expected_max() == 0) return v;  // a flag
  std::string name = o.get_lnames().empty() ? "" : o.get_lnames().front();
  static const std::string kSeverities = "critical high medium low info";
  if (name == "format") {
    v.kind = ValueKind::Words;
    if (c.path == "check") {
      for (const std::string& f : format_names()) v.words += (v.words.empty() ? "" : " ") + f;
    } else {
      v.words = c.path == "rules list" ? "text json markdown" : "text json";
    }
  } else if (name == "fail-on" || name == "severity") {
    v = {ValueKind::Words, kSeverities};
  } else if (name == "color") {
    v = {ValueKind::Words, "auto always never"};
  } else if (name == "config" || name == "output" || name == "baseline" || name == "write-baseline" ||
             name == "schema" || name == "readme") {
    v.kind = ValueKind::File;
  } else if (name == "rules" || name == "source-dir" || name == "out") {
    v.kind = ValueKind::Dir;
  } else {
    v.kind = ValueKind::Free;
  }
  return v;
}

std::vector<std::string> flags_of(const CLI::Option& o) {
  std::vector<std::string> out;
  for (const auto& l : o.get_lnames()) out.push_back("--" + l);
  for (const auto& s : o.get_snames()) out.push_back("-" + s);
  return out;
}

// The command's path as the bash function tracks it: "rules list" -> "/rules/list", "" -> "".
std::string slash_path(const std::string& path) {
  std::string p = path.empty() ? "" : "/" + path;
  std::replace(p.begin(), p.end(), ' ', '/');
  return p;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string bash_function(const CLI::App& app) {
  std::vector<Command> all = commands(app);
  std::ostringstream s;
  s << "_tfwarden() {\n"
       "  local cur prev path w i words\n"
       "  cur=${COMP_WORDS[COMP_CWORD]}\n"
       "  prev=${COMP_WORDS[COMP_CWORD-1]}\n"
       "  path=\n"
       "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
       "    w=${COMP_WORDS[i]}\n"
       "    case \"$path/$w\" in\n";
  std::vector<std::string> paths;
  for (const Command& c : all)
    if (!c.path.empty()) paths.push_back(slash_path(c.path));
  s << "      " << join(paths, "|") << ") path=$path/$w ;;\n"
    << "    esac\n"
       "  done\n"
       "  case \"$path:$prev\" in\n";
  for (const Command& c : all) {
    std::string p = slash_path(c.path);
    for (const CLI::Option* o : c.options) {
      ValueKind v = value_kind(c, *o);
      if (v.kind == ValueKind::None) continue;
      std::vector<std::string> pats;
      for (const auto& f : flags_of(*o)) {
        pats.push_back(p + ":" + f);
        if (c.path == "check") pats.push_back(":" + f);  // `tfwarden plan.json --format ...` runs check
      }
      s << "    " << join(pats, "|") << ") ";
      if (v.kind == ValueKind::Words)
        s << "COMPREPLY=($(compgen -W \"" << v.words << "\" -- \"$cur\"))";
      else if (v.kind == ValueKind::File)
        s << "COMPREPLY=($(compgen -f -- \"$cur\"))";
      else if (v.kind == ValueKind::Dir)
        s << "COMPREPLY=($(compgen -d -- \"$cur\"))";
      else
        s << "COMPREPLY=()";
      s << "; return ;;\n";
    }
  }
  s << "  esac\n"
       "  case \"$path\" in\n";
  for (const Command& c : all) {
    std::string p = slash_path(c.path);
    std::vector<std::string> w;
    for (const CLI::App* sub : c.children) w.push_back(sub->get_name());
    if (!c.positional_words.empty()) w.push_back(c.positional_words);
    for (const CLI::Option* o : c.options)
      for (const auto& f : flags_of(*o)) w.push_back(f);
    if (c.path.empty()) {
      w.emplace_back("-V");
      for (const Command& check : all)
        if (check.path == "check")
          for (const CLI::Option* o : check.options)
            for (const auto& f : flags_of(*o))
              if (std::find(w.begin(), w.end(), f) == w.end()) w.push_back(f);
    }
    bool files = c.takes_files || c.path.empty();  // `tfwarden plan.json` runs check
    s << "    \"" << p << "\") words=\"" << join(w, " ") << "\"" << (files ? "; files=1" : "; files=") << " ;;\n";
  }
  s << "  esac\n"
       "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
       "  if [[ $cur != -* && -n $files ]]; then COMPREPLY+=($(compgen -f -- \"$cur\")); fi\n"
       "}\n";
  return s.str();
}

std::string fish_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

std::string fish_script(const CLI::App& app) {
  std::vector<Command> all = commands(app);
  std::ostringstream s;
  s << "# fish completion for tfwarden (tfwarden completion fish > ~/.config/fish/completions/tfwarden.fish)\n"
       "complete -c tfwarden -f\n";
  for (const Command& c : all) {
    // The condition that this command is the one being completed.
    std::string cond;
    if (c.path.empty()) {
      cond = "__fish_use_subcommand";
    } else {
      std::istringstream parts(c.path);
      std::vector<std::string> names;
      for (std::string n; parts >> n;) names.push_back(n);
      for (const std::string& n : names)
        cond += (cond.empty() ? "" : "; and ") + std::string("__fish_seen_subcommand_from ") + n;
      if (!c.children.empty()) {
        std::vector<std::string> kids;
        for (const CLI::App* k : c.children) kids.push_back(k->get_name());
        cond += "; and not __fish_seen_subcommand_from " + join(kids, " ");
      }
    }
    for (const CLI::App* sub : c.children)
      s << "complete -c tfwarden -n " << fish_quote(cond) << " -a " << sub->get_name() << " -d "
        << fish_quote(first_line(sub->get_description())) << "\n";
    if (c.takes_files) s << "complete -c tfwarden -n " << fish_quote(cond) << " -F\n";
    if (!c.positional_words.empty())
      s << "complete -c tfwarden -n " << fish_quote(cond) << " -a " << fish_quote(c.positional_words) << "\n";
    for (const CLI::Option* o : c.options) {
      s << "complete -c tfwarden -n " << fish_quote(cond);
      for (const auto& l : o->get_lnames()) s << " -l " << l;
      for (const auto& sn : o->get_snames()) s << " -s " << sn;
      ValueKind v = value_kind(c, *o);
      if (v.kind == ValueKind::Words)
        s << " -x -a " << fish_quote(v.words);
      else if (v.kind == ValueKind::File)
        s << " -r -F";
      else if (v.kind == ValueKind::Dir)
        s << " -x -a '(__fish_complete_directories)'";
      else if (v.kind == ValueKind::Free)
        s << " -x";
      s << " -d " << fish_quote(first_line(o->get_description())) << "\n";
    }
  }
  return s.str();
}

// roff: a leading `.` or `'` starts a request, `\` an escape; `-` is a hyphen unless escaped.
std::string roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out.push_back(c);
    line_start = c == '\n';
  }
  return out;
}

}  // namespace

std::string completion_script(const CLI::App& app, const std::string& shell) {
  if (shell == "bash")
    return "# bash completion for tfwarden: source <(tfwarden completion bash), or save it as\n"
           "# /etc/bash_completion.d/tfwarden\n" +
           bash_function(app) + "complete -o default -F _tfwarden tfwarden\n";
  if (shell == "zsh")
    return "#compdef tfwarden\n"
           "# zsh completion for tfwarden: save as _tfwarden in a directory of $fpath, or\n"
           "# source <(tfwarden completion zsh). It is the bash completion, through bashcompinit.\n"
           "autoload -U +X bashcompinit && bashcompinit\n" +
           bash_function(app) + "complete -o default -F _tfwarden tfwarden\n";
  if (shell == "fish") return fish_script(app);
  return "";
}

std::string man_page(const CLI::App& app) {
  std::vector<Command> all = commands(app);
  std::ostringstream s;
  s << ".TH TFWARDEN 1 \"\" \"tfwarden " << TFWARDEN_VERSION << "\" \"User Commands\"\n"
    << ".SH NAME\ntfwarden \\- " << roff(app.get_description().substr(app.get_description().find(':') + 2)) << "\n"
    << ".SH SYNOPSIS\n.B tfwarden\n[\\fICOMMAND\\fR] [\\fIOPTIONS\\fR] [\\fIPLAN.json\\fR|\\fIDIR\\fR|\\fB\\-\\fR]...\n"
    << ".SH DESCRIPTION\n"
    << "tfwarden reads the JSON that \\fBterraform show \\-json\\fR prints for a plan or a state and checks it\n"
       "against a pack of policy rules. \\fBcheck\\fR is the default command: \\fBtfwarden plan.json\\fR is\n"
       "\\fBtfwarden check plan.json\\fR. Options go before or after the inputs; each takes one value per\n"
       "occurrence: repeat it or separate values with commas.\n"
    << ".SH COMMANDS\n";
  for (const Command& c : all) {
    if (c.path.empty()) continue;
    s << ".SS \"tfwarden " << roff(c.path) << "\"\n" << roff(c.app->get_description()) << "\n";
    for (const CLI::Option* o : c.options) {
      std::vector<std::string> flags = flags_of(*o);
      if (flags.front() == "--help" || flags.front() == "--help-all") continue;  // said once, below
      std::string head;
      for (const auto& f : flags) head += (head.empty() ? "" : ", ") + std::string("\\fB") + roff(f) + "\\fR";
      if (o->get_items_expected_max() != 0) head += " \\fI" + roff(o->get_type_name()) + "\\fR";
      s << ".TP\n" << head << "\n" << roff(o->get_description());
      if (!o->get_envname().empty()) s << " (environment: \\fB" << roff(o->get_envname()) << "\\fR)";
      s << "\n";
    }
  }
  s << ".PP\nEvery command takes \\fB\\-h\\fR, \\fB\\-\\-help\\fR (and \\fB\\-\\-help\\-all\\fR, every command's "
       "help).\n"
    << ".SH ENVIRONMENT\n"
       "The options of \\fBcheck\\fR marked above take their value from these variables when the flag is not\n"
       "given: a flag wins over the environment, the environment over \\fI.tfwarden.toml\\fR.\n"
       ".TP\n\\fBNO_COLOR\\fR, \\fBFORCE_COLOR\\fR\nturn colour off or on when \\fB\\-\\-color\\fR is auto.\n"
       ".TP\n\\fBTFWARDEN_TODAY\\fR\na fixed date (YYYY\\-MM\\-DD) for waiver expiry, for reproducible tests.\n"
       ".SH EXIT STATUS\n"
       ".TP\n0\nno finding at or above \\fB\\-\\-fail\\-on\\fR.\n"
       ".TP\n1\nfindings at or above \\fB\\-\\-fail\\-on\\fR.\n"
       ".TP\n2\na usage, configuration, rule or input error (an input that cannot be read is listed in the\n"
       "report, the others are still linted).\n"
       ".SH FILES\n.TP\n\\fI.tfwarden.toml\\fR\nthe configuration, found in the working directory or a parent "
       "(\\fBtfwarden init\\fR writes a commented one).\n"
       ".SH SEE ALSO\n\\fBterraform\\fR(1); README.md, docs/rule\\-language.md and docs/rules/ in the "
       "tfwarden repository.\n";
  return s.str();
}

}  // namespace tfwarden
