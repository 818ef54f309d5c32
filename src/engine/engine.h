#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "engine/eval.h"
#include "rules/rule.h"

namespace tfwarden {

struct Finding {
  const Rule* rule = nullptr;
  std::string input;
  std::string address, type, region, path, message, value, reason, action;
  // The rule's declared path (and the deposed key): what the fingerprint names, stable when
  // `path` follows the evidence to another element.
  std::string identity_path;
  Severity severity = Severity::Medium;
  bool undecided = false;
  bool waived = false;
  std::string waiver_reason, waiver_approver, waiver_expires;
  bool baseline = false;  // already in the baseline report
  std::string source_file;  // mapped by --source-dir, else ""
  size_t source_line = 0;
};

struct EngineOptions {
  std::string default_region;
  // Threads for one plan: resources are split into contiguous ranges, each evaluated with its
  // own caches; the result is the same as with one thread.
  unsigned threads = 1;
  // Measure each rule's evaluation time (PlanResult::rule_ms); off by default, it costs two
  // clock reads per evaluation.
  bool time_rules = false;
  // Keep one Evaluation per check (JUnit lists them); otherwise only PlanResult::checks counts.
  bool record_evaluations = true;
};

// Counts of what was evaluated, for summaries and JUnit.
struct Evaluation {
  const Rule* rule;
  std::string address;
  Outcome outcome;
};

struct PlanResult {
  std::vector<Finding> findings;
  std::vector<Evaluation> evaluations;
  size_t checks = 0;  // rule x resource evaluations, recorded or not
  uint64_t steps = 0;  // evaluation steps taken (thread_steps in plan/json.h), summed over threads
  std::unordered_map<const Rule*, double> rule_ms;  // with EngineOptions::time_rules, summed over threads
};

// Runs every rule on every selected resource of one plan.
PlanResult run_rules(const Plan& plan, const std::vector<const Rule*>& rules, const EngineOptions& options);

// Sort order of the reports: input, address, rule.
void sort_findings(std::vector<Finding>& findings);

}  // namespace tfwarden
