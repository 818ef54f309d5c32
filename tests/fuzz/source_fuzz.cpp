// Fuzzes the Terraform source reader (source/load.h): any main.tf ends with a plan document
// that the plan loader reads, or with an error naming a file and line; never a crash or a hang.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "source/load.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("tfwarden-source-fuzz-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir / "main.tf", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  std::string error;
  std::vector<std::string> notes;
  std::string doc = tfwarden::source::plan_document(dir.string(), {}, error, notes);
  if (doc.empty() == error.empty()) std::abort();  // one or the other
  if (!doc.empty()) {
    std::string load_error;
    if (!tfwarden::load_plan("fuzz", simdjson::padded_string(doc), load_error)) std::abort();
  }
  return 0;
}
