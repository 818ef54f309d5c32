#!/bin/sh
# Checks that tfwarden's JUnit report on a plan with findings is well-formed XML.
#
#   tests/junit/wellformed.sh BINARY PLAN
#
# Exits 77 (CTest: skipped) when xmllint (Debian: libxml2-utils) is not installed.
set -eu

binary=$1
plan=$2
if ! command -v xmllint >/dev/null 2>&1; then
  echo "SKIP: xmllint is not installed (apt-get install libxml2-utils)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

status=0
"$binary" check "$plan" --format "junit=$work/report.xml" >"$work/out.txt" 2>&1 || status=$?
if [ "$status" -ne 1 ]; then
  echo "FAIL: tfwarden exited $status, expected 1 (findings)"
  cat "$work/out.txt"
  exit 1
fi
xmllint --noout "$work/report.xml"
grep -q '<failure ' "$work/report.xml" || { echo "FAIL: no <failure> in the report"; exit 1; }
echo "junit: well-formed"
