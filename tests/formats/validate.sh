#!/bin/sh
# Validates tfwarden's GitLab Code Quality report with ajv (a JSON Schema validator, pinned in
# package.json) against gitlab-codequality.schema.json, with unique fingerprints, and its
# Checkstyle report with xmllint against checkstyle.xsd; on a plan with findings, with and
# without --source-dir, and with an input that cannot be read.
#
#   tests/formats/validate.sh BINARY PLAN SOURCE_DIR
#
# Exits 77 (CTest: skipped) when ajv (`npm ci --prefix tests/formats`) or xmllint (Debian:
# libxml2-utils) is not installed.
set -eu
binary=$1
plan=$2
source_dir=$3
here=$(cd "$(dirname "$0")" && pwd)
ajv="$here/node_modules/.bin/ajv"
if [ ! -x "$ajv" ]; then
  echo "SKIP: ajv is not installed (npm ci --prefix tests/formats)"
  exit 77
fi
if ! command -v xmllint >/dev/null 2>&1; then
  echo "SKIP: xmllint is not installed (apt-get install libxml2-utils)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
failed=0
# From a scratch copy, as a repository's CI runs it: paths relative to the working directory.
cp "$plan" "$work/plan.json"
cp -R "$source_dir" "$work/source"
printf '{"format_version": "1.2", "resource_changes": [' >"$work/truncated.json"
case $binary in /*) ;; *) binary=$(pwd)/$binary ;; esac
cd "$work"

# run NAME EXPECTED_EXIT ARGS...
run() {
  name=$1 want=$2
  shift 2
  status=0
  "$binary" check "$@" --format "gitlab=$work/$name.gitlab.json" --format "checkstyle=$work/$name.checkstyle.xml" \
    >"$work/$name.txt" 2>&1 || status=$?
  if [ "$status" -ne "$want" ]; then
    echo "FAIL $name: tfwarden exited $status, expected $want"
    cat "$work/$name.txt"
    failed=1
    return
  fi
  if "$ajv" validate --spec=draft7 --strict=false -s "$here/gitlab-codequality.schema.json" \
      -d "$work/$name.gitlab.json" >"$work/$name.ajv" 2>&1; then
    echo "$name: gitlab: valid against the schema"
  else
    echo "FAIL $name: gitlab:"
    cat "$work/$name.ajv"
    failed=1
  fi
  python3 - "$work/$name.gitlab.json" <<'PY' || failed=1
import json, sys
issues = json.load(open(sys.argv[1]))
prints = [i["fingerprint"] for i in issues]
if len(prints) != len(set(prints)):
    sys.exit("FAIL: gitlab: repeated fingerprints")
if not issues:
    sys.exit("FAIL: gitlab: no issue")
print("  %d issues, fingerprints unique" % len(issues))
PY
  if xmllint --noout --schema "$here/checkstyle.xsd" "$work/$name.checkstyle.xml" >"$work/$name.xmllint" 2>&1; then
    echo "$name: checkstyle: valid against the schema, $(grep -c '<error ' "$work/$name.checkstyle.xml") errors"
  else
    echo "FAIL $name: checkstyle:"
    cat "$work/$name.xmllint"
    failed=1
  fi
}

run plan 1 plan.json
run source-dir 1 plan.json --source-dir source
grep -q '"path": "source/[^"]*\.tf"' "$work/source-dir.gitlab.json" ||
  { echo "FAIL source-dir: gitlab issues do not point at .tf files"; failed=1; }
run unreadable-input 2 plan.json truncated.json
grep -q 'tfwarden/input' "$work/unreadable-input.gitlab.json" ||
  { echo "FAIL unreadable-input: gitlab lists no input error"; failed=1; }
grep -q 'source="tfwarden.input"' "$work/unreadable-input.checkstyle.xml" ||
  { echo "FAIL unreadable-input: checkstyle lists no input error"; failed=1; }
exit $failed
