#!/bin/sh
# The rule pages and the README rule table are generated from the rule files, the manual page
# docs/tfwarden.1 from the help: regenerate them into a scratch copy and compare with what is
# committed. The manual page must also format without a warning (groff -ww), where groff is.
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
"$bin" man >"$tmp/tfwarden.1"
if ! diff docs/tfwarden.1 "$tmp/tfwarden.1" >"$tmp/diff" 2>&1; then
  echo "docs/tfwarden.1 is out of date; run: build/tfwarden man > docs/tfwarden.1"
  head -40 "$tmp/diff"
  status=1
fi
if command -v groff >/dev/null 2>&1; then
  if groff -man -Tutf8 -ww -z docs/tfwarden.1 2>&1 | grep . >"$tmp/groff"; then
    echo "docs/tfwarden.1: groff warns:"
    cat "$tmp/groff"
    status=1
  fi
else
  echo "note: groff is not installed: the manual page was compared, not formatted"
fi
exit $status
