#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

namespace tfwarden {

// Writes a JSON report (json, sarif, baselines), indented by 2. Every string and key is made
// valid UTF-8 (only when one is not), bytes that are not UTF-8 becoming `\xNN` (escape_invalid_utf8), as in the
// other formats: a file name or plan string that is not UTF-8 neither aborts the report nor
// is lost.
void write_json_document(nlohmann::ordered_json& doc, std::ostream& out);

}  // namespace tfwarden
