#pragma once

// Evaluates expressions of a configuration as `terraform plan` would before apply: what is
// known from the source is computed; what only exists after apply is unknown and stays unknown
// through every operator and function, with the reason.

#include <string>
#include <vector>

#include "hcl/syntax.h"
#include "hcl/value.h"

namespace tfwarden::hcl {

// What Terraform would refuse: a type mismatch, a missing attribute, a wrong argument. The
// message is lowercase, names the value, and `range` is where in the file.
struct EvalError {
  std::string message;
  Range range;
};

// What names mean where an expression is evaluated (`var`, `local`, `each`, a resource...).
class Scope {
 public:
  virtual ~Scope() = default;
  // The value a reference starts from: `root` is the first name (`var`, `aws_s3_bucket`) and
  // `steps` the attribute names written after it, as far as they are names (`var.tags.env`
  // gives {"tags", "env"}). Sets `used` to how many steps the value stands for; the evaluator
  // applies the rest. Throws EvalError for a name that does not exist.
  virtual Value lookup(const std::string& root, const std::vector<std::string>& steps, size_t& used,
                       const Range& at) = 0;
  // The directory `file()` and `templatefile()` read relative to (`path.module`).
  virtual std::string module_dir() const { return "."; }
};

// Throws EvalError.
Value evaluate(const Expr& e, Scope& scope);

// Whether an expression is a constant: no reference and no function call, so that its value
// is the same everywhere (Terraform writes `constant_value` for these in a plan).
bool is_constant(const Expr& e);

// The references of an expression as a plan's configuration lists them: for each traversal,
// in source order, the traversal as far as it is static (names and constant indexes), then
// each shorter prefix down to the object it names, then the resource or module call itself
// when the name was of one of its instances or outputs. Names bound by a `for` are left out.
std::vector<std::string> references(const Expr& e);

}  // namespace tfwarden::hcl
