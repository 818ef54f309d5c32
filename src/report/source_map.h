#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tfwarden {

struct SourceLocation {
  std::string file;
  size_t line = 0;
};

// Maps resource addresses to the `.tf` file and line of their `resource` block (and of an
// attribute inside it), following module calls through their local `source` paths.
class SourceMap {
 public:
  // Reads every .tf file under `root_dir` (the root module of the plan).
  bool load(const std::string& root_dir, std::string& error);
  // `module.svc["api"].aws_ecs_service.this[0]`, `web_acl_id` -> file:line, or nullopt.
  std::optional<SourceLocation> locate(const std::string& address, const std::string& attribute_path) const;

 private:
  struct Block {
    SourceLocation where;
    std::unordered_map<std::string, size_t> attribute_lines;  // top-level attribute or block name -> line
  };
  struct Module {
    std::unordered_map<std::string, Block> resources;        // "aws_x.y" / "data.aws_x.y"
    std::unordered_map<std::string, std::string> calls;      // module name -> directory
  };
  const Module* module_for(const std::string& dir) const;
  bool load_dir(const std::string& dir, std::string& error, int depth);
  std::unordered_map<std::string, Module> modules_;  // by canonical directory
  std::string root_;
};

}  // namespace tfwarden
