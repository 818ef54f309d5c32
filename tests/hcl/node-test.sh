#!/bin/sh
# Runs one of the Node test scripts of tests/hcl/ for CTest: exits 77 (skipped) with a
# message when Node or tests/hcl/node_modules is missing (CI installs them with
# scripts/install-deps, which runs `npm ci` here).
# Usage: tests/hcl/node-test.sh SCRIPT.js [ARGS...]
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1; then
  echo "skipped: node is not installed (scripts/install-deps installs it)"
  exit 77
fi
if [ ! -d "$here/node_modules/@cdktf/hcl2json" ]; then
  echo "skipped: tests/hcl/node_modules is missing (run scripts/install-deps, or: cd tests/hcl && npm ci)"
  exit 77
fi
script=$1
shift
exec node "$here/$script" "$@"
