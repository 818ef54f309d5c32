#include "rules/compiled.h"

#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>

namespace tfwarden {

namespace {

// Bumped whenever what is written changes; a pack of another version is refused.
constexpr std::string_view kMagic = "tfwarden-compiled-pack-5\n";

class Writer {
 public:
  std::string out;

  void u64(uint64_t v) {
    while (v >= 0x80) {
      out.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<char>(v));
  }
  void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
  void flag(bool b) { out.push_back(b ? 1 : 0); }
  void num(double d) {
    char b[sizeof d];
    std::memcpy(b, &d, sizeof d);
    out.append(b, sizeof d);
  }
  void str(std::string_view s) {
    u64(s.size());
    out.append(s);
  }
  void strs(const std::vector<std::string>& v) {
    u64(v.size());
    for (const auto& s : v) str(s);
  }
  void literal(const Literal& l) {
    u64(static_cast<uint64_t>(l.kind));
    flag(l.b);
    num(l.n);
    str(l.s);
    u64(l.items.size());
    for (const auto& i : l.items) literal(i);
  }
  void expr(const Expr* e) {
    flag(e != nullptr);
    if (!e) return;
    u64(static_cast<uint64_t>(e->op));
    u64(e->kids.size());
    for (const auto& k : e->kids) expr(k.get());
    str(e->text);
    i64(e->index);
    u64(static_cast<uint64_t>(e->fn));
    literal(e->lit);
    flag(e->re != nullptr);
    flag(e->yields_sequence);
    flag(e->reads_self);
    flag(e->reads_context);
    u64(e->slot);
    u64(e->offset);
  }
  void controls(const std::map<std::string, std::vector<std::string>>& m) {
    u64(m.size());
    for (const auto& [k, v] : m) {
      str(k);
      strs(v);
    }
  }
};

class Reader {
 public:
  explicit Reader(std::string_view d) : d_(d) {}

  bool done() const { return at_ == d_.size(); }
  uint64_t u64() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = byte();
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    throw std::runtime_error("a number runs on");
  }
  int64_t i64() { return static_cast<int64_t>(u64()); }
  bool flag() { return byte() != 0; }
  double num() {
    double d = 0;
    std::memcpy(&d, take(sizeof d).data(), sizeof d);
    return d;
  }
  std::string str() { return std::string(take(count())); }
  std::vector<std::string> strs() {
    std::vector<std::string> v(count());
    for (auto& s : v) s = str();
    return v;
  }
  Literal literal() {
    Literal l;
    l.kind = static_cast<Literal::Kind>(u64());
    l.b = flag();
    l.n = num();
    l.s = str();
    l.items.resize(count());
    for (auto& i : l.items) i = literal();
    return l;
  }
  std::unique_ptr<Expr> expr() {
    if (!flag()) return nullptr;
    auto e = std::make_unique<Expr>();
    e->op = static_cast<Expr::Op>(u64());
    e->kids.resize(count());
    for (auto& k : e->kids) k = expr();
    e->text = str();
    e->index = i64();
    e->fn = static_cast<Builtin>(u64());
    e->lit = literal();
    bool has_re = flag();
    // `x matches "literal"` keeps its pattern in `text`; a parameter's is bound later.
    // A pattern that library definitions repeat in many rules is compiled once.
    if (has_re && e->op == Expr::Op::Matches && e->kids.size() == 1) {
      std::shared_ptr<RE2>& re = patterns_[e->text];
      if (!re) {
        re = compile_pattern(e->text);
        if (!re->ok()) throw std::runtime_error("pattern `" + e->text + "` does not compile");
      }
      e->re = re;
    }
    e->yields_sequence = flag();
    e->reads_self = flag();
    e->reads_context = flag();
    e->slot = static_cast<uint32_t>(u64());
    e->offset = u64();
    return e;
  }
  std::map<std::string, std::vector<std::string>> controls() {
    std::map<std::string, std::vector<std::string>> m;
    for (uint64_t n = count(); n > 0; --n) {
      std::string k = str();
      m[k] = strs();
    }
    return m;
  }
  // A count of items that follow, each at least a byte: never more than the bytes left.
  size_t count() {
    uint64_t n = u64();
    if (n > d_.size() - at_) throw std::runtime_error("a count passes the end");
    return static_cast<size_t>(n);
  }
  std::string_view take(size_t n) {
    if (n > d_.size() - at_) throw std::runtime_error("the data ends early");
    std::string_view s = d_.substr(at_, n);
    at_ += n;
    return s;
  }

 private:
  uint8_t byte() { return static_cast<uint8_t>(take(1)[0]); }
  std::string_view d_;
  size_t at_ = 0;
  std::map<std::string, std::shared_ptr<RE2>> patterns_;
};

void write_rule(Writer& w, const Rule& r) {
  for (const std::string* s : {&r.id, &r.name, &r.title, &r.area, &r.rationale, &r.remediation}) w.str(*s);
  w.u64(static_cast<uint64_t>(r.severity));
  w.u64(static_cast<uint64_t>(r.default_severity));
  w.strs(r.references);
  w.controls(r.compliance);
  w.u64(r.compliance_by_type.size());
  for (const auto& [type, m] : r.compliance_by_type) {
    w.str(type);
    w.controls(m);
  }
  w.u64(r.params.size());
  for (const auto& [k, v] : r.params) {
    w.str(k);
    w.literal(v);
  }
  w.strs(r.types);
  w.u64(r.actions.size());
  for (Action a : r.actions) w.u64(static_cast<uint64_t>(a));
  w.flag(r.select_data);
  w.flag(r.select_managed);
  w.str(r.address_text);
  w.expr(r.where.get());
  w.expr(r.assertion.get());
  w.str(r.where_text);
  w.str(r.assert_text);
  w.strs(r.let_names);
  w.u64(r.lets.size());
  for (const auto& l : r.lets) w.expr(l.get());
  w.strs(r.let_texts);
  w.strs(r.let_comments);
  w.u64(r.let_file_order.size());
  for (size_t i : r.let_file_order) w.u64(i);
  w.u64(r.let_uses_self.size());
  for (bool b : r.let_uses_self) w.flag(b);
  w.u64(r.let_memo.size());
  for (size_t i = 0; i < r.let_memo.size(); ++i) {
    w.u64(static_cast<uint64_t>(r.let_memo[i]));
    w.u64(r.let_keys[i].size());
    for (uint32_t k : r.let_keys[i]) w.u64(k);
  }
  w.str(r.path);
  w.expr(r.path_expr.get());
  w.expr(r.evidence.get());
  w.str(r.evidence_text);
  w.u64(r.message_lets.size());
  for (uint32_t s : r.message_lets) w.u64(s);
  w.flag(r.secret);
  w.str(r.message);
  w.u64(r.lib_uses.size());
  for (const LibDef& d : r.lib_uses) {
    w.str(d.name);
    w.strs(d.params);
    w.str(d.text);
    w.str(d.where);
  }
  w.str(r.source);
  w.str(r.pack);
  w.u64(r.memo_slots);
}

std::unique_ptr<Rule> read_rule(Reader& rd) {
  auto r = std::make_unique<Rule>();
  for (std::string* s : {&r->id, &r->name, &r->title, &r->area, &r->rationale, &r->remediation}) *s = rd.str();
  r->severity = static_cast<Severity>(rd.u64());
  r->default_severity = static_cast<Severity>(rd.u64());
  r->references = rd.strs();
  r->compliance = rd.controls();
  for (size_t n = rd.count(); n > 0; --n) {
    std::string type = rd.str();
    r->compliance_by_type[type] = rd.controls();
  }
  for (size_t n = rd.count(); n > 0; --n) {
    std::string k = rd.str();
    r->params[k] = rd.literal();
  }
  r->types = rd.strs();
  r->actions.resize(rd.count());
  for (Action& a : r->actions) a = static_cast<Action>(rd.u64());
  r->select_data = rd.flag();
  r->select_managed = rd.flag();
  r->address_text = rd.str();
  if (!r->address_text.empty()) {
    RE2::Options o;
    o.set_log_errors(false);
    r->address_pattern = std::make_shared<RE2>(r->address_text, o);
  }
  r->where = rd.expr();
  r->assertion = rd.expr();
  r->where_text = rd.str();
  r->assert_text = rd.str();
  r->let_names = rd.strs();
  r->lets.resize(rd.count());
  for (auto& l : r->lets) l = rd.expr();
  r->let_texts = rd.strs();
  r->let_comments = rd.strs();
  r->let_file_order.resize(rd.count());
  for (size_t& i : r->let_file_order) i = rd.u64();
  r->let_uses_self.resize(rd.count());
  for (size_t i = 0; i < r->let_uses_self.size(); ++i) r->let_uses_self[i] = rd.flag();
  r->let_memo.resize(rd.count());
  r->let_keys.resize(r->let_memo.size());
  for (size_t i = 0; i < r->let_memo.size(); ++i) {
    r->let_memo[i] = static_cast<Rule::LetMemo>(rd.u64());
    r->let_keys[i].resize(rd.count());
    for (uint32_t& k : r->let_keys[i]) {
      k = static_cast<uint32_t>(rd.u64());
      if (k >= r->lets.size()) throw std::runtime_error("a let key is out of range");
    }
  }
  r->path = rd.str();
  r->path_expr = rd.expr();
  r->evidence = rd.expr();
  r->evidence_text = rd.str();
  r->message_lets.resize(rd.count());
  for (uint32_t& s : r->message_lets) s = static_cast<uint32_t>(rd.u64());
  r->secret = rd.flag();
  r->message = rd.str();
  r->lib_uses.resize(rd.count());
  for (LibDef& d : r->lib_uses) {
    d.name = rd.str();
    d.params = rd.strs();
    d.text = rd.str();
    d.where = rd.str();
  }
  r->source = rd.str();
  r->pack = rd.str();
  r->memo_slots = static_cast<uint32_t>(rd.u64());
  if (!r->assertion) throw std::runtime_error("rule " + r->id + " has no assertion");
  return r;
}

}  // namespace

std::string serialize_rules(const std::vector<const Rule*>& rules) {
  Writer w;
  w.out.append(kMagic);
  w.u64(rules.size());
  for (const Rule* r : rules) write_rule(w, *r);
  return std::move(w.out);
}

bool deserialize_rules(std::string_view data, RuleSet& out, std::string& error) {
  if (data.substr(0, kMagic.size()) != kMagic) {
    error = "the compiled rule pack is of another version of tfwarden";
    return false;
  }
  try {
    Reader rd(data.substr(kMagic.size()));
    for (size_t n = rd.count(); n > 0; --n) {
      std::unique_ptr<Rule> r = read_rule(rd);
      if (std::string e = r->bind_params(); !e.empty()) throw std::runtime_error(r->id + ": " + e);
      if (!add_rule(out, std::move(r), error)) return false;
    }
    if (!rd.done()) throw std::runtime_error("bytes follow the last rule");
  } catch (const std::runtime_error& e) {
    error = std::string("the compiled rule pack is damaged: ") + e.what();
    return false;
  }
  return true;
}

}  // namespace tfwarden
