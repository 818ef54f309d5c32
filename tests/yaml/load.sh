#!/bin/sh
# Every YAML file users' tools load (the Action, the pre-commit hooks, the workflows) parses
# with a real YAML parser: an unquoted `: ` in a description once made action.yml unloadable.
# So does every ```yaml block of README.md, and the README's and the workflows' uses of the
# Action give only its real inputs and read only its outputs (tests/yaml/readme-snippets.py).
# Skips (77) when Debian's python3-yaml is absent (scripts/install-deps installs it).
set -eu
py=/usr/bin/python3
if ! "$py" -c 'import yaml' 2>/dev/null; then
  echo "skipped: python3-yaml is not installed (apt-get install python3-yaml)"
  exit 77
fi
status=0
for f in action.yml .pre-commit-hooks.yaml .github/workflows/*.yml reference-terraform/.github/workflows/*.yml; do
  if ! "$py" -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$f" 2>/tmp/yaml-load.$$; then
    echo "$f does not load:"
    tail -3 /tmp/yaml-load.$$
    status=1
  fi
done
rm -f /tmp/yaml-load.$$
"$py" "$(dirname "$0")/readme-snippets.py" . || status=1
exit $status
