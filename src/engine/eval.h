#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/resolve.h"
#include "engine/value.h"
#include "rules/rule.h"

namespace tfwarden {

// Indexes over one plan that the PlanIndex of every thread shares: each entry is built once,
// by the first thread that asks, under the lock, and is read-only after (map nodes do not
// move, so readers keep pointers).
struct SharedIndexes {
  struct ReverseIndex {
    std::unordered_map<uint32_t, std::vector<uint32_t>> by_target;
    std::vector<std::string> unresolved;  // sources whose references could not be followed
  };
  struct AttrIndex {
    std::unordered_map<std::string, std::vector<uint32_t>> by_value;
    std::vector<uint32_t> unknown;
    std::unordered_map<std::string, Val> seqs;  // the Seq returned per value, built once (under the lock)
  };
  std::mutex mu;  // held while building an entry; building never asks for another
  std::map<std::pair<std::string, std::string>, ReverseIndex> reverse;
  std::map<std::pair<std::string, std::string>, AttrIndex> by_attr;
  std::map<std::string, Val> by_type_seq;
  std::shared_ptr<KnownValueIndex> values = std::make_shared<KnownValueIndex>();
};

// Per-plan state shared by every rule: the resolver and lazily built indexes.
class PlanIndex {
 public:
  // `shared`: the indexes of the plan's other threads; null when this is the only one.
  PlanIndex(const Plan& plan, std::string default_region, std::shared_ptr<SharedIndexes> shared = nullptr);

  const Plan& plan() const { return plan_; }
  Resolver& resolver() { return resolver_; }

  // Resources `val` refers to (see `refs` in docs/rule-language.md), as a Seq.
  Val refs(const Val& val, const std::vector<std::string>& types);
  // The managed resources of `types` `val` refers to (see `managed_refs`), as a Seq that is
  // incomplete when `val` may name something the plan does not manage.
  Val managed_refs(const Val& val, const std::vector<std::string>& types);
  // Resources of `type` whose `path` refers to `target`.
  Val referrers(const Resource& target, const std::string& type, const std::string& path);
  Val resources_of(const std::string& type);
  Val resources_by(const std::string& type, const std::string& attr, const Val& value);
  // A JSON-encoded string decoded in place; cached per string.
  Val decode_json(const Val& v);

  // Memo of aggregates over a stable sequence (a resources()/resources_by() bucket) whose
  // predicate does not read `self`: one value per plan.
  Val* aggregate(const void* expr, const void* items);
  void remember_aggregate(const void* expr, const void* items, const Val& v);

  // Memo of lets that do not read `self`, by (rule, let, resource).
  Val* memo(const Rule* rule, uint32_t slot, uint32_t ordinal);
  void remember(const Rule* rule, uint32_t slot, uint32_t ordinal, const Val& v);

  // What narrows a quantifier over a stable sequence (a resources() bucket) whose predicate
  // reads `self`, worked out once per sequence and predicate, on first use:
  // - `viable`: the elements the predicate may hold for, judged by its conjuncts that do not
  //   read `self` (through `and` and lets): an element one of them is false for makes the
  //   predicate false whatever the resource under evaluation. `all_viable` when none is ruled
  //   out (or the predicate has no such conjunct).
  // - `by_key`, `unknown`: of those, the elements by the plain value (text, number, boolean)
  //   the predicate's K of `K == X` has, and those whose K is unknown; the others (absent,
  //   null, a list, a resource) equal no plain value. Built only when the predicate has one.
  struct Narrowing {
    bool viable_built = false, keys_built = false;
    bool all_viable = true;
    std::vector<uint32_t> viable;  // when !all_viable, in order
    std::unordered_map<std::string, std::vector<uint32_t>> by_key;
    std::vector<uint32_t> unknown;
  };
  Narrowing& narrowing(const void* items, const void* predicate) { return narrowings_[{items, predicate}]; }

  // Memo of lets that read `self` only through per-self lets, by (rule, let, their values).
  Val* keyed_memo(const Rule* rule, uint32_t slot, const std::string& key);
  void remember_keyed(const Rule* rule, uint32_t slot, const std::string& key, const Val& v);

 private:
  void refs_into(const Val& v, std::vector<const Resource*>& out, std::vector<std::string>& reasons);
  // refs() of a known string when it is the whole answer: the resources whose ARN or id it is,
  // when its expression reaches only those. One Seq per (value, types), shared by every caller
  // (a managed prefix list id that a thousand stacks of a region read is one list, not a
  // thousand copies of it). Null when the slow path must decide.
  const Val* known_refs(const Val& val, const std::vector<std::string>& types);

  const Plan& plan_;
  std::shared_ptr<SharedIndexes> shared_;
  Resolver resolver_;
  std::unordered_map<const char*, Node> decoded_;
  std::deque<simdjson::dom::parser> parsers_;  // own the decoded JSON strings
  struct MemoKey {
    const Rule* rule;
    uint32_t slot, ordinal;
    bool operator==(const MemoKey& o) const { return rule == o.rule && slot == o.slot && ordinal == o.ordinal; }
  };
  struct MemoHash {
    size_t operator()(const MemoKey& k) const {
      return std::hash<const void*>()(k.rule) ^ (static_cast<size_t>(k.slot) << 32 | k.ordinal) * 0x9E3779B97F4A7C15ull;
    }
  };
  std::unordered_map<MemoKey, Val, MemoHash> memo_;
  std::map<std::pair<const void*, const void*>, Val> aggregates_;
  struct KeyedMemoKey {
    const Rule* rule;
    uint32_t slot;
    std::string key;
    bool operator<(const KeyedMemoKey& o) const {
      if (rule != o.rule) return rule < o.rule;
      if (slot != o.slot) return slot < o.slot;
      return key < o.key;
    }
  };
  std::map<KeyedMemoKey, Val> keyed_memo_;
  std::map<std::pair<const void*, const void*>, Narrowing> narrowings_;
  std::unordered_map<std::string, Val> known_refs_;  // by value and types, '\0'-separated
};

// Navigation used by the evaluator and the index builders.
Val get_attr(const Val& v, std::string_view key);
Val get_index(const Val& v, int64_t i);
Val splat(const Val& v);
// Evaluates a parsed attribute path (from parse_path) starting at `root`.
Val eval_path(const Expr& path, const Val& root);

enum class Outcome : uint8_t { Pass, Fail, Undecided, NotInScope };

// What a finding may print: the value, message and reason never hold a sensitive value, the
// value a secret rule flags, or a credential the detector of engine/redact.h finds.
struct Verdict {
  Outcome outcome = Outcome::Pass;
  std::string reason;  // for Undecided
  std::string message;
  std::string path;   // where the value is: the evidence's place, else the rule's path
  std::string value;  // rendered evidence, else the value at the rule's path
};

// What a finding shows of the value at the rule's path: `(sensitive)` for a sensitive value,
// for a secret rule only the names of the secrets (secret_value), else the rendering with
// credentials redacted (redact_value), shortened to 120 bytes after redaction.
std::string finding_value(const Rule& rule, const Val& v);

// Evaluates one rule on one resource.
Verdict evaluate_rule(const Rule& rule, const Resource& self, PlanIndex& index);

// What a finding shows: its path, value and the values of the lets its message names.
struct Evidence {
  std::string path, value;
  std::vector<std::string> lets;  // by let slot; "" for a let the message does not name
};

// Renders the message template of a rule for a resource.
std::string render_message(const Rule& rule, const Resource& self, PlanIndex& index, const Evidence& shown);

}  // namespace tfwarden
