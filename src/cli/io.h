#pragma once

#include <string>
#include <vector>

namespace tfwarden {

// Expands command-line inputs: "-" (stdin), files, and directories (recursively, *.json, sorted).
// Returns false with `error` set when an input does not exist.
bool expand_inputs(const std::vector<std::string>& args, std::vector<std::string>& out, std::string& error);

// Writes `content` to `path` atomically: a temporary file beside it, then a rename.
bool write_file_atomic(const std::string& path, const std::string& content, std::string& error);

// Prints the tool's own error: `tfwarden: error: MSG` on stderr.
void print_error(const std::string& msg);

// True when colour should be used on stdout for `mode` (auto, always, never).
bool use_color(const std::string& mode);

}  // namespace tfwarden
