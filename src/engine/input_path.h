#pragma once

#include <string>

namespace tfwarden {

// The stable name of an input or configuration file in fingerprints, baselines and waiver
// findings: relative to the working directory when it lies below it (`./a/../plan.json` and
// `/repo/plan.json` run from `/repo` are both `plan.json`), else the normalised path as given;
// `-` is `<stdin>`. Two root modules' plans never share a name; the same plan named two ways
// always does.
std::string stable_path(const std::string& path);

}  // namespace tfwarden
