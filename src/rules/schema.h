#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "rules/rule.h"

namespace tfwarden {

// Resource schemas from `terraform providers schema -json`, for checking attribute paths.
class SchemaIndex {
 public:
  explicit SchemaIndex(const nlohmann::json& doc);
  bool has_type(const std::string& type) const;
  // True when `path` (dotted, `[*]` list steps, `["k"]` map keys) exists in `type`.
  bool check(const std::string& type, const std::string& path, std::string& why) const;

 private:
  std::map<std::string, const nlohmann::json*> blocks_;
};

// Every attribute path a rule reads, with the resource type it is read from.
std::vector<TypedPath> rule_paths(const Rule& r);

}  // namespace tfwarden
