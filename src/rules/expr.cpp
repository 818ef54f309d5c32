#include "rules/expr.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <functional>
#include <map>
#include <set>

namespace tfwarden {

std::string Literal::to_text() const {
  switch (kind) {
    case Kind::Null: return "null";
    case Kind::Bool: return b ? "true" : "false";
    case Kind::Number: {
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, n);
      return std::string(buf, r.ptr);
    }
    case Kind::String: return "\"" + s + "\"";
    case Kind::List: {
      std::string out = "[";
      for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i].to_text();
      return out + "]";
    }
  }
  return "null";
}

const LibDef* Library::find(std::string_view name) const {
  for (const auto& d : defs)
    if (d.name == name) return &d;
  for (const Library* u : uses)
    if (const LibDef* d = u->find(name)) return d;
  return nullptr;
}

int LetTable::find(std::string_view name) const {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        size_t sub = prev[j - 1] + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1);
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      }
      std::swap(prev, cur);
    }
    return prev[b.size()];
  };
  std::string best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    size_t d = distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

namespace {

// Everything the parser, the checks and the path collector know of a function: one row each.
// The evaluator's `switch` gives its meaning.
struct BuiltinInfo {
  const char* name;
  Builtin fn;
  int min_args, max_args;
  bool first_is_sequence;  // the first argument may be a sequence
  bool yields_sequence;
  // The arguments that must be string literals, by position, named for the error.
  std::array<const char*, 3> literals{};
  int type_arg = -1;       // the literal argument naming the resource type(s) of the elements
  int path_arg = -1;       // the literal argument that is an attribute path of those resources
  bool predicate = false;  // the second argument is evaluated for each element of the first
};

const BuiltinInfo kBuiltins[] = {
    {"all", Builtin::All, 1, 2, true, false, {}, -1, -1, true},
    {"any", Builtin::Any, 1, 2, true, false, {}, -1, -1, true},
    {"none", Builtin::None, 1, 2, true, false, {}, -1, -1, true},
    {"count", Builtin::Count, 1, 2, true, false, {}, -1, -1, true},
    {"count_distinct", Builtin::CountDistinct, 2, 2, true, false, {}, -1, -1, true},
    {"present", Builtin::Present, 1, 1, false, false},
    {"configured", Builtin::Configured, 1, 1, false, false},
    {"is_unknown", Builtin::IsUnknown, 1, 1, false, false},
    {"is_null", Builtin::IsNull, 1, 1, false, false},
    {"is_absent", Builtin::IsAbsent, 1, 1, false, false},
    {"is_sensitive", Builtin::IsSensitive, 1, 1, false, false},
    {"refs", Builtin::Refs, 1, 2, true, true, {nullptr, "resource type"}, 1},
    {"managed_refs", Builtin::ManagedRefs, 1, 2, true, true, {nullptr, "resource type"}, 1},
    {"referrers", Builtin::Referrers, 2, 2, false, true, {"resource type", "attribute path"}, 0, 1},
    {"resources", Builtin::Resources, 1, 1, false, true, {"resource type"}, 0},
    {"resources_by", Builtin::ResourcesBy, 3, 3, false, true, {"resource type", "attribute name"}, 0, 1},
    {"region", Builtin::Region, 1, 1, false, false},
    {"arn_region", Builtin::ArnRegion, 1, 1, false, false},
    {"action", Builtin::ActionOf, 0, 0, false, false},
    {"json", Builtin::Json, 1, 1, false, false},
    {"len", Builtin::Len, 1, 1, false, false},
    {"lower", Builtin::Lower, 1, 1, false, false},
    {"upper", Builtin::Upper, 1, 1, false, false},
    {"if", Builtin::If, 3, 3, false, false},
    {"unknown", Builtin::Unknown, 1, 1, false, false, {"reason"}},
    {"first", Builtin::First, 2, 2, true, false, {}, -1, -1, true},
    {"at", Builtin::At, 2, 2, false, false},
    {"concat", Builtin::Concat, 1, 16, false, false},
    {"type_of", Builtin::TypeOf, 1, 1, false, false},
};

const BuiltinInfo* find_builtin(std::string_view name) {
  for (const auto& b : kBuiltins)
    if (name == b.name) return &b;
  return nullptr;
}

}  // namespace

std::shared_ptr<RE2> compile_pattern(const std::string& pattern) {
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_max_mem(8 << 20);
  return std::make_shared<RE2>(pattern, opts);
}

std::vector<std::string> builtin_names() {
  std::vector<std::string> out;
  for (const auto& b : kBuiltins) out.emplace_back(b.name);
  return out;
}

namespace {

const BuiltinInfo& builtin_info(Builtin fn) {
  for (const auto& b : kBuiltins)
    if (b.fn == fn) return b;
  return kBuiltins[0];  // unreachable: a Builtin comes from its row
}

}  // namespace

bool takes_predicate(Builtin fn) {
  return builtin_info(fn).predicate;
}

namespace {

enum class Tok : uint8_t { End, Ident, Dollar, Number, String, LParen, RParen, LBrack, RBrack, Comma, Dot, Star, Op };

struct Token {
  Tok kind = Tok::End;
  std::string text;
  double num = 0;
  size_t offset = 0;
};

class Parser {
 public:
  Parser(std::string_view src, const LetTable* lets, const std::vector<std::string>* params)
      : src_(src), lets_(lets), params_(params) {
    next();
  }

  std::unique_ptr<Expr> parse_all() {
    auto e = parse_or();
    if (tok_.kind != Tok::End) error("unexpected `" + tok_.text + "`");
    return e;
  }

  std::unique_ptr<Expr> parse_path_only() {
    auto e = std::make_unique<Expr>();
    e->op = Expr::Op::Context;
    e->offset = tok_.offset;
    if (tok_.kind == Tok::Dot) next();
    if (tok_.kind != Tok::Ident) error("expected an attribute name");
    e = make_attr(std::move(e), tok_.text, tok_.offset);
    next();
    e = parse_postfix(std::move(e));
    if (tok_.kind != Tok::End) error("unexpected `" + tok_.text + "` in a path");
    return e;
  }

 private:
  std::string_view src_;
  size_t pos_ = 0;
  Token tok_;
  const LetTable* lets_;
  const std::vector<std::string>* params_;

  [[noreturn]] void error(const std::string& msg, size_t at = SIZE_MAX) const {
    throw ExprError{at == SIZE_MAX ? tok_.offset : at, msg};
  }

  // The arguments of `$name(...)`, as written: the text up to the matching `)`, split at the
  // commas outside brackets and strings. Leaves the parser after the `)`.
  std::vector<std::string> raw_arguments() {
    std::vector<std::string> out;
    std::string cur;
    int depth = 0;
    size_t open_at = tok_.offset;
    while (true) {
      if (pos_ >= src_.size()) error("expected `)` closing the arguments", open_at);
      char c = src_[pos_++];
      if (c == '"') {
        cur.push_back(c);
        while (pos_ < src_.size() && src_[pos_] != '"') {
          if (src_[pos_] == '\\' && pos_ + 1 < src_.size()) cur.push_back(src_[pos_++]);
          cur.push_back(src_[pos_++]);
        }
        if (pos_ >= src_.size()) error("unterminated string", open_at);
        cur.push_back(src_[pos_++]);
        continue;
      }
      if (c == '(' || c == '[') ++depth;
      if ((c == ')' || c == ']') && depth > 0) {
        --depth;
        cur.push_back(c);
        continue;
      }
      if (c == ')' || (c == ',' && depth == 0)) {
        size_t b = cur.find_first_not_of(" \t\r\n"), e = cur.find_last_not_of(" \t\r\n");
        out.push_back(b == std::string::npos ? "" : cur.substr(b, e - b + 1));
        cur.clear();
        if (c == ')') break;
        continue;
      }
      cur.push_back(c);
    }
    next();
    return out;
  }

  // `$name` or `$name(args)` of the pack's library, replaced by its definition.
  std::unique_ptr<Expr> expand(const LibDef& def, size_t at) {
    static thread_local int depth = 0;
    std::string name = tok_.text;
    next();
    std::vector<std::string> args;
    if (!def.params.empty()) {
      std::string sig = "$" + def.name + "(" + join_names(def.params) + ")";
      if (tok_.kind != Tok::LParen) error("`$" + name + "` takes arguments: write " + sig, at);
      args = raw_arguments();
      if (args.size() != def.params.size())
        error("`" + sig + "` takes " + std::to_string(def.params.size()) + " argument" +
                  (def.params.size() == 1 ? "" : "s") + ", found " + std::to_string(args.size()),
              at);
      for (size_t i = 0; i < args.size(); ++i) {
        try {
          parse_path(args[i]);
        } catch (const ExprError& e) {
          error("argument `" + def.params[i] + "` of `$" + name + "` must be an attribute path (`kms_key_id`, " +
                    "`.kms_key_id`, `server_side_encryption[0].kms_key_arn`): " + e.message,
                at);
        }
      }
    } else if (tok_.kind == Tok::LParen) {
      error("`$" + name + "` takes no arguments", at);
    }
    if (depth > 16) error("in `$" + name + "` (" + def.where + "): it expands into itself", at);
    std::string text = substitute(def.text, def.params, args);
    if (lets_->used && std::find(lets_->used->begin(), lets_->used->end(), &def) == lets_->used->end())
      lets_->used->push_back(&def);
    LetTable only_lib;
    only_lib.lib = lets_->lib;
    only_lib.used = lets_->used;
    ++depth;
    try {
      Parser sub(text, &only_lib, params_);
      auto e = sub.parse_all();
      --depth;
      return e;
    } catch (const ExprError& e) {
      --depth;
      if (e.message.rfind("in `$", 0) == 0) error(e.message, at);
      error("in `$" + name + "` (" + def.where + "): " + e.message, at);
    }
  }

  static std::string join_names(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  }

  // `text` with every parameter name that stands for a path replaced by its argument: not inside
  // a string, not after `.` or `$`, and not a function name.
  static std::string substitute(const std::string& text, const std::vector<std::string>& params,
                                const std::vector<std::string>& args) {
    if (params.empty()) return text;
    std::string out;
    for (size_t i = 0; i < text.size();) {
      char c = text[i];
      if (c == '"') {
        size_t j = i + 1;
        while (j < text.size() && text[j] != '"') j += text[j] == '\\' ? 2 : 1;
        j = std::min(j + 1, text.size());
        out.append(text, i, j - i);
        i = j;
        continue;
      }
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        size_t j = i;
        while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) ++j;
        std::string word = text.substr(i, j - i);
        size_t before = out.find_last_not_of(" \t\r\n");
        bool after_dot =
            before != std::string::npos && (out[before] == '.' || (out[before] == '$' && before + 1 == out.size()));
        size_t k = text.find_first_not_of(" \t\r\n", j);
        bool call = k != std::string::npos && text[k] == '(';
        auto it = std::find(params.begin(), params.end(), word);
        if (it != params.end() && !after_dot && !call)
          out += args[static_cast<size_t>(it - params.begin())];
        else
          out += word;
        i = j;
        continue;
      }
      out.push_back(c);
      ++i;
    }
    return out;
  }

  void next() {
    while (pos_ < src_.size() && std::isspace(static_cast<unsigned char>(src_[pos_]))) ++pos_;
    tok_ = Token{};
    tok_.offset = pos_;
    if (pos_ >= src_.size()) {
      tok_.text = "end of expression";
      return;
    }
    char c = src_[pos_];
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t s = pos_;
      while (pos_ < src_.size() && (std::isalnum(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '_')) ++pos_;
      tok_.kind = Tok::Ident;
      tok_.text = std::string(src_.substr(s, pos_ - s));
      return;
    }
    if (c == '$') {
      ++pos_;
      size_t s = pos_;
      while (pos_ < src_.size() && (std::isalnum(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '_')) ++pos_;
      tok_.kind = Tok::Dollar;
      tok_.text = std::string(src_.substr(s, pos_ - s));
      if (tok_.text.empty()) error("expected a let name after `$`");
      return;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || (c == '-' && pos_ + 1 < src_.size() &&
                                                         std::isdigit(static_cast<unsigned char>(src_[pos_ + 1])))) {
      size_t s = pos_;
      ++pos_;
      while (pos_ < src_.size() && (std::isdigit(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '.')) ++pos_;
      tok_.kind = Tok::Number;
      tok_.text = std::string(src_.substr(s, pos_ - s));
      auto r = std::from_chars(tok_.text.data(), tok_.text.data() + tok_.text.size(), tok_.num);
      if (r.ec != std::errc() || r.ptr != tok_.text.data() + tok_.text.size()) error("bad number `" + tok_.text + "`");
      return;
    }
    if (c == '"') {
      ++pos_;
      std::string out;
      while (true) {
        if (pos_ >= src_.size()) error("unterminated string", tok_.offset);
        char d = src_[pos_++];
        if (d == '"') break;
        if (d == '\\') {
          if (pos_ >= src_.size()) error("unterminated string", tok_.offset);
          char e = src_[pos_++];
          switch (e) {
            case 'n': out.push_back('\n'); break;
            case 't': out.push_back('\t'); break;
            case 'r': out.push_back('\r'); break;
            case '"': out.push_back('"'); break;
            case '\\': out.push_back('\\'); break;
            case '/': out.push_back('/'); break;
            default: error(std::string("unknown escape `\\") + e + "` in a string (write `\\\\` for a backslash)", pos_ - 2);
          }
          continue;
        }
        out.push_back(d);
      }
      tok_.kind = Tok::String;
      tok_.text = std::move(out);
      return;
    }
    ++pos_;
    switch (c) {
      case '(': tok_.kind = Tok::LParen; tok_.text = "("; return;
      case ')': tok_.kind = Tok::RParen; tok_.text = ")"; return;
      case '[': tok_.kind = Tok::LBrack; tok_.text = "["; return;
      case ']': tok_.kind = Tok::RBrack; tok_.text = "]"; return;
      case ',': tok_.kind = Tok::Comma; tok_.text = ","; return;
      case '.': tok_.kind = Tok::Dot; tok_.text = "."; return;
      case '*': tok_.kind = Tok::Star; tok_.text = "*"; return;
      case '=': case '!': case '<': case '>': {
        tok_.kind = Tok::Op;
        tok_.text = std::string(1, c);
        if (pos_ < src_.size() && src_[pos_] == '=') {
          tok_.text.push_back('=');
          ++pos_;
        }
        if (tok_.text == "=" || tok_.text == "!") error("unknown operator `" + tok_.text + "` (use `==`, `!=` or `not`)");
        return;
      }
      default: error(std::string("unexpected character `") + c + "`", pos_ - 1);
    }
  }

  bool is_word(const char* w) const { return tok_.kind == Tok::Ident && tok_.text == w; }

  static std::unique_ptr<Expr> node(Expr::Op op, size_t offset) {
    auto e = std::make_unique<Expr>();
    e->op = op;
    e->offset = offset;
    return e;
  }

  std::unique_ptr<Expr> binary(Expr::Op op, std::unique_ptr<Expr> a, std::unique_ptr<Expr> b, size_t at) {
    auto e = node(op, at);
    e->kids.push_back(std::move(a));
    e->kids.push_back(std::move(b));
    return e;
  }

  void require_single(const Expr& e, const char* where) const {
    if (e.yields_sequence)
      error(std::string("this yields many values (a `[*]` path or a sequence function); wrap it in all(...), "
                        "any(...) or count(...) to use it ") + where, e.offset);
  }

  // Recursion guard: a condition nested deeper than this is refused, not a stack overflow.
  static constexpr int kMaxNesting = 200;
  int nesting_ = 0;
  struct Nest {
    Parser& p;
    explicit Nest(Parser& parser) : p(parser) {
      if (++p.nesting_ > kMaxNesting) p.error("the expression nests deeper than 200 levels");
    }
    ~Nest() { --p.nesting_; }
  };

  std::unique_ptr<Expr> parse_or() {
    Nest guard(*this);
    auto left = parse_and();
    while (is_word("or")) {
      size_t at = tok_.offset;
      next();
      auto right = parse_and();
      require_single(*left, "with `or`");
      require_single(*right, "with `or`");
      left = binary(Expr::Op::Or, std::move(left), std::move(right), at);
    }
    return left;
  }

  std::unique_ptr<Expr> parse_and() {
    auto left = parse_not();
    while (is_word("and")) {
      size_t at = tok_.offset;
      next();
      auto right = parse_not();
      require_single(*left, "with `and`");
      require_single(*right, "with `and`");
      left = binary(Expr::Op::And, std::move(left), std::move(right), at);
    }
    return left;
  }

  std::unique_ptr<Expr> parse_not() {
    Nest guard(*this);
    if (is_word("not")) {
      size_t at = tok_.offset;
      next();
      auto inner = parse_not();
      require_single(*inner, "with `not`");
      auto e = node(Expr::Op::Not, at);
      e->kids.push_back(std::move(inner));
      return e;
    }
    return parse_cmp();
  }

  std::unique_ptr<Expr> parse_cmp() {
    auto left = parse_postfix(parse_primary());
    Expr::Op op;
    if (tok_.kind == Tok::Op) {
      if (tok_.text == "==") op = Expr::Op::Eq;
      else if (tok_.text == "!=") op = Expr::Op::Ne;
      else if (tok_.text == "<") op = Expr::Op::Lt;
      else if (tok_.text == "<=") op = Expr::Op::Le;
      else if (tok_.text == ">") op = Expr::Op::Gt;
      else op = Expr::Op::Ge;
    } else if (is_word("in")) {
      op = Expr::Op::In;
    } else if (is_word("matches")) {
      op = Expr::Op::Matches;
    } else {
      return left;
    }
    size_t at = tok_.offset;
    next();
    require_single(*left, "in a comparison");
    if (op == Expr::Op::Matches) {
      if (tok_.kind == Tok::String) {
        auto e = binary(op, std::move(left), nullptr, at);
        e->kids.pop_back();
        e->re = compile_pattern(tok_.text);
        if (!e->re->ok()) error("bad regular expression: " + e->re->error());
        e->text = tok_.text;
        next();
        return e;
      }
      if (is_word("params")) {
        auto right = parse_postfix(parse_primary());
        if (right->op != Expr::Op::Param) error("`matches` takes a string literal or a parameter", right->offset);
        return binary(op, std::move(left), std::move(right), at);
      }
      error("`matches` takes a string literal (an RE2 pattern) or a parameter");
    }
    auto right = parse_postfix(parse_primary());
    require_single(*right, "in a comparison");
    return binary(op, std::move(left), std::move(right), at);
  }

  std::unique_ptr<Expr> make_attr(std::unique_ptr<Expr> base, std::string name, size_t at) {
    auto e = node(Expr::Op::Attr, at);
    e->yields_sequence = base->yields_sequence;
    e->kids.push_back(std::move(base));
    e->text = std::move(name);
    return e;
  }

  std::unique_ptr<Expr> parse_postfix(std::unique_ptr<Expr> e) {
    while (true) {
      if (tok_.kind == Tok::Dot) {
        size_t at = tok_.offset;
        next();
        if (tok_.kind != Tok::Ident) error("expected an attribute name after `.`");
        e = make_attr(std::move(e), tok_.text, at);
        next();
      } else if (tok_.kind == Tok::LBrack) {
        size_t at = tok_.offset;
        next();
        std::unique_ptr<Expr> s;
        if (tok_.kind == Tok::Star) {
          s = node(Expr::Op::Splat, at);
          s->yields_sequence = true;
        } else if (tok_.kind == Tok::Number) {
          // Compare before converting: casting an out-of-range double is undefined.
          if (!(tok_.num >= 0 && tok_.num <= 1e9) || tok_.num != static_cast<double>(static_cast<int64_t>(tok_.num)))
            error("a list index is a whole number from 0 to 1000000000");
          s = node(Expr::Op::Index, at);
          s->index = static_cast<int64_t>(tok_.num);
          s->yields_sequence = e->yields_sequence;
        } else if (tok_.kind == Tok::String) {
          s = node(Expr::Op::Key, at);
          s->text = tok_.text;
          s->yields_sequence = e->yields_sequence;
        } else {
          error("expected `*`, a number or a string inside `[...]`");
        }
        next();
        if (tok_.kind != Tok::RBrack) error("expected `]`");
        next();
        s->kids.push_back(std::move(e));
        e = std::move(s);
      } else {
        return e;
      }
    }
  }

  Literal parse_literal_list() {
    Nest guard(*this);
    Literal l;
    l.kind = Literal::Kind::List;
    next();  // [
    while (tok_.kind != Tok::RBrack) {
      Literal item;
      if (tok_.kind == Tok::String) {
        item.kind = Literal::Kind::String;
        item.s = tok_.text;
      } else if (tok_.kind == Tok::Number) {
        item.kind = Literal::Kind::Number;
        item.n = tok_.num;
      } else if (is_word("true") || is_word("false")) {
        item.kind = Literal::Kind::Bool;
        item.b = tok_.text == "true";
      } else if (is_word("null")) {
        item.kind = Literal::Kind::Null;
      } else if (tok_.kind == Tok::LBrack) {
        item = parse_literal_list();
        l.items.push_back(std::move(item));
        if (tok_.kind == Tok::Comma) next();
        continue;
      } else {
        error("a list holds literals only (strings, numbers, true, false, null)");
      }
      l.items.push_back(std::move(item));
      next();
      if (tok_.kind == Tok::Comma) next();
      else if (tok_.kind != Tok::RBrack) error("expected `,` or `]` in a list");
    }
    next();  // ]
    return l;
  }

  std::unique_ptr<Expr> parse_primary() {
    size_t at = tok_.offset;
    switch (tok_.kind) {
      case Tok::Number: {
        auto e = node(Expr::Op::Literal, at);
        e->lit.kind = Literal::Kind::Number;
        e->lit.n = tok_.num;
        next();
        return e;
      }
      case Tok::String: {
        auto e = node(Expr::Op::Literal, at);
        e->lit.kind = Literal::Kind::String;
        e->lit.s = tok_.text;
        next();
        return e;
      }
      case Tok::LBrack: {
        auto e = node(Expr::Op::Literal, at);
        e->lit = parse_literal_list();
        return e;
      }
      case Tok::LParen: {
        next();
        auto e = parse_or();
        if (tok_.kind != Tok::RParen) error("expected `)`");
        next();
        return e;
      }
      case Tok::Dollar: {
        int slot = lets_ ? lets_->find(tok_.text) : -1;
        if (const LibDef* def = slot < 0 && lets_ && lets_->lib ? lets_->lib->find(tok_.text) : nullptr)
          return expand(*def, at);
        if (slot < 0) {
          std::vector<std::string> known = lets_ ? lets_->names : std::vector<std::string>{};
          if (lets_ && lets_->lib)
            for (const auto& d : lets_->lib->defs) known.push_back(d.name);
          if (lets_ && lets_->lib)
            for (const Library* u : lets_->lib->uses)
              for (const auto& d : u->defs) known.push_back(d.name);
          std::string hint = did_you_mean(tok_.text, known);
          error("unknown let `$" + tok_.text + "`" + (hint.empty() ? "" : " (did you mean `$" + hint + "`?)"));
        }
        auto e = node(Expr::Op::Let, at);
        e->text = tok_.text;
        e->slot = static_cast<uint32_t>(slot);
        e->yields_sequence = static_cast<size_t>(slot) < lets_->sequence.size() && lets_->sequence[slot];
        next();
        return e;
      }
      case Tok::Dot: {
        next();
        auto e = node(Expr::Op::Context, at);
        // `. in [...]`: an operator keyword after `.` is the operator, not an attribute.
        if (tok_.kind == Tok::Ident && !is_word("in") && !is_word("matches") && !is_word("and") && !is_word("or")) {
          e = make_attr(std::move(e), tok_.text, tok_.offset);
          next();
        }
        return e;
      }
      case Tok::Ident: break;
      default: error("expected a value, found `" + tok_.text + "`");
    }
    std::string word = tok_.text;
    next();
    if (word == "true" || word == "false") {
      auto e = node(Expr::Op::Literal, at);
      e->lit.kind = Literal::Kind::Bool;
      e->lit.b = word == "true";
      return e;
    }
    if (word == "null") return node(Expr::Op::Literal, at);
    if (word == "self") return node(Expr::Op::Self, at);
    if (word == "before") return node(Expr::Op::Before, at);
    if (word == "params") {
      if (tok_.kind != Tok::Dot) error("expected `.NAME` after `params`");
      next();
      if (tok_.kind != Tok::Ident) error("expected a parameter name after `params.`");
      std::string name = tok_.text;
      if (!params_ || std::find(params_->begin(), params_->end(), name) == params_->end()) {
        std::string hint = params_ ? did_you_mean(name, *params_) : "";
        error("unknown parameter `" + name + "`; declare it under [params]" +
              (hint.empty() ? "" : " (did you mean `" + hint + "`?)"));
      }
      auto e = node(Expr::Op::Param, at);
      e->text = name;
      next();
      return e;
    }
    if (tok_.kind == Tok::LParen) {
      const BuiltinInfo* b = find_builtin(word);
      if (!b) {
        std::vector<std::string> names;
        for (const auto& bi : kBuiltins) names.emplace_back(bi.name);
        std::string hint = did_you_mean(word, names);
        error("unknown function `" + word + "`" + (hint.empty() ? "" : " (did you mean `" + hint + "`?)"), at);
      }
      next();
      auto e = node(Expr::Op::Call, at);
      e->fn = b->fn;
      e->text = word;
      while (tok_.kind != Tok::RParen) {
        e->kids.push_back(parse_or());
        if (tok_.kind == Tok::Comma) next();
        else if (tok_.kind != Tok::RParen) error("expected `,` or `)` in the arguments of `" + word + "`");
      }
      next();
      int n = static_cast<int>(e->kids.size());
      if (n < b->min_args || n > b->max_args) {
        std::string want = b->min_args == b->max_args ? std::to_string(b->min_args)
                                                      : std::to_string(b->min_args) + " or " + std::to_string(b->max_args);
        error("`" + word + "` takes " + want + " argument" + (b->max_args == 1 ? "" : "s") + ", found " +
                  std::to_string(n), at);
      }
      for (int i = 0; i < n; ++i)
        if (!(i == 0 && b->first_is_sequence)) require_single(*e->kids[i], ("as an argument of `" + word + "`").c_str());
      check_call(*e);
      e->yields_sequence = b->yields_sequence;
      return e;
    }
    // A bare name is an attribute of the resource under evaluation.
    static const char* kKeywords[] = {"and", "or", "not", "in", "matches"};
    for (const char* k : kKeywords)
      if (word == k) error("unexpected `" + word + "`", at);
    auto base = node(Expr::Op::Self, at);
    return make_attr(std::move(base), word, at);
  }

  void check_call(const Expr& e) {
    auto string_lit = [&](size_t i, const char* what) {
      if (i >= e.kids.size()) return;
      const Expr& k = *e.kids[i];
      bool ok = k.op == Expr::Op::Literal &&
                (k.lit.kind == Literal::Kind::String ||
                 (k.lit.kind == Literal::Kind::List &&
                  std::all_of(k.lit.items.begin(), k.lit.items.end(),
                              [](const Literal& l) { return l.kind == Literal::Kind::String; })));
      if (!ok) error(std::string("the ") + what + " of `" + e.text + "` must be a string literal", k.offset);
    };
    const BuiltinInfo& info = builtin_info(e.fn);
    for (size_t i = 0; i < info.literals.size(); ++i)
      if (info.literals[i]) string_lit(i, info.literals[i]);
    if (info.path_arg >= 0 && static_cast<size_t>(info.path_arg) < e.kids.size()) {
      const Expr& k = *e.kids[static_cast<size_t>(info.path_arg)];
      if (k.op == Expr::Op::Literal && k.lit.kind == Literal::Kind::String) {
        try {
          parse_path(k.lit.s);
        } catch (const ExprError& pe) {
          error("bad attribute path in `" + std::string(info.name) + "`: " + pe.message, k.offset);
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Expr> parse_expression(std::string_view text, const LetTable& lets,
                                       const std::vector<std::string>& params, bool allow_sequence) {
  Parser p(text, &lets, &params);
  auto e = p.parse_all();
  if (e->yields_sequence && !allow_sequence)
    throw ExprError{e->offset, "the condition yields many values; wrap it in all(...), any(...) or count(...)"};
  return e;
}

std::unique_ptr<Expr> parse_path(std::string_view text) {
  Parser p(text, nullptr, nullptr);
  return p.parse_path_only();
}

namespace {

// The resource types a sequence expression's elements have, when known statically.
std::vector<std::string> element_types(const Expr& seq, const std::vector<std::string>& ctx) {
  if (seq.op == Expr::Op::Call) {
    int at = builtin_info(seq.fn).type_arg;
    if (at < 0 || static_cast<size_t>(at) >= seq.kids.size()) return {};
    const Literal& l = seq.kids[static_cast<size_t>(at)]->lit;
    if (l.kind == Literal::Kind::String) return {l.s};
    std::vector<std::string> out;
    for (const auto& i : l.items) out.push_back(i.s);
    return out;
  }
  (void)ctx;
  return {};
}

// Renders the path from a context root (`.`, `self`, a bare name) as `a[*].b`, or "" if the
// expression is not such a path. `root_is_self` tells whether it starts at `self`.
bool path_text(const Expr& e, std::string& out, bool& root_is_self, const Expr*& root) {
  switch (e.op) {
    case Expr::Op::Self:
      root_is_self = true;
      root = &e;
      return true;
    case Expr::Op::Context:
      root_is_self = false;
      root = &e;
      return true;
    case Expr::Op::Attr:
      if (!path_text(*e.kids[0], out, root_is_self, root)) return false;
      out += (out.empty() ? "" : ".") + e.text;
      return true;
    case Expr::Op::Index:
    case Expr::Op::Splat:
      if (!path_text(*e.kids[0], out, root_is_self, root)) return false;
      out += "[*]";
      return true;
    case Expr::Op::Key:
      if (!path_text(*e.kids[0], out, root_is_self, root)) return false;
      out += "[\"" + e.text + "\"]";
      return true;
    default: return false;
  }
}

struct Collector {
  const std::vector<const Expr*>& lets;
  std::vector<TypedPath>& out;
  std::set<std::pair<const Expr*, std::string>> seen_lets;

  // ctx_types/ctx_prefix: what `.` is; self_types: what `self` is.
  void walk(const Expr& e, const std::vector<std::string>& self_types, const std::vector<std::string>& ctx_types,
            const std::string& ctx_prefix) {
    std::string p;
    bool root_self = false;
    const Expr* root = nullptr;
    if ((e.op == Expr::Op::Attr || e.op == Expr::Op::Index || e.op == Expr::Op::Splat || e.op == Expr::Op::Key) &&
        path_text(e, p, root_self, root)) {
      const auto& types = root_self ? self_types : ctx_types;
      std::string full = root_self ? p : (ctx_prefix.empty() ? p : (p.empty() ? ctx_prefix : ctx_prefix + "." + p));
      for (const auto& t : types) out.push_back({t, full});
      return;
    }
    if (e.op == Expr::Op::Let) {
      std::string key;
      for (const auto& t : ctx_types) key += t + ",";
      key += "|" + ctx_prefix;
      if (e.slot < lets.size() && seen_lets.insert({lets[e.slot], key}).second)
        walk(*lets[e.slot], self_types, ctx_types, ctx_prefix);
      return;
    }
    if (e.op == Expr::Op::Call) {
      const BuiltinInfo& info = builtin_info(e.fn);
      if (info.predicate) {
        walk(*e.kids[0], self_types, ctx_types, ctx_prefix);
        if (e.kids.size() < 2) return;
        std::vector<std::string> et = element_types(*e.kids[0], ctx_types);
        if (!et.empty()) {
          walk(*e.kids[1], self_types, et, "");
          return;
        }
        std::string sp;
        bool rs = false;
        const Expr* r = nullptr;
        if (path_text(*e.kids[0], sp, rs, r)) {
          const auto& types = rs ? self_types : ctx_types;
          std::string full = rs ? sp : (ctx_prefix.empty() ? sp : ctx_prefix + "." + sp);
          // Strip a trailing [*]: the element is what the splat yields.
          if (full.size() >= 3 && full.compare(full.size() - 3, 3, "[*]") == 0) full.resize(full.size() - 3);
          walk(*e.kids[1], self_types, types, full);
          return;
        }
        // Unknown element shape (json(...) and the like): nothing typed to check inside.
        walk(*e.kids[1], self_types, {}, "");
        return;
      }
      if (info.path_arg >= 0 && info.type_arg >= 0) {
        // An attribute path of the named type, with every index a splat.
        std::string path = e.kids[static_cast<size_t>(info.path_arg)]->lit.s, splat;
        for (size_t i = 0; i < path.size(); ++i) {
          if (path[i] == '[') {
            splat += "[*]";
            while (i < path.size() && path[i] != ']') ++i;
          } else {
            splat.push_back(path[i]);
          }
        }
        out.push_back({e.kids[static_cast<size_t>(info.type_arg)]->lit.s, splat});
        for (size_t i = 0; i < e.kids.size(); ++i) {
          bool literal = i < info.literals.size() && info.literals[i] != nullptr;
          if (!literal) walk(*e.kids[i], self_types, ctx_types, ctx_prefix);
        }
        return;
      }
    }
    // Navigation on a non-path base (json(x)[*].y): only the base has typed paths.
    if (e.op == Expr::Op::Attr || e.op == Expr::Op::Index || e.op == Expr::Op::Splat || e.op == Expr::Op::Key) {
      walk(*e.kids[0], self_types, {}, "");
      return;
    }
    for (const auto& k : e.kids)
      if (k) walk(*k, self_types, ctx_types, ctx_prefix);
  }
};

}  // namespace

void collect_paths(const Expr& e, const std::vector<std::string>& context_types,
                   const std::vector<const Expr*>& lets, std::vector<TypedPath>& out) {
  Collector c{lets, out, {}};
  c.walk(e, context_types, context_types, "");
}

}  // namespace tfwarden
