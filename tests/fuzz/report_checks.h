// What every rendering of a report must hold, whatever the plan says: checked by the plan
// fuzzer on each input and by the unit tests on hostile plans. Header-only, so the fuzz targets
// (which link only tfwarden_core) and the test binary share it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "engine/engine.h"
#include "plan/encoding.h"
#include "plan/plan.h"
#include "report/formats.h"

namespace tfwarden::report_checks {

inline bool valid_utf8(std::string_view s) {
  return find_invalid_utf8(s) == std::string_view::npos;
}

// No control character other than a line feed: nothing that moves the cursor, colours the
// terminal or rewrites a line (the text format without colour).
inline bool no_controls_but_newline(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\n') || c == 0x7F) return false;
  }
  // C1 controls, as UTF-8 (U+0080 to U+009F: C2 80 to C2 9F).
  for (size_t i = 0; i + 1 < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) == 0xC2 && static_cast<unsigned char>(s[i + 1]) <= 0x9F &&
        static_cast<unsigned char>(s[i + 1]) >= 0x80)
      return false;
  return true;
}

// `%` only as an escape that `allowed` (space-separated, e.g. "25 0D 0A") lists.
inline bool percent_escapes_ok(std::string_view s, std::string_view allowed) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') continue;
    if (i + 3 > s.size()) return false;
    bool known = false;
    for (size_t k = 0; k + 2 <= allowed.size(); k += 3) known = known || allowed.substr(k, 2) == s.substr(i + 1, 2);
    if (!known) return false;
  }
  return true;
}

// One line of GitHub output exactly as tfwarden writes it:
// `::error|warning|notice ` + `key=value` properties (file, line, title; `,`-separated, values
// escaped so they hold no `:` or `,`) + `::` + the escaped message.
inline bool github_line_ok(std::string_view line) {
  std::string_view rest;
  for (std::string_view cmd : {"::error ", "::warning ", "::notice "})
    if (line.substr(0, cmd.size()) == cmd) rest = line.substr(cmd.size());
  if (rest.empty()) return false;
  size_t end = rest.find("::");
  if (end == std::string_view::npos) return false;
  std::string_view props = rest.substr(0, end), message = rest.substr(end + 2);
  if (props.find(':') != std::string_view::npos) return false;
  bool title = false;
  while (!props.empty()) {
    size_t comma = props.find(',');
    std::string_view p = props.substr(0, comma);
    props = comma == std::string_view::npos ? std::string_view() : props.substr(comma + 1);
    size_t eq = p.find('=');
    if (eq == std::string_view::npos) return false;
    std::string_view key = p.substr(0, eq), value = p.substr(eq + 1);
    if (key == "line") {
      if (value.empty() || value.find_first_not_of("0123456789") != std::string_view::npos) return false;
    } else if (key == "title") {
      title = true;
    } else if (key != "file") {
      return false;
    }
    if (!percent_escapes_ok(value, "25 0D 0A 3A 2C")) return false;
  }
  return title && percent_escapes_ok(message, "25 0D 0A") && message.find('\r') == std::string_view::npos;
}

// Every line of a GitHub output is one of tfwarden's workflow commands.
inline bool github_output_ok(std::string_view out) {
  if (!out.empty() && out.back() != '\n') return false;
  size_t start = 0;
  while (start < out.size()) {
    size_t nl = out.find('\n', start);
    if (!github_line_ok(out.substr(start, nl - start))) return false;
    start = nl + 1;
  }
  return true;
}

inline bool json_parses(const std::string& s) {
  return nlohmann::json::accept(s);
}

// Loads `bytes` as the plan `fuzz.json`, runs `rules` on it and renders the report in every
// format (a report of the failed input when it does not load). Returns what broke an
// invariant, "" when none did.
inline std::string check_plan_reports(std::string_view bytes, const std::vector<const Rule*>& rules) {
  std::string error;
  auto plan = load_plan("fuzz.json", simdjson::padded_string(bytes.data(), bytes.size()), error);
  Report report;
  report.rules = rules;
  InputInfo info;
  info.name = "fuzz.json";
  if (!plan) {
    // One line, printable ASCII: no input byte reaches a terminal raw.
    if (error.empty()) return "a load error without a message";
    for (char c : error)
      if (c < 0x20 || c > 0x7e) return "a load error that is not printable ASCII: " + error;
    info.kind = "error";
    info.error = error;
    report.inputs.push_back(info);
    report.exit_code = 2;
  } else {
    PlanResult result = run_rules(*plan, rules, {"us-east-1"});
    info.kind = plan->kind == DocumentKind::Plan ? "plan" : "state";
    info.format_version = plan->format_version;
    info.terraform_version = std::string(plan->terraform_version);
    info.counts = plan->counts();
    info.notes = plan->notes;
    report.inputs.push_back(info);
    report.checks = result.checks;
    report.findings = std::move(result.findings);
    report.evaluations = std::move(result.evaluations);
    sort_findings(report.findings);
    for (const auto& f : report.findings)
      if (report.counts(f)) report.exit_code = 1;
  }
  for (std::string format : {"text", "json", "sarif", "junit", "github", "markdown", "gitlab", "checkstyle"}) {
    std::string out = render_format(format, report, /*color=*/false, /*quiet=*/false);
    if (!valid_utf8(out)) return format + ": invalid UTF-8";
    // Every format, not only text: JSON escapes control characters, the others show them escaped.
    if (!no_controls_but_newline(out)) return format + ": a control character";
    if (format == "github" && !github_output_ok(out)) return "github: a line tfwarden did not write";
    if ((format == "json" || format == "sarif" || format == "gitlab") && !json_parses(out))
      return format + ": JSON that does not parse";
  }
  return "";
}

}  // namespace tfwarden::report_checks
