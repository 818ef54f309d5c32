#!/bin/sh
# Regenerates fixtures/reference-platform/ (the plan of the whole reference platform, its
# variants and the state of the deployed platform) with real Terraform and the real AWS
# provider, offline. Needs terraform (>= 1.11, for `terraform test` overrides at plan time),
# the hashicorp/aws provider (a mirror given by TF_PLUGIN_DIR, /opt/tf-plugins when present,
# else the registry) and python3. Takes about 15 minutes on two cores.
#
#   scripts/reference-plan.sh                     # everything
#   scripts/reference-plan.sh --only NAME ...     # only these variants
#
# Then run the end-to-end tests, review the fixture diff and rewrite the goldens:
#   UPDATE_GOLDEN=1 ctest --test-dir build -R e2e
# See scripts/reference-platform/generate.py for what it does.
set -eu
cd "$(dirname "$0")/.."

die() {
  echo "reference-plan: error: $*" >&2
  exit 2
}

command -v python3 >/dev/null 2>&1 || die "python3 is not installed"
command -v terraform >/dev/null 2>&1 ||
  die "terraform is not installed; the fixtures are committed, so only regenerating them needs it (https://developer.hashicorp.com/terraform/install)"
version=$(terraform version -json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])') ||
  die "cannot read the version of terraform"
case "$version" in
  0.* | 1.[0-9].* | 1.10.*) die "terraform $version is too old: 1.11 or later is needed (override_during in terraform test)" ;;
esac

plugin_dir=${TF_PLUGIN_DIR:-}
if [ -z "$plugin_dir" ] && [ -d /opt/tf-plugins/registry.terraform.io/hashicorp/aws ]; then
  plugin_dir=/opt/tf-plugins
fi
if [ -n "$plugin_dir" ]; then
  [ -d "$plugin_dir/registry.terraform.io/hashicorp/aws" ] ||
    die "$plugin_dir holds no registry.terraform.io/hashicorp/aws provider (TF_PLUGIN_DIR)"
  set -- --plugin-dir "$plugin_dir" "$@"
else
  echo "reference-plan: no provider mirror (TF_PLUGIN_DIR): terraform init downloads hashicorp/aws from the registry" >&2
fi

exec python3 scripts/reference-platform/generate.py "$@"
