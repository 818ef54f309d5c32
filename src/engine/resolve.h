#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "plan/address.h"
#include "plan/plan.h"

namespace tfwarden {

// One step of a value path inside a resource: an object key, or a list position.
struct PathStep {
  std::string_view key;
  int64_t index = -1;  // >= 0 for a list position
};

// What an expression ultimately points at.
struct Resolution {
  std::vector<const Resource*> targets;  // resource instances reached through references
  std::vector<Node> constants;           // known values reached (constant_value, variable values)
  std::vector<std::string> unresolved;   // why some part could not be followed
  bool sensitive = false;                // a constant came through a sensitive variable or output
  bool limited = false;                  // the depth limit cut some part short
  bool exhausted = false;                // the step budget of the call ran out
};

// The `for_each` of a resource block or module call, as one instance sees it: `each.key` is
// that instance's key, `each.value` its element of the expression's value.
struct EachScope {
  Node for_each;                         // the expression
  const ConfigModule* module = nullptr;  // where it is evaluated
  std::optional<std::string> address;    // the module instance it is evaluated in
  std::string key;                       // the instance's key, in source form (`"api"`)
  std::vector<std::string> keys;         // every instance's key, in source form
};

// A known region, or the reason it is not known.
struct RegionInfo {
  std::string region;
  bool known = false;
  std::string reason;
  std::string source;  // how it was found: "argument", "arn", "provider aws.secondary", "default"
  bool sensitive = false;  // set from a sensitive variable, output or attribute: never printed
  bool applicable = true;  // false for a resource of another provider (null, random, ...): no region

  // What an output may show of the region: "(sensitive)", the region, or "" when unknown.
  std::string printable() const { return !known ? "" : sensitive ? "(sensitive)" : region; }
};

// Resources by their known `arn` or `id`: built once per plan, on first use, by whichever
// thread asks first; read-only after.
struct KnownValueIndex {
  std::once_flag built;
  std::unordered_map<std::string_view, std::vector<uint32_t>> by_value;
};

// Follows configuration references through modules, outputs and variables, and resolves the
// region of each resource. Lookups are indexed; results for regions are cached.
class Resolver {
 public:
  // `values` is shared by the resolvers of one plan's threads; null: the resolver has its own.
  Resolver(const Plan& plan, std::string default_region, std::shared_ptr<KnownValueIndex> values = nullptr);

  // The configuration expression for `path` of resource `r` (the deepest expression or block
  // that covers the path), or an absent node when the attribute is not in the configuration.
  Node attribute_expression(const Resource& r, const std::vector<PathStep>& path) const;

  // Resolves an expression node found in the configuration of module instance `module_address`
  // (nullopt: any instance of `module`). `what` names the attribute for messages. `referrer`:
  // the resource instance whose expression it is; with it, `x.y[count.index]` and `x.y[each.key]`
  // (which Terraform records as `x.y` beside `count.index` or `each.key`) reach only the instance
  // of x.y with the referrer's index key, when x.y has the same keys as the referrer's block.
  void resolve(const Node& expr, const ConfigModule& module, const std::optional<std::string>& module_address,
               const std::string& what, Resolution& out, const Resource* referrer = nullptr) const;

  const RegionInfo& region_of(const Resource& r);

  // Resources whose known `arn` or `id` equals `value`.
  const std::vector<uint32_t>* by_known_value(std::string_view value);

  const Plan& plan() const { return plan_; }

 private:
  // The reasons these put in `out.unresolved` lack their subject: resolve() prefixes `what`, so a
  // memoised result serves every attribute that reaches it.
  // `each`: the for_each the expression's `each.*` references read, or null.
  void resolve_at(const Node& expr, const ConfigModule& module, const std::optional<std::string>& address,
                  const Resource* referrer, const EachScope* each, Resolution& out, int depth, int& budget) const;
  // True when `self` narrowed a resource reference to the instance with its index key.
  bool resolve_reference(std::string_view ref, const ConfigModule& module, const std::optional<std::string>& address,
                         const Resource* self, const EachScope* each, Resolution& out, int depth, int& budget) const;
  // `each.value...` of one instance: the element of the for_each value with the instance's key
  // (a map entry, a set member, an instance of a resource or module with the same keys).
  void resolve_each_value(std::string_view ref, const std::vector<TraversalStep>& steps, const EachScope& each,
                          Resolution& out, int depth, int& budget) const;
  // The scope of a resource instance's own for_each, or of the module call that made the module
  // instance `address`; nullopt when there is none or the instance is not known.
  std::optional<EachScope> resource_scope(const Resource& r) const;
  // The keys of the instances of module call `call` in module instance `parent`, sorted.
  const std::vector<std::string>& call_keys(const std::string& parent, std::string_view call) const;
  std::optional<EachScope> call_scope(const ConfigModule& module, const std::optional<std::string>& address) const;
  // Resolves what `compute` resolves once per `key` (an output or a variable of one module
  // instance), so a diamond of references costs each distinct node once.
  // A stored result serves a caller only where following the references again would give the
  // same, within the depth limit from the caller's depth: whatever was resolved before, a
  // lookup's answer is the same. The step budget counts what a lookup follows anew, and a
  // result it cut short is not stored.
  template <typename Compute>
  void memoised(const std::string& key, int depth, Resolution& out, Compute compute) const;
  bool same_keys(const Resource& referrer, const std::vector<uint32_t>& targets) const;
  RegionInfo compute_region(const Resource& r) const;
  // The region provider `pc` sets for `r` (known, or unknown with the reason), shown as coming
  // from `source`; nullopt when it sets none.
  std::optional<RegionInfo> provider_region(const ProviderConfig& pc, const Resource& r,
                                            const std::string& source) const;
  RegionInfo region_from_expression(const Node& expr, const ConfigModule& module,
                                    const std::optional<std::string>& address, const std::string& what) const;

  const Plan& plan_;
  std::string default_region_;
  std::vector<std::optional<RegionInfo>> regions_;
  std::shared_ptr<KnownValueIndex> values_;
  struct Memo {
    Resolution res;
    int height = 0;  // how many levels below its own the references went
  };
  // Results by output or variable; one the depth limit cut short by the key and its depth.
  mutable std::unordered_map<std::string, Memo> memo_;
  mutable std::unordered_set<std::string> active_;  // being resolved: meeting one again is a cycle
  mutable int deepest_ = 0;                         // the deepest level reached so far
  // (parent module instance, call name) -> the keys of the call's instances in the plan.
  mutable std::map<std::pair<std::string, std::string>, std::vector<std::string>> call_keys_;
  // The distinct module instance addresses of the plan's resources, sorted (built on first use).
  mutable std::vector<std::string_view> module_instances_;
  // (referrer's block instances, target's block instances) -> the same index keys.
  mutable std::map<std::pair<const void*, const void*>, bool> same_keys_;
};

// True for resource types of AWS's global services (IAM, CloudFront, Route 53, Organizations,
// Global Accelerator, Shield, Budgets, Cost Explorer, WAF Classic, Account): their region is
// `global` in every plan.
bool is_global_type(std::string_view type);

// The region field of an ARN (`arn:aws:backup:eu-west-1:...` -> `eu-west-1`); nullopt if `s`
// is not an ARN. Global services give "".
std::optional<std::string_view> arn_region(std::string_view s);

}  // namespace tfwarden
