#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "plan/json.h"

namespace tfwarden {

// The change Terraform plans for a resource instance. Both replace orders map to Replace;
// `ReplaceOrder` keeps which one it was.
enum class Action : uint8_t { NoOp, Create, Read, Update, Delete, Replace, Forget };
enum class ReplaceOrder : uint8_t { None, DeleteThenCreate, CreateThenDelete };

const char* action_name(Action a);

struct ConfigModule;

// A resource block in the configuration (one per block, whatever count or for_each make of it).
struct ConfigResource {
  std::string key;  // "aws_subnet.private" or "data.aws_iam_policy_document.x"
  std::string_view type, name;
  bool data = false;
  std::string_view provider_config_key;
  Node expressions;
  bool has_count = false;
  Node for_each;  // the `for_each` expression, absent when there is none
  const ConfigModule* module = nullptr;
};

// A module in the configuration tree: the root, or the body of a module call.
struct ConfigModule {
  std::string path;  // "" for the root, else "module.a.module.b"
  const ConfigModule* parent = nullptr;
  std::string_view call_name, source;
  Node call_expressions;  // the arguments of the module call, in the parent
  bool call_has_count = false;
  Node call_for_each;  // the call's `for_each` expression (evaluated in the parent), or absent
  std::unordered_map<std::string, const ConfigResource*> resources;
  std::unordered_map<std::string_view, const ConfigModule*> calls;
  std::unordered_map<std::string_view, Node> outputs;    // name -> expression
  std::unordered_set<std::string_view> sensitive_outputs;
  std::unordered_map<std::string_view, Node> variables;  // name -> declaration
};

struct ProviderConfig {
  std::string_view key, name, alias, module_address;
  Node expressions;
};

// One resource instance, as the plan's `resource_changes` (or a state's `values`) lists it.
struct Resource {
  std::string_view address;
  std::string module_address;  // instance path, "" for the root: `module.svc["api"]`
  std::string config_module;   // the same without instance keys: `module.svc`
  std::string_view type, name, provider_name, action_reason;
  std::string index;  // source form of the count/for_each key, "" when there is none
  bool data = false;
  bool deposed = false;
  std::string_view deposed_key;  // a deposed object's key ("460e7f7b"), "" otherwise
  Action action = Action::NoOp;
  ReplaceOrder replace_order = ReplaceOrder::None;
  Node before, after, after_unknown, after_sensitive, before_sensitive;
  const ConfigResource* config = nullptr;
  uint32_t ordinal = 0;

  // True when the resource has values after apply (configuration rules look at these).
  bool exists_after() const { return action != Action::Delete && action != Action::Forget; }
  // "aws_subnet.private" or "data.x.y": the block key inside its module.
  std::string block_key() const;
};

// Source: a plan made from `.tf` files by source/load.h, not by Terraform.
enum class DocumentKind { Plan, State, Source };

// What a plan's resource instances are: managed instances Terraform plans or keeps (the
// resources), data source reads, and deposed objects (left over from a create-before-destroy).
struct InstanceCounts {
  size_t resources = 0, data_sources = 0, deposed = 0;
};

// Where loading one document spent its time, for `check --timings` (milliseconds).
struct LoadTimings {
  double read = 0, parse = 0, model = 0;
};

class Plan {
 public:
  std::string input;  // as the user named it
  DocumentKind kind = DocumentKind::Plan;
  std::string format_version;
  std::string_view terraform_version;
  bool errored = false;
  bool has_configuration = false;
  std::vector<Resource> resources;
  std::unordered_map<std::string_view, ProviderConfig> providers;
  Node variables;  // top-level `variables`: name -> {"value": ...}
  std::vector<std::string> notes;  // non-fatal observations for the user
  LoadTimings timings;

  const ConfigModule& root() const { return modules_.front(); }
  const ConfigModule* module_at(std::string_view config_path) const;
  const Resource* by_address(std::string_view address) const;
  // Instances of a block in one module instance (`module_address` exact) or in every instance
  // of a configuration module (`config_module`).
  const std::vector<uint32_t>* instances_in(std::string_view module_address, std::string_view block_key) const;
  const std::vector<uint32_t>* instances_of_config(std::string_view config_module, std::string_view block_key) const;
  const std::vector<uint32_t>* of_type(std::string_view type) const;
  InstanceCounts counts() const;

 private:
  friend class PlanLoader;
  std::unique_ptr<simdjson::dom::parser> parser_;
  simdjson::padded_string json_;
  std::deque<ConfigModule> modules_;
  std::deque<ConfigResource> config_resources_;
  std::unordered_map<std::string_view, const ConfigModule*> module_by_path_;
  std::unordered_map<std::string_view, uint32_t> by_address_;
  // (module, block key) -> instances. The views point into the resources' own strings and
  // into `block_keys_` when an address does not spell its block key (a hand-made document).
  using BlockKey = std::pair<std::string_view, std::string_view>;
  struct BlockKeyHash {
    size_t operator()(const BlockKey& k) const {
      return std::hash<std::string_view>()(k.first) * 31 + std::hash<std::string_view>()(k.second);
    }
  };
  std::unordered_map<BlockKey, std::vector<uint32_t>, BlockKeyHash> by_block_;
  std::unordered_map<BlockKey, std::vector<uint32_t>, BlockKeyHash> by_config_block_;
  std::deque<std::string> block_keys_;
  // Full addresses of resources a state lists relative to their module (Terraform 0.12's
  // prior_state writes `data.aws_region.current` inside `module.alb`).
  std::deque<std::string> full_addresses_;
  std::unordered_map<std::string_view, std::vector<uint32_t>> by_type_;
};

// Limits that keep a hostile document from exhausting the machine.
struct LoadLimits {
  size_t max_bytes = size_t{4} << 30;  // simdjson's own ceiling is 4 GiB
  size_t max_depth = 512;
};

// Why a document did not load. NotPlanOrState is valid JSON that is neither a plan nor a state
// (a package.json, a provider schema, a report): a directory scan skips those; everything else
// is a broken or unreadable input.
enum class LoadErrorKind {
  Io,              // the file cannot be opened or read
  Encoding,        // UTF-32, malformed UTF-16, invalid UTF-8
  Syntax,          // empty, not JSON (a binary plan, the human plan text), invalid or truncated JSON, a repeated key
  NotPlanOrState,  // valid JSON, but neither a plan nor a state
  Unsupported,     // a plan or state tfwarden does not read: a newer major format_version, a raw .tfstate
  Shape,           // a plan or state with a field of the wrong type or a required field missing
  Limit,           // over a limit of LoadLimits, a string over 64 MiB, a number out of range
};

struct LoadError {
  LoadErrorKind kind = LoadErrorKind::Io;
  // One line naming what is wrong and where (byte offset or JSON path), without the input's
  // name; input bytes in it are escaped (see printable.h).
  std::string message;
};

// Loads a `terraform show -json` plan or state document (UTF-8, with or without a byte-order
// mark, or UTF-16; see encoding.h). On failure returns null and sets `error`.
std::unique_ptr<Plan> load_plan(std::string input_name, simdjson::padded_string json, LoadError& error,
                                const LoadLimits& limits = {});
// The same with only the message.
std::unique_ptr<Plan> load_plan(std::string input_name, simdjson::padded_string json, std::string& error,
                                const LoadLimits& limits = {});

// Reads a file ("-" is stdin) and loads it.
std::unique_ptr<Plan> load_plan_file(const std::string& path, LoadError& error, const LoadLimits& limits = {});
std::unique_ptr<Plan> load_plan_file(const std::string& path, std::string& error, const LoadLimits& limits = {});

}  // namespace tfwarden
