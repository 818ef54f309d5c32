#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>

namespace tfwarden {

struct SourceLocation {
  std::string file;
  size_t line = 0;
};

// Maps resource addresses to the `.tf` file and line of their `resource` block (and of an
// attribute inside it), following module calls through their local `source` paths.
class SourceMap {
 public:
  // A Terraform file larger than this is refused rather than scanned.
  static constexpr std::uintmax_t kMaxFileSize = 16u << 20;
  // Module calls nested deeper than this are not followed.
  static constexpr int kMaxModuleDepth = 32;

  // Reads every .tf file of `root_dir` (the root module of the plan) and of the local modules
  // it calls. Fails only when a directory or file cannot be read or a file is too large;
  // malformed HCL maps what it can.
  bool load(const std::string& root_dir, std::string& error);
  // `module.svc["api"].aws_ecs_service.this[0]`, `web_acl_id` -> file:line, or nullopt. The
  // line is the attribute's (or nested block's) when the block sets it, else the block's.
  std::optional<SourceLocation> locate(const std::string& address, const std::string& attribute_path) const;

 private:
  struct Block {
    SourceLocation where;
    std::unordered_map<std::string, size_t> attribute_lines;  // top-level attribute or block name -> line
  };
  struct Module {
    std::unordered_map<std::string, Block> resources;    // "aws_x.y" / "data.aws_x.y"
    std::unordered_map<std::string, std::string> calls;  // module name -> key in modules_
  };
  bool load_dir(const std::filesystem::path& dir, const std::filesystem::path& shown, int depth, std::string& error);
  std::unordered_map<std::string, Module> modules_;  // by canonical directory
  std::string root_;
};

}  // namespace tfwarden
