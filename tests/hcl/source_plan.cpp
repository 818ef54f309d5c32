// Prints the plan document tfwarden makes from a root module's source (source/load.h), for
// the differential tests against Terraform's own plans and for looking into a result:
//   tfwarden_source_plan DIR [--var-file F]... [--var NAME=VALUE]...
#include <iostream>

#include "source/load.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: tfwarden_source_plan DIR [--var-file F]... [--var NAME=VALUE]...\n";
    return 2;
  }
  tfwarden::source::SourceOptions options;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--var-file") {
      options.var_files.push_back(value);
    } else if (flag == "--var" && value.find('=') != std::string::npos) {
      options.vars.emplace_back(value.substr(0, value.find('=')), value.substr(value.find('=') + 1));
    } else {
      std::cerr << "tfwarden_source_plan: unknown argument " << flag << "\n";
      return 2;
    }
  }
  std::string error;
  std::vector<std::string> notes;
  std::string doc = tfwarden::source::plan_document(argv[1], options, error, notes);
  for (const auto& n : notes) std::cerr << "note: " << n << "\n";
  if (doc.empty()) {
    std::cerr << error << "\n";
    return 2;
  }
  std::cout << doc << "\n";
  return 0;
}
