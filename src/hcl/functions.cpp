#include "hcl/functions.h"

#include <locale.h>
#include <re2/re2.h>

#include <algorithm>
#include <climits>
#include <clocale>
#include <cmath>
#include <cstdio>
#include <cwchar>
#include <cwctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "hcl/parser.h"

namespace tfwarden::hcl {

namespace {

using Args = std::vector<Value>;

[[noreturn]] void fail(const CallSite& at, std::string message) {
  throw EvalError{std::move(message), at.range};
}

std::string str(const Value& v, const CallSite& at, const char* what = "argument") {
  if (v.kind == Kind::String) return v.text;
  // Terraform converts a number or bool where a string is wanted.
  if (v.kind == Kind::Number) return number_text(v.number);
  if (v.kind == Kind::Bool) return v.boolean ? "true" : "false";
  fail(at, std::string("the ") + what + " must be a string, not " + (v.is_null() ? "null" : kind_name(v.kind)));
}

std::string text_of(const Value& v, const CallSite& at, const char* what = "argument") {
  return str(v, at, what);
}

Numeric num(const Value& v, const CallSite& at, const char* what = "argument") {
  if (v.kind == Kind::Number) return v.number;
  Numeric n = 0;
  if (v.kind == Kind::String && parse_number(v.text, n)) return n;
  fail(at, std::string("the ") + what + " must be a number, not " +
               (v.is_null()              ? "null"
                : v.kind == Kind::String ? "`" + v.text + "`"
                                         : kind_name(v.kind)));
}

long long integer(const Value& v, const CallSite& at, const char* what = "argument") {
  Numeric n = num(v, at, what);
  if (n != std::floor(n)) fail(at, std::string("the ") + what + " must be a whole number, not " + number_text(n));
  if (!(std::fabs(n) < 9e18L)) fail(at, std::string("the ") + what + " is too large");
  return static_cast<long long>(n);
}

const std::vector<Value>& list(const Value& v, const CallSite& at, const char* what = "argument") {
  if (v.kind != Kind::Tuple)
    fail(at, std::string("the ") + what + " must be a list, not " + (v.is_null() ? "null" : kind_name(v.kind)));
  return v.items;
}

const std::map<std::string, Value>& object(const Value& v, const CallSite& at, const char* what = "argument") {
  if (v.kind != Kind::Object)
    fail(at,
         std::string("the ") + what + " must be a map or object, not " + (v.is_null() ? "null" : kind_name(v.kind)));
  return v.fields;
}

// Unicode code points of UTF-8 text (Terraform counts characters; grapheme clusters are rare
// in configurations, and combining marks count apart here).
std::vector<std::string> chars(const std::string& s) {
  std::vector<std::string> out;
  for (size_t k = 0; k < s.size();) {
    size_t n = 1;
    auto c = static_cast<unsigned char>(s[k]);
    if (c >= 0xF0)
      n = 4;
    else if (c >= 0xE0)
      n = 3;
    else if (c >= 0xC0)
      n = 2;
    out.push_back(s.substr(k, n));
    k += n;
  }
  return out;
}

// The order of a set: strings lexically, numbers numerically, others by their JSON.
bool set_less(const Value& a, const Value& b) {
  if (a.kind == Kind::Number && b.kind == Kind::Number) return a.number < b.number;
  if (a.kind == Kind::String && b.kind == Kind::String) return a.text < b.text;
  return to_json(a) < to_json(b);
}

Value make_set(std::vector<Value> items) {
  std::sort(items.begin(), items.end(), set_less);
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return Value::tuple(std::move(items));
}

Value any_unknown(const Args& args) {
  for (const Value& a : args)
    if (a.is_unknown()) return a;
  return Value::null();
}

// ---- strings ----

// Case mapping of every character, as Go's unicode tables do, from the C library's in a UTF-8
// locale; ASCII only when the system has no such locale.
std::string map_case(const std::string& s, bool upper) {
  static locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  std::string out;
  out.reserve(s.size());
  std::mbstate_t in_state{}, out_state{};
  for (size_t k = 0; k < s.size();) {
    auto c = static_cast<unsigned char>(s[k]);
    if (c < 0x80 || utf8 == static_cast<locale_t>(nullptr)) {
      out += static_cast<char>(upper ? std::toupper(c) : std::tolower(c));
      ++k;
      continue;
    }
    locale_t old = uselocale(utf8);
    wchar_t w = 0;
    size_t n = std::mbrtowc(&w, s.data() + k, s.size() - k, &in_state);
    if (n == 0 || n > s.size() - k) {  // not UTF-8 here: the byte as it is
      in_state = {};
      out += s[k++];
      uselocale(old);
      continue;
    }
    w = static_cast<wchar_t>(upper ? towupper_l(static_cast<wint_t>(w), utf8)
                                   : towlower_l(static_cast<wint_t>(w), utf8));
    char buf[MB_LEN_MAX];
    size_t m = std::wcrtomb(buf, w, &out_state);
    uselocale(old);
    if (m == static_cast<size_t>(-1)) {
      out.append(s, k, n);
    } else {
      out.append(buf, m);
    }
    k += n;
  }
  return out;
}

Value f_lower(Args& a, const CallSite& at) {
  return Value::of(map_case(str(a[0], at), false));
}
Value f_upper(Args& a, const CallSite& at) {
  return Value::of(map_case(str(a[0], at), true));
}

Value f_title(Args& a, const CallSite& at) {
  std::string s = str(a[0], at);
  // Go's strings.Title: a letter after anything but a letter, digit or `_` starts a word.
  bool start = true;
  for (char& c : s) {
    auto u = static_cast<unsigned char>(c);
    if (start && std::isalpha(u)) c = static_cast<char>(std::toupper(u));
    start = !(std::isalnum(u) || c == '_' || u >= 0x80);
  }
  return Value::of(s);
}

Value trim_with(const std::string& s, const std::string& cut, bool left, bool right) {
  size_t b = 0, e = s.size();
  if (left)
    while (b < e && cut.find(s[b]) != std::string::npos) ++b;
  if (right)
    while (e > b && cut.find(s[e - 1]) != std::string::npos) --e;
  return Value::of(s.substr(b, e - b));
}

Value f_trimspace(Args& a, const CallSite& at) {
  return trim_with(str(a[0], at), " \t\n\r\v\f", true, true);
}
Value f_trim(Args& a, const CallSite& at) {
  return trim_with(str(a[0], at), str(a[1], at), true, true);
}
Value f_chomp(Args& a, const CallSite& at) {
  return trim_with(str(a[0], at), "\r\n", false, true);
}

Value f_trimprefix(Args& a, const CallSite& at) {
  std::string s = str(a[0], at);
  const std::string& p = str(a[1], at);
  return Value::of(s.starts_with(p) ? s.substr(p.size()) : s);
}

Value f_trimsuffix(Args& a, const CallSite& at) {
  std::string s = str(a[0], at);
  const std::string& p = str(a[1], at);
  return Value::of(s.ends_with(p) ? s.substr(0, s.size() - p.size()) : s);
}

Value f_startswith(Args& a, const CallSite& at) {
  std::string s = str(a[0], at);
  return Value::of(s.starts_with(str(a[1], at)));
}

Value f_endswith(Args& a, const CallSite& at) {
  std::string s = str(a[0], at);
  return Value::of(s.ends_with(str(a[1], at)));
}

Value f_strcontains(Args& a, const CallSite& at) {
  std::string s = str(a[0], at);
  return Value::of(s.find(str(a[1], at)) != std::string::npos);
}

Value f_strrev(Args& a, const CallSite& at) {
  auto cs = chars(str(a[0], at));
  std::string out;
  for (auto it = cs.rbegin(); it != cs.rend(); ++it) out += *it;
  return Value::of(out);
}

Value f_substr(Args& a, const CallSite& at) {
  auto cs = chars(str(a[0], at));
  long long n = static_cast<long long>(cs.size());
  long long off = integer(a[1], at, "offset"), len = integer(a[2], at, "length");
  if (off < 0) off += n;
  if (off < 0 || off > n) fail(at, "the offset is outside the string");
  if (len < 0 || len > n - off) len = n - off;
  std::string out;
  for (long long i = off; i < off + len; ++i) out += cs[static_cast<size_t>(i)];
  return Value::of(out);
}

Value f_indent(Args& a, const CallSite& at) {
  long long width = integer(a[0], at);
  if (width > 1000) fail(at, "`indent` takes at most 1000 spaces");
  std::string pad(static_cast<size_t>(std::max(0LL, width)), ' ');
  std::string s = str(a[1], at), out;
  for (size_t k = 0; k < s.size(); ++k) {
    out.push_back(s[k]);
    if (s[k] == '\n') out += pad;
  }
  return Value::of(out);
}

Value f_join(Args& a, const CallSite& at) {
  std::string sep = str(a[0], at), out;
  bool first = true;
  for (size_t i = 1; i < a.size(); ++i)
    for (const Value& v : list(a[i], at)) {
      if (v.is_null()) fail(at, "`join` cannot join a null element");
      if (!first) out += sep;
      out += text_of(v, at, "element");
      first = false;
    }
  return Value::of(out);
}

Value f_split(Args& a, const CallSite& at) {
  std::string sep = str(a[0], at), s = str(a[1], at);
  std::vector<Value> out;
  if (sep.empty()) {
    for (auto& c : chars(s)) out.push_back(Value::of(c));
    return Value::tuple(std::move(out));
  }
  size_t k = 0;
  while (true) {
    size_t e = s.find(sep, k);
    if (e == std::string::npos) {
      out.push_back(Value::of(s.substr(k)));
      break;
    }
    out.push_back(Value::of(s.substr(k, e - k)));
    k = e + sep.size();
  }
  return Value::tuple(std::move(out));
}

// Go's regexp syntax is RE2's; `$1` and `${name}` in a replacement become RE2's `\1`.
std::string re2_rewrite(const std::string& r) {
  std::string out;
  for (size_t k = 0; k < r.size(); ++k) {
    if (r[k] == '\\') {
      out += "\\\\";
    } else if (r[k] == '$' && k + 1 < r.size() && std::isdigit(static_cast<unsigned char>(r[k + 1]))) {
      out += '\\';
      out += r[++k];
    } else if (r[k] == '$' && k + 1 < r.size() && r[k + 1] == '$') {
      out += '$';
      ++k;
    } else {
      out += r[k];
    }
  }
  return out;
}

std::unique_ptr<RE2> compile(const std::string& pattern, const CallSite& at) {
  RE2::Options o;
  o.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, o);
  if (!re->ok()) fail(at, "`" + pattern + "` is not a valid regular expression: " + re->error());
  return re;
}

Value f_replace(Args& a, const CallSite& at) {
  std::string s = str(a[0], at), sub = str(a[1], at), rep = str(a[2], at);
  if (sub.size() >= 2 && sub.front() == '/' && sub.back() == '/') {
    auto re = compile(sub.substr(1, sub.size() - 2), at);
    RE2::GlobalReplace(&s, *re, re2_rewrite(rep));
    return Value::of(s);
  }
  if (sub.empty()) return Value::of(s);
  std::string out;
  size_t k = 0;
  while (true) {
    size_t e = s.find(sub, k);
    if (e == std::string::npos) break;
    out.append(s, k, e - k);
    out += rep;
    k = e + sub.size();
  }
  out.append(s, k);
  return Value::of(out);
}

// The matches of `re` at the start of `s` from `k`, as `regex` returns them.
std::optional<Value> match_at(const RE2& re, const std::string& s, size_t& k) {
  int groups = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> m(static_cast<size_t>(groups) + 1);
  if (k > s.size() || !re.Match(s, k, s.size(), RE2::UNANCHORED, m.data(), groups + 1)) return std::nullopt;
  size_t end = static_cast<size_t>(m[0].data() - s.data()) + m[0].size();
  k = m[0].empty() ? end + 1 : end;
  if (groups == 0) return Value::of(std::string(m[0]));
  const auto& names = re.CapturingGroupNames();
  if (!names.empty()) {
    std::map<std::string, Value> fields;
    for (const auto& [i, name] : names)
      fields[name] =
          m[static_cast<size_t>(i)].data() ? Value::of(std::string(m[static_cast<size_t>(i)])) : Value::null();
    return Value::object(std::move(fields));
  }
  std::vector<Value> items;
  for (int i = 1; i <= groups; ++i)
    items.push_back(m[static_cast<size_t>(i)].data() ? Value::of(std::string(m[static_cast<size_t>(i)]))
                                                     : Value::null());
  return Value::tuple(std::move(items));
}

Value f_regex(Args& a, const CallSite& at) {
  auto re = compile(str(a[0], at), at);
  std::string s = str(a[1], at);
  size_t k = 0;
  auto m = match_at(*re, s, k);
  if (!m) fail(at, "the pattern did not match");
  return *m;
}

Value f_regexall(Args& a, const CallSite& at) {
  auto re = compile(str(a[0], at), at);
  std::string s = str(a[1], at);
  std::vector<Value> out;
  size_t k = 0;
  while (auto m = match_at(*re, s, k)) out.push_back(std::move(*m));
  return Value::tuple(std::move(out));
}

std::string go_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

// Terraform's `format` verbs: %s %d %f %e %g %t %v %q %x %X %o %b %%, with flags, width and
// precision.
std::string format_one(const std::string& spec, char verb, const Value& v, const CallSite& at) {
  char buf[512];
  std::string f = "%" + spec;
  switch (verb) {
    case 's': {
      std::snprintf(buf, sizeof buf, (f + "s").c_str(), text_of(v, at, "value of %s").c_str());
      return buf;
    }
    case 'q':
      return go_quote(text_of(v, at, "value of %q"));
    case 't':
      if (v.kind != Kind::Bool) fail(at, "%t needs a bool");
      return v.boolean ? "true" : "false";
    case 'v':
      if (v.kind == Kind::String) return v.text;
      if (v.kind == Kind::Number) return number_text(v.number);
      if (v.kind == Kind::Bool) return v.boolean ? "true" : "false";
      if (v.is_null()) return "null";
      return to_json(v);
    case 'd': {
      long long n = integer(v, at, "value of %d");
      std::snprintf(buf, sizeof buf, (f + "lld").c_str(), n);
      return buf;
    }
    case 'x':
    case 'X':
    case 'o':
      if (v.kind == Kind::String) {
        std::string out;
        for (unsigned char c : v.text) {
          std::snprintf(buf, sizeof buf, verb == 'X' ? "%02X" : "%02x", c);
          out += buf;
        }
        return out;
      }
      std::snprintf(buf, sizeof buf, (f + "ll" + verb).c_str(), integer(v, at));
      return buf;
    case 'b': {
      long long signed_n = integer(v, at);
      if (signed_n < 0) fail(at, "%b needs a number that is not negative");
      auto n = static_cast<unsigned long long>(signed_n);
      std::string out;
      do out.insert(out.begin(), static_cast<char>('0' + (n & 1)));
      while (n >>= 1);
      return out;
    }
    case 'f':
    case 'e':
    case 'E':
    case 'g':
    case 'G':
      std::snprintf(buf, sizeof buf, (f + verb).c_str(), static_cast<double>(num(v, at)));
      return buf;
    default:
      fail(at, std::string("`%") + verb + "` is not a verb `format` knows");
  }
}

std::string format_text(const std::string& fmt, const Args& a, size_t first, const CallSite& at) {
  std::string out;
  size_t next = first;
  bool reordered = false;  // as Go's fmt: with `%[n]`, arguments left over are no error
  for (size_t k = 0; k < fmt.size(); ++k) {
    if (fmt[k] != '%') {
      out += fmt[k];
      continue;
    }
    if (k + 1 < fmt.size() && fmt[k + 1] == '%') {
      out += '%';
      ++k;
      continue;
    }
    size_t s = k + 1;
    size_t e = s;
    while (e < fmt.size() && std::string_view("+- #0").find(fmt[e]) != std::string_view::npos) ++e;
    size_t explicit_arg = 0;
    if (e < fmt.size() && fmt[e] == '[') {  // %[2]s
      size_t close = fmt.find(']', e);
      if (close == std::string::npos) fail(at, "an argument index in the format is not closed");
      explicit_arg = static_cast<size_t>(std::strtoul(fmt.substr(e + 1, close - e - 1).c_str(), nullptr, 10));
      std::string spec = fmt.substr(s, e - s);
      e = close + 1;
      size_t w = e;
      while (w < fmt.size() && (std::isdigit(static_cast<unsigned char>(fmt[w])) || fmt[w] == '.')) ++w;
      spec += fmt.substr(e, w - e);
      if (w >= fmt.size()) fail(at, "the format ends inside a verb");
      next = first + explicit_arg - 1;
      reordered = true;
      if (explicit_arg == 0 || next >= a.size()) fail(at, "the format refers to an argument that is not given");
      out += format_one(spec, fmt[w], a[next], at);
      ++next;
      k = w;
      continue;
    }
    while (e < fmt.size() && (std::isdigit(static_cast<unsigned char>(fmt[e])) || fmt[e] == '.')) ++e;
    if (e >= fmt.size()) fail(at, "the format ends inside a verb");
    if (next >= a.size()) fail(at, "the format has more verbs than arguments");
    out += format_one(fmt.substr(s, e - s), fmt[e], a[next++], at);
    k = e;
  }
  if (!reordered && next < a.size()) fail(at, "the format has fewer verbs than arguments");
  return out;
}

Value f_format(Args& a, const CallSite& at) {
  return Value::of(format_text(str(a[0], at), a, 1, at));
}

Value f_formatlist(Args& a, const CallSite& at) {
  size_t n = SIZE_MAX;
  for (size_t i = 1; i < a.size(); ++i)
    if (a[i].kind == Kind::Tuple) {
      if (n != SIZE_MAX && a[i].items.size() != n) fail(at, "the lists given to `formatlist` differ in length");
      n = a[i].items.size();
    }
  if (n == SIZE_MAX) n = 1;
  std::vector<Value> out;
  for (size_t k = 0; k < n; ++k) {
    Args row{a[0]};
    for (size_t i = 1; i < a.size(); ++i) row.push_back(a[i].kind == Kind::Tuple ? a[i].items[k] : a[i]);
    out.push_back(Value::of(format_text(str(a[0], at), row, 1, at)));
  }
  return Value::tuple(std::move(out));
}

// ---- collections ----

Value f_length(Args& a, const CallSite& at) {
  const Value& v = a[0];
  if (v.is_unknown()) return v;
  if (v.kind == Kind::Tuple) return Value::of(static_cast<double>(v.items.size()));
  if (v.kind == Kind::Object) return Value::of(static_cast<double>(v.fields.size()));
  if (v.kind == Kind::String) return Value::of(static_cast<double>(chars(v.text).size()));
  fail(at, std::string("`length` needs a string, list or map, not ") + (v.is_null() ? "null" : kind_name(v.kind)));
}

Value f_concat(Args& a, const CallSite& at) {
  if (auto u = any_unknown(a); u.is_unknown()) return u;
  std::vector<Value> out;
  for (const Value& v : a)
    for (const Value& i : list(v, at)) out.push_back(i);
  return Value::tuple(std::move(out));
}

Value f_contains(Args& a, const CallSite& at) {
  for (const Value& v : list(a[0], at))
    if (v == a[1]) return Value::of(true);
  return Value::of(false);
}

Value f_distinct(Args& a, const CallSite& at) {
  std::vector<Value> out;
  for (const Value& v : list(a[0], at))
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  return Value::tuple(std::move(out));
}

Value f_element(Args& a, const CallSite& at) {
  if (auto u = any_unknown(a); u.is_unknown()) return u;
  const auto& l = list(a[0], at);
  if (l.empty()) fail(at, "`element` cannot take an element of an empty list");
  long long i = integer(a[1], at, "index");
  if (i < 0) fail(at, "the index must not be negative");
  return l[static_cast<size_t>(i) % l.size()];
}

void flatten_into(const Value& v, std::vector<Value>& out, bool& unknown, std::string& why) {
  for (const Value& i : v.items) {
    if (i.is_unknown()) {
      unknown = true;
      if (why.empty()) why = i.text;
    } else if (i.kind == Kind::Tuple) {
      flatten_into(i, out, unknown, why);
    } else {
      out.push_back(i);
    }
  }
}

Value f_flatten(Args& a, const CallSite& at) {
  if (a[0].is_unknown()) return a[0];
  list(a[0], at);
  std::vector<Value> out;
  bool unknown = false;
  std::string why;
  flatten_into(a[0], out, unknown, why);
  if (unknown) return Value::unknown(why);
  return Value::tuple(std::move(out));
}

Value f_keys(Args& a, const CallSite& at) {
  if (a[0].is_unknown()) return a[0];
  std::vector<Value> out;
  for (const auto& [k, v] : object(a[0], at)) out.push_back(Value::of(k));
  return Value::tuple(std::move(out));
}

Value f_values(Args& a, const CallSite& at) {
  if (a[0].is_unknown()) return a[0];
  std::vector<Value> out;
  for (const auto& [k, v] : object(a[0], at)) out.push_back(v);
  return Value::tuple(std::move(out));
}

Value f_lookup(Args& a, const CallSite& at) {
  if (a[0].is_unknown()) return a[0];
  if (a[1].is_unknown()) return a[1];
  const auto& m = object(a[0], at);
  auto it = m.find(text_of(a[1], at, "key"));
  if (it != m.end()) return it->second;
  if (a.size() > 2) return a[2];
  fail(at, "the map has no key `" + text_of(a[1], at) + "` and no default is given");
}

Value f_merge(Args& a, const CallSite& at) {
  if (auto u = any_unknown(a); u.is_unknown()) return u;
  std::map<std::string, Value> out;
  for (const Value& v : a) {
    if (v.is_null()) continue;
    for (const auto& [k, f] : object(v, at)) out[k] = f;
  }
  return Value::object(std::move(out));
}

Value f_range(Args& a, const CallSite& at) {
  Numeric start = 0, limit = 0, step = 1;
  if (a.size() == 1) {
    limit = num(a[0], at);
  } else {
    start = num(a[0], at);
    limit = num(a[1], at);
    if (a.size() == 3) step = num(a[2], at);
  }
  if (step == 0) fail(at, "the step of `range` must not be zero");
  if (a.size() < 3 && limit < start) step = -1;
  std::vector<Value> out;
  for (Numeric n = start; step > 0 ? n < limit : n > limit; n += step) {
    if (out.size() >= 1024) fail(at, "`range` makes more than 1024 elements");
    out.push_back(Value::of(n));
  }
  return Value::tuple(std::move(out));
}

Value f_reverse(Args& a, const CallSite& at) {
  std::vector<Value> out(list(a[0], at).rbegin(), list(a[0], at).rend());
  return Value::tuple(std::move(out));
}

Value f_slice(Args& a, const CallSite& at) {
  const auto& l = list(a[0], at);
  long long s = integer(a[1], at, "start"), e = integer(a[2], at, "end");
  if (s < 0 || e > static_cast<long long>(l.size()) || s > e) fail(at, "the indexes of `slice` are out of range");
  return Value::tuple(std::vector<Value>(l.begin() + s, l.begin() + e));
}

Value f_sort(Args& a, const CallSite& at) {
  std::vector<Value> out = list(a[0], at);
  for (const Value& v : out)
    if (v.kind != Kind::String && v.kind != Kind::Number) fail(at, "`sort` sorts strings only");
  for (Value& v : out) v = Value::of(text_of(v, at));
  std::stable_sort(out.begin(), out.end(), [](const Value& x, const Value& y) { return x.text < y.text; });
  return Value::tuple(std::move(out));
}

// A list, set or map has one element type: Terraform converts mixed strings, numbers and bools
// all to strings (`tolist(["a", 1])` is `["a", "1"]`).
template <typename Each>
void unify(Each each) {
  bool strings = false, others = false;
  each([&](Value& v) {
    if (v.kind == Kind::String)
      strings = true;
    else if (v.kind == Kind::Number || v.kind == Kind::Bool)
      others = true;
  });
  if (!strings || !others) return;
  each([&](Value& v) {
    if (v.kind == Kind::Number)
      v = Value::of(number_text(v.number));
    else if (v.kind == Kind::Bool)
      v = Value::of(v.boolean ? "true" : "false");
  });
}

Value unified(Value v) {
  if (v.kind == Kind::Tuple)
    unify([&](auto f) {
      for (Value& i : v.items) f(i);
    });
  if (v.kind == Kind::Object)
    unify([&](auto f) {
      for (auto& [k, i] : v.fields) f(i);
    });
  return v;
}

Value f_tolist(Args& a, const CallSite& at) {
  if (a[0].is_unknown()) return a[0];
  if (a[0].is_null()) return a[0];
  return unified(Value::tuple(list(a[0], at)));
}

Value f_toset(Args& a, const CallSite& at) {
  if (a[0].is_unknown()) return a[0];
  if (a[0].is_null()) return a[0];
  for (const Value& v : list(a[0], at))
    if (!v.wholly_known()) return Value::unknown(v.first_unknown());  // a set's order needs its values
  return make_set(unified(a[0]).items);
}

Value f_tomap(Args& a, const CallSite& at) {
  if (a[0].is_unknown() || a[0].is_null()) return a[0];
  return unified(Value::object(object(a[0], at)));
}

Value f_tostring(Args& a, const CallSite& at) {
  if (a[0].is_null()) return a[0];
  return Value::of(text_of(a[0], at));
}

Value f_tonumber(Args& a, const CallSite& at) {
  if (a[0].is_null()) return a[0];
  return Value::of(num(a[0], at));
}

Value f_tobool(Args& a, const CallSite& at) {
  if (a[0].is_null() || a[0].kind == Kind::Bool) return a[0];
  if (a[0].kind == Kind::String && (a[0].text == "true" || a[0].text == "false")) return Value::of(a[0].text == "true");
  fail(at, "`tobool` cannot convert this value to a bool");
}

Value f_zipmap(Args& a, const CallSite& at) {
  const auto& k = list(a[0], at);
  const auto& v = list(a[1], at);
  if (k.size() != v.size()) fail(at, "the lists of keys and values differ in length");
  std::map<std::string, Value> out;
  for (size_t i = 0; i < k.size(); ++i) out[text_of(k[i], at, "key")] = v[i];
  return Value::object(std::move(out));
}

Value f_coalesce(Args& a, const CallSite& at) {
  for (const Value& v : a) {
    if (v.is_unknown()) return v;
    if (v.is_null() || (v.kind == Kind::String && v.text.empty())) continue;
    return v;
  }
  fail(at, "no argument of `coalesce` is non-null and non-empty");
}

Value f_coalescelist(Args& a, const CallSite& at) {
  for (const Value& v : a) {
    if (v.is_unknown()) return v;
    if (!list(v, at).empty()) return v;
  }
  return Value::tuple({});
}

Value f_compact(Args& a, const CallSite& at) {
  std::vector<Value> out;
  for (const Value& v : list(a[0], at))
    if (!v.is_null() && !(v.kind == Kind::String && v.text.empty())) out.push_back(v);
  return Value::tuple(std::move(out));
}

Value f_index(Args& a, const CallSite& at) {
  const auto& l = list(a[0], at);
  for (size_t i = 0; i < l.size(); ++i)
    if (l[i] == a[1]) return Value::of(static_cast<double>(i));
  fail(at, "the value is not in the list");
}

Value f_one(Args& a, const CallSite& at) {
  if (a[0].is_unknown()) return a[0];
  if (a[0].is_null()) return a[0];
  const auto& l = list(a[0], at);
  if (l.size() > 1) fail(at, "`one` needs a list of at most one element, not " + std::to_string(l.size()));
  return l.empty() ? Value::null() : l[0];
}

Value f_setunion(Args& a, const CallSite& at) {
  std::vector<Value> all;
  for (const Value& v : a)
    for (const Value& i : list(v, at)) all.push_back(i);
  return make_set(std::move(all));
}

Value f_setintersection(Args& a, const CallSite& at) {
  std::vector<Value> out = list(a[0], at);
  for (size_t i = 1; i < a.size(); ++i) {
    const auto& other = list(a[i], at);
    std::erase_if(out, [&](const Value& v) { return std::find(other.begin(), other.end(), v) == other.end(); });
  }
  return make_set(std::move(out));
}

Value f_setsubtract(Args& a, const CallSite& at) {
  std::vector<Value> out = list(a[0], at);
  const auto& other = list(a[1], at);
  std::erase_if(out, [&](const Value& v) { return std::find(other.begin(), other.end(), v) != other.end(); });
  return make_set(std::move(out));
}

Value f_setproduct(Args& a, const CallSite& at) {
  std::vector<std::vector<Value>> rows{{}};
  for (const Value& v : a) {
    std::vector<std::vector<Value>> next;
    for (const auto& row : rows)
      for (const Value& i : list(v, at)) {
        next.push_back(row);
        next.back().push_back(i);
        if (next.size() > 100000) fail(at, "`setproduct` makes more than 100000 elements");
      }
    rows = std::move(next);
  }
  std::vector<Value> out;
  out.reserve(rows.size());
  for (auto& row : rows) out.push_back(Value::tuple(std::move(row)));
  return Value::tuple(std::move(out));
}

Value f_chunklist(Args& a, const CallSite& at) {
  const auto& l = list(a[0], at);
  long long n = integer(a[1], at, "size");
  if (n < 0) fail(at, "the size must not be negative");
  if (n == 0) return Value::tuple({a[0]});
  std::vector<Value> out;
  for (size_t i = 0; i < l.size(); i += static_cast<size_t>(n))
    out.push_back(Value::tuple(
        std::vector<Value>(l.begin() + static_cast<long>(i),
                           l.begin() + static_cast<long>(std::min(l.size(), i + static_cast<size_t>(n))))));
  return Value::tuple(std::move(out));
}

Value f_transpose(Args& a, const CallSite& at) {
  std::map<std::string, std::vector<Value>> out;
  for (const auto& [k, v] : object(a[0], at))
    for (const Value& i : list(v, at)) out[text_of(i, at)].push_back(Value::of(k));
  std::map<std::string, Value> fields;
  for (auto& [k, v] : out) fields[k] = Value::tuple(std::move(v));
  return Value::object(std::move(fields));
}

Value f_matchkeys(Args& a, const CallSite& at) {
  const auto& values = list(a[0], at);
  const auto& keys = list(a[1], at);
  const auto& search = list(a[2], at);
  if (values.size() != keys.size()) fail(at, "the lists of values and keys differ in length");
  std::vector<Value> out;
  for (size_t i = 0; i < keys.size(); ++i)
    if (std::find(search.begin(), search.end(), keys[i]) != search.end()) out.push_back(values[i]);
  return Value::tuple(std::move(out));
}

Value f_alltrue(Args& a, const CallSite& at) {
  for (const Value& v : list(a[0], at))
    if (!(v.kind == Kind::Bool ? v.boolean : v.kind == Kind::String && v.text == "true")) return Value::of(false);
  return Value::of(true);
}

Value f_anytrue(Args& a, const CallSite& at) {
  for (const Value& v : list(a[0], at))
    if (v.kind == Kind::Bool ? v.boolean : v.kind == Kind::String && v.text == "true") return Value::of(true);
  return Value::of(false);
}

// ---- numbers ----

Value f_sum(Args& a, const CallSite& at) {
  const auto& l = list(a[0], at);
  if (l.empty()) fail(at, "`sum` cannot add an empty list");
  Numeric n = 0;
  for (const Value& v : l) n += num(v, at, "element");
  return Value::of(n);
}

Value f_max(Args& a, const CallSite& at) {
  Numeric n = num(a[0], at);
  for (const Value& v : a) n = std::max(n, num(v, at));
  return Value::of(n);
}

Value f_min(Args& a, const CallSite& at) {
  Numeric n = num(a[0], at);
  for (const Value& v : a) n = std::min(n, num(v, at));
  return Value::of(n);
}

Value f_abs(Args& a, const CallSite& at) {
  return Value::of(std::fabs(num(a[0], at)));
}
Value f_ceil(Args& a, const CallSite& at) {
  return Value::of(std::ceil(num(a[0], at)));
}
Value f_floor(Args& a, const CallSite& at) {
  return Value::of(std::floor(num(a[0], at)));
}
Value f_pow(Args& a, const CallSite& at) {
  return Value::of(std::pow(num(a[0], at), num(a[1], at)));
}
Value f_log(Args& a, const CallSite& at) {
  return Value::of(std::log(num(a[0], at)) / std::log(num(a[1], at)));
}

Value f_signum(Args& a, const CallSite& at) {
  Numeric n = num(a[0], at);
  return Value::of(n > 0 ? 1.0 : n < 0 ? -1.0 : 0.0);
}

Value f_parseint(Args& a, const CallSite& at) {
  std::string s = str(a[0], at);
  long long base = integer(a[1], at, "base");
  if (base < 2 || base > 62) fail(at, "the base must be from 2 to 62");
  // Go's strconv digits: 0-9, then a-z; above base 36, A-Z are 36 to 61.
  size_t k = s.starts_with("-") || s.starts_with("+") ? 1 : 0;
  if (k == s.size()) fail(at, "`" + s + "` is not a number in base " + std::to_string(base));
  long long n = 0;
  for (; k < s.size(); ++k) {
    char c = s[k];
    long long d = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'z' ? c - 'a' + 10
                  : c >= 'A' && c <= 'Z' ? (base <= 36 ? c - 'A' + 10 : c - 'A' + 36)
                                         : 99;
    if (d >= base) fail(at, "`" + s + "` is not a number in base " + std::to_string(base));
    if (n > (9000000000000000000LL - d) / base) fail(at, "`" + s + "` is too large");
    n = n * base + d;
  }
  if (s.starts_with("-")) n = -n;
  return Value::of(static_cast<double>(n));
}

// ---- encoding ----

Value f_jsonencode(Args& a, const CallSite& /*at*/) {
  return Value::of(to_json(a[0]));
}

Value from_json(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return Value::null();
    case nlohmann::json::value_t::boolean:
      return Value::of(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return Value::of(static_cast<Numeric>(j.get<int64_t>()));
    case nlohmann::json::value_t::number_unsigned:
      return Value::of(static_cast<Numeric>(j.get<uint64_t>()));
    case nlohmann::json::value_t::number_float:
      return Value::of(j.get<double>());
    case nlohmann::json::value_t::string:
      return Value::of(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      std::vector<Value> items;
      for (const auto& e : j) items.push_back(from_json(e));
      return Value::tuple(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      std::map<std::string, Value> fields;
      for (const auto& [k, v] : j.items()) fields[k] = from_json(v);
      return Value::object(std::move(fields));
    }
    default:
      return Value::null();
  }
}

Value f_jsondecode(Args& a, const CallSite& at) {
  auto j = nlohmann::json::parse(str(a[0], at), nullptr, false);
  if (j.is_discarded()) fail(at, "the argument of `jsondecode` is not valid JSON");
  return from_json(j);
}

const char* kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Value f_base64encode(Args& a, const CallSite& at) {
  const std::string& s = str(a[0], at);
  std::string out;
  for (size_t k = 0; k < s.size(); k += 3) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(s[k])) << 16;
    if (k + 1 < s.size()) n |= static_cast<uint32_t>(static_cast<unsigned char>(s[k + 1])) << 8;
    if (k + 2 < s.size()) n |= static_cast<unsigned char>(s[k + 2]);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += k + 1 < s.size() ? kBase64[(n >> 6) & 63] : '=';
    out += k + 2 < s.size() ? kBase64[n & 63] : '=';
  }
  return Value::of(out);
}

Value f_base64decode(Args& a, const CallSite& at) {
  const std::string& s = str(a[0], at);
  std::string out;
  uint32_t n = 0;
  int bits = 0;
  for (char c : s) {
    if (c == '=') break;
    const char* p = std::strchr(kBase64, c);
    if (p == nullptr || c == '\0') fail(at, "the argument of `base64decode` is not valid base64");
    n = (n << 6) | static_cast<uint32_t>(p - kBase64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((n >> bits) & 0xFF);
    }
  }
  return Value::of(out);
}

Value f_urlencode(Args& a, const CallSite& at) {
  std::string out;
  char buf[4];
  for (unsigned char c : str(a[0], at)) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return Value::of(out);
}

// ---- network ----

// IPv6 addresses are 128 bits wide; GCC and Clang both have the type.
__extension__ typedef unsigned __int128 u128;  // NOLINT(modernize-use-using): `using` cannot take __extension__

struct Cidr {
  u128 addr = 0;
  int bits = 32;  // 32 for IPv4, 128 for IPv6
  int prefix = 0;
};

bool parse_ipv4(const std::string& s, u128& out) {
  u128 n = 0;
  int parts = 0;
  size_t k = 0;
  while (parts < 4) {
    size_t e = k;
    while (e < s.size() && std::isdigit(static_cast<unsigned char>(s[e]))) ++e;
    if (e == k || e - k > 3 || (e - k > 1 && s[k] == '0')) return false;
    int octet = std::stoi(s.substr(k, e - k));
    if (octet > 255) return false;
    n = (n << 8) | static_cast<unsigned>(octet);
    ++parts;
    if (parts < 4) {
      if (e >= s.size() || s[e] != '.') return false;
      k = e + 1;
    } else if (e != s.size()) {
      return false;
    }
  }
  out = n;
  return true;
}

bool parse_ipv6(const std::string& s, u128& out) {
  std::vector<uint16_t> head, tail;
  bool gap = false;
  size_t k = 0;
  if (s.starts_with("::")) {
    gap = true;
    k = 2;
  }
  while (k < s.size()) {
    size_t e = k;
    while (e < s.size() && std::isxdigit(static_cast<unsigned char>(s[e]))) ++e;
    if (e == k || e - k > 4) return false;
    (gap ? tail : head).push_back(static_cast<uint16_t>(std::stoul(s.substr(k, e - k), nullptr, 16)));
    if (e == s.size()) break;
    if (s[e] != ':') return false;
    if (e + 1 < s.size() && s[e + 1] == ':') {
      if (gap) return false;
      gap = true;
      k = e + 2;
    } else {
      k = e + 1;
      if (k == s.size()) return false;
    }
  }
  size_t groups = head.size() + tail.size();
  if (groups > 8 || (!gap && groups != 8) || (gap && groups == 8)) return false;
  std::vector<uint16_t> all = head;
  all.resize(8 - tail.size(), 0);
  all.insert(all.end(), tail.begin(), tail.end());
  u128 n = 0;
  for (uint16_t g : all) n = (n << 16) | g;
  out = n;
  return true;
}

Cidr parse_cidr(const std::string& s, const CallSite& at) {
  size_t slash = s.find('/');
  if (slash == std::string::npos) fail(at, "`" + s + "` is not a CIDR block (address/prefix)");
  Cidr c;
  std::string ip = s.substr(0, slash), len = s.substr(slash + 1);
  if (parse_ipv4(ip, c.addr)) {
    c.bits = 32;
  } else if (parse_ipv6(ip, c.addr)) {
    c.bits = 128;
  } else {
    fail(at, "`" + s + "` is not a CIDR block: `" + ip + "` is not an IP address");
  }
  if (len.empty() || len.size() > 3 ||
      !std::all_of(len.begin(), len.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }))
    fail(at, "`" + s + "` is not a CIDR block: the prefix length is not a number");
  c.prefix = std::stoi(len);
  if (c.prefix > c.bits) fail(at, "`" + s + "` is not a CIDR block: the prefix is longer than the address");
  return c;
}

u128 mask_of(int prefix, int bits) {
  if (prefix == 0) return 0;
  u128 all = bits == 128 ? ~static_cast<u128>(0) : (static_cast<u128>(1) << bits) - 1;
  return all & ~((static_cast<u128>(1) << (bits - prefix)) - 1);
}

std::string ip_text(u128 a, int bits) {
  char buf[64];
  if (bits == 32) {
    auto n = static_cast<uint32_t>(a);
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", n >> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255);
    return buf;
  }
  uint16_t g[8];
  for (int i = 7; i >= 0; --i) {
    g[i] = static_cast<uint16_t>(a & 0xFFFF);
    a >>= 16;
  }
  // Go's form: the longest run of two or more zero groups (the first of equals) becomes `::`.
  int best = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", g[i]);
    out += buf;
  }
  return out;
}

Value f_cidrsubnet(Args& a, const CallSite& at) {
  Cidr c = parse_cidr(str(a[0], at), at);
  long long newbits = integer(a[1], at, "newbits"), netnum = integer(a[2], at, "netnum");
  if (newbits < 0 || newbits > 128) fail(at, "newbits must be from 0 to 128");
  int len = c.prefix + static_cast<int>(newbits);
  if (newbits < 0 || len > c.bits)
    fail(at, "`" + a[0].text + "` has no room for " + std::to_string(newbits) + " more bits");
  if (netnum < 0 || (newbits < 64 && static_cast<unsigned long long>(netnum) >= (1ULL << newbits)))
    fail(at, "netnum " + std::to_string(netnum) + " does not fit in " + std::to_string(newbits) + " bits");
  u128 base = c.addr & mask_of(c.prefix, c.bits);
  base |= static_cast<u128>(netnum) << (c.bits - len);
  return Value::of(ip_text(base, c.bits) + "/" + std::to_string(len));
}

Value f_cidrhost(Args& a, const CallSite& at) {
  Cidr c = parse_cidr(str(a[0], at), at);
  long long host = integer(a[1], at, "hostnum");
  int host_bits = c.bits - c.prefix;
  u128 size = host_bits >= 128 ? ~static_cast<u128>(0) : static_cast<u128>(1) << host_bits;
  u128 offset = 0;
  if (host >= 0) {
    if (host_bits < 64 && static_cast<u128>(host) >= size)
      fail(at, "host " + std::to_string(host) + " is outside `" + a[0].text + "`");
    offset = static_cast<u128>(host);
  } else {
    if (host_bits < 64 && static_cast<u128>(-host) > size)
      fail(at, "host " + std::to_string(host) + " is outside `" + a[0].text + "`");
    offset = size - static_cast<u128>(-host);
  }
  return Value::of(ip_text((c.addr & mask_of(c.prefix, c.bits)) + offset, c.bits));
}

Value f_cidrnetmask(Args& a, const CallSite& at) {
  Cidr c = parse_cidr(str(a[0], at), at);
  if (c.bits != 32) fail(at, "`cidrnetmask` takes an IPv4 block only");
  return Value::of(ip_text(mask_of(c.prefix, 32), 32));
}

Value f_cidrsubnets(Args& a, const CallSite& at) {
  Cidr c = parse_cidr(str(a[0], at), at);
  u128 base = c.addr & mask_of(c.prefix, c.bits);
  u128 end =
      base + (c.bits - c.prefix >= 128 ? ~static_cast<u128>(0) : (static_cast<u128>(1) << (c.bits - c.prefix)) - 1);
  u128 next = base;
  std::vector<Value> out;
  for (size_t i = 1; i < a.size(); ++i) {
    long long nb = integer(a[i], at, "newbits");
    if (nb < 1 || nb > 128) fail(at, "newbits must be from 1 to 128");
    int len = c.prefix + static_cast<int>(nb);
    if (nb < 1 || len > c.bits) fail(at, "`" + a[0].text + "` has no room for " + std::to_string(nb) + " more bits");
    u128 size = static_cast<u128>(1) << (c.bits - len);
    u128 start = (next + size - 1) & ~(size - 1);  // the next block of this size
    if (start < next || start > end || start + size - 1 > end)
      fail(at, "`" + a[0].text + "` has not enough room left for the subnets asked for");
    out.push_back(Value::of(ip_text(start, c.bits) + "/" + std::to_string(len)));
    next = start + size;
  }
  return Value::tuple(std::move(out));
}

// ---- files: relative to the directory terraform runs in (the root module's) ----

std::optional<std::string> read_text(const std::string& path, const CallSite& at) {
  std::filesystem::path p(path);
  if (p.is_relative()) p = std::filesystem::path(at.scope.module_dir()) / p;
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Value f_file(Args& a, const CallSite& at) {
  auto text = read_text(str(a[0], at), at);
  if (!text) return Value::unknown("file `" + a[0].text + "` is not there to read");
  return Value::of(*text);
}

Value f_fileexists(Args& a, const CallSite& at) {
  std::filesystem::path p(str(a[0], at));
  if (p.is_relative()) p = std::filesystem::path(at.scope.module_dir()) / p;
  std::error_code ec;
  return Value::of(std::filesystem::is_regular_file(p, ec));
}

// The variables of a template file: its names only, nothing of the module.
class TemplateScope : public Scope {
 public:
  TemplateScope(const std::map<std::string, Value>& vars, std::string dir) : vars_(vars), dir_(std::move(dir)) {}
  Value lookup(const std::string& root, const std::vector<std::string>& /*steps*/, size_t& used,
               const Range& at) override {
    used = 0;
    auto it = vars_.find(root);
    if (it == vars_.end()) throw EvalError{"the template refers to `" + root + "`, which its variables do not set", at};
    return it->second;
  }
  std::string module_dir() const override { return dir_; }

 private:
  const std::map<std::string, Value>& vars_;
  std::string dir_;
};

Value f_templatefile(Args& a, const CallSite& at) {
  auto text = read_text(str(a[0], at), at);
  if (!text) return Value::unknown("template file `" + a[0].text + "` is not there to read");
  std::vector<Diagnostic> errors;
  ExprPtr tpl = parse_template(*text, a[0].text, errors);
  if (!tpl) fail(at, "template file `" + a[0].text + "` does not parse: " + to_string(errors.front()));
  TemplateScope scope(object(a[1], at, "variables"), at.scope.module_dir());
  try {
    return evaluate(*tpl, scope);
  } catch (const EvalError& e) {
    fail(at, "in template file `" + a[0].text + "` line " + std::to_string(e.range.begin.line) + ": " + e.message);
  }
}

Value f_basename(Args& a, const CallSite& at) {
  std::string s = str(a[0], at);
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  size_t k = s.rfind('/');
  return Value::of(k == std::string::npos || s == "/" ? s : s.substr(k + 1));
}

Value f_dirname(Args& a, const CallSite& at) {
  std::string s = str(a[0], at);
  size_t k = s.rfind('/');
  if (k == std::string::npos) return Value::of(".");
  if (k == 0) return Value::of("/");
  return Value::of(s.substr(0, k));
}

// ---- sensitivity and time ----

Value f_sensitive(Args& a, const CallSite& /*at*/) {
  Value v = a[0];
  v.sensitive = true;
  return v;
}

Value f_nonsensitive(Args& a, const CallSite& /*at*/) {
  Value v = a[0];
  v.sensitive = false;
  return v;
}

Value f_after_apply(Args& /*a*/, const CallSite& /*at*/) {
  return Value::unknown("known only when the plan is applied");
}

}  // namespace

const std::vector<Function>& functions() {
  static const std::vector<Function> table = {
      {"abs", 1, 1, false, f_abs},
      {"alltrue", 1, 1, false, f_alltrue},
      {"anytrue", 1, 1, false, f_anytrue},
      {"base64decode", 1, 1, false, f_base64decode},
      {"base64encode", 1, 1, false, f_base64encode},
      {"basename", 1, 1, false, f_basename},
      {"ceil", 1, 1, false, f_ceil},
      {"chomp", 1, 1, false, f_chomp},
      {"chunklist", 2, 2, false, f_chunklist},
      {"cidrhost", 2, 2, false, f_cidrhost},
      {"cidrnetmask", 1, 1, false, f_cidrnetmask},
      {"cidrsubnet", 3, 3, false, f_cidrsubnet},
      {"cidrsubnets", 2, -1, false, f_cidrsubnets},
      {"coalesce", 1, -1, true, f_coalesce},
      {"coalescelist", 1, -1, true, f_coalescelist},
      {"compact", 1, 1, false, f_compact},
      {"concat", 0, -1, true, f_concat},
      {"contains", 2, 2, false, f_contains},
      {"dirname", 1, 1, false, f_dirname},
      {"distinct", 1, 1, false, f_distinct},
      {"element", 2, 2, true, f_element},
      {"endswith", 2, 2, false, f_endswith},
      {"file", 1, 1, false, f_file},
      {"fileexists", 1, 1, false, f_fileexists},
      {"flatten", 1, 1, true, f_flatten},
      {"floor", 1, 1, false, f_floor},
      {"format", 1, -1, false, f_format},
      {"formatlist", 1, -1, false, f_formatlist},
      {"indent", 2, 2, false, f_indent},
      {"index", 2, 2, false, f_index},
      {"join", 1, -1, false, f_join},
      {"jsondecode", 1, 1, false, f_jsondecode},
      {"jsonencode", 1, 1, false, f_jsonencode},
      {"keys", 1, 1, true, f_keys},
      {"length", 1, 1, true, f_length},
      {"log", 2, 2, false, f_log},
      {"lookup", 2, 3, true, f_lookup},
      {"lower", 1, 1, false, f_lower},
      {"matchkeys", 3, 3, false, f_matchkeys},
      {"max", 1, -1, false, f_max},
      {"merge", 0, -1, true, f_merge},
      {"min", 1, -1, false, f_min},
      {"nonsensitive", 1, 1, true, f_nonsensitive},
      {"one", 1, 1, true, f_one},
      {"parseint", 2, 2, false, f_parseint},
      {"plantimestamp", 0, 0, false, f_after_apply},
      {"pow", 2, 2, false, f_pow},
      {"range", 1, 3, false, f_range},
      {"regex", 2, 2, false, f_regex},
      {"regexall", 2, 2, false, f_regexall},
      {"replace", 3, 3, false, f_replace},
      {"reverse", 1, 1, false, f_reverse},
      {"sensitive", 1, 1, true, f_sensitive},
      {"setintersection", 1, -1, false, f_setintersection},
      {"setproduct", 1, -1, false, f_setproduct},
      {"setsubtract", 2, 2, false, f_setsubtract},
      {"setunion", 1, -1, false, f_setunion},
      {"signum", 1, 1, false, f_signum},
      {"slice", 3, 3, false, f_slice},
      {"sort", 1, 1, false, f_sort},
      {"split", 2, 2, false, f_split},
      {"startswith", 2, 2, false, f_startswith},
      {"strcontains", 2, 2, false, f_strcontains},
      {"strrev", 1, 1, false, f_strrev},
      {"substr", 3, 3, false, f_substr},
      {"sum", 1, 1, false, f_sum},
      {"templatefile", 2, 2, false, f_templatefile},
      {"timestamp", 0, 0, false, f_after_apply},
      {"title", 1, 1, false, f_title},
      {"tobool", 1, 1, true, f_tobool},
      {"tolist", 1, 1, true, f_tolist},
      {"tomap", 1, 1, true, f_tomap},
      {"tonumber", 1, 1, false, f_tonumber},
      {"toset", 1, 1, true, f_toset},
      {"tostring", 1, 1, false, f_tostring},
      {"transpose", 1, 1, false, f_transpose},
      {"trim", 2, 2, false, f_trim},
      {"trimprefix", 2, 2, false, f_trimprefix},
      {"trimspace", 1, 1, false, f_trimspace},
      {"trimsuffix", 2, 2, false, f_trimsuffix},
      {"upper", 1, 1, false, f_upper},
      {"urlencode", 1, 1, false, f_urlencode},
      {"uuid", 0, 0, false, f_after_apply},
      {"values", 1, 1, true, f_values},
      {"zipmap", 2, 2, false, f_zipmap},
  };
  return table;
}

const Function* find_function(std::string_view name) {
  static const auto index = [] {
    std::unordered_map<std::string_view, const Function*> m;
    for (const Function& f : functions()) m.emplace(f.name, &f);
    return m;
  }();
  auto it = index.find(name);
  return it == index.end() ? nullptr : it->second;
}

}  // namespace tfwarden::hcl
