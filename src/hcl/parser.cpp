#include "hcl/parser.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace tfwarden::hcl {

std::optional<std::string> literal_string(const Expr& e) {
  if (e.kind == ExprKind::Literal) {
    if (e.literal == LiteralType::String) return e.text;
    return std::nullopt;
  }
  if (e.kind != ExprKind::Template) return std::nullopt;
  std::string out;
  for (const auto& part : e.kids) {
    if (part->kind != ExprKind::Literal || part->literal != LiteralType::String) return std::nullopt;
    out += part->text;
  }
  return out;
}

const Attribute* Body::attribute(const std::string& name) const {
  for (const Attribute& a : attributes)
    if (a.name == name) return &a;
  return nullptr;
}

std::string to_string(const Diagnostic& d) {
  std::string out =
      d.file + ":" + std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": error: " + d.message;
  if (!d.help.empty()) out += "\n  help: " + d.help;
  return out;
}

namespace {

enum class T : uint8_t {
  End,
  Newline,
  Ident,
  Number,
  Quote,    // `"`: a quoted template starts
  Heredoc,  // `<<EOT` or `<<-EOT` and its newline
  LBrace,
  RBrace,
  LBrack,
  RBrack,
  LParen,
  RParen,
  Comma,
  Dot,
  Ellipsis,
  Assign,
  Colon,
  DoubleColon,
  Question,
  Arrow,  // =>
  Tilde,  // a strip marker, in a template's `${~` and `~}`
  Op,     // ! == != < > <= >= && || + - * / %
  Invalid,
};

struct Token {
  T kind = T::End;
  size_t begin = 0, end = 0;
  const char* problem = nullptr;  // Invalid: what is wrong
};

bool ident_start(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool ident_char(unsigned char c) {
  return ident_start(c) || (c >= '0' && c <= '9') || c == '-';
}
bool digit(char c) {
  return c >= '0' && c <= '9';
}

// Raised after a diagnostic is recorded: unwinds to the body item being read.
struct Stop {};

class Parser {
 public:
  Parser(std::string_view src, std::string path, uint32_t first_line = 1)
      : s_(src), path_(std::move(path)), first_line_(first_line) {
    line_starts_.push_back(0);
    for (size_t k = 0; k < s_.size(); ++k)
      if (s_[k] == '\n') line_starts_.push_back(k + 1);
  }

  File file() {
    File f;
    f.path = path_;
    if (s_.starts_with("\xEF\xBB\xBF")) i_ = 3;
    f.body.range.begin = pos(i_);
    body(f.body, true);
    f.body.range.end = pos(s_.size());
    f.errors = std::move(errors_);
    return f;
  }

  // A template's parts, for a heredoc's content parsed on its own.
  std::vector<ExprPtr> template_parts_whole(int depth) {
    depth_ = depth;
    std::vector<ExprPtr> parts;
    std::string ended = parts_until(parts, '\0');
    if (!ended.empty()) fail(i_, "`%{" + ended + "}` without the directive it closes", "");
    return parts;
  }
  std::vector<Diagnostic>& errors() { return errors_; }
  bool at_end() const { return i_ >= s_.size(); }

 private:
  // ---- positions and diagnostics ----

  Pos pos(size_t byte) const {
    byte = std::min(byte, s_.size());
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte);
    size_t line = static_cast<size_t>(it - line_starts_.begin());
    size_t start = line_starts_[line - 1];
    uint32_t column = 1;
    for (size_t k = start; k < byte; ++k)
      if ((static_cast<unsigned char>(s_[k]) & 0xC0) != 0x80) ++column;
    return Pos{static_cast<uint32_t>(line + first_line_ - 1), column, byte};
  }
  Range range(size_t begin, size_t end) const { return Range{pos(begin), pos(end)}; }

  [[noreturn]] void fail(size_t at, std::string message, std::string help) {
    errors_.push_back(Diagnostic{path_, pos(at), std::move(message), std::move(help)});
    throw Stop{};
  }

  std::string describe(const Token& t) const {
    switch (t.kind) {
      case T::End:
        return "the end of the file";
      case T::Newline:
        return "a new line";
      case T::Quote:
        return "a string";
      case T::Heredoc:
        return "a heredoc";
      default: {
        std::string shown(s_.substr(t.begin, std::min<size_t>(t.end - t.begin, 24)));
        std::string out = "`" + shown + (t.end - t.begin > 24 ? "...`" : "`");
        if (t.problem) out += " (" + std::string(t.problem) + ")";
        return out;
      }
    }
  }

  // ---- tokens ----

  // The token at `at`, after blanks and comments; newlines too when `skip_newlines`.
  Token lex(size_t at, bool skip_newlines) const {
    size_t k = at;
    while (k < s_.size()) {
      char c = s_[k];
      if (c == ' ' || c == '\t' || (c == '\r' && k + 1 < s_.size() && s_[k + 1] == '\n') ||
          (c == '\n' && skip_newlines)) {
        ++k;
      } else if (c == '#' || (c == '/' && k + 1 < s_.size() && s_[k + 1] == '/')) {
        while (k < s_.size() && s_[k] != '\n') ++k;
      } else if (c == '/' && k + 1 < s_.size() && s_[k + 1] == '*') {
        size_t close = s_.find("*/", k + 2);
        if (close == std::string_view::npos) return Token{T::Invalid, k, s_.size(), "a comment is not closed"};
        k = close + 2;
      } else {
        break;
      }
    }
    Token t{T::End, k, k};
    if (k >= s_.size()) return t;
    auto two = [&](std::string_view op) { return s_.substr(k, op.size()) == op; };
    char c = s_[k];
    t.end = k + 1;
    if (c == '\n') {
      t.kind = T::Newline;
    } else if (ident_start(static_cast<unsigned char>(c))) {
      size_t e = k;
      while (e < s_.size() && ident_char(static_cast<unsigned char>(s_[e]))) ++e;
      t.kind = T::Ident;
      t.end = e;
    } else if (digit(c)) {
      size_t e = k;
      while (e < s_.size() && digit(s_[e])) ++e;
      if (e + 1 < s_.size() && s_[e] == '.' && digit(s_[e + 1])) {
        ++e;
        while (e < s_.size() && digit(s_[e])) ++e;
      }
      if (e < s_.size() && (s_[e] == 'e' || s_[e] == 'E')) {
        size_t x = e + 1;
        if (x < s_.size() && (s_[x] == '+' || s_[x] == '-')) ++x;
        if (x < s_.size() && digit(s_[x])) {
          e = x;
          while (e < s_.size() && digit(s_[e])) ++e;
        }
      }
      t.kind = T::Number;
      t.end = e;
    } else if (c == '"') {
      t.kind = T::Quote;
    } else if (two("<<")) {
      size_t e = k + 2;
      if (e < s_.size() && s_[e] == '-') ++e;
      size_t word = e;
      while (e < s_.size() && ident_char(static_cast<unsigned char>(s_[e]))) ++e;
      if (e > word && e < s_.size() && (s_[e] == '\n' || (s_[e] == '\r' && e + 1 < s_.size() && s_[e + 1] == '\n'))) {
        t.kind = T::Heredoc;
        t.end = e;
      } else {
        t.kind = T::Invalid;
        t.end = k + 2;
        t.problem = "`<<` starts a heredoc: a marker word (such as EOT) and a new line must follow";
      }
    } else if (two("...")) {
      t = Token{T::Ellipsis, k, k + 3};
    } else if (two("::")) {
      t = Token{T::DoubleColon, k, k + 2};
    } else if (two("=>")) {
      t = Token{T::Arrow, k, k + 2};
    } else if (two("==") || two("!=") || two("<=") || two(">=") || two("&&") || two("||")) {
      t = Token{T::Op, k, k + 2};
    } else {
      switch (c) {
        case '{':
          t.kind = T::LBrace;
          break;
        case '}':
          t.kind = T::RBrace;
          break;
        case '[':
          t.kind = T::LBrack;
          break;
        case ']':
          t.kind = T::RBrack;
          break;
        case '(':
          t.kind = T::LParen;
          break;
        case ')':
          t.kind = T::RParen;
          break;
        case ',':
          t.kind = T::Comma;
          break;
        case '.':
          t.kind = T::Dot;
          break;
        case '=':
          t.kind = T::Assign;
          break;
        case ':':
          t.kind = T::Colon;
          break;
        case '?':
          t.kind = T::Question;
          break;
        case '~':
          t.kind = T::Tilde;
          break;
        case '!':
        case '<':
        case '>':
        case '+':
        case '-':
        case '*':
        case '/':
        case '%':
          t.kind = T::Op;
          break;
        default:
          t.kind = T::Invalid;
          t.problem =
              c == '\r' ? "a carriage return must be followed by a new line" : "this character cannot start a token";
          // A whole UTF-8 character, so the message shows it.
          while (t.end < s_.size() && (static_cast<unsigned char>(s_[t.end]) & 0xC0) == 0x80) ++t.end;
      }
    }
    return t;
  }

  Token peek() const { return lex(i_, skip_newlines_); }
  Token next() {
    Token t = peek();
    if (t.kind == T::Invalid) fail(t.begin, t.problem, "");
    i_ = t.end;
    return t;
  }
  std::string_view text(const Token& t) const { return s_.substr(t.begin, t.end - t.begin); }
  bool peek_op(std::string_view op) const {
    Token t = peek();
    return t.kind == T::Op && text(t) == op;
  }
  Token expect(T kind, const char* what, const char* help = "") {
    Token t = peek();
    if (t.kind != kind) fail(t.begin, std::string("expected ") + what + ", found " + describe(t), help);
    return next();
  }

  // Newlines end attributes and separate object items, but are blanks inside parentheses,
  // brackets, interpolations and `for` expressions.
  struct NewlineMode {
    Parser& p;
    bool saved;
    NewlineMode(Parser& parser, bool skip) : p(parser), saved(parser.skip_newlines_) { p.skip_newlines_ = skip; }
    ~NewlineMode() { p.skip_newlines_ = saved; }
    NewlineMode(const NewlineMode&) = delete;
    NewlineMode& operator=(const NewlineMode&) = delete;
  };
  struct Nest {
    Parser& p;
    Nest(Parser& parser, size_t at) : p(parser) {
      if (++p.depth_ > kMaxNesting) {
        --p.depth_;  // no destructor runs for a constructor that throws
        p.fail(at, "nested more than " + std::to_string(kMaxNesting) + " levels deep",
               "split the expression with locals");
      }
    }
    ~Nest() { --p.depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;
  };

  ExprPtr node(ExprKind kind, size_t begin) const {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->range.begin = pos(begin);
    return e;
  }
  ExprPtr finish(ExprPtr e) const {
    e->range.end = pos(i_);
    return e;
  }

  // ---- bodies ----

  void body(Body& out, bool top) {
    NewlineMode mode(*this, false);
    while (true) {
      Token t = lex(i_, true);
      if (t.kind == T::End) {
        if (!top && !unclosed_) {
          unclosed_ = true;  // the innermost block only: the ones around it are not closed either
          errors_.push_back(
              Diagnostic{path_, pos(block_open_), "this block is not closed", "add the `}` that ends it"});
        }
        i_ = t.end;
        return;
      }
      if (t.kind == T::RBrace && !top) {
        i_ = t.begin;
        return;
      }
      size_t start = t.begin;
      try {
        i_ = t.begin;
        item(out, top);
      } catch (const Stop&) {
        recover(start, top);
      }
    }
  }

  void item(Body& out, bool top) {
    Token head = peek();
    if (head.kind != T::Ident) {
      fail(head.begin, "expected an attribute or a block, found " + describe(head),
           top ? "a file holds blocks such as `resource \"TYPE\" \"NAME\" { ... }`" : "");
    }
    next();
    std::string name(text(head));
    Token t = peek();
    if (t.kind == T::Assign) {
      next();
      Attribute a;
      a.name = name;
      a.name_range = range(head.begin, head.end);
      a.expr = expression();
      a.range = range(head.begin, i_);
      end_of_item("the attribute");
      for (const Attribute& seen : out.attributes) {
        if (seen.name == name) {
          fail(head.begin,
               "attribute `" + name + "` is set twice (first on line " + std::to_string(seen.range.begin.line) + ")",
               "remove one of them");
        }
      }
      out.attributes.push_back(std::move(a));
      return;
    }
    Block b;
    b.type = name;
    b.type_range = range(head.begin, head.end);
    while (true) {
      t = peek();
      if (t.kind == T::Ident) {
        next();
        b.labels.emplace_back(text(t));
      } else if (t.kind == T::Quote) {
        ExprPtr label = quoted_template();
        auto value = literal_string(*label);
        if (!value) fail(t.begin, "a block label cannot hold an interpolation or directive", "write the label as text");
        b.labels.push_back(std::move(*value));
      } else {
        break;
      }
    }
    t = peek();
    if (t.kind != T::LBrace) {
      fail(t.begin, "expected `=` or `{` after `" + name + "`, found " + describe(t),
           "an attribute is `name = value`; a block is `type \"label\" { ... }`");
    }
    next();
    Nest nest(*this, t.begin);
    b.body = std::make_unique<Body>();
    b.body->range.begin = pos(t.begin);
    size_t saved_open = block_open_;
    block_open_ = t.begin;
    Token after = peek();
    if (after.kind == T::Newline) {
      body(*b.body, false);
      if (i_ >= s_.size()) {
        // Not closed: the body's error is recorded; keep what was read. The rest of the file
        // was this block's, so the blocks around it end here too, without being read again.
        block_open_ = saved_open;
        b.body->range.end = pos(i_);
        b.range = range(head.begin, i_);
        out.blocks.push_back(std::move(b));
        return;
      }
      next();  // the `}`
    } else if (after.kind == T::RBrace) {
      next();
    } else {
      // A block on one line holds at most one attribute: `b { a = 1 }`.
      Token attr = expect(T::Ident, "an attribute or `}`");
      expect(T::Assign, "`=`", "a block on one line holds one attribute; put nested blocks on lines of their own");
      Attribute a;
      a.name = std::string(text(attr));
      a.name_range = range(attr.begin, attr.end);
      a.expr = expression();
      a.range = range(attr.begin, i_);
      b.body->attributes.push_back(std::move(a));
      expect(T::RBrace, "`}`", "a block on one line holds one attribute");
    }
    block_open_ = saved_open;
    b.body->range.end = pos(i_);
    b.range = range(head.begin, i_);
    end_of_item("the block");
    out.blocks.push_back(std::move(b));
  }

  void end_of_item(const char* what) {
    Token t = peek();
    if (t.kind == T::Newline || t.kind == T::End) {
      if (t.kind == T::Newline) next();
      return;
    }
    fail(t.begin, std::string("expected a new line after ") + what + ", found " + describe(t),
         "put each attribute and block on a line of its own");
  }

  // After an error in an item: skips from the item's start past the error to the end of its
  // line, passing over strings, heredocs and comments whole, so the next item is read from its
  // own start. Lines that only close brackets the item opened go with it; an unmatched `}`
  // inside a block is left for the block.
  void recover(size_t start, bool top) {
    size_t k = start;
    size_t error_at = errors_.empty() ? start : errors_.back().pos.byte;
    long depth = 0;
    auto closer = [](T kind) { return kind == T::RBrace || kind == T::RBrack || kind == T::RParen; };
    while (k < s_.size()) {
      Token t = lex(k, false);
      if (t.kind == T::End) {
        k = t.end;
        break;
      }
      if (t.kind == T::Quote) {
        k = skip_quoted(t.begin);
        continue;
      }
      if (t.kind == T::Heredoc) {
        k = skip_heredoc(t);
        continue;
      }
      if (t.kind == T::LBrace || t.kind == T::LBrack || t.kind == T::LParen) ++depth;
      if (closer(t.kind)) {
        if (depth == 0) {
          if (t.kind == T::RBrace && !top) break;
          k = t.end;  // a stray closer: dropped with the item
          continue;
        }
        --depth;
      }
      k = t.end;
      if (t.kind == T::Newline && k > error_at && !(depth > 0 && closer(lex(k, true).kind))) break;
    }
    i_ = std::min(std::max(k, start + 1), s_.size());
  }

  // The end of a quoted string from its `"`, without parsing it: interpolations may nest
  // strings, a newline outside an interpolation ends the string. Iterative, for hostile input.
  size_t skip_quoted(size_t at) const {
    std::vector<char> modes{'"'};  // '"': in a string; '{': in an interpolation (counting braces)
    std::vector<int> braces;
    size_t k = at + 1;
    while (k < s_.size() && !modes.empty()) {
      char c = s_[k];
      if (modes.back() == '"') {
        if (c == '"') {
          modes.pop_back();
          ++k;
        } else if (c == '\n') {
          modes.pop_back();
        } else if (c == '\\') {
          k += 2;
        } else if ((c == '$' || c == '%') && k + 2 < s_.size() && s_[k + 1] == c && s_[k + 2] == '{') {
          k += 3;
        } else if ((c == '$' || c == '%') && k + 1 < s_.size() && s_[k + 1] == '{') {
          modes.push_back('{');
          braces.push_back(0);
          k += 2;
        } else {
          ++k;
        }
      } else {
        if (c == '"') {
          modes.push_back('"');
        } else if (c == '{') {
          ++braces.back();
        } else if (c == '}') {
          if (braces.back()-- == 0) {
            braces.pop_back();
            modes.pop_back();
          }
        }
        ++k;
      }
    }
    return std::min(k, s_.size());
  }

  // The heredoc's content and closing marker, or the end of the file.
  size_t skip_heredoc(const Token& t) const {
    size_t word = t.begin + 2;
    if (s_[word] == '-') ++word;
    std::string_view marker = s_.substr(word, t.end - word);
    size_t k = s_.find('\n', t.end);
    while (k != std::string_view::npos && k < s_.size()) {
      size_t line = k + 1;
      size_t end = std::min(s_.find('\n', line), s_.size());
      std::string_view l = s_.substr(line, end - line);
      size_t first = l.find_first_not_of(" \t");
      size_t last = l.find_last_not_of(" \t\r");
      if (first != std::string_view::npos && l.substr(first, last - first + 1) == marker) return end;
      k = end < s_.size() ? end : std::string_view::npos;
    }
    return s_.size();
  }

  // ---- expressions ----

  ExprPtr expression() {
    Token start = peek();
    Nest nest(*this, start.begin);
    ExprPtr cond = binary(0);
    if (peek().kind != T::Question) return cond;
    next();
    auto e = node(ExprKind::Conditional, start.begin);
    e->kids.push_back(std::move(cond));
    e->kids.push_back(expression());
    expect(T::Colon, "`:` of the conditional", "a conditional is `condition ? if_true : if_false`");
    e->kids.push_back(expression());
    return finish(std::move(e));
  }

  static int precedence(std::string_view op) {
    if (op == "||") return 1;
    if (op == "&&") return 2;
    if (op == "==" || op == "!=") return 3;
    if (op == "<" || op == ">" || op == "<=" || op == ">=") return 4;
    if (op == "+" || op == "-") return 5;
    if (op == "*" || op == "/" || op == "%") return 6;
    return 0;  // `!` is not binary
  }

  // A left-deep chain (`a + b + c`, `a.b.c`) is as deep as it is long: each link counts as a
  // level of nesting, so that the tree, and what walks it, stays within kMaxNesting.
  struct Chain {
    Parser& p;
    int links = 0;
    explicit Chain(Parser& parser) : p(parser) {}
    ~Chain() { p.depth_ -= links; }
    Chain(const Chain&) = delete;
    Chain& operator=(const Chain&) = delete;
    void link(size_t at) {
      ++links;
      if (++p.depth_ > kMaxNesting)
        p.fail(at, "nested more than " + std::to_string(kMaxNesting) + " levels deep",
               "split the expression with locals");
    }
  };

  // Operators by precedence climbing, left-associative.
  ExprPtr binary(int min_level) {
    size_t begin = peek().begin;
    ExprPtr lhs = unary();
    Chain chain(*this);
    while (true) {
      Token t = peek();
      if (t.kind != T::Op) return lhs;
      int level = precedence(text(t));
      if (level == 0 || level <= min_level) return lhs;
      chain.link(t.begin);
      next();
      auto e = node(ExprKind::Binary, begin);
      e->text = std::string(text(t));
      e->kids.push_back(std::move(lhs));
      Nest nest(*this, t.begin);
      e->kids.push_back(binary(level));
      lhs = finish(std::move(e));
    }
  }

  ExprPtr unary() {
    Token t = peek();
    if (t.kind == T::Op && (text(t) == "!" || text(t) == "-")) {
      next();
      Nest nest(*this, t.begin);
      auto e = node(ExprKind::Unary, t.begin);
      e->text = std::string(text(t));
      e->kids.push_back(unary());
      return finish(std::move(e));
    }
    return postfix();
  }

  // Traversals after a term: `.name`, `[index]`, the legacy `.0`, and splats, which take every
  // traversal after them into their per-element expression.
  ExprPtr postfix() {
    size_t begin = peek().begin;
    ExprPtr e = primary();
    Chain chain(*this);
    while (true) {
      Token t = peek();
      if (t.kind == T::Dot || t.kind == T::LBrack) chain.link(t.begin);
      if (t.kind == T::Dot) {
        if (lex(t.end, false).kind == T::Op && s_[t.end] == '*') {
          next();
          next();
          e = splat(std::move(e), begin, false);
          continue;
        }
        e = get_attr(std::move(e), begin);
      } else if (t.kind == T::LBrack) {
        Token star = lex(t.end, true);
        if (star.kind == T::Op && text(star) == "*" && lex(star.end, true).kind == T::RBrack) {
          i_ = lex(star.end, true).end;
          e = splat(std::move(e), begin, true);
          continue;
        }
        e = index(std::move(e), begin);
      } else {
        return e;
      }
    }
  }

  ExprPtr get_attr(ExprPtr target, size_t begin) {
    next();  // `.`
    Token name = peek();
    if (name.kind == T::Number) {
      // `list.0`, the legacy index: digits only (`a.0.1` is two indexes).
      size_t e = name.begin;
      while (e < s_.size() && digit(s_[e])) ++e;
      i_ = e;
      auto idx = node(ExprKind::Index, begin);
      auto key = node(ExprKind::Literal, name.begin);
      key->literal = LiteralType::Number;
      key->text = std::string(s_.substr(name.begin, e - name.begin));
      idx->kids.push_back(std::move(target));
      idx->kids.push_back(finish(std::move(key)));
      return finish(std::move(idx));
    }
    if (name.kind != T::Ident) fail(name.begin, "expected an attribute name after `.`, found " + describe(name), "");
    next();
    auto g = node(ExprKind::GetAttr, begin);
    g->text = std::string(text(name));
    g->kids.push_back(std::move(target));
    return finish(std::move(g));
  }

  ExprPtr index(ExprPtr target, size_t begin) {
    Token open = next();  // `[`
    auto idx = node(ExprKind::Index, begin);
    idx->kids.push_back(std::move(target));
    {
      NewlineMode mode(*this, true);
      Nest nest(*this, open.begin);
      idx->kids.push_back(expression());
      expect(T::RBrack, "`]` after the index");
    }
    return finish(std::move(idx));
  }

  // `source.*.a.b` (attribute-only) or `source[*].a[0]` (full); the traversals that follow
  // apply to each element.
  ExprPtr splat(ExprPtr source, size_t begin, bool full) {
    auto s = node(ExprKind::Splat, begin);
    size_t each_begin = i_;
    ExprPtr each = node(ExprKind::SplatItem, each_begin);
    each->range.end = each->range.begin;
    while (true) {
      Token t = peek();
      if (t.kind == T::Dot && lex(t.end, false).kind != T::Op) {
        each = get_attr(std::move(each), each_begin);
      } else if (full && t.kind == T::LBrack) {
        Token star = lex(t.end, true);
        if (star.kind == T::Op && text(star) == "*") break;  // a second splat: applies to the result
        each = index(std::move(each), each_begin);
      } else {
        break;
      }
    }
    s->kids.push_back(std::move(source));
    s->kids.push_back(std::move(each));
    return finish(std::move(s));
  }

  ExprPtr primary() {
    Token t = peek();
    switch (t.kind) {
      case T::Number: {
        next();
        auto e = node(ExprKind::Literal, t.begin);
        e->literal = LiteralType::Number;
        e->text = std::string(text(t));
        return finish(std::move(e));
      }
      case T::Ident:
        return identifier();
      case T::Quote:
        return quoted_template();
      case T::Heredoc:
        return heredoc();
      case T::LParen: {
        next();
        NewlineMode mode(*this, true);
        auto e = node(ExprKind::Parens, t.begin);
        e->kids.push_back(expression());
        expect(T::RParen, "`)`");
        return finish(std::move(e));
      }
      case T::LBrack:
        return tuple();
      case T::LBrace:
        return object();
      default:
        fail(t.begin, "expected an expression, found " + describe(t),
             t.kind == T::Newline || t.kind == T::End ? "an attribute needs a value on the same line as its `=`" : "");
    }
  }

  ExprPtr identifier() {
    Token t = next();
    std::string_view name = text(t);
    if (name == "true" || name == "false" || name == "null") {
      auto e = node(ExprKind::Literal, t.begin);
      e->literal = name == "null" ? LiteralType::Null : LiteralType::Bool;
      e->boolean = name == "true";
      return finish(std::move(e));
    }
    std::string full(name);
    // A provider-defined function: `provider::aws::arn_parse(...)`.
    while (peek().kind == T::DoubleColon) {
      next();
      Token part = expect(T::Ident, "a name after `::`");
      full += "::" + std::string(text(part));
    }
    if (peek().kind == T::LParen) return call(std::move(full), t.begin);
    if (full.find("::") != std::string::npos)
      fail(peek().begin, "expected `(` after the function name `" + full + "`", "");
    auto e = node(ExprKind::Variable, t.begin);
    e->text = std::move(full);
    return finish(std::move(e));
  }

  ExprPtr call(std::string name, size_t begin) {
    Token open = next();  // `(`
    NewlineMode mode(*this, true);
    Nest nest(*this, open.begin);
    auto e = node(ExprKind::Call, begin);
    e->text = std::move(name);
    while (peek().kind != T::RParen) {
      e->kids.push_back(expression());
      Token t = peek();
      if (t.kind == T::Ellipsis) {
        next();
        e->expand_final = true;
        if (peek().kind == T::Comma) next();
        expect(T::RParen, "`)` after the expanded final argument `...`");
        return finish(std::move(e));
      }
      if (t.kind == T::Comma) {
        next();
        continue;
      }
      if (t.kind != T::RParen) {
        fail(t.begin, "expected `,` or `)` in the arguments of `" + e->text + "`, found " + describe(t), "");
      }
    }
    next();
    return finish(std::move(e));
  }

  bool starts_for(size_t after_open) const {
    Token t = lex(after_open, true);
    return t.kind == T::Ident && text(t) == "for";  // as in HCL, `{ for = 1 }` is not an object
  }

  ExprPtr tuple() {
    Token open = next();  // `[`
    NewlineMode mode(*this, true);
    Nest nest(*this, open.begin);
    if (starts_for(open.end)) return for_expr(open.begin, false);
    auto e = node(ExprKind::Tuple, open.begin);
    while (peek().kind != T::RBrack) {
      e->kids.push_back(expression());
      Token t = peek();
      if (t.kind == T::Comma) {
        next();
      } else if (t.kind != T::RBrack) {
        fail(t.begin, "expected `,` or `]` in the list, found " + describe(t), "separate list elements with commas");
      }
    }
    next();
    return finish(std::move(e));
  }

  ExprPtr object() {
    Token open = next();  // `{`
    Nest nest(*this, open.begin);
    if (starts_for(open.end)) {
      NewlineMode mode(*this, true);
      return for_expr(open.begin, true);
    }
    NewlineMode mode(*this, false);
    auto e = node(ExprKind::Object, open.begin);
    while (true) {
      Token t = lex(i_, true);
      i_ = t.begin;
      if (t.kind == T::RBrace) break;
      ExprPtr key;
      Token after = lex(t.end, false);
      if (t.kind == T::Ident && (after.kind == T::Assign || after.kind == T::Colon)) {
        next();
        key = node(ExprKind::Literal, t.begin);
        key->literal = LiteralType::String;
        key->text = std::string(text(t));
        key->bare_key = true;
        key = finish(std::move(key));
      } else {
        key = expression();
      }
      Token sep = peek();
      if (sep.kind != T::Assign && sep.kind != T::Colon) {
        fail(sep.begin, "expected `=` or `:` after the object key, found " + describe(sep), "write `key = value`");
      }
      next();
      e->kids.push_back(std::move(key));
      e->kids.push_back(expression());
      Token end = peek();
      if (end.kind == T::Comma || end.kind == T::Newline) {
        next();
      } else if (end.kind != T::RBrace) {
        fail(end.begin, "expected `,`, a new line or `}` after the object item, found " + describe(end), "");
      }
    }
    next();
    return finish(std::move(e));
  }

  // `k, v in coll` (or `v in coll`) after `for`, in an expression or a template directive: the
  // names, and the collection as the first kid.
  void for_head(Expr& e) {
    Token first = expect(T::Ident, "a name after `for`");
    if (peek().kind == T::Comma) {
      next();
      Token second = expect(T::Ident, "a second name after `,`");
      e.key_var = std::string(text(first));
      e.value_var = std::string(text(second));
    } else {
      e.value_var = std::string(text(first));
    }
    Token in = peek();
    if (in.kind != T::Ident || text(in) != "in") fail(in.begin, "expected `in`, found " + describe(in), "");
    next();
    e.kids.push_back(expression());
  }

  // After the `[` or `{`: `for k, v in coll : value` or `: key => value...`, then `if cond`.
  ExprPtr for_expr(size_t begin, bool object) {
    auto e = node(ExprKind::For, begin);
    e->object_for = object;
    next();  // `for`
    for_head(*e);
    expect(T::Colon, "`:` after the collection of the `for`");
    e->kids.push_back(expression());
    if (object) {
      expect(T::Arrow, "`=>` between the key and the value", "an object `for` is `{for k, v in coll : key => value}`");
      e->kids.push_back(expression());
      if (peek().kind == T::Ellipsis) {
        next();
        e->grouping = true;
      }
    }
    Token cond = peek();
    if (cond.kind == T::Ident && text(cond) == "if") {
      next();
      e->kids.push_back(expression());
      e->has_condition = true;
    }
    expect(object ? T::RBrace : T::RBrack, object ? "`}` that ends the `for`" : "`]` that ends the `for`");
    return finish(std::move(e));
  }

  // ---- templates ----

  ExprPtr quoted_template() {
    Token open = next();  // `"`
    auto e = node(ExprKind::Template, open.begin);
    std::string ended = parts_until(e->kids, '"');
    if (!ended.empty()) fail(i_, "`%{" + ended + "}` without the directive it closes", "");
    return finish(std::move(e));
  }

  // Reads template parts up to `close` ('"' for a quoted string, '\0' for the end of the
  // input). A directive `else`, `endif` or `endfor` also ends the parts: it is returned, with
  // its `%{...}` consumed, for the directive that opened them.
  std::string parts_until(std::vector<ExprPtr>& parts, char close) {
    bool strip_next = false;
    std::string lit;
    size_t lit_begin = i_;
    auto flush = [&](bool strip_tail) {
      if (strip_tail) {
        size_t e = lit.find_last_not_of(" \t\r\n");
        lit.erase(e == std::string::npos ? 0 : e + 1);
      }
      if (!lit.empty()) {
        auto l = node(ExprKind::Literal, lit_begin);
        l->literal = LiteralType::String;
        l->text = std::move(lit);
        l->range.end = pos(i_);
        parts.push_back(std::move(l));
      }
      lit.clear();
    };
    auto strip_head = [&] {
      if (!strip_next) return;
      while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
      strip_next = false;
    };
    size_t open_at = i_ ? i_ - 1 : 0;
    while (true) {
      strip_head();
      if (i_ >= s_.size()) {
        if (close == '"') fail(open_at, "this string is not closed", "end it with `\"` on the same line");
        flush(false);
        return "";
      }
      char c = s_[i_];
      if (close == '"' && c == '"') {
        ++i_;
        flush(false);
        return "";
      }
      if (close == '"' && c == '\r') fail(i_, "a quoted string cannot hold a carriage return", "write it as `\\r`");
      if (close == '"' && c == '\n') {
        fail(open_at, "this string is not closed on its line",
             "end it with `\"`; for text on several lines use a heredoc (<<-EOT)");
      }
      if (close == '"' && c == '\\') {
        escape(lit);
        continue;
      }
      if ((c == '$' || c == '%') && i_ + 2 < s_.size() && s_[i_ + 1] == c && s_[i_ + 2] == '{') {
        lit.push_back(c);
        lit.push_back('{');
        i_ += 3;
        continue;
      }
      if ((c == '$' || c == '%') && i_ + 1 < s_.size() && s_[i_ + 1] == '{') {
        size_t at = i_;
        i_ += 2;
        bool strip_tail = i_ < s_.size() && s_[i_] == '~';
        if (strip_tail) ++i_;
        flush(strip_tail);
        Nest nest(*this, at);
        if (c == '$') {
          NewlineMode mode(*this, true);
          parts.push_back(expression());
          strip_next = close_interpolation();
        } else {
          std::string ended = directive(parts, close, at, strip_next);
          if (!ended.empty()) return ended;
        }
        lit_begin = i_;
        continue;
      }
      lit.push_back(c);
      ++i_;
    }
  }

  // The `~}` or `}` that ends an interpolation or directive; true for `~}`.
  bool close_interpolation() {
    NewlineMode mode(*this, true);
    bool strip = false;
    if (peek().kind == T::Tilde) {
      next();
      strip = true;
    }
    Token t = peek();
    if (t.kind != T::RBrace) fail(t.begin, "expected `}` to end the interpolation, found " + describe(t), "");
    i_ = t.end;
    return strip;
  }

  // After `%{` (and its `~`): `if`, `for`, or a keyword that ends the parts being read.
  std::string directive(std::vector<ExprPtr>& parts, char close, size_t at, bool& strip_next) {
    NewlineMode mode(*this, true);
    Token kw = peek();
    std::string word = kw.kind == T::Ident ? std::string(text(kw)) : "";
    if (word == "else" || word == "endif" || word == "endfor") {
      next();
      strip_next = close_interpolation();
      return word;
    }
    if (word == "if") {
      next();
      auto e = node(ExprKind::TemplateIf, at);
      e->kids.push_back(expression());
      strip_next = close_interpolation();
      auto then = node(ExprKind::Template, i_);
      std::string ended = nested_parts(then->kids, close, strip_next);
      e->kids.push_back(finish(std::move(then)));
      auto otherwise = node(ExprKind::Template, i_);
      if (ended == "else") ended = nested_parts(otherwise->kids, close, strip_next);
      e->kids.push_back(finish(std::move(otherwise)));
      if (ended != "endif") fail(at, "this `%{if}` has no `%{endif}`", "");
      parts.push_back(finish(std::move(e)));
      return "";
    }
    if (word == "for") {
      next();
      auto e = node(ExprKind::TemplateFor, at);
      for_head(*e);
      strip_next = close_interpolation();
      auto body = node(ExprKind::Template, i_);
      std::string ended = nested_parts(body->kids, close, strip_next);
      if (ended != "endfor") fail(at, "this `%{for}` has no `%{endfor}`", "");
      e->kids.push_back(finish(std::move(body)));
      parts.push_back(finish(std::move(e)));
      return "";
    }
    fail(kw.begin, "expected `if`, `for`, `else`, `endif` or `endfor` after `%{`, found " + describe(kw), "");
  }

  std::string nested_parts(std::vector<ExprPtr>& parts, char close, bool& strip_next) {
    if (strip_next) {
      while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
      strip_next = false;
    }
    std::string ended = parts_until(parts, close);
    if (ended.empty()) return "";
    // The keyword's own `~}` strips what follows it, in the enclosing parts.
    strip_next = i_ > 1 && s_[i_ - 2] == '~';
    return ended;
  }

  // A backslash escape of a quoted string, decoded into `out`.
  void escape(std::string& out) {
    size_t at = i_;
    if (i_ + 1 >= s_.size()) fail(at, "this string is not closed", "end it with `\"` on the same line");
    char e = s_[i_ + 1];
    i_ += 2;
    switch (e) {
      case 'n':
        out.push_back('\n');
        return;
      case 'r':
        out.push_back('\r');
        return;
      case 't':
        out.push_back('\t');
        return;
      case '"':
        out.push_back('"');
        return;
      case '\\':
        out.push_back('\\');
        return;
      case 'u':
      case 'U': {
        size_t digits = e == 'u' ? 4 : 8;
        uint32_t cp = 0;
        for (size_t k = 0; k < digits; ++k, ++i_) {
          char h = i_ < s_.size() ? s_[i_] : '\0';
          int v = digit(h)                 ? h - '0'
                  : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                  : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                           : -1;
          if (v < 0) fail(at, "`\\" + std::string(1, e) + "` needs " + std::to_string(digits) + " hex digits", "");
          cp = cp * 16 + static_cast<uint32_t>(v);
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
          fail(at, "`\\" + std::string(1, e) + "` is not a character", "");
        append_utf8(out, cp);
        return;
      }
      default:
        fail(at, "`\\" + std::string(1, e) + "` is not an escape of HCL",
             "escapes are \\n \\r \\t \\\" \\\\ \\uNNNN \\UNNNNNNNN; write `\\\\` for a backslash");
    }
  }

  static void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  // `<<EOT` or `<<-EOT`: the lines up to the one holding only the marker (indented or not).
  // The content is a template without escapes; `<<-` removes the indentation the lines share.
  ExprPtr heredoc() {
    Token t = next();
    bool flush = s_[t.begin + 2] == '-';
    size_t word = t.begin + (flush ? 3 : 2);
    std::string marker(s_.substr(word, t.end - word));
    size_t content = s_.find('\n', t.end) + 1;
    size_t k = content, close_begin = std::string_view::npos, close_end = 0;
    while (k <= s_.size()) {
      size_t end = std::min(s_.find('\n', k), s_.size());
      std::string_view l = s_.substr(k, end - k);
      size_t first = l.find_first_not_of(" \t");
      size_t last = l.find_last_not_of(" \t\r");
      if (first != std::string_view::npos && l.substr(first, last - first + 1) == marker) {
        close_begin = k;
        close_end = k + last + 1;
        break;
      }
      if (end >= s_.size()) break;
      k = end + 1;
    }
    if (close_begin == std::string_view::npos) {
      fail(t.begin, "this heredoc has no closing `" + marker + "` line", "end it with a line holding only " + marker);
    }
    std::string body(s_.substr(content, close_begin - content));
    if (flush) body = unindent(body);
    auto e = node(ExprKind::Template, t.begin);
    e->heredoc = true;
    Parser inner(body, path_, pos(content).line);
    std::vector<ExprPtr> parts;
    try {
      parts = inner.template_parts_whole(depth_);
    } catch (const Stop&) {
    }
    if (!inner.errors().empty()) {
      Diagnostic d = inner.errors().front();
      d.pos.byte += content;  // the line is the file's already
      errors_.push_back(std::move(d));
      throw Stop{};
    }
    e->kids = std::move(parts);
    i_ = close_end;
    return finish(std::move(e));
  }

  // Removes from every line the spaces and tabs all non-blank lines start with.
  static std::string unindent(const std::string& body) {
    size_t common = std::string::npos;
    for (size_t k = 0; k < body.size();) {
      size_t end = body.find('\n', k);
      if (end == std::string::npos) end = body.size();
      size_t first = body.find_first_not_of(" \t", k);
      if (first != std::string::npos && first < end && body[first] != '\r') common = std::min(common, first - k);
      k = end + 1;
    }
    if (common == std::string::npos || common == 0) return body;
    std::string out;
    out.reserve(body.size());
    for (size_t k = 0; k < body.size();) {
      size_t end = body.find('\n', k);
      if (end == std::string::npos) end = body.size();
      size_t skip = 0;
      while (skip < common && k + skip < end && (body[k + skip] == ' ' || body[k + skip] == '\t')) ++skip;
      out.append(body, k + skip, end - k - skip);
      if (end < body.size()) out.push_back('\n');
      k = end + 1;
    }
    return out;
  }

  std::string_view s_;
  std::string path_;
  uint32_t first_line_;
  std::vector<size_t> line_starts_;
  size_t i_ = 0;
  bool skip_newlines_ = false;
  int depth_ = 0;
  size_t block_open_ = 0;
  bool unclosed_ = false;  // a block was found not closed at the end of the file
  std::vector<Diagnostic> errors_;
};

}  // namespace

File parse(std::string_view text, std::string path) {
  Parser p(text, std::move(path));
  return p.file();
}

ExprPtr parse_template(std::string_view text, std::string path, std::vector<Diagnostic>& errors, uint32_t first_line) {
  Parser p(text, std::move(path), first_line);
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::Template;
  e->heredoc = true;  // its text is whole: one interpolation alone is still a string
  try {
    e->kids = p.template_parts_whole(0);
  } catch (const Stop&) {
  }
  if (!p.errors().empty()) {
    errors.insert(errors.end(), p.errors().begin(), p.errors().end());
    return nullptr;
  }
  e->range.end.byte = text.size();
  return e;
}

}  // namespace tfwarden::hcl
