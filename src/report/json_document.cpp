#include "report/json_document.h"

#include <string>
#include <utility>

#include "plan/encoding.h"

namespace tfwarden {

namespace {

using ojson = nlohmann::ordered_json;

bool invalid(const std::string& s) {
  return find_invalid_utf8(s) != std::string::npos;
}

void make_valid_utf8(ojson& j) {
  if (j.is_string()) {
    auto& s = j.get_ref<std::string&>();
    if (invalid(s)) s = escape_invalid_utf8(s);
  } else if (j.is_array()) {
    for (auto& e : j) make_valid_utf8(e);
  } else if (j.is_object()) {
    bool bad_key = false;
    for (auto it = j.begin(); it != j.end(); ++it) {
      bad_key = bad_key || invalid(it.key());
      make_valid_utf8(it.value());
    }
    if (!bad_key) return;
    // Keys cannot be changed in place: the object is rebuilt, in the same order.
    ojson fixed = ojson::object();
    for (auto it = j.begin(); it != j.end(); ++it) fixed[escape_invalid_utf8(it.key())] = std::move(it.value());
    j = std::move(fixed);
  }
}

}  // namespace

void write_json_document(ojson& doc, std::ostream& out) {
  std::string text;
  // nlohmann checks every string while it dumps and throws on invalid UTF-8 (type_error 316)
  // before returning anything: only then is the document walked and mended.
  try {
    text = doc.dump(2);
  } catch (const nlohmann::json::type_error&) {
    make_valid_utf8(doc);
    text = doc.dump(2);
  }
  out << text << "\n";
}

}  // namespace tfwarden
