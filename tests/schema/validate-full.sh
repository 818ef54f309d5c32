#!/bin/sh
# Validates every attribute path of the bundled packs against the whole AWS provider schema
# (`terraform providers schema -json` of hashicorp/aws 5.100.0), with --strict: a path or a
# resource type the provider does not have fails. Needs terraform and the provider mirror the
# reference plan uses (TF_PLUGIN_DIR, or /opt/tf-plugins); skipped (exit 77) without them.
#   tests/schema/validate-full.sh build/tfwarden
set -eu
tfwarden=$1
plugin_dir=${TF_PLUGIN_DIR:-/opt/tf-plugins}
if ! command -v terraform >/dev/null 2>&1 || [ ! -d "$plugin_dir/registry.terraform.io/hashicorp/aws" ]; then
  echo "skipped: terraform or the hashicorp/aws provider mirror ($plugin_dir) is absent"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/main.tf" <<'TF'
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}
TF
(cd "$work" && TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 terraform init -input=false -no-color \
  -plugin-dir="$plugin_dir" >init.log 2>&1) || { cat "$work/init.log"; exit 1; }
(cd "$work" && TF_CLI_CONFIG_FILE=/dev/null terraform providers schema -json >schema.json)
exec "$tfwarden" rules validate --schema "$work/schema.json" --strict
