#pragma once

#include <re2/re2.h>

#include <string>
#include <string_view>

#include "plan/json.h"

namespace tfwarden {

// What a report shows in place of a secret.
inline constexpr std::string_view kRedacted = "(redacted)";

// Whether a key, or the `name` of a name/value pair, names a secret: password, passwd,
// passphrase, secret, token, api_key, private_key, access_key, credential (any case). A name
// ending in `arn`/`arns` names a reference to a secret, not one.
bool is_secret_name(std::string_view name);

// Free text (a message, a reason, an error line) with every credential the detector knows
// replaced by `(redacted)`: AWS access key ids (AKIA/ASIA), AWS secret keys after an
// `aws_secret_access_key`-like name, PEM private keys, GitHub and Slack tokens, JWTs, the value
// of `password=`/`token: `-style pairs and the password of a `scheme://user:password@` URL.
// Names, ARNs, ids and digests stay readable.
std::string redact_text(std::string_view text);

// A rendered value. JSON (an object or array, or a string holding one, at any depth) is
// redacted member by member: the value of a member whose key is a secret name, of a name/value
// pair (`{"name": "DB_PASSWORD", "value": ...}`) whose name is one, and every leaf the text
// detector flags, become "(redacted)"; the rest is kept byte for byte when nothing is redacted.
// Other text goes through redact_text.
std::string redact_value(std::string_view value);

// What a finding of a secret rule shows of its value: `NAME=(redacted)` for each member or
// name/value pair of the JSON value that holds a secret (a secret name, a name `extra_names`
// matches, or a value the detector flags), joined by ", "; "(redacted)" when it names none.
std::string secret_value(std::string_view value, const RE2* extra_names = nullptr);

// Whether a Terraform marker (`after_unknown`, `after_sensitive`) marks anything: `true` at
// some depth. `false`, `{}`, `[]` and `[{}]` (what Terraform writes for blocks with nothing
// marked) mark nothing.
bool marks_any(const Node& marker);

// `json` as compact JSON, with every part that `marker` marks `true` (and all below it) written
// as the string `mask`.
std::string to_json_masked(const Node& json, const Node& marker, std::string_view mask);

}  // namespace tfwarden
