#!/usr/bin/env bash
# Runs `terraform fmt -check` and `terraform validate` on the roots (global, regions, platform) of
# reference-terraform/ when a Terraform CLI is available, on a copy so that no
# .terraform directory lands in the tree. Without network access, point
# TF_PLUGIN_DIR at a provider mirror (a directory laid out like
# registry.terraform.io/hashicorp/aws/<version>/<os_arch>/). Prints "skipped"
# and exits 0 when Terraform is not installed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$(cd "${1:-${here}/../../reference-terraform}" && pwd)"

if ! command -v terraform >/dev/null 2>&1; then
  echo "terraform-validate: skipped (no terraform on PATH)"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
cp -r "${src}/." "${work}/"

init_args=(-backend=false -input=false -no-color)
if [[ -n "${TF_PLUGIN_DIR:-}" ]]; then
  init_args+=("-plugin-dir=${TF_PLUGIN_DIR}")
fi

passed=0
failed=0
if terraform -chdir="${work}" fmt -recursive -check >/dev/null; then
  echo "ok    terraform fmt -check"
  passed=$((passed + 1))
else
  echo "FAIL  terraform fmt -check (run: terraform fmt -recursive reference-terraform)"
  failed=$((failed + 1))
fi

for root in global regions platform; do
  if ! out="$(terraform -chdir="${work}/${root}" init "${init_args[@]}" 2>&1)"; then
    echo "FAIL  ${root}: terraform init"
    echo "${out}" | tail -20
    failed=$((failed + 1))
    continue
  fi
  if out="$(terraform -chdir="${work}/${root}" validate -no-color 2>&1)"; then
    echo "ok    ${root}: terraform validate"
    passed=$((passed + 1))
  else
    echo "FAIL  ${root}: terraform validate"
    echo "${out}" | tail -40
    failed=$((failed + 1))
  fi
done

echo "${passed} passed, ${failed} failed"
[[ "${failed}" -eq 0 ]]
