#pragma once

#include <string>

namespace CLI {
class App;
}

namespace tfwarden {

// A shell completion script for `app` (commands, options, the values of options that take a
// fixed set, files and directories where an option names one); `shell` is bash, zsh or fish.
// Empty for another shell.
std::string completion_script(const CLI::App& app, const std::string& shell);

// The manual page (roff, man(7) macros) written from the same help: every command, its options
// with their descriptions and environment variables, exit codes and files.
std::string man_page(const CLI::App& app);

}  // namespace tfwarden
