#pragma once

#include <string>
#include <string_view>

namespace tfwarden {

// Escapes for both XML text and attribute values. The text is made displayable first: control
// characters (which XML 1.0 cannot hold, even as references), U+FFFE, U+FFFF and invalid UTF-8
// become text such as `\u001b` and `\xff`, so no input makes the document ill-formed, and a
// line break in a value shows as `\n`. The JUnit and Checkstyle writers use it.
std::string xml_escape(std::string_view raw);
// The same, appended to `out`.
void append_xml_escaped(std::string& out, std::string_view raw);

}  // namespace tfwarden
