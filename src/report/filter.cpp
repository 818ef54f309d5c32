#include "report/filter.h"

#include <algorithm>

namespace tfwarden {

bool ReportFilter::keep(const Finding& f) const {
  if (f.severity < min_severity) return false;
  if (!types.empty() && std::find(types.begin(), types.end(), f.type) == types.end()) return false;
  if (address && !RE2::PartialMatch(f.address, *address)) return false;
  return !(f.undecided && hide_undecided);
}

void FilterScan::scan(const ReportFilter& filter, const Plan& plan) {
  // The plan's type index answers presence; its type names are gathered only for a did-you-mean.
  std::vector<const std::string*> missing;
  for (const std::string& t : filter.types) {
    if (plan.of_type(t))
      types.insert(t);
    else
      missing.push_back(&t);
  }
  if (!missing.empty()) {
    std::set<std::string_view> seen;
    for (const Resource& r : plan.resources) seen.insert(r.type);
    std::vector<std::string> names(seen.begin(), seen.end());
    for (const std::string* t : missing)
      if (std::string hint = did_you_mean(*t, names); !hint.empty()) type_near_misses[*t].insert(std::move(hint));
  }
  if (!filter.address) return;
  for (const Resource& r : plan.resources)
    if (RE2::PartialMatch(r.address, *filter.address)) ++address_matches;
  if (address_matches > 0 || plan.resources.empty()) return;
  std::vector<std::string> addresses;
  addresses.reserve(plan.resources.size());
  for (const Resource& r : plan.resources) addresses.emplace_back(r.address);
  std::string hint = did_you_mean(filter.address->pattern(), addresses);
  if (!hint.empty()) near_misses.push_back(hint);
}

void FilterScan::merge(const FilterScan& other) {
  types.insert(other.types.begin(), other.types.end());
  for (const auto& [t, hints] : other.type_near_misses) type_near_misses[t].insert(hints.begin(), hints.end());
  address_matches += other.address_matches;
  near_misses.insert(near_misses.end(), other.near_misses.begin(), other.near_misses.end());
}

std::string filter_error(const ReportFilter& filter, const std::vector<const Rule*>& rules, const FilterScan& scan,
                         std::vector<std::string>& notes) {
  std::set<std::string> selected;
  for (const Rule* r : rules) selected.insert(r->types.begin(), r->types.end());
  for (const std::string& t : filter.types) {
    if (selected.count(t)) continue;
    if (scan.types.count(t)) {
      notes.push_back("no rule that runs checks resources of type `" + t + "`");
      continue;
    }
    std::vector<std::string> known(selected.begin(), selected.end());
    if (auto it = scan.type_near_misses.find(t); it != scan.type_near_misses.end())
      known.insert(known.end(), it->second.begin(), it->second.end());
    std::string hint = did_you_mean(t, known);
    return "--type `" + t + "`: no rule that runs selects this type and no input has a resource of it" +
           (hint.empty() ? "" : " (did you mean `" + hint + "`?)");
  }
  if (filter.address && scan.address_matches == 0) {
    std::string hint = did_you_mean(filter.address->pattern(), scan.near_misses);
    return "--address `" + filter.address->pattern() + "` matches no resource in the inputs" +
           (hint.empty() ? "" : " (did you mean `" + hint + "`?)");
  }
  return "";
}

}  // namespace tfwarden
