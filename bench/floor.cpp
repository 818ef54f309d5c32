// The floor: the least work any simdjson-based reader of a plan must do. It loads the file into a
// padded buffer and parses it with simdjson's DOM parser, and touches nothing else. bench/run
// times it beside tfwarden on the same file; tfwarden's budget is a small multiple of this.
#include <simdjson.h>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--implementation") == 0) {
    // The SIMD kernel simdjson picked for this CPU, for the benchmark report.
    std::puts(simdjson::get_active_implementation()->name().c_str());
    return 0;
  }
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE.json | --implementation\n", argv[0]);
    return 2;
  }
  // Allocated and never freed, as tfwarden leaves a single plan to the kernel at exit: both
  // sides of the ratio skip the same teardown.
  auto* json = new simdjson::padded_string();
  if (auto err = simdjson::padded_string::load(argv[1]).get(*json); err) {
    std::fprintf(stderr, "floor: cannot read %s: %s\n", argv[1], simdjson::error_message(err));
    return 2;
  }
  auto* parser = new simdjson::dom::parser();
  simdjson::dom::element root;
  if (auto err = parser->parse(*json).get(root); err) {
    std::fprintf(stderr, "floor: %s: %s\n", argv[1], simdjson::error_message(err));
    return 2;
  }
  // Reading the root's type keeps the parse observable without walking the tree.
  return root.is_object() ? 0 : 1;
}
