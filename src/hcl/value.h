#pragma once

// The value of a Terraform expression as the source evaluates it: JSON's kinds, plus
// "unknown", a value that exists only after apply (an id, an ARN) or that the evaluator cannot
// compute, with the reason. Lists, tuples and sets are all a Tuple (a set made by `toset` is
// sorted and without duplicates); maps and objects are an Object, keyed in sorted order as
// Terraform writes them.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tfwarden::hcl {

// Terraform's numbers are 512-bit floats; a long double's 64-bit mantissa keeps the integers
// and the sums of decimals configurations hold (0.1 + 0.2 is 0.3, as Terraform prints it).
using Numeric = long double;

enum class Kind : uint8_t { Null, Unknown, Bool, Number, String, Tuple, Object };

struct Value {
  Kind kind = Kind::Null;
  bool boolean = false;
  bool sensitive = false;  // from a sensitive variable or `sensitive()`, through every operation
  // An Object whose attributes not in `fields` exist but are known only after apply (a
  // resource's computed attributes); `text` then names the object (`aws_s3_bucket.logs`).
  bool open = false;
  Numeric number = 0;
  std::string text;  // String: the string; Unknown: why it is unknown
  std::vector<Value> items;
  std::map<std::string, Value> fields;

  static Value null() { return {}; }
  static Value unknown(std::string why);
  static Value of(bool b);
  static Value of(double n) { return of(static_cast<Numeric>(n)); }
  static Value of(Numeric n);
  static Value of(std::string s);
  static Value of(const char* s) { return of(std::string(s)); }
  static Value tuple(std::vector<Value> items);
  static Value object(std::map<std::string, Value> fields);

  bool is_null() const { return kind == Kind::Null; }
  bool is_unknown() const { return kind == Kind::Unknown; }
  // Known here and in every element and attribute.
  bool wholly_known() const;
  // The reason of the first unknown inside, or empty when wholly known.
  std::string first_unknown() const;
  bool operator==(const Value& o) const;
};

// A number as Terraform prints it: integers without a fraction, others in the shortest form
// that reads back the same.
std::string number_text(Numeric n);

// Reads a number as Terraform does: `-`, digits, a fraction, an exponent; nothing else (no
// hex, no spaces, no `inf`).
bool parse_number(const std::string& s, Numeric& out);

// The value as JSON (unknowns as null); `jsonencode` and the plan document use it.
std::string to_json(const Value& v);

// The type name Terraform uses in its error messages: `string`, `number`, `tuple`...
const char* kind_name(Kind k);

}  // namespace tfwarden::hcl
