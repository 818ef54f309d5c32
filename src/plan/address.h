#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tfwarden {

// One step of a Terraform traversal such as `module.svc["api"].aws_ecs_service.this[0]`:
// a name and, when present, an index key kept in its source form (`0`, `"api"`).
struct TraversalStep {
  std::string name;
  std::string key;
  bool has_key = false;
};

// Splits a reference or address into steps; nullopt when it is malformed.
std::optional<std::vector<TraversalStep>> split_traversal(std::string_view text);

// `module.a["x"].module.b[0]` -> `module.a.module.b`: the configuration path of a module instance.
std::string strip_instance_keys(std::string_view module_address);

// Source form of an index key taken from JSON, as Terraform writes it in an address: numbers
// bare, strings quoted with HCL's escapes (`["a$${b}"]`, `["tab\\t"]`).
std::string index_key_repr(std::string_view json_scalar_text, bool is_string);

}  // namespace tfwarden
