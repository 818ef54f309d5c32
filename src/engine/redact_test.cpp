#include "engine/redact.h"

#include <catch2/catch.hpp>
#include <cstring>

using namespace tfwarden;

namespace {

struct Case {
  const char* name;
  std::string in, out;
};

}  // namespace

TEST_CASE("the credential detector redacts each kind of secret and keeps what names it", "[redact]") {
  std::vector<Case> cases = {
      {"AWS access key id", "key AKIAZ7TFWARDENFAKE01 is in use", "key (redacted) is in use"},
      {"AWS temporary key id", "ASIAZ7TFWARDENFAKE01", "(redacted)"},
      {"AWS secret key after its name", "aws_secret_access_key = tfwFAKEsecretKEY/0123456789abcdefEXAMPLE",
       "aws_secret_access_key = (redacted)"},
      {"AWS secret key, env style", "AWS_SECRET_ACCESS_KEY=tfwFAKEsecretKEY/0123456789abcdefEXAMPLE",
       "AWS_SECRET_ACCESS_KEY=(redacted)"},
      {"PEM private key", "key: -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- end",
       "key: (redacted) end"},
      {"PEM private key cut short", "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "(redacted)"},
      {"GitHub personal token", "ghp_0123456789abcdefghijABCDEFGHIJ012345", "(redacted)"},
      {"GitHub OAuth token", "token ghO_x gho_0123456789abcdefghijABCDEFGHIJ012345", "token ghO_x (redacted)"},
      {"GitHub app token", "ghs_0123456789abcdefghijABCDEFGHIJ012345", "(redacted)"},
      {"GitHub fine-grained token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "(redacted)"},
      {"Slack bot token", "xoxb-123456789012-abcdefghijkl", "(redacted)"},
      {"Slack user token", "xoxp-123456789012-abcdefghijkl", "(redacted)"},
      {"JWT", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk",
       "Bearer (redacted)"},
      {"password= pair", "host=db password=hunter2-correct-horse port=5432", "host=db password=(redacted) port=5432"},
      {"passwd: pair", "passwd: hunter2", "passwd: (redacted)"},
      {"quoted pair", R"j(db_password = "hunter2 correct")j", R"j(db_password = "(redacted)")j"},
      {"single-quoted pair", "PWD='hunter2'", "PWD='(redacted)'"},
      {"token in a query string", "https://hooks.example.com/x?token=abc123&x=1",
       "https://hooks.example.com/x?token=(redacted)&x=1"},
      {"JSON member as text", R"j({"password":"hunter2","user":"app")j", R"j({"password":"(redacted)","user":"app")j"},
      {"JSON member inside a JSON string", R"j(\"client_secret\":\"s3cr3t\")j",
       R"j(\"client_secret\":\"(redacted)\")j"},
      {"name/value pair as text", R"j([{"name":"DB_PASSWORD","value":"hunter2"},{"name":"LOG_LEVEL","value":"info"})j",
       R"j([{"name":"DB_PASSWORD","value":"(redacted)"},{"name":"LOG_LEVEL","value":"info"})j"},
      {"URL with a password", "postgres://app:hunter2-correct-horse@db.internal:5432/app",
       "postgres://app:(redacted)@db.internal:5432/app"},
      {"masks stay as they are", R"j({"API_TOKEN":"(sensitive)"} token: (sensitive) pwd='(redacted)')j",
       R"j({"API_TOKEN":"(sensitive)"} token: (sensitive) pwd='(redacted)')j"},
      {"already redacted", "password=(redacted) postgres://app:(redacted)@db",
       "password=(redacted) postgres://app:(redacted)@db"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(redact_text(c.in) == c.out);
    CHECK(redact_text(redact_text(c.in)) == c.out);  // idempotent: messages embed redacted values
  }
}

TEST_CASE("the credential detector leaves near misses readable", "[redact]") {
  for (const char* keep : {
           "arn:aws:iam::123456789012:role/api-execution",
           "arn:aws:secretsmanager:us-east-1:123456789012:secret:api/db-AbCdEf",
           "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
           "1234abcd-12ab-34cd-56ef-1234567890ab",
           "f47ac10b-58cc-4372-a567-0e02b2c3d479",
           // An image digest, split over two lines on purpose: one literal.
           "123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:"  // NOLINT(bugprone-suspicious-missing-comma)
           "3f1e5bd1c6a2e0f4b7d8c9a0e1f2d3c4b5a6978877665544332211ffeeddccbb",
           "AKIAZ7TFWARDENFAKE",        // too short for a key id
           "akiaz7tfwardenfake01",      // lower case
           "XAKIAZ7TFWARDENFAKE01",     // inside a word
           "ghp_short",                 // too short for a token
           "xoxz-123456789012-abcdef",  // not a Slack prefix
           "eyJhbGciOiJIUzI1NiJ9",      // one segment
           "https://example.com:8443/health",
           "ssh://git@github.com/org/repo.git",
           "task definition `aws_ecs_task_definition.api` passes a secret in a container's environment",
           "secret `aws_secretsmanager_secret.db` is not rotated automatically at least every 30 days",
           "password_length = 14 and token_validity_units",
           "ELBSecurityPolicy-TLS13-1-2-2021-06",
       }) {
    INFO(keep);
    CHECK(redact_text(keep) == keep);
  }
}

TEST_CASE("secret names", "[redact]") {
  for (const char* secret :
       {"DB_PASSWORD", "passwd", "API_KEY", "api-key", "apikey", "OTEL_EXPORTER_API_KEY", "client_secret",
        "GITHUB_TOKEN", "private_key", "AWS_ACCESS_KEY_ID", "credentials", "SSH_PASSPHRASE"}) {
    INFO(secret);
    CHECK(is_secret_name(secret));
  }
  for (const char* plain : {"", "DB_HOST", "LOG_LEVEL", "name", "kms_key_id", "secret_arn", "DB_PASSWORD_ARN", "PWD"}) {
    INFO(plain);
    CHECK_FALSE(is_secret_name(plain));
  }
}

TEST_CASE("a JSON value is redacted member by member, the rest kept", "[redact]") {
  std::vector<Case> cases = {
      {"secret key", R"j({"password":"hunter2","user":"app","port":5432})j",
       R"j({"password":"(redacted)","user":"app","port":5432})j"},
      {"name/value pairs", R"j([{"name":"DB_PASSWORD","value":"hunter2"},{"name":"DB_HOST","value":"db.internal"}])j",
       R"j([{"name":"DB_PASSWORD","value":"(redacted)"},{"name":"DB_HOST","value":"db.internal"}])j"},
      {"pair of another casing", R"j([{"Key":"ApiToken","Value":"abc"}])j",
       R"j([{"Key":"ApiToken","Value":"(redacted)"}])j"},
      {"a leaf the detector flags",
       R"j({"env":{"DATABASE_URL":"postgres://app:pw@db/app","KEY_ID":"AKIAZ7TFWARDENFAKE01","LEVEL":"info"}})j",
       R"j({"env":{"DATABASE_URL":"postgres://app:(redacted)@db/app","KEY_ID":"(redacted)","LEVEL":"info"}})j"},
      {"inside a secret-named object, all but names and ARNs",
       R"j({"credentials":{"user":"admin","pass":"x"},"secrets":[{"name":"DB","valueFrom":"arn:aws:ssm:us-east-1:123456789012:parameter/db"}]})j",
       R"j({"credentials":{"user":"(redacted)","pass":"(redacted)"},"secrets":[{"name":"DB","valueFrom":"arn:aws:ssm:us-east-1:123456789012:parameter/db"}]})j"},
      {"JSON inside a JSON string", R"j({"defs":"[{\"name\":\"TOKEN\",\"value\":\"abc\"}]"})j",
       R"j({"defs":"[{\"name\":\"TOKEN\",\"value\":\"(redacted)\"}]"})j"},
      {"masks stay as they are", R"j({"password":"(sensitive)","token":"(redacted)"})j",
       R"j({"password":"(sensitive)","token":"(redacted)"})j"},
      {"booleans, nulls and empty strings say nothing", R"j({"secret":false,"token":null,"password":""})j",
       R"j({"secret":false,"token":null,"password":""})j"},
      {"nothing to redact: kept byte for byte", R"j({ "name" : "api",  "image": "x:1" })j",
       R"j({ "name" : "api",  "image": "x:1" })j"},
      {"not JSON: the text detector", "[DB_HOST, password=hunter2]", "[DB_HOST, password=(redacted)]"},
      {"broken JSON: the text detector", R"j([{"name":"DB_PASSWORD","value":"hunter2"},{"na)j",
       R"j([{"name":"DB_PASSWORD","value":"(redacted)"},{"na)j"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(redact_value(c.in) == c.out);
  }
}

TEST_CASE("a secret rule's value shows only the names of its secrets", "[redact]") {
  const std::string defs =
      R"j([{"name":"api","environment":[{"name":"DB_HOST","value":"db"},{"name":"DB_PASSWORD","value":"hunter2"},)j"
      R"j({"name":"DATABASE_URL","value":"postgres://app:hunter2@db/app"},{"name":"DB_CONN","value":"x"}],)j"
      R"j("secrets":[{"name":"DB_SECRET","valueFrom":"arn:aws:secretsmanager:us-east-1:123456789012:secret:db"}]}])j";
  CHECK(secret_value(defs) == "DB_PASSWORD=(redacted), DATABASE_URL=(redacted)");
  RE2 extra("CONN");
  CHECK(secret_value(defs, &extra) == "DB_PASSWORD=(redacted), DATABASE_URL=(redacted), DB_CONN=(redacted)");
  CHECK(secret_value(R"j({"variables":{"API_TOKEN":"abc","LEVEL":"info"}})j") == "API_TOKEN=(redacted)");
  CHECK(secret_value("hunter2") == "(redacted)");
  CHECK(secret_value(R"j([{"name":"LOG_LEVEL","value":"info"}])j") == "(redacted)");
}

TEST_CASE("markers: only true marks, at any depth", "[redact]") {
  simdjson::dom::parser p1, p2;
  auto node = [](simdjson::dom::parser& p, const char* json) {
    simdjson::dom::element e;
    REQUIRE(p.parse(json, std::strlen(json)).get(e) == simdjson::SUCCESS);
    return Node(e);
  };
  for (const char* none : {"false", "{}", "[]", "[{}]", R"j({"a":[{}],"b":{},"c":[false]})j"}) {
    INFO(none);
    CHECK_FALSE(marks_any(node(p1, none)));
  }
  for (const char* some : {"true", R"j({"a":true})j", R"j([{},{"b":[{"c":true}]}])j"}) {
    INFO(some);
    CHECK(marks_any(node(p1, some)));
  }
  CHECK_FALSE(marks_any(Node()));

  Node value = node(p1, R"j([{"variables":{"API_TOKEN":"abc","LEVEL":"info"},"list":["a","b"]}])j");
  CHECK(to_json_masked(value, node(p2, "[{}]"), "(sensitive)") == to_json(value));
  CHECK(to_json_masked(value, Node(), "(sensitive)") == to_json(value));
  CHECK(to_json_masked(value, node(p2, R"j([{"variables":{"API_TOKEN":true},"list":[false,true]}])j"), "(sensitive)") ==
        R"j([{"variables":{"API_TOKEN":"(sensitive)","LEVEL":"info"},"list":["a","(sensitive)"]}])j");
  CHECK(to_json_masked(value, node(p2, R"j([{"variables":true}])j"), "(sensitive)") ==
        R"j([{"variables":"(sensitive)","list":["a","b"]}])j");
  CHECK(to_json_masked(value, node(p2, "true"), "(sensitive)") == R"j("(sensitive)")j");
  // A marker of another shape that marks something masks the whole value.
  CHECK(to_json_masked(value, node(p2, R"j({"a":true})j"), "(sensitive)") == R"j("(sensitive)")j");
}
