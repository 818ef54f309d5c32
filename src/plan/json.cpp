#include "plan/json.h"

namespace tfwarden {

double Node::num() const {
  if (!present) return 0;
  switch (elem.type()) {
    case simdjson::dom::element_type::INT64: return static_cast<double>(elem.get_int64().value_unsafe());
    case simdjson::dom::element_type::UINT64: return static_cast<double>(elem.get_uint64().value_unsafe());
    case simdjson::dom::element_type::DOUBLE: return elem.get_double().value_unsafe();
    default: return 0;
  }
}

const char* json_type_name(const Node& n) {
  if (!n.present) return "nothing";
  switch (n.elem.type()) {
    case simdjson::dom::element_type::ARRAY: return "an array";
    case simdjson::dom::element_type::OBJECT: return "an object";
    case simdjson::dom::element_type::STRING: return "a string";
    case simdjson::dom::element_type::BOOL: return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
    default: return "a number";
  }
}

std::string to_json(const Node& n) {
  if (!n.present) return "";
  return simdjson::minify(n.elem);
}

}  // namespace tfwarden
