#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace tfwarden {

// Work done on this thread, in steps: object members compared by lookups, references
// followed by the resolver, rule expressions evaluated. Always counted (one add per lookup);
// tests bound it to show that a cost grows linearly, which wall time on a shared machine cannot.
inline thread_local uint64_t thread_steps = 0;

// A possibly-absent JSON node. simdjson's default element is not safe to inspect, so presence
// is carried beside it.
struct Node {
  simdjson::dom::element elem;
  bool present = false;

  Node() = default;
  explicit Node(simdjson::dom::element e) : elem(e), present(true) {}

  explicit operator bool() const { return present; }
  bool is_null() const { return present && elem.is_null(); }
  bool is_object() const { return present && elem.is_object(); }
  bool is_array() const { return present && elem.is_array(); }
  bool is_string() const { return present && elem.is_string(); }
  bool is_bool() const { return present && elem.is_bool(); }
  bool is_true() const { return is_bool() && elem.get_bool().value_unsafe(); }
  bool is_number() const { return present && elem.is_number(); }

  // Object member, or an absent node. A linear scan, as simdjson's at_key is, but counted.
  Node operator[](std::string_view key) const {
    if (!is_object()) return {};
    uint64_t visited = 0;
    simdjson::dom::object o = elem.get_object().value_unsafe();
    for (auto [k, v] : o) {
      ++visited;
      if (k == key) {
        thread_steps += visited;
        return Node(v);
      }
    }
    thread_steps += visited;
    return {};
  }
  // Array element, or an absent node.
  Node at(size_t i) const {
    if (!is_array()) return {};
    simdjson::dom::element e;
    simdjson::dom::array a = elem.get_array().value_unsafe();
    if (a.at(i).get(e) != simdjson::SUCCESS) return {};
    return Node(e);
  }
  size_t size() const {
    if (is_array()) return array().size();
    if (is_object()) return object().size();
    return 0;
  }
  // The object or array itself (empty when the node is not one), safe to iterate.
  simdjson::dom::object object() const {
    simdjson::dom::object o;
    if (is_object()) o = elem.get_object().value_unsafe();
    return o;
  }
  simdjson::dom::array array() const {
    simdjson::dom::array a;
    if (is_array()) a = elem.get_array().value_unsafe();
    return a;
  }
  std::string_view str() const { return is_string() ? elem.get_string().value_unsafe() : std::string_view{}; }
  double num() const;
};

// The JSON type name used in error messages ("an object", "a string", ...).
const char* json_type_name(const Node& n);

// Serializes a node as compact JSON.
std::string to_json(const Node& n);

}  // namespace tfwarden
