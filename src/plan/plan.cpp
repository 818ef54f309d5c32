#include "plan/plan.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <unordered_set>

#include "plan/address.h"
#include "plan/classify.h"
#include "plan/encoding.h"
#include "plan/printable.h"

namespace tfwarden {

const char* action_name(Action a) {
  switch (a) {
    case Action::NoOp: return "no-op";
    case Action::Create: return "create";
    case Action::Read: return "read";
    case Action::Update: return "update";
    case Action::Delete: return "delete";
    case Action::Replace: return "replace";
    case Action::Forget: return "forget";
  }
  return "no-op";
}

std::string Resource::block_key() const {
  std::string k;
  if (data) k = "data.";
  k.append(type).append(".").append(name);
  return k;
}

const ConfigModule* Plan::module_at(std::string_view p) const {
  auto it = module_by_path_.find(p);
  return it == module_by_path_.end() ? nullptr : it->second;
}

InstanceCounts Plan::counts() const {
  InstanceCounts c;
  for (const Resource& r : resources) {
    if (r.deposed)
      ++c.deposed;
    else if (r.data)
      ++c.data_sources;
    else
      ++c.resources;
  }
  return c;
}

const Resource* Plan::by_address(std::string_view a) const {
  auto it = by_address_.find(a);
  return it == by_address_.end() ? nullptr : &resources[it->second];
}

// Whether `text` spells the block key of `r` ("data.TYPE.NAME" or "TYPE.NAME").
static bool is_block_key_of(std::string_view text, const Resource& r) {
  if (r.data) {
    if (text.substr(0, 5) != "data.") return false;
    text.remove_prefix(5);
  }
  return text.size() == r.type.size() + 1 + r.name.size() && text.substr(0, r.type.size()) == r.type &&
         text[r.type.size()] == '.' && text.substr(r.type.size() + 1) == r.name;
}

const std::vector<uint32_t>* Plan::instances_in(std::string_view module_address, std::string_view block) const {
  auto it = by_block_.find({module_address, block});
  return it == by_block_.end() ? nullptr : &it->second;
}

const std::vector<uint32_t>* Plan::instances_of_config(std::string_view config_module, std::string_view block) const {
  auto it = by_config_block_.find({config_module, block});
  return it == by_config_block_.end() ? nullptr : &it->second;
}

const std::vector<uint32_t>* Plan::of_type(std::string_view type) const {
  auto it = by_type_.find(type);
  return it == by_type_.end() ? nullptr : &it->second;
}

namespace {

// A failure and its kind; raised inside the loader with the JSON path of the offending value.
struct ShapeError {
  std::string message;
  LoadErrorKind kind = LoadErrorKind::Shape;
};

// How byte offsets into the parsed text are reported: as offsets of the file (after a UTF-8
// byte-order mark, `base`), or of the UTF-8 text a UTF-16 file was decoded to.
struct Offsets {
  size_t base = 0;
  const char* decoded_from = nullptr;  // "UTF-16LE" when the text was transcoded

  std::string at(size_t off) const {
    std::string s = "byte " + std::to_string(base + off);
    if (decoded_from) s += std::string(" of its UTF-8 decoding from ") + decoded_from;
    return s;
  }
};

std::string describe_content(std::string_view v) {
  if (v.size() >= 4 && v.substr(0, 4) == std::string_view("PK\x03\x04", 4))
    return "this is a binary plan file (a zip archive); run `terraform show -json FILE > plan.json` and lint that";
  size_t i = 0;
  while (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r')) ++i;
  if (i == v.size()) return "";
  std::string_view rest = v.substr(i);
  for (std::string_view marker : {"Terraform used the selected providers", "Terraform will perform",
                                  "An execution plan has been generated", "No changes.", "Plan:",
                                  "Refreshing state", "OpenTofu used the selected providers",
                                  "OpenTofu will perform", "data.", "resource \"", "# "}) {
    if (rest.substr(0, marker.size()) == marker)
      return "this looks like the human-readable plan output; run `terraform show -json PLANFILE` and lint that";
  }
  if (rest.find("\x1b[") != std::string_view::npos && rest.size() < (1u << 24) &&
      rest.find("will be created") != std::string_view::npos)
    return "this looks like the human-readable plan output; run `terraform show -json PLANFILE` and lint that";
  return "";
}

// simdjson reports what failed but not where; on that error path only, a SAX pass with
// nlohmann/json finds the byte offset.
std::string locate_syntax_error(std::string_view v, const Offsets& offsets) {
  struct Null : nlohmann::json_sax<nlohmann::json> {
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
      offset = position;
      what = ex.what();
      return false;
    }
    size_t offset = 0;
    std::string what;
  } sax;
  nlohmann::json::sax_parse(v.begin(), v.end(), &sax, nlohmann::json::input_format_t::json, true);
  if (sax.what.empty()) return "";
  // Byte offsets are 1-based in nlohmann; report the 0-based offset and a line:column.
  size_t off = sax.offset > 0 ? sax.offset - 1 : 0;
  if (off > v.size()) off = v.size();
  size_t line = 1, col = 1;
  for (size_t i = 0; i < off; ++i) {
    if (v[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  std::string detail = sax.what;
  if (detail.rfind("[json.exception.", 0) == 0 && detail.find("] ") != std::string::npos)
    detail = detail.substr(detail.find("] ") + 2);
  auto pos = detail.find("syntax error while parsing value - ");
  if (pos != std::string::npos) detail = detail.substr(pos + 35);
  else if ((pos = detail.find("parse error at ")) != std::string::npos) {
    auto colon = detail.find(": ", pos);
    if (colon != std::string::npos) detail = detail.substr(colon + 2);
  }
  // nlohmann quotes the token it stopped in ("; last read: '\"hunter2<U+000A>'"): a value of
  // the plan, which error lines never show.
  if (auto last = detail.find("; last read:"); last != std::string::npos) detail.erase(last);
  if (off >= v.size()) detail = "unexpected end of input (the file is truncated)";
  return "invalid JSON at " + offsets.at(off) + " (line " + std::to_string(line) + ", column " + std::to_string(col) +
         "): " + detail;
}

// Finds the first number token whose value does not fit a 64-bit integer or a double.
std::string locate_number_overflow(std::string_view v, const Offsets& offsets) {
  bool in_string = false;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c != '-' && !(c >= '0' && c <= '9')) continue;
    size_t start = i, digits = 0;
    if (v[i] == '-') ++i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
      ++i;
      ++digits;
    }
    bool fraction = false;
    long exponent = 0;
    if (i < v.size() && v[i] == '.') {
      fraction = true;
      ++i;
      while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    }
    if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
      fraction = true;
      ++i;
      bool neg = false;
      if (i < v.size() && (v[i] == '+' || v[i] == '-')) neg = v[i++] == '-';
      while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
        if (exponent < 100000) exponent = exponent * 10 + (v[i] - '0');
        ++i;
      }
      if (neg) exponent = -exponent;
    }
    bool bad = (!fraction && digits > 19) || exponent + static_cast<long>(digits) > 309 || exponent < -340;
    if (bad)
      // The offset, not the number: error lines never show a value of the plan.
      return "a number at " + offsets.at(start) + " is out of the range tfwarden reads (64-bit integers and doubles)";
    --i;
  }
  return "";
}

ShapeError simdjson_message(simdjson::error_code code, std::string_view v, const Offsets& offsets, size_t max_depth) {
  using namespace simdjson;
  using K = LoadErrorKind;
  switch (code) {
    case DEPTH_ERROR:
      return {"JSON nesting is deeper than " + std::to_string(max_depth) + " levels", K::Limit};
    case UTF8_ERROR: {
      size_t at = find_invalid_utf8(v);
      if (at == std::string_view::npos) return {"invalid UTF-8", K::Encoding};
      return {describe_invalid_utf8(v, at, offsets.base), K::Encoding};
    }
    case CAPACITY:
      return {"the document is larger than tfwarden can read (4 GiB)", K::Limit};
    case NUMBER_ERROR:
    case NUMBER_OUT_OF_RANGE: {
      std::string located = locate_number_overflow(v, offsets);
      if (!located.empty()) return {located, K::Limit};
      located = locate_syntax_error(v, offsets);
      if (!located.empty()) return {located, K::Syntax};
      return {"a number is out of the range tfwarden reads (64-bit integers and doubles)", K::Limit};
    }
    default: {
      std::string located = locate_syntax_error(v, offsets);
      if (!located.empty()) return {located, K::Syntax};
      return {std::string("invalid JSON: ") + error_message(code), K::Syntax};
    }
  }
}

// Terraform never writes an object with a repeated key. A document that has one is refused: a
// reader that keeps the first value and one that keeps the last would lint different plans.
// Returns the JSON path of the first duplicate, or "".
// Longest string value accepted: terraform attribute values are far smaller, and a hostile
// document should not make tfwarden hold gigabytes per value.
constexpr size_t kMaxString = size_t{64} << 20;
// A plan with such a string fails as a whole (exit 2), never linted with the value unread: a rule
// that could not read it would pass the resource. The limit is fixed (SECURITY.md).
constexpr const char* kStringLimitHelp =
    " (tfwarden does not lint a plan it cannot read whole; keep large content such as files out of "
    "attribute values)";

struct DuplicateFinder {
  // The path from the root, as keys (index < 0) or list positions, rendered only on an error.
  std::vector<std::pair<std::string_view, int64_t>> path;
  std::vector<std::string_view> keys;
  std::string found;
  LoadErrorKind kind = LoadErrorKind::Syntax;

  std::string render() const {
    std::string out;
    for (const auto& [k, i] : path) {
      if (i >= 0) out += "[" + std::to_string(i) + "]";
      else out += (out.empty() ? "" : ".") + std::string(k);
    }
    return out.empty() ? std::string("(document)") : out;
  }

  // Recursion depth is bounded by the parser's maximum nesting depth.
  bool visit(simdjson::dom::element e) {
    if (e.is_object()) {
      simdjson::dom::object o = e.get_object().value_unsafe();
      size_t base = keys.size();
      for (auto [k, v] : o) {
        (void)v;
        keys.push_back(k);
      }
      std::string_view dup;
      size_t n = keys.size() - base;
      if (n <= 8) {
        for (size_t i = base; i < keys.size() && !dup.data(); ++i)
          for (size_t j = i + 1; j < keys.size(); ++j)
            if (keys[i] == keys[j]) {
              dup = keys[i];
              break;
            }
      } else {
        std::vector<std::string_view> sorted(keys.begin() + static_cast<std::ptrdiff_t>(base), keys.end());
        std::sort(sorted.begin(), sorted.end());
        for (size_t i = 1; i < sorted.size() && !dup.data(); ++i)
          if (sorted[i] == sorted[i - 1]) dup = sorted[i];
      }
      keys.resize(base);
      if (dup.data()) {
        found = render() + ": the key \"" + std::string(dup) + "\" appears twice (terraform never writes duplicate keys)";
        return false;
      }
      for (auto [k, v] : o) {
        if (v.is_string() && v.get_string_length().value_unsafe() > kMaxString) {
          path.emplace_back(k, -1);
          found = render() + ": a string of " + std::to_string(v.get_string_length().value_unsafe()) +
                  " bytes is over the limit of 64 MiB" + kStringLimitHelp;
          kind = LoadErrorKind::Limit;
          return false;
        }
        if (!v.is_object() && !v.is_array()) continue;
        path.emplace_back(k, -1);
        if (!visit(v)) return false;
        path.pop_back();
      }
    } else if (e.is_array()) {
      int64_t i = 0;
      simdjson::dom::array a = e.get_array().value_unsafe();
      for (simdjson::dom::element v : a) {
        if (v.is_string() && v.get_string_length().value_unsafe() > kMaxString) {
          path.emplace_back(std::string_view{}, i);
          found = render() + ": a string of " + std::to_string(v.get_string_length().value_unsafe()) +
                  " bytes is over the limit of 64 MiB" + kStringLimitHelp;
          kind = LoadErrorKind::Limit;
          return false;
        }
        if (v.is_object() || v.is_array()) {
          path.emplace_back(std::string_view{}, i);
          if (!visit(v)) return false;
          path.pop_back();
        }
        ++i;
      }
    }
    return true;
  }
};

// The same test as DuplicateFinder, as one linear pass over simdjson's tape (its documented
// layout: one 64-bit word per value, the type in the top byte; numbers take a second word;
// object members alternate key and value). It only answers "clean or not": a document it
// flags is searched again by DuplicateFinder, which names the path. It runs about 40% fewer
// instructions than walking the DOM through its iterators (callgrind, 10k plan: 105M vs 174M).
bool tape_is_clean(const simdjson::dom::document& doc) {
  const uint64_t* tape = doc.tape.get();
  const uint8_t* strings = doc.string_buf.get();
  constexpr uint64_t kPayload = simdjson::internal::JSON_VALUE_MASK;
  if (!tape || (tape[0] >> 56) != 'r') return false;
  size_t end = tape[0] & kPayload;
  struct Frame {
    uint32_t key_base;
    bool object, want_key;
  };
  std::vector<Frame> stack;
  std::vector<std::string_view> keys;
  for (size_t i = 1; i < end; ++i) {
    uint64_t word = tape[i];
    uint8_t type = static_cast<uint8_t>(word >> 56);
    bool key = false;
    if (!stack.empty() && stack.back().object && type != '}') {
      key = stack.back().want_key;
      stack.back().want_key = !key;
    }
    switch (type) {
      case '"': {
        uint32_t len;
        std::memcpy(&len, strings + (word & kPayload), sizeof len);
        const char* text = reinterpret_cast<const char*>(strings + (word & kPayload) + sizeof len);
        if (key) keys.emplace_back(text, len);
        else if (len > kMaxString) return false;
        break;
      }
      case 'l':
      case 'u':
      case 'd':
        ++i;  // the number is in the next word
        break;
      case '{':
        stack.push_back({static_cast<uint32_t>(keys.size()), true, true});
        break;
      case '[':
        stack.push_back({0, false, false});
        break;
      case '}': {
        if (stack.empty()) return false;
        size_t base = stack.back().key_base, n = keys.size() - base;
        // Terraform writes the keys of attribute objects in sorted order: strictly increasing
        // keys cannot repeat, and checking that is linear. Others are compared pairwise or sorted.
        auto first = keys.begin() + static_cast<std::ptrdiff_t>(base);
        if (n > 1 && std::adjacent_find(first, keys.end(), std::greater_equal<>()) != keys.end()) {
          if (n <= 8) {
            for (auto x = first; x != keys.end(); ++x)
              for (auto y = x + 1; y != keys.end(); ++y)
                if (*x == *y) return false;
          } else {
            std::sort(first, keys.end());
            if (std::adjacent_find(first, keys.end()) != keys.end()) return false;
          }
        }
        keys.resize(base);
        stack.pop_back();
        break;
      }
      case ']':
        if (stack.empty()) return false;
        stack.pop_back();
        break;
      default:
        break;
    }
  }
  return stack.empty();
}

// A repeated key (or a string over the limit) with its JSON path; an empty message when clean.
ShapeError find_duplicate_key(const simdjson::dom::document& doc) {
  bool clean = tape_is_clean(doc);
#ifndef TFWARDEN_FUZZING
  if (clean) return {};
#endif
  DuplicateFinder f;
  f.visit(doc.root());
#ifdef TFWARDEN_FUZZING
  // The fast scan must never pass a document the reference walk refuses.
  if (clean && !f.found.empty()) __builtin_trap();
#endif
  return {f.found, f.kind};
}

class Loader {
 public:
  explicit Loader(Plan& p) : plan_(p) {}

  // `doc` is a plan or a state, as classify_document found.
  void load(Node doc, DocumentClass cls);

 private:
  Plan& plan_;

  [[noreturn]] static void fail(const std::string& path, const std::string& what,
                                LoadErrorKind kind = LoadErrorKind::Shape) {
    throw ShapeError{path == "(document)" ? what : path + ": " + what, kind};
  }
  // A JSON path joined only when an error needs it: most values are fine, and building the
  // path for each would cost an allocation per attribute.
  struct At {
    std::string_view base;
    std::string_view suffix;
    At(const std::string& b) : base(b) {}  // NOLINT: a plain path converts implicitly
    At(const char* b) : base(b) {}         // NOLINT: likewise
    At(std::string_view b, std::string_view s) : base(b), suffix(s) {}
    std::string str() const { return std::string(base) + std::string(suffix); }
  };
  static Node expect(const Node& n, bool (Node::*pred)() const, const At& path, const char* want) {
    if (n.present && !(n.*pred)())
      fail(path.str(), std::string("expected ") + want + ", found " + json_type_name(n));
    return n;
  }
  static Node obj(const Node& n, const At& path) { return expect(n, &Node::is_object, path, "an object"); }
  static Node arr(const Node& n, const At& path) { return expect(n, &Node::is_array, path, "an array"); }
  static std::string_view str(const Node& n, const At& path, bool required) {
    if (!n.present || n.is_null()) {
      if (required) fail(path.str(), "missing (a string is required)");
      return {};
    }
    if (!n.is_string()) fail(path.str(), std::string("expected a string, found ") + json_type_name(n));
    return n.str();
  }
  // The members `names` of an object node, in one pass over its keys (a lookup per name would
  // scan the object once each). The first of a repeated key wins, as with operator[].
  template <size_t N>
  static std::array<Node, N> pick(const Node& o, const std::array<std::string_view, N>& names) {
    std::array<Node, N> out;
    for (auto [k, v] : o.object())
      for (size_t i = 0; i < N; ++i)
        if (k == names[i]) {
          if (!out[i].present) out[i] = Node(v);
          break;
        }
    return out;
  }
  // Calls fn(index, element) for each element of an array node, in order (linear: simdjson's
  // indexed access is not).
  template <typename Fn>
  static void each(const Node& a, Fn&& fn) {
    if (!a.is_array()) return;
    size_t i = 0;
    simdjson::dom::array arr = a.array();
    for (simdjson::dom::element e : arr) fn(i++, Node(e));
  }

  void load_resource_change(const Node& rc, const std::string& path);
  void load_state_module(const Node& m, const std::string& path, bool from_prior_state);
  // `module_address`: the `address` of the state module that lists the resource ("" for the root).
  void load_state_resource(const Node& r, const std::string& path, std::string_view module_address,
                           bool from_prior_state);
  void load_config(const Node& cfg);
  void load_config_module(const Node& m, const std::string& path, ConfigModule& mod);
  void index();
  Resource& add_resource();
  // Sets the instance and configuration module of `r`; resources of one module come together,
  // so the last stripped address is kept.
  void set_module(Resource& r, std::string_view module_address);
  std::string last_module_address_, last_config_module_;
  static std::string index_repr(const Node& idx, const At& path);
};

}  // namespace

// Grants the loader access to the plan's private indexes.
class PlanLoader {
 public:
  static std::deque<ConfigModule>& modules(Plan& p) { return p.modules_; }
  static std::deque<ConfigResource>& config_resources(Plan& p) { return p.config_resources_; }
  static std::string_view keep_address(Plan& p, std::string address) {
    return p.full_addresses_.emplace_back(std::move(address));
  }
  static void build_indexes(Plan& p) {
    for (auto& m : p.modules_) p.module_by_path_.emplace(m.path, &m);
    p.by_address_.reserve(p.resources.size());
    p.by_block_.reserve(p.resources.size());
    bool has_config = p.modules_.size() > 1 || !p.modules_.front().resources.empty();
    // Instances of one block come one after another: the last block's lookups are kept.
    const Resource* last = nullptr;
    std::vector<uint32_t>* type_list = nullptr;
    std::vector<uint32_t>* block_list = nullptr;
    std::vector<uint32_t>* config_block_list = nullptr;
    for (uint32_t i = 0; i < p.resources.size(); ++i) {
      Resource& r = p.resources[i];
      r.ordinal = i;
      if (!r.deposed) p.by_address_.emplace(r.address, i);
      if (!last || last->type != r.type) type_list = &p.by_type_[r.type];
      type_list->push_back(i);
      bool same_block = last && last->data == r.data && last->type == r.type && last->name == r.name &&
                        last->module_address == r.module_address;
      if (!same_block) {
        std::string_view block = block_key_view(p, r);
        block_list = &p.by_block_[{r.module_address, block}];
        config_block_list = &p.by_config_block_[{r.config_module, block}];
        if (has_config)
          if (auto it = p.module_by_path_.find(r.config_module); it != p.module_by_path_.end()) {
            auto rit = it->second->resources.find(std::string(block));
            if (rit != it->second->resources.end()) r.config = rit->second;
          }
      } else {
        r.config = last->config;
      }
      block_list->push_back(i);
      config_block_list->push_back(i);
      last = &r;
    }
  }
  // The block key of `r` ("TYPE.NAME", "data.TYPE.NAME"): a view into its address, which is
  // `<module address>.<block key><index>`, or a copy kept by the plan for a hand-made document.
  static std::string_view block_key_view(Plan& p, const Resource& r) {
    std::string_view a = r.address;
    size_t start = r.module_address.empty() ? 0 : r.module_address.size() + 1;
    size_t len = (r.data ? 5 : 0) + r.type.size() + 1 + r.name.size();
    if (a.size() >= start + len && a.substr(0, r.module_address.size()) == r.module_address &&
        is_block_key_of(a.substr(start, len), r))
      return a.substr(start, len);
    return p.block_keys_.emplace_back(r.block_key());
  }
  static simdjson::padded_string& json(Plan& p) { return p.json_; }
  static std::unique_ptr<simdjson::dom::parser>& parser(Plan& p) { return p.parser_; }
};

namespace {

std::string Loader::index_repr(const Node& idx, const At& path) {
  if (!idx.present || idx.is_null()) return "";
  if (idx.is_string()) return index_key_repr(idx.str(), true);
  if (idx.is_number()) return index_key_repr(to_json(idx), false);
  fail(path.str(), std::string("expected a number or a string, found ") + json_type_name(idx));
}

Resource& Loader::add_resource() { return plan_.resources.emplace_back(); }

void Loader::set_module(Resource& r, std::string_view module_address) {
  r.module_address = std::string(module_address);
  if (module_address.empty()) return;
  if (module_address != last_module_address_) {
    last_module_address_ = std::string(module_address);
    last_config_module_ = strip_instance_keys(module_address);
  }
  r.config_module = last_config_module_;
}

void Loader::load_resource_change(const Node& rc, const std::string& path) {
  obj(rc, path);
  if (!rc.present) fail(path, "missing");
  Resource& r = add_resource();
  static constexpr std::array<std::string_view, 10> kFields = {
      "address", "mode", "type", "name", "provider_name", "module_address", "index", "deposed", "action_reason", "change"};
  auto [address, mode_node, type, name, provider_name, module_address, index, deposed, action_reason, change_node] =
      pick(rc, kFields);
  r.address = str(address, At(path, ".address"), true);
  std::string_view mode = str(mode_node, At(path, ".mode"), false);
  r.data = mode == "data";
  if (!mode.empty() && mode != "managed" && mode != "data")
    fail(path + ".mode", "expected \"managed\" or \"data\", found \"" + std::string(mode) + "\"");
  r.type = str(type, At(path, ".type"), true);
  r.name = str(name, At(path, ".name"), true);
  r.provider_name = str(provider_name, At(path, ".provider_name"), false);
  set_module(r, str(module_address, At(path, ".module_address"), false));
  r.index = index_repr(index, At(path, ".index"));
  r.deposed = deposed.is_string();
  r.deposed_key = deposed.str();
  r.action_reason = str(action_reason, At(path, ".action_reason"), false);
  Node change = obj(change_node, At(path, ".change"));
  if (!change.present) fail(path + ".change", "missing (an object is required)");
  static constexpr std::array<std::string_view, 6> kChange = {"actions", "before", "after", "after_unknown",
                                                              "after_sensitive", "before_sensitive"};
  auto [actions_node, before, after, after_unknown, after_sensitive, before_sensitive] = pick(change, kChange);
  Node actions = arr(actions_node, At(path, ".change.actions"));
  if (!actions.present) fail(path + ".change.actions", "missing (an array is required)");
  bool has_create = false, has_delete = false, has_update = false, has_read = false, has_forget = false;
  std::string_view first;
  size_t i = 0;
  for (simdjson::dom::element ae : actions.array()) {
    Node an(ae);
    if (!an.is_string()) str(an, path + ".change.actions[" + std::to_string(i) + "]", true);
    std::string_view a = an.str();
    if (i == 0) first = a;
    if (a == "create") has_create = true;
    else if (a == "delete") has_delete = true;
    else if (a == "update") has_update = true;
    else if (a == "read") has_read = true;
    else if (a == "forget") has_forget = true;
    else if (a != "no-op")
      fail(path + ".change.actions[" + std::to_string(i) + "]", "unknown action \"" + std::string(a) + "\"");
    ++i;
  }
  if (has_create && has_delete) {
    r.action = Action::Replace;
    r.replace_order = first == "delete" ? ReplaceOrder::DeleteThenCreate : ReplaceOrder::CreateThenDelete;
  } else if (has_create && has_forget) {
    r.action = Action::Replace;
    r.replace_order = ReplaceOrder::CreateThenDelete;
  } else if (has_create) r.action = Action::Create;
  else if (has_delete) r.action = Action::Delete;
  else if (has_forget) r.action = Action::Forget;
  else if (has_update) r.action = Action::Update;
  else if (has_read) r.action = Action::Read;
  else r.action = Action::NoOp;
  r.before = before;
  r.after = after;
  r.after_unknown = after_unknown;
  r.after_sensitive = after_sensitive;
  r.before_sensitive = before_sensitive;
  for (auto [field, node] : {std::pair{"before", r.before}, {"after", r.after}}) {
    if (node.present && !node.is_null() && !node.is_object())
      fail(path + ".change." + field, std::string("expected an object or null, found ") + json_type_name(node));
  }
  if (r.after.is_null()) r.after = Node();
  if (r.before.is_null()) r.before = Node();
}

void Loader::load_state_resource(const Node& rn, const std::string& path, std::string_view module_address,
                                 bool from_prior_state) {
  obj(rn, path);
  std::string_view mode = str(rn["mode"], At(path, ".mode"), false);
  // A plan's prior state contributes only data sources: managed resources are in resource_changes.
  if (from_prior_state && mode != "data") return;
  Resource& r = add_resource();
  r.address = str(rn["address"], At(path, ".address"), true);
  r.data = mode == "data";
  r.type = str(rn["type"], At(path, ".type"), true);
  r.name = str(rn["name"], At(path, ".name"), true);
  r.provider_name = str(rn["provider_name"], At(path, ".provider_name"), false);
  r.index = index_repr(rn["index"], At(path, ".index"));
  r.deposed = rn["deposed_key"].is_string();
  r.deposed_key = rn["deposed_key"].str();
  // The module is the state module that lists the resource, when the resource's address is in
  // it; else (a hand-made document) the address minus its last two (or three, for data) steps.
  std::string_view a = r.address;
  bool in_module = !module_address.empty() && a.size() > module_address.size() + 1 &&
                   a.substr(0, module_address.size()) == module_address && a[module_address.size()] == '.';
  if (!module_address.empty() && !in_module && a.rfind("module.", 0) != 0) {
    // Terraform 0.12 wrote the address relative to the module: make it whole.
    r.address = PlanLoader::keep_address(plan_, std::string(module_address) + "." + std::string(a));
    a = r.address;
    in_module = true;
  }
  if (in_module) {
    set_module(r, module_address);
  } else {
    std::string suffix = r.block_key() + (r.index.empty() ? "" : "[" + r.index + "]");
    if (a.size() > suffix.size() + 1 && a.substr(a.size() - suffix.size()) == suffix)
      set_module(r, a.substr(0, a.size() - suffix.size() - 1));
  }
  r.action = from_prior_state ? Action::Read : Action::NoOp;
  Node values = rn["values"];
  if (values.present && !values.is_object() && !values.is_null())
    fail(path + ".values", std::string("expected an object, found ") + json_type_name(values));
  r.after = values.is_object() ? values : Node();
  r.before = r.after;
  r.after_sensitive = rn["sensitive_values"];
  r.before_sensitive = r.after_sensitive;
}

void Loader::load_state_module(const Node& m, const std::string& path, bool from_prior_state) {
  if (!m.present || m.is_null()) return;
  obj(m, path);
  std::string_view address = str(m["address"], At(path, ".address"), false);
  Node res = arr(m["resources"], At(path, ".resources"));
  each(res, [&](size_t i, const Node& r) {
    load_state_resource(r, path + ".resources[" + std::to_string(i) + "]", address, from_prior_state);
  });
  Node kids = arr(m["child_modules"], At(path, ".child_modules"));
  each(kids, [&](size_t i, const Node& k) {
    load_state_module(k, path + ".child_modules[" + std::to_string(i) + "]", from_prior_state);
  });
}

void Loader::load_config_module(const Node& m, const std::string& path, ConfigModule& mod) {
  if (!m.present || m.is_null()) return;
  obj(m, path);
  auto& store = PlanLoader::config_resources(plan_);
  Node res = arr(m["resources"], At(path, ".resources"));
  each(res, [&](size_t i, const Node& item) {
    std::string rp = path + ".resources[" + std::to_string(i) + "]";
    Node rn = obj(item, rp);
    ConfigResource& cr = store.emplace_back();
    cr.type = str(rn["type"], At(rp, ".type"), true);
    cr.name = str(rn["name"], At(rp, ".name"), true);
    cr.data = str(rn["mode"], At(rp, ".mode"), false) == "data";
    cr.key = (cr.data ? "data." : "") + std::string(cr.type) + "." + std::string(cr.name);
    cr.provider_config_key = str(rn["provider_config_key"], At(rp, ".provider_config_key"), false);
    cr.expressions = obj(rn["expressions"], At(rp, ".expressions"));
    cr.has_count = rn["count_expression"].present;
    cr.for_each = rn["for_each_expression"];
    cr.module = &mod;
    mod.resources.emplace(cr.key, &cr);
  });
  Node outs = obj(m["outputs"], At(path, ".outputs"));
  if (outs.is_object())
    for (auto [k, v] : outs.object()) {
      mod.outputs.emplace(k, Node(v)["expression"]);
      if (Node(v)["sensitive"].is_true()) mod.sensitive_outputs.insert(k);
    }
  Node vars = obj(m["variables"], At(path, ".variables"));
  if (vars.is_object())
    for (auto [k, v] : vars.object()) mod.variables.emplace(k, Node(v));
  Node calls = obj(m["module_calls"], At(path, ".module_calls"));
  if (calls.is_object()) {
    auto& modules = PlanLoader::modules(plan_);
    for (auto [k, v] : calls.object()) {
      std::string cp = path + ".module_calls." + std::string(k);
      Node call = obj(Node(v), cp);
      ConfigModule& child = modules.emplace_back();
      child.path = (mod.path.empty() ? "" : mod.path + ".") + "module." + std::string(k);
      child.parent = &mod;
      child.call_name = k;
      child.source = str(call["source"], At(cp, ".source"), false);
      child.call_expressions = obj(call["expressions"], At(cp, ".expressions"));
      child.call_has_count = call["count_expression"].present;
      child.call_for_each = call["for_each_expression"];
      mod.calls.emplace(k, &child);
      load_config_module(call["module"], cp + ".module", child);
    }
  }
}

void Loader::load_config(const Node& cfg) {
  auto& modules = PlanLoader::modules(plan_);
  modules.emplace_back();  // the root, always present
  if (!cfg.present || cfg.is_null()) return;
  obj(cfg, "configuration");
  plan_.has_configuration = true;
  Node pcs = obj(cfg["provider_config"], "configuration.provider_config");
  if (pcs.is_object()) {
    for (auto [k, v] : pcs.object()) {
      std::string pp = "configuration.provider_config." + std::string(k);
      Node pc = obj(Node(v), pp);
      ProviderConfig p;
      p.key = k;
      p.name = str(pc["name"], At(pp, ".name"), false);
      p.alias = str(pc["alias"], At(pp, ".alias"), false);
      p.module_address = str(pc["module_address"], At(pp, ".module_address"), false);
      p.expressions = obj(pc["expressions"], At(pp, ".expressions"));
      plan_.providers.emplace(k, p);
    }
  }
  load_config_module(cfg["root_module"], "configuration.root_module", modules.front());
}

void Loader::load(Node doc, DocumentClass cls) {
  Node fv = doc["format_version"];
  if (!fv.present)
    fail("format_version", "missing: not a `terraform show -json` document");
  std::string_view v = str(fv, "format_version", true);
  plan_.format_version = std::string(v);
  auto dot = v.find('.');
  std::string_view major = v.substr(0, dot);
  if (major.empty() || major.find_first_not_of("0123456789") != std::string_view::npos)
    fail("format_version", "\"" + std::string(v) + "\" is not a version number");
  if (major != "0" && major != "1")
    fail("format_version",
         "unsupported format_version \"" + std::string(v) +
             "\" (tfwarden reads 0.x and 1.x; a newer tfwarden may read it)",
         LoadErrorKind::Unsupported);
  plan_.terraform_version = str(doc["terraform_version"], "terraform_version", false);
  Node errored = doc["errored"];
  if (errored.present && !errored.is_bool()) fail("errored", std::string("expected a boolean, found ") + json_type_name(errored));
  plan_.errored = errored.is_true();

  Node rcs = arr(doc["resource_changes"], "resource_changes");
  Node pv = obj(doc["planned_values"], "planned_values");
  Node values = obj(doc["values"], "values");
  Node prior = obj(doc["prior_state"], "prior_state");
  obj(doc["configuration"], "configuration");
  plan_.variables = obj(doc["variables"], "variables");
  arr(doc["resource_drift"], "resource_drift");
  obj(doc["output_changes"], "output_changes");
  plan_.kind = cls == DocumentClass::Plan ? DocumentKind::Plan : DocumentKind::State;

  if (plan_.kind == DocumentKind::State) {
    if (values.present) {
      Node root = obj(values["root_module"], "values.root_module");
      load_state_module(root, "values.root_module", false);
    }
  } else if (rcs.present) {
    plan_.resources.reserve(rcs.size());
    each(rcs, [&](size_t i, const Node& rc) { load_resource_change(rc, "resource_changes[" + std::to_string(i) + "]"); });
    if (prior.present) {
      Node pvals = obj(prior["values"], "prior_state.values");
      size_t before = plan_.resources.size();
      load_state_module(obj(pvals["root_module"], "prior_state.values.root_module"), "prior_state.values.root_module",
                        true);
      // Data sources read during planning: keep those resource_changes did not list.
      std::unordered_set<std::string_view> seen;
      if (plan_.resources.size() > before) {
        seen.reserve(before);
        for (size_t i = 0; i < before; ++i) seen.insert(plan_.resources[i].address);
      }
      std::vector<Resource> kept;
      for (size_t i = before; i < plan_.resources.size(); ++i)
        if (!seen.count(plan_.resources[i].address)) kept.push_back(std::move(plan_.resources[i]));
      plan_.resources.resize(before);
      for (auto& r : kept) plan_.resources.push_back(std::move(r));
    }
  } else if (pv.present) {
    plan_.notes.push_back("the plan has no resource_changes (a refresh-only or errored plan); linting its planned values");
    load_state_module(obj(pv["root_module"], "planned_values.root_module"), "planned_values.root_module", false);
  }
  if (plan_.errored)
    plan_.notes.push_back("the plan is marked errored: terraform could not finish planning, so the result is incomplete");
  load_config(doc["configuration"]);
  PlanLoader::build_indexes(plan_);
}

}  // namespace

namespace {

double ms_between(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

std::unique_ptr<Plan> load_plan(std::string input_name, simdjson::padded_string json, LoadError& error,
                                const LoadLimits& limits) {
  using K = LoadErrorKind;
  auto t0 = std::chrono::steady_clock::now();
  error = LoadError{};
  // Every message goes through printable(): the parts that quote the input (keys, values,
  // nlohmann's "last read" token) must not reach a terminal raw.
  auto failed = [&](K kind, const std::string& message) -> std::unique_ptr<Plan> {
    error.kind = kind;
    error.message = printable(message);
    return nullptr;
  };
  auto plan = std::make_unique<Plan>();
  plan->input = std::move(input_name);
  if (json.size() == 0)
    return failed(K::Syntax, "the file is empty (expected the JSON that `terraform show -json` prints)");
  if (json.size() > limits.max_bytes)
    return failed(K::Limit, "the document is " + std::to_string(json.size()) + " bytes, over the limit of " +
                                std::to_string(limits.max_bytes));
  // Plain UTF-8 stays in place; only UTF-16 is copied (transcoded).
  DecodedText decoded;
  if (std::string e; !decode_to_utf8(json, decoded, e)) return failed(K::Encoding, e);
  Offsets offsets{decoded.start, decoded.source == TextEncoding::Utf8 ? nullptr : encoding_name(decoded.source)};
  std::string_view text(json.data() + decoded.start, json.size() - decoded.start);
  if (text.empty())
    return failed(K::Syntax,
                  "the file holds only a byte-order mark (expected the JSON that `terraform show -json` prints)");
  if (std::string hint = describe_content(text); !hint.empty()) return failed(K::Syntax, hint);
  auto& parser = PlanLoader::parser(*plan);
  parser = std::make_unique<simdjson::dom::parser>();
  if (auto err = parser->allocate(text.size(), limits.max_depth); err)
    return failed(K::Limit,
                  std::string("cannot allocate memory to read the document: ") + simdjson::error_message(err));
  PlanLoader::json(*plan) = std::move(json);
  simdjson::dom::element root;
  auto& owned = PlanLoader::json(*plan);
  text = std::string_view(owned.data() + decoded.start, owned.size() - decoded.start);
  // The text ends where `owned` does, so simdjson's padding is there.
  if (auto err = parser->parse(text.data(), text.size(), /*realloc_if_needed=*/false).get(root); err) {
    ShapeError e = simdjson_message(err, text, offsets, limits.max_depth);
    return failed(e.kind, e.message);
  }
  auto t1 = std::chrono::steady_clock::now();
  plan->timings.parse = ms_between(t0, t1);
  // The DOM holds its own copy of every string: the input text is no longer needed.
  size_t size = owned.size();
  owned = simdjson::padded_string();
  Classification cls = classify_document(Node(root));
  if (cls.kind == DocumentClass::NotPlanOrState) return failed(K::NotPlanOrState, "not a plan or state: " + cls.what);
  if (cls.kind == DocumentClass::RawState)
    return failed(K::Unsupported,
                  "this is a raw state file (terraform.tfstate); run `terraform show -json` and lint that");
  // The duplicate-key scan reads the whole DOM; on a large document it runs beside the loader
  // (the DOM is read-only from here on).
  ShapeError dup;
  std::thread scan;
  if (size > (size_t{1} << 20) && std::thread::hardware_concurrency() > 1)
    scan = std::thread([&] { dup = find_duplicate_key(parser->doc); });
  else
    dup = find_duplicate_key(parser->doc);
  ShapeError shape;
  try {
    // With the scan on its thread, `dup` is not read before the join.
    if (scan.joinable() || dup.message.empty()) Loader(*plan).load(Node(root), cls.kind);
  } catch (const ShapeError& e) {
    shape = e;
  }
  if (scan.joinable()) scan.join();
  if (!dup.message.empty()) return failed(dup.kind, dup.message);
  if (!shape.message.empty()) return failed(shape.kind, shape.message);
  plan->timings.model = ms_between(t1, std::chrono::steady_clock::now());
  return plan;
}

std::unique_ptr<Plan> load_plan(std::string input_name, simdjson::padded_string json, std::string& error,
                                const LoadLimits& limits) {
  LoadError e;
  auto plan = load_plan(std::move(input_name), std::move(json), e, limits);
  error = std::move(e.message);
  return plan;
}

namespace {

// Reads `fd` to its end (stdin, a FIFO, a `<(...)` pipe, a device) in large reads into a buffer
// that grows geometrically, then into `out` (one copy). Returns 0, an errno value, or EFBIG once
// more than `max_bytes` arrived (an endless stream is not read for ever).
int read_stream(int fd, size_t max_bytes, simdjson::padded_string& out) {
  struct stat st;
  bool known = ::fstat(fd, &st) == 0;
  size_t capacity = size_t{1} << 20;
  // stdin redirected from a file: its size is known, and one read usually takes it all.
  if (known && S_ISREG(st.st_mode) && st.st_size > 0)
    capacity = std::min<size_t>(static_cast<size_t>(st.st_size), max_bytes) + 1;
#ifdef F_SETPIPE_SZ
  // A larger pipe buffer means fewer, larger reads and fewer wake-ups of the writer.
  if (known && S_ISFIFO(st.st_mode)) ::fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#endif
  std::unique_ptr<char, decltype(&std::free)> buf(static_cast<char*>(std::malloc(capacity)), &std::free);
  if (!buf) return ENOMEM;
  size_t size = 0;
  while (true) {
    if (size == capacity) {
      if (size > max_bytes) return EFBIG;
      size_t grown = capacity * 2;
      char* p = static_cast<char*>(std::realloc(buf.get(), grown));
      if (!p) return ENOMEM;
      static_cast<void>(buf.release());  // realloc moved the block: `p` owns it now
      buf.reset(p);
      capacity = grown;
    }
    ssize_t n = ::read(fd, buf.get() + size, capacity - size);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    size += static_cast<size_t>(n);
  }
  if (size > max_bytes) return EFBIG;
  out = simdjson::padded_string(buf.get(), size);
  return 0;
}

}  // namespace

std::unique_ptr<Plan> load_plan_file(const std::string& path, LoadError& error, const LoadLimits& limits) {
  auto t0 = std::chrono::steady_clock::now();
  simdjson::padded_string json;
  struct stat st;
  bool regular = path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  if (regular) {
    auto loaded = simdjson::padded_string::load(path);
    if (loaded.error()) {
      std::ifstream probe(path);
      error = {LoadErrorKind::Io,
               probe ? "cannot read the file" : "cannot open the file (does it exist, and is it readable?)"};
      return nullptr;
    }
    json = std::move(loaded).value_unsafe();
  } else {
    // Not a regular file: stdin, a FIFO, `<(...)` (/dev/fd/N), a device. It can be read only
    // once, from the start to its end.
    int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      error = {LoadErrorKind::Io, "cannot open the file (does it exist, and is it readable?)"};
      return nullptr;
    }
    int err = read_stream(fd, limits.max_bytes, json);
    if (fd != STDIN_FILENO) ::close(fd);
    if (err == EFBIG) {
      error = {LoadErrorKind::Limit,
               "the document is over the limit of " + std::to_string(limits.max_bytes) + " bytes"};
      return nullptr;
    }
    if (err != 0) {
      error = {LoadErrorKind::Io, std::string("cannot read the file: ") + std::strerror(err)};
      return nullptr;
    }
  }
  double read_ms = ms_between(t0, std::chrono::steady_clock::now());
  auto plan = load_plan(path == "-" ? "<stdin>" : path, std::move(json), error, limits);
  if (plan) plan->timings.read = read_ms;
  return plan;
}

std::unique_ptr<Plan> load_plan_file(const std::string& path, std::string& error, const LoadLimits& limits) {
  LoadError e;
  auto plan = load_plan_file(path, e, limits);
  error = std::move(e.message);
  return plan;
}

}  // namespace tfwarden
