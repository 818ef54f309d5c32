// Fuzzes the source mapper's .tf reader: the input becomes main.tf of a module directory.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "report/source_map.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("tfwarden-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  {
    std::ofstream out(dir / "main.tf", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  tfwarden::SourceMap map;
  std::string error;
  if (map.load(dir.string(), error)) {
    map.locate("aws_s3_bucket.b", "bucket");
    map.locate("module.m[\"k\"].aws_s3_bucket.b[0]", "");
  }
  return 0;
}
