// Fuzzes the HCL parser: any input ends with a tree or diagnostics, never a crash or a hang,
// and every place it reports is inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hcl/parser.h"

namespace {

void check_range(const tfwarden::hcl::Range& r, size_t size) {
  if (r.begin.byte > size || r.end.byte > size || r.begin.byte > r.end.byte) std::abort();
}

void check_expr(const tfwarden::hcl::Expr& e, size_t size) {
  check_range(e.range, size);
  for (const auto& k : e.kids) check_expr(*k, size);
}

void check_body(const tfwarden::hcl::Body& b, size_t size) {
  for (const auto& a : b.attributes) {
    check_range(a.range, size);
    check_expr(*a.expr, size);
  }
  for (const auto& blk : b.blocks) {
    check_range(blk.range, size);
    check_body(*blk.body, size);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  tfwarden::hcl::File f = tfwarden::hcl::parse(text, "fuzz.tf");
  for (const auto& d : f.errors)
    if (d.pos.byte > size || d.message.empty()) std::abort();
  check_body(f.body, size);
  return 0;
}
