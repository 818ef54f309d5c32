#include "report/source_map.h"

#include <algorithm>
#include <deque>
#include <fstream>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

namespace tfwarden {

namespace fs = std::filesystem;

namespace {

// Just enough of HCL's native syntax to find block headers and the attributes directly inside
// them: everything that could hide a brace or a `resource "` (strings, templates, heredocs,
// comments) is one token.
enum class Tok : uint8_t { Ident, String, LBrace, RBrace, Open, Close, Assign, Other };

struct Token {
  Tok kind = Tok::Other;
  size_t line = 0, end_line = 0;
  std::string_view text;  // identifiers
  std::string value;      // strings, when `literal`
  bool literal = false;   // a string without interpolation, so `value` is what it means
};

// Templates nested deeper than this (`"${"${"...`) are read as flat text, which bounds the
// recursion on hostile input.
constexpr int kMaxTemplateDepth = 64;
// A block header has at most two labels in Terraform; more means it is not one we map.
constexpr size_t kMaxLabels = 4;

bool ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9') || c == '-'; }

class Lexer {
 public:
  explicit Lexer(std::string_view src) : s_(src) {
    if (s_.starts_with("\xEF\xBB\xBF")) i_ = 3;  // a UTF-8 byte order mark
  }

  // False at the end of the input.
  bool next(Token& t) {
    skip_blank();
    if (i_ >= s_.size()) return false;
    t = Token{};
    t.line = line_;
    char c = s_[i_];
    if (c == '"') {
      t.kind = Tok::String;
      quoted(&t, 0);
    } else if (ident_start(c)) {
      size_t start = i_;
      while (i_ < s_.size() && ident_char(s_[i_])) ++i_;
      t.kind = Tok::Ident;
      t.text = s_.substr(start, i_ - start);
    } else if (c >= '0' && c <= '9') {
      while (i_ < s_.size() && (ident_char(s_[i_]) || s_[i_] == '.')) ++i_;
    } else if (c == '{' || c == '}' || c == '(' || c == '[' || c == ')' || c == ']') {
      t.kind = c == '{' ? Tok::LBrace : c == '}' ? Tok::RBrace : (c == '(' || c == '[') ? Tok::Open : Tok::Close;
      ++i_;
    } else if (at("<<") && heredoc()) {
      // The whole heredoc, up to its closing marker, is one token.
    } else if (at("==") || at("=>") || at("!=") || at("<=") || at(">=")) {
      i_ += 2;
    } else if (c == '=') {
      t.kind = Tok::Assign;
      ++i_;
    } else {
      ++i_;
    }
    t.end_line = line_;
    return true;
  }

 private:
  bool at(std::string_view lit) const { return s_.substr(i_).starts_with(lit); }
  void advance() {
    if (s_[i_] == '\n') ++line_;
    ++i_;
  }

  void skip_blank() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        advance();
      } else if (c == '#' || at("//")) {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else if (at("/*")) {
        i_ += 2;
        while (i_ < s_.size() && !at("*/")) advance();
        i_ = std::min(i_ + 2, s_.size());
      } else {
        return;
      }
    }
  }

  // A quoted string from its opening quote. A newline ends it too: HCL strings cannot span
  // lines, so an unterminated one costs one line, not the rest of the file.
  void quoted(Token* t, int depth) {
    ++i_;
    bool literal = true;
    std::string value;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '"') {
        ++i_;
        break;
      }
      if (c == '\n') {
        literal = false;
        break;
      }
      if (c == '\\' && i_ + 1 < s_.size()) {
        char e = s_[i_ + 1];
        if (e == '\n') {
          ++i_;
          continue;
        }
        if (e == '"' || e == '\\') value.push_back(e);
        else literal = false;
        i_ += 2;
      } else if (at("$${") || at("%%{")) {
        value.append(s_.substr(i_ + 1, 2));
        i_ += 3;
      } else if ((at("${") || at("%{")) && depth < kMaxTemplateDepth) {
        literal = false;
        i_ += 2;
        interpolation(depth + 1);
      } else {
        value.push_back(c);
        ++i_;
      }
    }
    if (t) {
      t->literal = literal;
      if (literal) t->value = std::move(value);
    }
  }

  // The expression of a `${` or `%{` up to its closing brace; it may hold strings, object
  // literals and heredocs of its own.
  void interpolation(int depth) {
    int braces = 0;
    while (true) {
      skip_blank();
      if (i_ >= s_.size()) return;
      char c = s_[i_];
      if (c == '"') {
        quoted(nullptr, depth);
      } else if (c == '{') {
        ++braces;
        ++i_;
      } else if (c == '}') {
        ++i_;
        if (braces-- == 0) return;
      } else if (!(at("<<") && heredoc())) {
        advance();
      }
    }
  }

  // `<<EOF` or `<<-EOF` and a newline: skips to the line that holds only the marker. False
  // (nothing consumed) when `<<` does not open a heredoc.
  bool heredoc() {
    size_t j = i_ + 2;
    if (j < s_.size() && s_[j] == '-') ++j;
    size_t start = j;
    while (j < s_.size() && ident_char(s_[j])) ++j;
    std::string_view marker = s_.substr(start, j - start);
    if (j < s_.size() && s_[j] == '\r') ++j;
    if (marker.empty() || j >= s_.size() || s_[j] != '\n') return false;
    i_ = j;
    while (i_ < s_.size()) {
      advance();  // the newline before the line
      size_t end = std::min(s_.find('\n', i_), s_.size());
      std::string_view line = s_.substr(i_, end - i_);
      i_ = end;
      size_t first = line.find_first_not_of(" \t");
      size_t last = line.find_last_not_of(" \t\r");
      if (first != std::string_view::npos && line.substr(first, last - first + 1) == marker) return true;
    }
    return true;
  }

  std::string_view s_;
  size_t i_ = 0, line_ = 1;
};

struct ScannedBlock {
  std::string key;  // "aws_x.y" / "data.aws_x.y"
  size_t line = 0;
  std::vector<std::pair<std::string, size_t>> attributes;
};

struct ScannedFile {
  std::vector<ScannedBlock> blocks;
  std::vector<std::pair<std::string, std::string>> calls;  // module name -> local source
};

class Scanner {
 public:
  explicit Scanner(std::string_view text) : lex_(text) {}

  ScannedFile scan() {
    while (const Token* t = peek(0)) {
      bool starts = t->line > prev_line_ || prev_ == Tok::LBrace || prev_ == Tok::RBrace;
      size_t used = starts && t->kind == Tok::Ident && depth_ <= 1 ? statement() : 0;
      if (used == 0) {
        plain(*t);
        used = 1;
      }
      prev_ = buf_[used - 1].kind;
      prev_line_ = buf_[used - 1].end_line;
      buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(used));
    }
    if (kind_ != Kind::None) close_block();  // an unclosed block still maps
    return std::move(out_);
  }

 private:
  enum class Kind : uint8_t { None, Resource, Call };

  const Token* peek(size_t k) {
    while (buf_.size() <= k) {
      Token t;
      if (!lex_.next(t)) return nullptr;
      buf_.push_back(std::move(t));
    }
    return &buf_[k];
  }

  // An identifier that starts a statement at the top level or directly in a block body: an
  // attribute (`name =`) or a block header (`type "label" ... {`). Returns the tokens it
  // consumed, or 0 when it is neither.
  size_t statement() {
    const Token& head = buf_[0];
    const Token* n = peek(1);
    if (n && n->kind == Tok::Assign) {
      if (depth_ == 1 && kind_ == Kind::Resource) block_.attributes.emplace_back(head.text, head.line);
      if (depth_ == 1 && kind_ == Kind::Call && head.text == "source") {
        const Token* v = peek(2);
        if (v && v->kind == Tok::String && v->literal) call_source_ = v->value;
      }
      return 2;
    }
    std::vector<std::string> labels;
    size_t k = 1;
    for (; (n = peek(k)) && labels.size() < kMaxLabels && (n->kind == Tok::String || n->kind == Tok::Ident); ++k)
      labels.push_back(n->kind == Tok::String ? n->value : std::string(n->text));
    if (!n || n->kind != Tok::LBrace) return 0;
    if (depth_ == 0) {
      open_block(head.text, labels, head.line);
    } else if (kind_ == Kind::Resource) {
      // A `dynamic "origin"` block stands for the `origin` blocks it generates.
      bool dynamic = head.text == "dynamic" && labels.size() == 1;
      block_.attributes.emplace_back(dynamic ? labels[0] : std::string(head.text), head.line);
    }
    ++depth_;
    return k + 1;
  }

  void plain(const Token& t) {
    if (t.kind == Tok::LBrace || t.kind == Tok::Open) {
      ++depth_;
    } else if ((t.kind == Tok::RBrace || t.kind == Tok::Close) && depth_ > 0) {
      if (--depth_ == 0) close_block();
    }
  }

  void open_block(std::string_view type, const std::vector<std::string>& labels, size_t line) {
    kind_ = Kind::None;
    if ((type == "resource" || type == "data") && labels.size() == 2) {
      kind_ = Kind::Resource;
      block_ = ScannedBlock{};
      block_.key = (type == "data" ? "data." : "") + labels[0] + "." + labels[1];
      block_.line = line;
    } else if (type == "module" && labels.size() == 1) {
      kind_ = Kind::Call;
      call_name_ = labels[0];
      call_source_.clear();
    }
  }

  void close_block() {
    if (kind_ == Kind::Resource) out_.blocks.push_back(std::move(block_));
    // Terraform reads only sources starting with ./ or ../ as local paths.
    if (kind_ == Kind::Call && (call_source_.starts_with("./") || call_source_.starts_with("../")))
      out_.calls.emplace_back(call_name_, call_source_);
    kind_ = Kind::None;
  }

  Lexer lex_;
  std::deque<Token> buf_;
  size_t depth_ = 0;  // braces, brackets and parentheses
  size_t prev_line_ = 0;
  Tok prev_ = Tok::LBrace;
  Kind kind_ = Kind::None;
  ScannedBlock block_;
  std::string call_name_, call_source_;
  ScannedFile out_;
};

// Terraform merges `override.tf` and `*_override.tf` into blocks defined elsewhere, so the
// original definition is read first and wins.
bool is_override(const std::string& name) { return name == "override.tf" || name.ends_with("_override.tf"); }

// `module.a["x.y"].data.aws_x.b[0]` -> module, a, data, aws_x, b; instance keys dropped.
std::optional<std::vector<std::string>> address_parts(std::string_view a) {
  std::vector<std::string> parts;
  std::string cur;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c == '.') {
      if (cur.empty()) return std::nullopt;
      parts.push_back(std::move(cur));
      cur.clear();
    } else if (c == '[') {
      size_t j = i + 1;
      if (j < a.size() && a[j] == '"') {
        ++j;
        while (j < a.size() && a[j] != '"') j += a[j] == '\\' ? 2 : 1;
        ++j;
      }
      while (j < a.size() && a[j] != ']') ++j;
      if (j >= a.size()) return std::nullopt;
      i = j;
    } else {
      cur.push_back(c);
    }
  }
  if (cur.empty()) return std::nullopt;
  parts.push_back(std::move(cur));
  return parts;
}

}  // namespace

bool SourceMap::load(const std::string& root_dir, std::string& error) {
  modules_.clear();
  std::error_code ec;
  if (!fs::is_directory(root_dir, ec)) {
    error = "--source-dir: `" + root_dir + "` is not a directory";
    return false;
  }
  fs::path canonical = fs::canonical(root_dir, ec);
  if (ec) {
    error = "--source-dir: `" + root_dir + "`: " + ec.message();
    return false;
  }
  // Paths in reports are relative to the working directory, where CI tools resolve them.
  fs::path shown = fs::path(root_dir).lexically_normal();
  if (shown.is_absolute()) {
    fs::path rel = shown.lexically_relative(fs::current_path(ec));
    if (!ec && !rel.empty() && *rel.begin() != "..") shown = rel;
  }
  root_ = canonical.string();
  return load_dir(canonical, shown, 0, error);
}

bool SourceMap::load_dir(const fs::path& dir, const fs::path& shown, int depth, std::string& error) {
  const std::string key = dir.string();
  if (modules_.count(key)) return true;  // already read: a shared module, or a cycle
  modules_[key];
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.ends_with(".tf") && it->is_regular_file(ec)) names.push_back(std::move(name));
  }
  if (ec) {
    error = "--source-dir: cannot list `" + shown.generic_string() + "`: " + ec.message();
    return false;
  }
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return std::make_pair(is_override(a), a) < std::make_pair(is_override(b), b);
  });
  std::vector<std::pair<std::string, std::string>> calls;
  for (const std::string& name : names) {
    std::string file = (shown / name).lexically_normal().generic_string();
    std::uintmax_t size = fs::file_size(dir / name, ec);
    if (ec) {
      error = "--source-dir: cannot read `" + file + "`: " + ec.message();
      return false;
    }
    if (size > kMaxFileSize) {
      error = "--source-dir: `" + file + "` is larger than " + std::to_string(kMaxFileSize >> 20) +
              " MiB; it is not read as Terraform source";
      return false;
    }
    std::ifstream in(dir / name, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      error = "--source-dir: cannot read `" + file + "`";
      return false;
    }
    ScannedFile scanned = Scanner(text.str()).scan();
    Module& m = modules_[key];
    for (ScannedBlock& b : scanned.blocks) {
      auto [it, added] = m.resources.try_emplace(b.key);
      if (!added) continue;  // a duplicate block: Terraform rejects it, the first one stands
      it->second.where = {file, b.line};
      for (auto& [attr, line] : b.attributes) it->second.attribute_lines.emplace(std::move(attr), line);
    }
    calls.insert(calls.end(), scanned.calls.begin(), scanned.calls.end());
  }
  for (const auto& [name, source] : calls) {
    fs::path target = fs::weakly_canonical(dir / source, ec);
    if (!target.has_filename()) target = target.parent_path();  // `./` or `../` leave a trailing slash
    // A module that is not there yet (not checked out) only leaves its resources unmapped.
    if (ec || !fs::is_directory(target, ec)) continue;
    if (!modules_[key].calls.emplace(name, target.string()).second) continue;
    if (depth + 1 > kMaxModuleDepth) continue;
    if (!load_dir(target, (shown / source).lexically_normal(), depth + 1, error)) return false;
  }
  return true;
}

std::optional<SourceLocation> SourceMap::locate(const std::string& address, const std::string& attribute_path) const {
  auto parts = address_parts(address);
  auto mod = modules_.find(root_);
  if (!parts || mod == modules_.end()) return std::nullopt;
  size_t k = 0;
  while (parts->size() - k > 2 && (*parts)[k] == "module") {
    auto call = mod->second.calls.find((*parts)[k + 1]);
    if (call == mod->second.calls.end()) return std::nullopt;
    mod = modules_.find(call->second);
    if (mod == modules_.end()) return std::nullopt;
    k += 2;
  }
  std::string key;
  if (parts->size() - k == 3 && (*parts)[k] == "data") key = "data." + (*parts)[k + 1] + "." + (*parts)[k + 2];
  else if (parts->size() - k == 2) key = (*parts)[k] + "." + (*parts)[k + 1];
  else return std::nullopt;
  auto block = mod->second.resources.find(key);
  if (block == mod->second.resources.end()) return std::nullopt;
  SourceLocation loc = block->second.where;
  auto attr = block->second.attribute_lines.find(attribute_path.substr(0, attribute_path.find_first_of(".[")));
  if (attr != block->second.attribute_lines.end()) loc.line = attr->second;
  return loc;
}

}  // namespace tfwarden
