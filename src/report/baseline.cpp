#include "report/baseline.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "report/fingerprint.h"

namespace tfwarden {

bool apply_baseline(const std::string& path, std::vector<Finding>& findings, std::string& note, std::string& error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = path + ": the baseline is a directory; give the JSON report file";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open the baseline";
    return false;
  }
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    error = path + ": the baseline is not valid JSON (byte " + std::to_string(e.byte) + ")";
    return false;
  } catch (const std::exception&) {
    error = path + ": cannot read the baseline";
    return false;
  }
  if (!doc.is_object() || !doc.contains("findings") || !doc["findings"].is_array()) {
    error = path + ": not a tfwarden JSON report (no `findings` array)";
    return false;
  }
  int version = 1;
  if (auto tool = doc.find("tool"); tool != doc.end() && tool->is_object()) {
    auto v = tool->find("report_version");
    if (v != tool->end() && v->is_number_integer()) version = v->get<int>();
  }
  if (version > 2) {
    error = path + ": the baseline is a report_version " + std::to_string(version) +
            " report, newer than this tfwarden reads (2); upgrade tfwarden or rewrite the baseline";
    return false;
  }
  std::set<std::string> known;
  for (const auto& f : doc["findings"])
    if (f.is_object() && f.contains("fingerprint") && f["fingerprint"].is_string())
      known.insert(f["fingerprint"].get<std::string>());
  bool legacy = version < 2;
  if (legacy)
    note = path +
           ": a report_version 1 baseline has no input in its fingerprints: its findings match in every input; "
           "rewrite it with --write-baseline";
  for (Finding& f : findings)
    if (known.count(legacy ? legacy_fingerprint(f) : fingerprint(f))) f.baseline = true;
  return true;
}

}  // namespace tfwarden
