#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/resolve.h"
#include "plan/plan.h"

namespace tfwarden {

// A path from a resource's values to a nested value, shared between values derived from it.
struct PathNode {
  std::shared_ptr<const PathNode> parent;
  PathStep step;
};
using PathRef = std::shared_ptr<const PathNode>;

std::vector<PathStep> path_steps(const PathRef& p);
std::string path_text(const PathRef& p);  // `rule[0].copy_action[0].destination_vault_arn`

// A value seen by a rule. Absent, null and unknown are distinct; sensitive is a flag on top.
struct Val {
  enum class K : uint8_t { Absent, Null, Unknown, Bool, Num, Str, List, Object, Resource, Seq };
  K k = K::Absent;
  bool sensitive = false;
  bool incomplete = false;  // a Seq that may miss elements (reason says why)
  bool before_side = false;
  bool interned = false;  // a Seq whose items the PlanIndex keeps for the plan's lifetime (memos key on them)
  bool b = false;
  double n = 0;
  std::string_view s;
  std::shared_ptr<const std::string> owned;  // backs `s` for computed strings
  Node json, unk, sens;                      // JSON-backed values and their markers
  const Resource* origin = nullptr;          // the resource the value belongs to (or is)
  PathRef path;                              // from origin's values
  std::shared_ptr<std::vector<Val>> items;   // Seq elements, or a List built from literals
  std::string reason;                        // Unknown: why; Seq: why incomplete

  static Val boolean(bool v) {
    Val x;
    x.k = K::Bool;
    x.b = v;
    return x;
  }
  static Val unknown(std::string why) {
    Val x;
    x.k = K::Unknown;
    x.reason = std::move(why);
    return x;
  }
  static Val number(double v) {
    Val x;
    x.k = K::Num;
    x.n = v;
    return x;
  }
  static Val string(std::string v) {
    Val x;
    x.k = K::Str;
    x.owned = std::make_shared<const std::string>(std::move(v));
    x.s = *x.owned;
    return x;
  }
  static Val resource(const Resource& r);
  bool is_true() const { return k == K::Bool && b; }
};

// Renders a value for a message: sensitive values never appear.
std::string render_value(const Val& v, size_t max_len = 120);

}  // namespace tfwarden
