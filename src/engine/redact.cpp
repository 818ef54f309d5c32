#include "engine/redact.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

namespace tfwarden {

namespace {

RE2::Options quiet() {
  RE2::Options o;
  o.set_log_errors(false);
  return o;
}

// The words that make a name secret, shared by names and by `word=value` pairs in text.
#define TFW_SECRET_WORDS "password|passwd|passphrase|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credential"

const RE2& secret_word() {
  static const RE2 re("(?i)(" TFW_SECRET_WORDS ")", quiet());
  return re;
}

const RE2& reference_name() {
  static const RE2 re("(?i)arns?$", quiet());
  return re;
}

const RE2& arn() {
  static const RE2 re("^arn:aws[a-z-]*:", quiet());
  return re;
}

struct Pattern {
  std::unique_ptr<RE2> re;
  std::string rewrite;
};

// The credential detector, compiled once. Each pattern keeps what names the secret (a key, a
// separator, a quote, a URL's user) and replaces only the secret.
const std::vector<Pattern>& patterns() {
  static const std::vector<Pattern> all = [] {
    // A `word = value` pair: the word is not the segment of an ARN (`:secret:`); `pwd` only
    // here, as a name it is the working directory.
    const std::string pair = R"re(((?:^|[^:])(?i:)re" TFW_SECRET_WORDS R"re(|pwd)\\?["']?\s*[:=]\s*))re";
    const std::string name_value = R"re((?i:name|key|parameterkey)\\?"\s*:\s*\\?"[^"\\]*(?i:)re" TFW_SECRET_WORDS
                                   R"re()[^"\\]*\\?"\s*,\s*\\?"(?i:value|parametervalue)\\?"\s*:\s*)re";
    const std::vector<std::pair<std::string, std::string>> specs = {
        {R"re(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?s:.*?)(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$))re", "(redacted)"},
        {R"re(([A-Za-z][A-Za-z0-9+.-]*://[^/\s:@"'\\]+:)[^\s@"'\\]+@)re", R"re(\1(redacted)@)re"},
        {R"re((?i)(aws_?secret_?(?:access_?)?key\\?["']?\s*[:=]\s*\\?["']?)[A-Za-z0-9/+=]{16,})re",
         R"re(\1(redacted))re"},
        // name/value pairs written as JSON text, plain or inside a JSON string, then `word = value`
        // pairs. A value that opens with `(` is a mask already: `(sensitive)`, `(redacted)`.
        {R"re((")re" + name_value + R"re()"(?:[^"\\(]|\\.)(?:[^"\\]|\\.)*")re", R"re(\1"(redacted)")re"},
        {R"re((\\")re" + name_value + R"re()\\"(?:[^"\\(]|\\[^"])(?:[^"\\]|\\[^"])*\\")re",
         R"re(\1\\"(redacted)\\")re"},
        {pair + R"re((\\")(?:[^"\\(]|\\[^"])(?:[^"\\]|\\[^"])*\\")re", R"re(\1\2(redacted)\2)re"},
        {pair + R"re((")(?:[^"\\(]|\\.)(?:[^"\\]|\\.)*")re", R"re(\1\2(redacted)\2)re"},
        {pair + R"re((')[^'(][^']*')re", R"re(\1\2(redacted)\2)re"},
        {pair + R"re([^\s"'\\,;&)}\](][^\s"'\\,;&)}\]]*)re", R"re(\1(redacted))re"},
        {R"re(\b(?:AKIA|ASIA)[A-Z0-9]{16}\b)re", "(redacted)"},
        {R"re(\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}))re", "(redacted)"},
        {R"re(\bxox[abprs]-[A-Za-z0-9-]{10,})re", "(redacted)"},
        {R"re(\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)re", "(redacted)"},
    };
    std::vector<Pattern> out;
    for (const auto& [re, rewrite] : specs) {
      out.push_back({std::make_unique<RE2>(re, quiet()), rewrite});
      if (!out.back().re->ok()) std::abort();  // a typo in the table above
    }
    return out;
  }();
  return all;
}

// Every pattern at once: most text holds no credential, and one scan tells.
const RE2& any_pattern() {
  static const RE2 re = [] {
    std::string all;
    for (const Pattern& p : patterns()) all.append(all.empty() ? "" : "|").append("(?:" + p.re->pattern() + ")");
    return RE2(all, quiet());
  }();
  return re;
}

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char* hex = "0123456789abcdef";
          out += "\\u00";
          out.push_back(hex[(c >> 4) & 0xf]);
          out.push_back(hex[c & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

bool looks_like_json(std::string_view s) {
  size_t i = s.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && (s[i] == '{' || s[i] == '[');
}

// Values over this size are redacted as text: parsing them costs more than a finding is worth.
constexpr size_t kMaxJson = size_t{1} << 20;
constexpr size_t kMaxDepth = 128;
// JSON held in a string held in JSON...: deeper levels are redacted as text.
constexpr int kMaxNesting = 4;

// Parses `text` as JSON; the parser owns the document.
bool parse(std::string_view text, simdjson::dom::parser& parser, simdjson::dom::element& out) {
  if (text.size() > kMaxJson || !looks_like_json(text)) return false;
  if (parser.allocate(text.size(), kMaxDepth) != simdjson::SUCCESS) return false;
  return parser.parse(text.data(), text.size(), true).get(out) == simdjson::SUCCESS;
}

// Whether a leaf may hold a secret worth hiding: a non-empty string that is not an ARN (a
// reference to a secret is not one) or a mask already, or a number when `numbers` (the value of
// a pair).
bool redactable(simdjson::dom::element e, bool numbers) {
  if (e.is_number()) return numbers;
  if (!e.is_string()) return false;
  std::string_view s = e.get_string().value_unsafe();
  return !s.empty() && s != kRedacted && s != "(sensitive)" && !RE2::PartialMatch(s, arn());
}

constexpr std::array<std::string_view, 5> kNameKeys = {"name", "Name", "key", "Key", "ParameterKey"};
constexpr std::array<std::string_view, 3> kValueKeys = {"value", "Value", "ParameterValue"};

template <size_t N>
bool is_one_of(std::string_view k, const std::array<std::string_view, N>& keys) {
  return std::find(keys.begin(), keys.end(), k) != keys.end();
}

// The name of a name/value pair object (`{"name": "DB_PASSWORD", "value": ...}`), or "".
std::string_view pair_name(simdjson::dom::object o) {
  std::string_view name;
  bool has_value = false;
  for (auto [k, v] : o) {
    if (is_one_of(k, kNameKeys) && v.is_string()) name = v.get_string().value_unsafe();
    has_value |= is_one_of(k, kValueKeys);
  }
  return has_value ? name : std::string_view{};
}

bool flagged(simdjson::dom::element v) {
  if (!v.is_string()) return false;
  std::string_view s = v.get_string().value_unsafe();
  return redact_text(s) != s;
}

// How a leaf of an object is judged: a secret itself (the value of a secret pair, or of a
// secret-named key; inside a secret-named object or array every leaf but names), or on its own.
bool secret_member(std::string_view key, simdjson::dom::element v, std::string_view pair, bool inside_secret) {
  if (!pair.empty() && is_one_of(key, kValueKeys)) return is_secret_name(pair) && redactable(v, true);
  if (inside_secret) return !is_one_of(key, kNameKeys) && redactable(v, true);
  return is_secret_name(key) && redactable(v, false);
}

// Writes `e` with its secrets redacted; returns whether anything was.
bool redact_json(simdjson::dom::element e, int nesting, bool inside_secret, std::string& out);

// A string leaf: JSON inside it is redacted as JSON, anything else as text.
bool redact_string(std::string_view s, int nesting, std::string& out) {
  simdjson::dom::parser parser;
  simdjson::dom::element inner;
  if (nesting < kMaxNesting && parse(s, parser, inner)) {
    std::string text;
    if (redact_json(inner, nesting + 1, false, text)) {
      append_json_string(out, text);
      return true;
    }
  }
  std::string t = redact_text(s);
  append_json_string(out, t);
  return t != s;
}

bool redact_json(simdjson::dom::element e, int nesting, bool inside_secret, std::string& out) {
  bool changed = false;
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      simdjson::dom::object o = e.get_object().value_unsafe();
      std::string_view pair = pair_name(o);
      out.push_back('{');
      bool first = true;
      for (auto [k, v] : o) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, k);
        out.push_back(':');
        if (secret_member(k, v, pair, inside_secret)) {
          append_json_string(out, kRedacted);
          changed = true;
        } else {
          changed |= redact_json(v, nesting, inside_secret || is_secret_name(k), out);
        }
      }
      out.push_back('}');
      break;
    }
    case simdjson::dom::element_type::ARRAY: {
      out.push_back('[');
      bool first = true;
      simdjson::dom::array a = e.get_array().value_unsafe();
      for (simdjson::dom::element v : a) {
        if (!first) out.push_back(',');
        first = false;
        if (inside_secret && redactable(v, true)) {
          append_json_string(out, kRedacted);
          changed = true;
        } else {
          changed |= redact_json(v, nesting, inside_secret, out);
        }
      }
      out.push_back(']');
      break;
    }
    case simdjson::dom::element_type::STRING:
      changed = redact_string(e.get_string().value_unsafe(), nesting, out);
      break;
    default:
      out += simdjson::minify(e);
      break;
  }
  return changed;
}

// Collects for secret_value the names under which `e` holds secrets, in order, once each.
void secret_names(simdjson::dom::element e, int nesting, bool inside_secret, const RE2* extra,
                  std::vector<std::string>& names) {
  auto add = [&](std::string_view name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.emplace_back(name);
  };
  auto extra_match = [&](std::string_view name) {
    return extra && !name.empty() && RE2::PartialMatch(name, *extra) && !RE2::PartialMatch(name, reference_name());
  };
  if (e.is_string()) {
    simdjson::dom::parser parser;
    simdjson::dom::element inner;
    if (nesting < kMaxNesting && parse(e.get_string().value_unsafe(), parser, inner))
      secret_names(inner, nesting + 1, false, extra, names);
  } else if (e.is_array()) {
    simdjson::dom::array a = e.get_array().value_unsafe();
    for (simdjson::dom::element v : a) secret_names(v, nesting, inside_secret, extra, names);
  } else if (e.is_object()) {
    simdjson::dom::object o = e.get_object().value_unsafe();
    std::string_view pair = pair_name(o);
    for (auto [k, v] : o) {
      bool is_pair_value = !pair.empty() && is_one_of(k, kValueKeys);
      if (is_pair_value && (extra_match(pair) || flagged(v)) && redactable(v, true))
        add(pair);
      else if (!is_pair_value && (extra_match(k) || flagged(v)) && redactable(v, false))
        add(k);
      else if (secret_member(k, v, pair, inside_secret))
        add(is_pair_value ? pair : k);
      secret_names(v, nesting, inside_secret || is_secret_name(k), extra, names);
    }
  }
}

}  // namespace

bool is_secret_name(std::string_view name) {
  return !name.empty() && RE2::PartialMatch(name, secret_word()) && !RE2::PartialMatch(name, reference_name());
}

std::string redact_text(std::string_view text) {
  std::string out(text);
  if (any_pattern().ok() && !RE2::PartialMatch(out, any_pattern())) return out;
  for (const Pattern& p : patterns()) RE2::GlobalReplace(&out, *p.re, p.rewrite);
  return out;
}

std::string redact_value(std::string_view value) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parse(value, parser, root)) {
    std::string out;
    // The leaves went through the text detector; the JSON text as a whole does not, where a
    // bare `"secret": false` would look like a pair.
    return redact_json(root, 0, false, out) ? out : std::string(value);
  }
  return redact_text(value);
}

bool marks_any(const Node& marker) {
  if (marker.is_true()) return true;
  if (marker.is_object()) {
    simdjson::dom::object o = marker.object();
    for (auto [k, v] : o) {
      (void)k;
      if (marks_any(Node(v))) return true;
    }
  } else if (marker.is_array()) {
    simdjson::dom::array a = marker.array();
    for (simdjson::dom::element v : a)
      if (marks_any(Node(v))) return true;
  }
  return false;
}

std::string to_json_masked(const Node& json, const Node& marker, std::string_view mask) {
  if (!json.present) return "";
  if (!marks_any(marker)) return to_json(json);
  std::string out;
  // Marked itself, or under a marker of another shape (masked, to be safe).
  if (!(json.is_object() && marker.is_object()) && !(json.is_array() && marker.is_array())) {
    append_json_string(out, mask);
  } else if (json.is_object()) {
    out.push_back('{');
    simdjson::dom::object o = json.object();
    for (auto [k, v] : o) {
      if (out.size() > 1) out.push_back(',');
      append_json_string(out, k);
      out.push_back(':');
      out += to_json_masked(Node(v), marker[k], mask);
    }
    out.push_back('}');
  } else if (json.is_array()) {
    // The marker's elements once: simdjson indexes arrays in linear time.
    std::vector<Node> marks;
    simdjson::dom::array ma = marker.array();
    for (simdjson::dom::element m : ma) marks.emplace_back(m);
    out.push_back('[');
    size_t i = 0;
    simdjson::dom::array a = json.array();
    for (simdjson::dom::element v : a) {
      if (i) out.push_back(',');
      out += to_json_masked(Node(v), i < marks.size() ? marks[i] : Node(), mask);
      ++i;
    }
    out.push_back(']');
  }
  return out;
}

std::string secret_value(std::string_view value, const RE2* extra_names) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::vector<std::string> names;
  if (parse(value, parser, root)) secret_names(root, 0, false, extra_names, names);
  if (names.empty()) return std::string(kRedacted);
  std::string out;
  for (const auto& n : names) out.append(out.empty() ? "" : ", ").append(n).append("=").append(kRedacted);
  return redact_text(out);
}

}  // namespace tfwarden
