#pragma once

// Terraform's built-in functions, one row each in one table (functions.cpp): the evaluator
// calls them, `explain` and the docs list them. A function not in the table makes its value
// unknown with that reason, never a guess.

#include <string_view>
#include <vector>

#include "hcl/eval.h"

namespace tfwarden::hcl {

struct CallSite {
  Scope& scope;
  const Range& range;
};

struct Function {
  std::string_view name;
  int min_args, max_args;  // max_args -1: any number
  // false: an argument that is not wholly known makes the result unknown before the call;
  // true: the function handles unknowns itself (`length` of a list with unknown elements is
  // known).
  bool takes_unknown;
  Value (*call)(std::vector<Value>& args, const CallSite& at);
};

// The function, or nullptr. A `provider::` function is never found.
const Function* find_function(std::string_view name);

const std::vector<Function>& functions();

}  // namespace tfwarden::hcl
