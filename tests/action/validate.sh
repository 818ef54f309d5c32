#!/bin/sh
# Validates action.yml and every workflow (.github/workflows/, reference-terraform's) against
# the schemas of GitHub Actions with action-validator (pinned by tests/action/package.json).
# Run from the repository root:
#
#   tests/action/validate.sh
#
# Exits 77 (CTest: skipped) when Node or the validator is not installed: scripts/install-deps
# installs it (`npm ci` in tests/action/), and skips it with TFWARDEN_SKIP_NPM=1 or offline.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tool="$here/node_modules/@action-validator/cli/cli.mjs"
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (scripts/install-deps installs it)"
  exit 77
fi
if [ ! -f "$tool" ]; then
  echo "SKIP: action-validator is not installed (npm ci --prefix tests/action)"
  exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT INT TERM
status=0
for f in action.yml .github/workflows/*.yml reference-terraform/.github/workflows/*.yml; do
  if node "$tool" "$f" >"$out" 2>&1; then
    echo "valid: $f"
  else
    echo "FAIL $f:"
    cat "$out"
    status=1
  fi
done
exit $status
