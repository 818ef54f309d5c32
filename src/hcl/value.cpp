#include "hcl/value.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tfwarden::hcl {

Value Value::unknown(std::string why) {
  Value v;
  v.kind = Kind::Unknown;
  v.text = std::move(why);
  return v;
}

Value Value::of(bool b) {
  Value v;
  v.kind = Kind::Bool;
  v.boolean = b;
  return v;
}

Value Value::of(Numeric n) {
  Value v;
  v.kind = Kind::Number;
  v.number = n;
  return v;
}

Value Value::of(std::string s) {
  Value v;
  v.kind = Kind::String;
  v.text = std::move(s);
  return v;
}

Value Value::tuple(std::vector<Value> items) {
  Value v;
  v.kind = Kind::Tuple;
  v.items = std::move(items);
  return v;
}

Value Value::object(std::map<std::string, Value> fields) {
  Value v;
  v.kind = Kind::Object;
  v.fields = std::move(fields);
  return v;
}

bool Value::wholly_known() const {
  return first_unknown().empty() && kind != Kind::Unknown;
}

std::string Value::first_unknown() const {
  if (kind == Kind::Unknown) return text.empty() ? "unknown" : text;
  for (const Value& i : items)
    if (auto why = i.first_unknown(); !why.empty()) return why;
  for (const auto& [k, f] : fields)
    if (auto why = f.first_unknown(); !why.empty()) return why;
  return "";
}

bool Value::operator==(const Value& o) const {
  if (kind != o.kind) return false;
  switch (kind) {
    case Kind::Null:
      return true;
    case Kind::Unknown:
      return false;  // an unknown equals nothing, itself included
    case Kind::Bool:
      return boolean == o.boolean;
    case Kind::Number:
      return number == o.number;
    case Kind::String:
      return text == o.text;
    case Kind::Tuple:
      return items == o.items;
    case Kind::Object:
      return fields == o.fields;
  }
  return false;
}

std::string number_text(Numeric n) {
  if (std::isnan(n)) return "NaN";
  if (std::isinf(n)) return n > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  if (n == std::trunc(n) && std::fabs(n) < 1e19L) {
    std::snprintf(buf, sizeof buf, "%.0Lf", n);
    return buf;
  }
  // The shortest form that reads back as the same double, as Terraform's JSON shows numbers.
  auto d = static_cast<double>(n);
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  return buf;
}

bool parse_number(const std::string& s, Numeric& out) {
  size_t k = 0;
  if (k < s.size() && s[k] == '-') ++k;
  size_t digits = k;
  while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
  if (k == digits) return false;
  if (k < s.size() && s[k] == '.') {
    size_t frac = ++k;
    while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
    if (k == frac) return false;
  }
  if (k < s.size() && (s[k] == 'e' || s[k] == 'E')) {
    ++k;
    if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
    size_t exp = k;
    while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
    if (k == exp) return false;
  }
  if (k != s.size()) return false;
  out = std::strtold(s.c_str(), nullptr);
  return true;
}

namespace {

// As Go's encoding/json, which Terraform's jsonencode uses: `<`, `>` and `&` escaped too.
void json_string(const std::string& s, std::string& out) {
  static const char* hex = "0123456789abcdef";
  out.push_back('"');
  for (size_t k = 0; k < s.size(); ++k) {
    auto c = static_cast<unsigned char>(s[k]);
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
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == '<' || c == '>' || c == '&') {
          out += "\\u00";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 15]);
        } else if (c == 0xE2 && k + 2 < s.size() && static_cast<unsigned char>(s[k + 1]) == 0x80 &&
                   (static_cast<unsigned char>(s[k + 2]) == 0xA8 || static_cast<unsigned char>(s[k + 2]) == 0xA9)) {
          out += static_cast<unsigned char>(s[k + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
          k += 2;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void json(const Value& v, std::string& out) {
  switch (v.kind) {
    case Kind::Null:
    case Kind::Unknown:
      out += "null";
      return;
    case Kind::Bool:
      out += v.boolean ? "true" : "false";
      return;
    case Kind::Number:
      out += number_text(v.number);
      return;
    case Kind::String:
      json_string(v.text, out);
      return;
    case Kind::Tuple:
      out.push_back('[');
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (i) out.push_back(',');
        json(v.items[i], out);
      }
      out.push_back(']');
      return;
    case Kind::Object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [k, f] : v.fields) {
        if (!first) out.push_back(',');
        first = false;
        json_string(k, out);
        out.push_back(':');
        json(f, out);
      }
      out.push_back('}');
      return;
    }
  }
}

}  // namespace

std::string to_json(const Value& v) {
  std::string out;
  json(v, out);
  return out;
}

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::Null:
      return "null";
    case Kind::Unknown:
      return "unknown";
    case Kind::Bool:
      return "bool";
    case Kind::Number:
      return "number";
    case Kind::String:
      return "string";
    case Kind::Tuple:
      return "tuple";
    case Kind::Object:
      return "object";
  }
  return "value";
}

}  // namespace tfwarden::hcl
