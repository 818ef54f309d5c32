#!/bin/sh
# Validates tfwarden's SARIF with the SARIF Multitool's SARIF and GitHub rules, and fails on
# any error or warning. Three runs: locations in the plan, locations in .tf files
# (SOURCE_DIR), and waivers plus a baseline (suppressions, baselineState, meta rules).
#
#   tests/sarif/validate.sh BINARY PLAN [SOURCE_DIR]
#
# Exits 77 (CTest: skipped) when the Multitool is not installed: `npm ci --prefix tests/sarif`.
set -eu

binary=$1
plan=$2
source_dir=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
# Called directly: npx splits the `Sarif;Gh` argument.
tool="$here/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$tool" ]; then
  echo "SKIP: the SARIF Multitool is not installed (npm ci --prefix tests/sarif)"
  exit 77
fi
# .NET needs ICU unless told not to; the validator does no culture-specific work.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
failed=0

# run NAME ARGS...: tfwarden must find something (exit 1) and the Multitool nothing.
run() {
  name=$1
  shift
  status=0
  "$binary" check "$@" --format "sarif=$work/$name.sarif" >"$work/$name.txt" 2>&1 || status=$?
  if [ "$status" -ne 1 ]; then
    echo "FAIL $name: tfwarden exited $status, expected 1 (findings)"
    cat "$work/$name.txt"
    failed=1
    return
  fi
  "$tool" validate --rule-kind "Sarif;Gh" "$work/$name.sarif" --output "$work/$name.validation.sarif" \
    >"$work/$name.log" 2>&1 || true
  if [ ! -s "$work/$name.validation.sarif" ]; then
    echo "FAIL $name: the Multitool did not run"
    cat "$work/$name.log"
    failed=1
    return
  fi
  errors=$(grep -c ': error [A-Z]*[0-9]*:' "$work/$name.log" || true)
  warnings=$(grep -c ': warning [A-Z]*[0-9]*:' "$work/$name.log" || true)
  echo "$name: $errors errors, $warnings warnings"
  if [ "$errors" -ne 0 ] || [ "$warnings" -ne 0 ]; then
    grep -E ': (error|warning) ' "$work/$name.log"
    failed=1
  fi
}

run plan "$plan"
if [ -n "$source_dir" ]; then
  run source-dir "$plan" --source-dir "$source_dir"
fi

# Waivers: one in force, one expired (a TFW-WAIVER-001 finding), one matching nothing
# (TFW-WAIVER-002). The baseline holds the findings of one rule. The run is on a fixed day, so
# the waivers in force stay within the three years a waiver may run.
export TFWARDEN_TODAY=2026-12-01
cat >"$work/waivers.toml" <<'TOML'
[[waiver]]
rule = "HP-NET-001"
address = "module.network*"
reason = "public subnets of the ingress tier, fronted by the load balancer"
approved-by = "platform-security"
expires = "2028-12-31"

[[waiver]]
rule = "HP-DATA-003"
address = "aws_db_instance.*"
reason = "reporting replica, recreated nightly"
approved-by = "platform-security"
expires = "2020-01-31"

[[waiver]]
rule = "HP-EDGE-001"
address = "aws_cloudfront_distribution.gone"
reason = "decommissioned"
approved-by = "platform-security"
expires = "2028-12-31"
TOML
"$binary" check "$plan" --only HP-DATA-001 --write-baseline "$work/baseline.json" >/dev/null 2>&1 || true
run waivers "$plan" --config "$work/waivers.toml" --baseline "$work/baseline.json"

exit $failed
