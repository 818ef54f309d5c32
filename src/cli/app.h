#pragma once

namespace tfwarden {

// Runs the tfwarden command line; returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace tfwarden
