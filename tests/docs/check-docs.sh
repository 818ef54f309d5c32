#!/bin/sh
# The rule pages and the README rule table are generated from the rule files: regenerate them
# into a scratch copy and compare with what is committed.
#   tests/docs/check-docs.sh BINARY   (from the repository root)
set -eu
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp README.md "$tmp/README.md"
"$bin" rules docs --out "$tmp/rules" --readme "$tmp/README.md" >/dev/null
status=0
if ! diff -r docs/rules "$tmp/rules" >"$tmp/diff" 2>&1; then
  echo "docs/rules is out of date; run: build/tfwarden rules docs --out docs/rules --readme README.md"
  head -40 "$tmp/diff"
  status=1
fi
if ! diff README.md "$tmp/README.md" >"$tmp/diff" 2>&1; then
  echo "the README rule table is out of date; run: build/tfwarden rules docs --out docs/rules --readme README.md"
  head -40 "$tmp/diff"
  status=1
fi
exit $status
