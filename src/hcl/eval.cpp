#include "hcl/eval.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "hcl/functions.h"
#include "hcl/parser.h"

namespace tfwarden::hcl {

namespace {

[[noreturn]] void fail(const Expr& at, std::string message) {
  throw EvalError{std::move(message), at.range};
}

Value with_sensitive(Value v, bool sensitive) {
  v.sensitive = v.sensitive || sensitive;
  return v;
}

Numeric to_number(const Value& v, const Expr& at) {
  if (v.kind == Kind::Number) return v.number;
  if (v.kind == Kind::String) {
    Numeric n = 0;
    if (parse_number(v.text, n)) return n;
    fail(at, "`" + v.text + "` is not a number");
  }
  fail(at, std::string("a number is required, not a ") + (v.is_null() ? "null value" : kind_name(v.kind)));
}

bool to_bool(const Value& v, const Expr& at) {
  if (v.kind == Kind::Bool) return v.boolean;
  if (v.kind == Kind::String && (v.text == "true" || v.text == "false")) return v.text == "true";
  fail(at, std::string("a bool is required, not a ") + (v.is_null() ? "null value" : kind_name(v.kind)));
}

std::string to_text(const Value& v, const Expr& at) {
  switch (v.kind) {
    case Kind::String:
      return v.text;
    case Kind::Number:
      return number_text(v.number);
    case Kind::Bool:
      return v.boolean ? "true" : "false";
    case Kind::Null:
      fail(at, "a string is required, not a null value");
    default:
      fail(at, std::string("a string is required, not a ") + kind_name(v.kind));
  }
}

// The unknown an operation on these values gives, when one of them is unknown.
const Value* first_unknown(std::initializer_list<const Value*> vs) {
  for (const Value* v : vs)
    if (v->is_unknown()) return v;
  return nullptr;
}

// The steps of `a.b[c].d` in order (GetAttr and Index nodes) and its root (`a`).
const Expr* traversal_steps(const Expr& e, std::vector<const Expr*>& chain) {
  const Expr* root = &e;
  while (root->kind == ExprKind::GetAttr || root->kind == ExprKind::Index) {
    chain.push_back(root);
    root = root->kids[0].get();
  }
  std::reverse(chain.begin(), chain.end());
  return root;
}

class Evaluator {
 public:
  explicit Evaluator(Scope& scope) : scope_(scope) {}

  Value eval(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Literal:
        return literal(e);
      case ExprKind::Template:
        return template_value(e);
      case ExprKind::Tuple: {
        std::vector<Value> items;
        items.reserve(e.kids.size());
        for (const auto& k : e.kids) items.push_back(eval(*k));
        return Value::tuple(std::move(items));
      }
      case ExprKind::Object:
        return object(e);
      case ExprKind::Variable:
      case ExprKind::GetAttr:
      case ExprKind::Index:
      case ExprKind::SplatItem:
        return traversal(e);
      case ExprKind::Splat:
        return splat(e);
      case ExprKind::Call:
        return call(e);
      case ExprKind::For:
        return for_expr(e);
      case ExprKind::Unary:
        return unary(e);
      case ExprKind::Binary:
        return binary(e);
      case ExprKind::Conditional: {
        Value c = eval(*e.kids[0]);
        if (c.is_unknown()) return c;
        if (c.is_null()) fail(*e.kids[0], "the condition is null");
        return with_sensitive(eval(*e.kids[to_bool(c, *e.kids[0]) ? 1 : 2]), c.sensitive);
      }
      case ExprKind::Parens:
        return eval(*e.kids[0]);
      case ExprKind::TemplateIf:
      case ExprKind::TemplateFor: {
        std::string out;
        bool sensitive = false;
        if (auto why = template_part(e, out, sensitive)) return with_sensitive(Value::unknown(*why), sensitive);
        return with_sensitive(Value::of(std::move(out)), sensitive);
      }
    }
    fail(e, "this expression cannot be evaluated");
  }

 private:
  Value literal(const Expr& e) {
    switch (e.literal) {
      case LiteralType::Null:
        return Value::null();
      case LiteralType::Bool:
        return Value::of(e.boolean);
      case LiteralType::Number:
        return Value::of(std::strtold(e.text.c_str(), nullptr));
      case LiteralType::String:
        return Value::of(e.text);
    }
    return Value::null();
  }

  // A template of exactly one interpolation is that value, not its string (HCL's rule).
  Value template_value(const Expr& e) {
    if (e.kids.size() == 1 && !e.heredoc) {
      const Expr& only = *e.kids[0];
      bool text_part = only.kind == ExprKind::Literal && only.literal == LiteralType::String;
      if (!text_part && only.kind != ExprKind::TemplateIf && only.kind != ExprKind::TemplateFor) return eval(only);
    }
    std::string out;
    bool sensitive = false;
    std::optional<std::string> unknown;
    for (const auto& part : e.kids) {
      auto why = template_part(*part, out, sensitive);
      if (why && !unknown) unknown = why;
    }
    if (unknown) return with_sensitive(Value::unknown(*unknown), sensitive);
    return with_sensitive(Value::of(std::move(out)), sensitive);
  }

  // Appends one part of a template; returns why it is unknown, if it is.
  std::optional<std::string> template_part(const Expr& part, std::string& out, bool& sensitive) {
    if (part.kind == ExprKind::Literal && part.literal == LiteralType::String) {
      out += part.text;
      return std::nullopt;
    }
    if (part.kind == ExprKind::Template) {
      std::optional<std::string> unknown;
      for (const auto& p : part.kids) {
        auto why = template_part(*p, out, sensitive);
        if (why && !unknown) unknown = why;
      }
      return unknown;
    }
    if (part.kind == ExprKind::TemplateIf) {
      Value c = eval(*part.kids[0]);
      sensitive = sensitive || c.sensitive;
      if (c.is_unknown()) return c.text;
      if (c.is_null()) fail(*part.kids[0], "the condition is null");
      return template_part(*part.kids[to_bool(c, *part.kids[0]) ? 1 : 2], out, sensitive);
    }
    if (part.kind == ExprKind::TemplateFor) {
      Value coll = eval(*part.kids[0]);
      sensitive = sensitive || coll.sensitive;
      if (coll.is_unknown()) return coll.text;
      std::optional<std::string> unknown;
      each(part, coll, *part.kids[0], [&]() {
        auto why = template_part(*part.kids[1], out, sensitive);
        if (why && !unknown) unknown = why;
        return true;
      });
      return unknown;
    }
    Value v = eval(part);
    sensitive = sensitive || v.sensitive;
    if (v.is_unknown()) return v.text;
    if (v.is_null()) fail(part, "the value in this interpolation is null");
    if (v.kind == Kind::Tuple || v.kind == Kind::Object)
      fail(part, std::string("a ") + kind_name(v.kind) + " cannot be written into a string");
    out += to_text(v, part);
    return std::nullopt;
  }

  Value object(const Expr& e) {
    std::map<std::string, Value> fields;
    for (size_t i = 0; i + 1 < e.kids.size(); i += 2) {
      const Expr& k = *e.kids[i];
      std::string key;
      if (k.bare_key) {
        key = k.text;
      } else {
        Value kv = eval(k);
        if (kv.is_unknown()) return Value::unknown(kv.text);
        if (kv.is_null()) fail(k, "an object key cannot be null");
        key = to_text(kv, k);
      }
      fields[key] = eval(*e.kids[i + 1]);
    }
    return Value::object(std::move(fields));
  }

  const Value* bound(const std::string& name) const {
    for (auto it = bound_.rbegin(); it != bound_.rend(); ++it)
      if (it->first == name) return &it->second;
    return nullptr;
  }

  Value traversal(const Expr& e) {
    std::vector<const Expr*> chain;
    const Expr* root = traversal_steps(e, chain);
    Value v;
    size_t from = 0;
    if (root->kind == ExprKind::Variable) {
      if (const Value* b = bound(root->text)) {
        v = *b;
      } else {
        std::vector<std::string> steps;
        for (const Expr* c : chain) {
          if (c->kind != ExprKind::GetAttr) break;
          steps.push_back(c->text);
        }
        v = scope_.lookup(root->text, steps, from, root->range);
      }
    } else if (root->kind == ExprKind::SplatItem) {
      if (splat_.empty()) fail(*root, "a splat item outside a splat");
      v = *splat_.back();
    } else {
      v = eval(*root);
    }
    for (size_t i = from; i < chain.size(); ++i) v = step(std::move(v), *chain[i]);
    return v;
  }

  Value step(Value v, const Expr& c) {
    if (c.kind == ExprKind::GetAttr) {
      if (v.is_unknown()) return v;
      if (v.is_null()) fail(c, "cannot read attribute `" + c.text + "` of a null value");
      if (v.kind != Kind::Object)
        fail(c, std::string("cannot read attribute `") + c.text + "` of a " + kind_name(v.kind) +
                    (v.kind == Kind::Tuple ? " (use [*] or a `for` expression for each element)" : ""));
      auto it = v.fields.find(c.text);
      if (it == v.fields.end() && v.open)
        return with_sensitive(Value::unknown("`" + v.text + "." + c.text + "` is known only after apply"), v.sensitive);
      if (it == v.fields.end()) fail(c, "this object has no attribute `" + c.text + "`");
      return with_sensitive(it->second, v.sensitive);
    }
    Value key = eval(*c.kids[1]);
    if (v.is_unknown()) return v;
    if (key.is_unknown()) return Value::unknown(key.text);
    if (v.is_null()) fail(c, "cannot index a null value");
    if (key.is_null()) fail(*c.kids[1], "the index is null");
    bool sensitive = v.sensitive || key.sensitive;
    if (v.kind == Kind::Tuple) {
      Numeric n = to_number(key, *c.kids[1]);
      if (n != std::floor(n) || n < 0 || n >= static_cast<Numeric>(v.items.size()))
        fail(c, "index " + number_text(n) + " is out of range for a list of " + std::to_string(v.items.size()) +
                    " elements");
      return with_sensitive(v.items[static_cast<size_t>(n)], sensitive);
    }
    if (v.kind == Kind::Object) {
      std::string k = to_text(key, *c.kids[1]);
      auto it = v.fields.find(k);
      if (it == v.fields.end()) fail(c, "no element has the key `" + k + "`");
      return with_sensitive(it->second, sensitive);
    }
    fail(c, std::string("cannot index a ") + kind_name(v.kind));
  }

  Value splat(const Expr& e) {
    Value src = eval(*e.kids[0]);
    if (src.is_unknown()) return src;
    if (src.is_null()) return Value::tuple({});
    std::vector<Value> one;
    const std::vector<Value>* items = &src.items;
    if (src.kind != Kind::Tuple) {  // a single value splats as a list of it
      one.push_back(src);
      items = &one;
    }
    std::vector<Value> out;
    out.reserve(items->size());
    for (const Value& item : *items) {
      splat_.push_back(&item);
      out.push_back(eval(*e.kids[1]));
      splat_.pop_back();
    }
    return with_sensitive(Value::tuple(std::move(out)), src.sensitive);
  }

  // Calls `body` with the for's names bound to each key and value of `coll` in turn, until it
  // returns false.
  template <typename F>
  void each(const Expr& e, const Value& coll, const Expr& coll_at, F body) {
    if (coll.is_null()) fail(coll_at, "cannot iterate over a null value");
    auto run = [&](Value key, const Value& value) {
      size_t mark = bound_.size();
      if (!e.key_var.empty()) bound_.emplace_back(e.key_var, std::move(key));
      bound_.emplace_back(e.value_var, with_sensitive(value, coll.sensitive));
      bool go_on = body();
      bound_.resize(mark);
      return go_on;
    };
    if (coll.kind == Kind::Tuple) {
      for (size_t i = 0; i < coll.items.size(); ++i)
        if (!run(Value::of(static_cast<double>(i)), coll.items[i])) return;
    } else if (coll.kind == Kind::Object) {
      for (const auto& [k, v] : coll.fields)
        if (!run(Value::of(k), v)) return;
    } else {
      fail(coll_at, std::string("cannot iterate over a ") + kind_name(coll.kind));
    }
  }

  Value for_expr(const Expr& e) {
    Value coll = eval(*e.kids[0]);
    if (coll.is_unknown()) return coll;
    std::vector<Value> items;
    std::map<std::string, Value> fields;
    std::optional<Value> unknown;
    each(e, coll, *e.kids[0], [&]() {
      if (e.has_condition) {
        Value c = eval(*e.kids.back());
        if (c.is_unknown()) {
          unknown = c;
          return false;
        }
        if (c.is_null()) fail(*e.kids.back(), "the `if` condition is null");
        if (!to_bool(c, *e.kids.back())) return true;
      }
      if (!e.object_for) {
        items.push_back(eval(*e.kids[1]));
        return true;
      }
      Value k = eval(*e.kids[1]);
      if (k.is_unknown()) {
        unknown = k;
        return false;
      }
      if (k.is_null()) fail(*e.kids[1], "an object key cannot be null");
      std::string key = to_text(k, *e.kids[1]);
      Value v = eval(*e.kids[2]);
      if (e.grouping) {
        Value& group = fields[key];
        group.kind = Kind::Tuple;
        group.items.push_back(std::move(v));
      } else {
        if (fields.contains(key))
          fail(*e.kids[1], "two elements have the key `" + key + "` (add `...` after the value to group them)");
        fields[key] = std::move(v);
      }
      return true;
    });
    if (unknown) return Value::unknown(unknown->text);
    Value out = e.object_for ? Value::object(std::move(fields)) : Value::tuple(std::move(items));
    return with_sensitive(std::move(out), coll.sensitive);
  }

  Value unary(const Expr& e) {
    Value v = eval(*e.kids[0]);
    if (v.is_unknown()) return v;
    if (e.text == "!") return with_sensitive(Value::of(!to_bool(v, *e.kids[0])), v.sensitive);
    return with_sensitive(Value::of(-to_number(v, *e.kids[0])), v.sensitive);
  }

  Value binary(const Expr& e) {
    const std::string& op = e.text;
    Value l = eval(*e.kids[0]);
    if ((op == "&&" || op == "||") && !l.is_unknown() && !l.is_null()) {
      bool lb = to_bool(l, *e.kids[0]);
      if (op == "&&" && !lb) return with_sensitive(Value::of(false), l.sensitive);
      if (op == "||" && lb) return with_sensitive(Value::of(true), l.sensitive);
    }
    Value r = eval(*e.kids[1]);
    bool sensitive = l.sensitive || r.sensitive;
    if (const Value* u = first_unknown({&l, &r})) return with_sensitive(Value::unknown(u->text), sensitive);
    if (op == "==" || op == "!=") {
      if (!l.wholly_known() || !r.wholly_known())
        return with_sensitive(Value::unknown(!l.wholly_known() ? l.first_unknown() : r.first_unknown()), sensitive);
      return with_sensitive(Value::of((l == r) == (op == "==")), sensitive);
    }
    if (op == "&&" || op == "||") {
      if (l.is_null() || r.is_null()) fail(e, "a bool is required, not a null value");
      return with_sensitive(Value::of(to_bool(r, *e.kids[1])), sensitive);
    }
    Numeric a = to_number(l, *e.kids[0]), b = to_number(r, *e.kids[1]);
    Numeric n = 0;
    if (op == "+") {
      n = a + b;
    } else if (op == "-") {
      n = a - b;
    } else if (op == "*") {
      n = a * b;
    } else if (op == "/") {
      if (b == 0) fail(e, "division by zero");
      n = a / b;
    } else if (op == "%") {
      if (b == 0) fail(e, "modulo by zero");
      n = std::fmod(a, b);
    } else if (op == "<") {
      return with_sensitive(Value::of(a < b), sensitive);
    } else if (op == ">") {
      return with_sensitive(Value::of(a > b), sensitive);
    } else if (op == "<=") {
      return with_sensitive(Value::of(a <= b), sensitive);
    } else if (op == ">=") {
      return with_sensitive(Value::of(a >= b), sensitive);
    } else {
      fail(e, "unknown operator `" + op + "`");
    }
    return with_sensitive(Value::of(n), sensitive);
  }

  Value call(const Expr& e) {
    const std::string& name = e.text;
    if (name == "try") {
      for (const auto& arg : e.kids) {
        try {
          Value v = eval(*arg);
          if (!v.wholly_known()) return Value::unknown(v.first_unknown());
          return v;
        } catch (const EvalError&) {
        }
      }
      fail(e, "no argument of `try` could be evaluated");
    }
    if (name == "can") {
      if (e.kids.size() != 1) fail(e, "function `can` takes 1 argument");
      try {
        Value v = eval(*e.kids[0]);
        if (!v.wholly_known()) return Value::unknown(v.first_unknown());
        return Value::of(true);
      } catch (const EvalError&) {
        return Value::of(false);
      }
    }
    std::vector<Value> args;
    args.reserve(e.kids.size());
    for (const auto& arg : e.kids) args.push_back(eval(*arg));
    if (e.expand_final && !args.empty()) {
      Value last = std::move(args.back());
      args.pop_back();
      if (last.is_unknown()) return last;
      if (last.kind != Kind::Tuple) fail(*e.kids.back(), "only a list can be expanded with `...`");
      for (Value& v : last.items) args.push_back(with_sensitive(std::move(v), last.sensitive));
    }
    const Function* f = find_function(name);
    if (f == nullptr) {
      if (name.starts_with("provider::")) return Value::unknown("provider function `" + name + "` is not evaluated");
      return Value::unknown("function `" + name + "` is not implemented by tfwarden");
    }
    int n = static_cast<int>(args.size());
    if (n < f->min_args || (f->max_args >= 0 && n > f->max_args)) {
      std::string want = f->min_args == f->max_args ? std::to_string(f->min_args)
                         : f->max_args < 0          ? "at least " + std::to_string(f->min_args)
                                           : std::to_string(f->min_args) + " to " + std::to_string(f->max_args);
      fail(e, "function `" + name + "` takes " + want + " argument" + (want == "1" ? "" : "s") + ", not " +
                  std::to_string(n));
    }
    bool sensitive = false;
    for (const Value& a : args) sensitive = sensitive || a.sensitive;
    if (!f->takes_unknown) {
      for (const Value& a : args)
        if (!a.wholly_known()) return with_sensitive(Value::unknown(a.first_unknown()), sensitive);
    }
    CallSite at{scope_, e.range};
    Value out = f->call(args, at);
    if (name == "nonsensitive") return out;
    return with_sensitive(std::move(out), sensitive);
  }

  Scope& scope_;
  std::vector<std::pair<std::string, Value>> bound_;  // names a `for` binds, innermost last
  std::vector<const Value*> splat_;                   // the element of each splat being evaluated
};

// ---- references ----

bool constant_key(const Expr& k) {
  return (k.kind == ExprKind::Literal && k.literal == LiteralType::Number) || literal_string(k).has_value();
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

std::string step_text(const Expr& c) {
  if (c.kind == ExprKind::GetAttr) return "." + c.text;
  const Expr& k = *c.kids[1];
  if (k.kind == ExprKind::Literal && k.literal == LiteralType::Number)
    return "[" + number_text(std::strtold(k.text.c_str(), nullptr)) + "]";
  return "[" + quoted(*literal_string(k)) + "]";
}

class References {
 public:
  std::vector<std::string> out;

  void walk(const Expr& e) {
    if (e.kind == ExprKind::GetAttr || e.kind == ExprKind::Index || e.kind == ExprKind::Variable) {
      traversal(e);
      return;
    }
    if (e.kind == ExprKind::For || e.kind == ExprKind::TemplateFor) {
      walk(*e.kids[0]);
      size_t mark = bound_.size();
      if (!e.key_var.empty()) bound_.push_back(e.key_var);
      bound_.push_back(e.value_var);
      for (size_t i = 1; i < e.kids.size(); ++i) walk(*e.kids[i]);
      bound_.resize(mark);
      return;
    }
    for (const auto& k : e.kids) walk(*k);
  }

 private:
  void traversal(const Expr& e) {
    std::vector<const Expr*> chain;
    const Expr* root = traversal_steps(e, chain);
    // The index expressions are references of their own, after this one.
    size_t stat = 0;
    while (stat < chain.size() && (chain[stat]->kind == ExprKind::GetAttr || constant_key(*chain[stat]->kids[1])))
      ++stat;
    if (root->kind == ExprKind::Variable)
      add(root->text, chain, stat);
    else
      walk(*root);
    for (const Expr* c : chain)
      if (c->kind == ExprKind::Index) walk(*c->kids[1]);
  }

  void add(const std::string& root, const std::vector<const Expr*>& chain, size_t stat) {
    if (root == "self" || std::find(bound_.begin(), bound_.end(), root) != bound_.end()) return;
    auto is_attr = [&](size_t i) { return i < stat && chain[i]->kind == ExprKind::GetAttr; };
    auto is_key = [&](size_t i) { return i < stat && chain[i]->kind == ExprKind::Index; };
    // How many steps the referenced object takes, and the containing object's, if any.
    size_t subject = 0, container = 0;
    if (root == "module") {
      if (!is_attr(0)) return;
      subject = 1;
      if (is_key(subject)) ++subject;
      if (is_attr(subject)) {
        container = subject;  // an output: the call (with its key) contains it
        ++subject;
      } else if (subject == 2) {
        container = 1;
      }
    } else if (root == "data") {
      if (!is_attr(0) || !is_attr(1)) return;
      subject = 2;
      if (is_key(2)) {
        subject = 3;
        container = 2;
      }
    } else if (root == "var" || root == "local" || root == "each" || root == "count" || root == "path" ||
               root == "terraform") {
      if (!is_attr(0)) return;
      subject = 1;
    } else {
      if (!is_attr(0)) return;
      subject = 1;
      if (is_key(1)) {
        subject = 2;
        container = 1;
      }
    }
    auto text = [&](size_t n) {
      std::string s = root;
      for (size_t i = 0; i < n; ++i) s += step_text(*chain[i]);
      return s;
    };
    for (size_t n = stat; n > subject; --n) out.push_back(text(n));
    out.push_back(text(subject));
    if (container) out.push_back(text(container));
  }

  std::vector<std::string> bound_;
};

bool constant(const Expr& e, std::vector<std::string>& bound) {
  switch (e.kind) {
    case ExprKind::Call:
      return false;
    case ExprKind::Variable:
      return std::find(bound.begin(), bound.end(), e.text) != bound.end();
    case ExprKind::For:
    case ExprKind::TemplateFor: {
      if (!constant(*e.kids[0], bound)) return false;
      size_t mark = bound.size();
      if (!e.key_var.empty()) bound.push_back(e.key_var);
      bound.push_back(e.value_var);
      bool all = true;
      for (size_t i = 1; i < e.kids.size() && all; ++i) all = constant(*e.kids[i], bound);
      bound.resize(mark);
      return all;
    }
    default:
      for (const auto& k : e.kids)
        if (!constant(*k, bound)) return false;
      return true;
  }
}

}  // namespace

Value evaluate(const Expr& e, Scope& scope) {
  Evaluator ev(scope);
  return ev.eval(e);
}

bool is_constant(const Expr& e) {
  std::vector<std::string> bound;
  return constant(e, bound);
}

std::vector<std::string> references(const Expr& e) {
  References r;
  r.walk(e);
  return std::move(r.out);
}

}  // namespace tfwarden::hcl
