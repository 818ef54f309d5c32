#!/usr/bin/env bash
# Last step of the tfwarden Action (action.yml): runs `tfwarden check` on the plan input and
# exits with its exit code (0 pass, 1 findings at or above fail-on, 2 error), so the step gates
# the merge. Writes annotations (--format github) on stdout, the SARIF file, the Markdown
# report appended to GITHUB_STEP_SUMMARY, and a JSON report in RUNNER_TEMP that the outputs
# exit-code, sarif-file (an absolute path), findings and undecided are read from.
#
# INPUT_PLAN and INPUT_EXTRA_ARGS are lists: one item a line when the value has several lines
# (so a path may hold spaces), else items separated by whitespace. Plan items are paths or
# globs (`*`, `?`, `[...]`, `**`); a glob is expanded once, and what it matched is used as it
# is. Extra arguments are never expanded. Nothing is evaluated.
#
# Environment: TFWARDEN_BIN (the binary), INPUT_PLAN, INPUT_CONFIG, INPUT_FAIL_ON,
# INPUT_SOURCE_DIR, INPUT_SARIF_FILE, INPUT_EXTRA_ARGS, RUNNER_TEMP, GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY. Runs in the current directory (the workspace, in a workflow).
set -uo pipefail
shopt -s globstar

err() {
  echo "tfwarden-action: error: $*" >&2
  echo "exit-code=2" >>"$GITHUB_OUTPUT"
  exit 2
}

bin=${TFWARDEN_BIN:?TFWARDEN_BIN is not set}
: "${RUNNER_TEMP:?}" "${GITHUB_OUTPUT:?}" "${GITHUB_STEP_SUMMARY:?}"

# split VALUE: the items of a list input, into the array `items`.
split() {
  items=()
  local line
  if [[ $1 == *$'\n'* ]]; then
    while IFS= read -r line; do
      line=${line#"${line%%[![:space:]]*}"}
      line=${line%"${line##*[![:space:]]}"}
      [ -n "$line" ] && items+=("$line")
    done <<<"$1"
  else
    read -r -a items <<<"$1"
  fi
}

# glob PATTERN: its matches, into the array `matched`. Unquoted with IFS empty: pathname
# expansion only, no splitting. An unmatched glob stays as written, and tfwarden reports it as
# an input it cannot read.
glob() {
  local IFS=
  # shellcheck disable=SC2206 # the glob is meant to expand
  matched=($1)
}

split "${INPUT_PLAN:-}"
plans=()
for item in "${items[@]}"; do
  if [[ $item == *[*?[]* ]]; then
    glob "$item"
    plans+=("${matched[@]}")
  else
    plans+=("$item")
  fi
done
[ "${#plans[@]}" -gt 0 ] || err "the plan input names no file"
split "${INPUT_EXTRA_ARGS:-}"
extra=("${items[@]}")

sarif=${INPUT_SARIF_FILE:-tfwarden.sarif}
[[ $sarif == /* ]] || sarif="$PWD/$sarif"
json="$RUNNER_TEMP/tfwarden.json"
markdown="$RUNNER_TEMP/tfwarden.md"
rm -f "$json" "$markdown"

args=(check --fail-on "${INPUT_FAIL_ON:-low}" --format github --format "sarif=$sarif"
  --format "json=$json" --format "markdown=$markdown")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_SOURCE_DIR:-}" ] && args+=(--source-dir "$INPUT_SOURCE_DIR")
args+=("${extra[@]}" -- "${plans[@]}")

"$bin" "${args[@]}"
code=$?

[ -f "$markdown" ] && cat "$markdown" >>"$GITHUB_STEP_SUMMARY"
findings=""
undecided=""
if [ -f "$json" ]; then
  if command -v jq >/dev/null 2>&1; then
    findings=$(jq -r '.summary.findings' "$json")
    undecided=$(jq -r '.summary.undecided' "$json")
  else
    read -r findings undecided < <(python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print(s["findings"], s["undecided"])' "$json")
  fi
fi
{
  echo "exit-code=$code"
  echo "sarif-file=$sarif"
  echo "findings=$findings"
  echo "undecided=$undecided"
} >>"$GITHUB_OUTPUT"
exit "$code"
