#!/bin/sh
# Runs the GitHub Action (action.yml) in a simulated runner, case by case: checks that no run:
# holds an expression, evaluates env:, with:, if: and the outputs as a runner would, fakes
# actions/cache against a local store, and checks exit codes, outputs, annotations, SARIF and
# the job summary on the package path, the build-from-source fallback, cache misses and hits
# (tests/action/cases.py; the runner is tests/action/simulate.py).
#
#   tests/action/run.sh TFWARDEN_BINARY
#
# Exits 77 (CTest: skipped) when Debian's python3-yaml is absent (scripts/install-deps
# installs it).
set -eu
binary=$1
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
if ! "$py" -c 'import yaml' 2>/dev/null; then
  echo "skipped: python3-yaml is not installed (apt-get install python3-yaml)"
  exit 77
fi
exec "$py" "$here/cases.py" "$here/../.." "$binary"
