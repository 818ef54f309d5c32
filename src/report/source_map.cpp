#include "report/source_map.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "hcl/parser.h"

namespace tfwarden {

namespace fs = std::filesystem;

namespace {

struct ScannedBlock {
  std::string key;  // "aws_x.y" / "data.aws_x.y"
  size_t line = 0;
  std::vector<std::pair<std::string, size_t>> attributes;  // and nested blocks, by name
};

struct ScannedFile {
  std::vector<ScannedBlock> blocks;
  std::vector<std::pair<std::string, std::string>> calls;  // module name -> local source
};

// The resource, data and module blocks of a file, read by the HCL parser. A syntax error
// drops only the item it is in (see hcl::parse), so a malformed file still maps the rest.
ScannedFile scan(std::string_view text, const std::string& file) {
  hcl::File parsed = hcl::parse(text, file);
  ScannedFile out;
  for (const hcl::Block& b : parsed.body.blocks) {
    if ((b.type == "resource" || b.type == "data") && b.labels.size() == 2) {
      ScannedBlock block;
      block.key = (b.type == "data" ? "data." : "") + b.labels[0] + "." + b.labels[1];
      block.line = b.range.begin.line;
      for (const hcl::Attribute& a : b.body->attributes) block.attributes.emplace_back(a.name, a.range.begin.line);
      for (const hcl::Block& nested : b.body->blocks) {
        // A `dynamic "origin"` block stands for the `origin` blocks it generates.
        bool dynamic = nested.type == "dynamic" && nested.labels.size() == 1;
        block.attributes.emplace_back(dynamic ? nested.labels[0] : nested.type, nested.range.begin.line);
      }
      out.blocks.push_back(std::move(block));
    } else if (b.type == "module" && b.labels.size() == 1) {
      const hcl::Attribute* source = b.body->attribute("source");
      std::optional<std::string> path = source ? hcl::literal_string(*source->expr) : std::nullopt;
      // Terraform reads only sources starting with ./ or ../ as local paths.
      if (path && (path->starts_with("./") || path->starts_with("../"))) out.calls.emplace_back(b.labels[0], *path);
    }
  }
  return out;
}

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
    ScannedFile scanned = scan(text.str(), file);
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
