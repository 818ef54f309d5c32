#!/bin/sh
# The pre-commit hooks of .pre-commit-hooks.yaml through the real pre-commit, as a user's
# repository gets them: scratch git repositories whose .pre-commit-config.yaml names this
# checkout (`repo:` its path, `rev:` a commit sha; uncommitted changes are committed into a
# temporary copy first), the given tfwarden first on PATH, a private PRE_COMMIT_HOME.
#
#   tests/precommit/run.sh TFWARDEN_BINARY
#
# The tfwarden-plan cases run real terraform (the AWS case offline, with the provider from the
# mirror in TF_PLUGIN_DIR or /opt/tf-plugins, like scripts/reference-plan.sh); without terraform
# or the mirror they are skipped, each with the reason. tfwarden-plan-json-docker runs through a
# stand-in `docker` that runs the entry on this machine: the image itself is tested by
# tests/docker/build.sh. Exits 77 (CTest: skipped) when pre-commit is not installed
# (scripts/install-deps installs it) or when every case was skipped.
set -eu

binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
[ -x "$binary" ] || { echo "FAIL: $1 is not an executable"; exit 1; }
if ! command -v pre-commit >/dev/null 2>&1; then
  echo "SKIP: pre-commit is not installed (apt-get install pre-commit)"
  exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tfwarden-precommit.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Nothing of the caller's git, pre-commit or terraform configuration leaks in.
export HOME="$work/home" PRE_COMMIT_HOME="$work/pre-commit" PRE_COMMIT_COLOR=never
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
export CHECKPOINT_DISABLE=1 TF_INPUT=0 NO_COLOR=1 TF_CLI_CONFIG_FILE="$work/terraformrc"
unset TFWARDEN_ARGS TF_PLAN_ARGS TF_INIT_ARGS TFWARDEN_TERRAFORM TF_DATA_DIR TF_CLI_ARGS 2>/dev/null || :
mkdir -p "$HOME" "$work/bin"
: >"$TF_CLI_CONFIG_FILE"
git config --global --add safe.directory '*'
git config --global init.defaultBranch main
ln -s "$binary" "$work/bin/tfwarden"
PATH="$work/bin:$PATH"

# The hooks under test: this checkout's commit, or a commit of its working tree when it differs.
if ! git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  echo "SKIP: $src is not a git checkout (pre-commit clones the hooks from one)"
  exit 77
fi
if [ -z "$(git -C "$src" status --porcelain --untracked-files=normal)" ]; then
  hooks=$src
else
  hooks=$work/hooks
  git init -q "$hooks"
  (cd "$src" && git ls-files -z --cached --others --exclude-standard) |
    (cd "$src" && xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\n" "$f"; done' sh) |
    tar -C "$src" -cf - -T - | tar -C "$hooks" -xf -
  git -C "$hooks" add -A
  git -C "$hooks" commit -qm "working tree of $src"
fi
rev=$(git -C "$hooks" rev-parse HEAD)
echo "hooks: $hooks at $rev"

passed=0
failed=0
skipped=0
pass() {
  echo "PASS: $1"
  passed=$((passed + 1))
}
fail() {
  echo "FAIL: $1"
  sed 's/^/    | /' "$work/out"
  failed=$((failed + 1))
}
skip() {
  echo "SKIP: $1"
  skipped=$((skipped + 1))
}

# new_repo DIR: an empty git repository to commit from.
new_repo() {
  mkdir -p "$1"
  git init -q "$1"
}
# config FILE HOOK [ARGS_YAML]: a .pre-commit-config.yaml using HOOK of the hooks under test.
config() {
  {
    echo "repos:"
    echo "  - repo: $hooks"
    echo "    rev: $rev"
    echo "    hooks:"
    echo "      - id: $2"
    [ -z "${3:-}" ] || echo "        args: $3"
  } >"$1"
}
# run REPO HOOK_EXIT PRE-COMMIT-ARGS...: `pre-commit run` in REPO, output in $work/out; fails
# (returns 1) unless the hook exited HOOK_EXIT (pre-commit itself exits 1 for any failure).
run() {
  repo=$1
  want=$2
  shift 2
  git -C "$repo" add -A
  got=0
  (cd "$repo" && pre-commit run --verbose "$@") >"$work/out" 2>&1 </dev/null || got=$?
  if [ "$want" -eq 0 ]; then
    [ "$got" -eq 0 ] || { echo "pre-commit exited $got, expected 0" >>"$work/out"; return 1; }
  else
    [ "$got" -eq 1 ] || { echo "pre-commit exited $got, expected 1" >>"$work/out"; return 1; }
    has "- exit code: $want"
  fi
}
# has PATTERN: the last output holds PATTERN (fixed string); names it when not.
has() {
  grep -Fq -- "$1" "$work/out" || {
    echo "the output lacks: $1" >>"$work/out"
    return 1
  }
}
lacks() {
  if grep -Fq -- "$1" "$work/out"; then
    echo "the output holds: $1" >>"$work/out"
    return 1
  fi
}

# (a) tfwarden-plan-json: committed plan JSON files.
r=$work/plan-json
new_repo "$r"
cp "$src/fixtures/reference-platform/plan.json" "$r/clean-plan.json"
cp "$src/tests/fixtures/plans/findings.json" "$r/findings-plan.json"
config "$r/.pre-commit-config.yaml" tfwarden-plan-json
config "$r/github.yaml" tfwarden-plan-json "[--format, github]"
if run "$r" 0 --files clean-plan.json && has "tfwarden (plan JSON)" && has Passed &&
  has "no findings in 1 input"; then
  pass "tfwarden-plan-json passes a clean plan"
else
  fail "tfwarden-plan-json passes a clean plan"
fi
if run "$r" 1 --files findings-plan.json && has Failed && has "high[HP-" && has "20 findings"; then
  pass "tfwarden-plan-json fails a plan with findings and prints them"
else
  fail "tfwarden-plan-json fails a plan with findings and prints them"
fi
if run "$r" 1 --config github.yaml --files findings-plan.json && has Failed &&
  has "::error file=" && lacks "20 findings ("; then
  pass "tfwarden-plan-json with args: [--format, github] prints annotations"
else
  fail "tfwarden-plan-json with args: [--format, github] prints annotations"
fi
if run "$r" 1 --all-files && has Failed && has "20 findings"; then
  pass "tfwarden-plan-json --all-files lints both plans"
else
  fail "tfwarden-plan-json --all-files lints both plans"
fi

# tfwarden-plan-json-docker, through a stand-in docker: `build` must run in a checkout of the
# hooks with its Dockerfile; `run` runs the entry here, in the folder it would mount.
cat >"$work/bin/docker" <<'SH'
#!/bin/sh
echo "docker $*" >>"$DOCKER_LOG"
case "$1" in
  build) [ -f Dockerfile ] && [ -f .dockerignore ] || { echo "no Dockerfile in $PWD"; exit 1; }; exit 0 ;;
  run) ;;
  *) exit 1 ;;
esac
shift
mount=""
entry=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rm) shift ;;
    -u | --workdir) shift 2 ;;
    -v) mount=${2%%:*}; shift 2 ;;
    --entrypoint) entry=$2; shift 3; break ;;
    *) echo "unexpected docker run argument $1"; exit 1 ;;
  esac
done
cd "$mount" && exec "$entry" "$@"
SH
chmod +x "$work/bin/docker"
export DOCKER_LOG="$work/docker.log"
config "$r/docker.yaml" tfwarden-plan-json-docker
if run "$r" 1 --config docker.yaml --files findings-plan.json clean-plan.json && has Failed &&
  has "20 findings" && grep -q "^docker build --tag pre-commit-" "$DOCKER_LOG" &&
  grep -Eq "^docker run --rm -u [0-9]+:[0-9]+ -v $(cd "$r" && pwd -P):/src:rw,Z --workdir /src --entrypoint tfwarden pre-commit-[0-9a-f]+ check .*findings-plan.json" "$DOCKER_LOG"; then
  pass "tfwarden-plan-json-docker builds the Dockerfile and runs tfwarden check on the files (stand-in docker)"
else
  cat "$DOCKER_LOG" >>"$work/out" 2>/dev/null || :
  fail "tfwarden-plan-json-docker builds the Dockerfile and runs tfwarden check on the files (stand-in docker)"
fi
rm "$work/bin/docker"

# (b) tfwarden-plan with real terraform.
if ! command -v terraform >/dev/null 2>&1; then
  for c in "a root without a backend" "a changed local module" "init again" "an AWS root" "a .tf.json root" \
    "a .tf.json caller and a lock file" \
    "a file of no root" "a backend without .terraform/" "a failing plan" "--all-files"; do
    skip "tfwarden-plan: $c (terraform is not installed)"
  done
else
  r=$work/plan
  new_repo "$r"
  config "$r/.pre-commit-config.yaml" tfwarden-plan
  printf '.terraform/\n' >"$r/.gitignore"
  mkdir -p "$r/apps/web" "$r/live" "$r/modules/x" "$r/modules/y" "$r/modules/orphan" \
    "$r/jsonroot" "$r/withbackend" "$r/broken" "$r/aws"
  cat >"$r/apps/web/main.tf" <<'HCL'
variable "name" {}

resource "terraform_data" "web" {
  input = var.name
}
HCL
  cat >"$r/live/main.tf" <<'HCL'
module "x" {
  source = "../modules/x"
}
HCL
  cat >"$r/modules/x/main.tf" <<'HCL'
module "y" {
  source = "../y"
}
HCL
  printf 'resource "terraform_data" "from_y" {\n  input = "y"\n}\n' >"$r/modules/y/main.tf"
  printf 'resource "terraform_data" "orphan" {}\n' >"$r/modules/orphan/main.tf"
  cat >"$r/jsonroot/main.tf.json" <<'JSON'
{"resource": {"terraform_data": {"from_json": {"input": "json"}}},
 "module": {"j": {"source": "../modules/j"}}}
JSON
  mkdir -p "$r/modules/j" "$r/modules/locked"
  printf 'resource "terraform_data" "from_j" {}\n' >"$r/modules/j/main.tf"
  # A lock file makes a root of a directory under modules/ that nothing calls, not of a module.
  printf 'resource "terraform_data" "locked" {}\n' >"$r/modules/locked/main.tf"
  : >"$r/modules/locked/.terraform.lock.hcl"
  : >"$r/modules/y/.terraform.lock.hcl"
  cat >"$r/withbackend/main.tf" <<'HCL'
terraform {
  backend "local" {}
}

resource "terraform_data" "backed" {}
HCL
  printf 'resource "terraform_data" "broken" {\n  input = var.undeclared\n}\n' >"$r/broken/main.tf"

  # apps/web: no backend, no provider, no lock file; its required variable comes from TF_PLAN_ARGS.
  if TF_PLAN_ARGS=-var=name=demo run "$r" 0 --files apps/web/main.tf && has Passed &&
    has "tfwarden-plan: planning apps/web" && has "tfwarden-plan: linting apps/web" &&
    has "no findings in 1 input: 1 resource"; then
    pass "tfwarden-plan plans a root without a backend (TF_PLAN_ARGS passed on) and lints it"
  else
    fail "tfwarden-plan plans a root without a backend (TF_PLAN_ARGS passed on) and lints it"
  fi
  if run "$r" 0 --files modules/y/main.tf && has Passed && has "tfwarden-plan: planning live" &&
    has "no findings in 1 input: 1 resource" && lacks "planning modules/"; then
    pass "tfwarden-plan maps a module's file to the root that calls it through another module"
  else
    fail "tfwarden-plan maps a module's file to the root that calls it through another module"
  fi
  mkdir -p "$r/modules/z"
  printf 'resource "terraform_data" "from_z" {}\n' >"$r/modules/z/main.tf"
  printf 'module "z" {\n  source = "../modules/z"\n}\n' >"$r/live/z.tf"
  if [ -d "$r/live/.terraform" ] && run "$r" 0 --files live/z.tf && has Passed &&
    has "tfwarden-plan: initialising live" && has "no findings in 1 input: 2 resources"; then
    pass "tfwarden-plan runs init again when plan asks for it (a new module call)"
  else
    fail "tfwarden-plan runs init again when plan asks for it (a new module call)"
  fi
  printf '#!/bin/sh\necho "$*" >>"%s/tf.log"\nexec terraform "$@"\n' "$work" >"$work/bin/tf-wrapper"
  chmod +x "$work/bin/tf-wrapper"
  # terraform reads no .tofu file, but a changed one maps to its root all the same.
  printf 'resource "terraform_data" "tofu_only" {}\n' >"$r/jsonroot/extra.tofu"
  if TFWARDEN_TERRAFORM=tf-wrapper run "$r" 0 --files jsonroot/main.tf.json jsonroot/extra.tofu &&
    has Passed && has "tfwarden-plan: planning jsonroot" && has "1 input: 2 resources" &&
    [ "$(grep -c 'planning jsonroot' "$work/out")" -eq 1 ] && grep -q '^show -json' "$work/tf.log"; then
    pass "tfwarden-plan plans a .tf.json root once for its .tf.json and .tofu files, with TFWARDEN_TERRAFORM"
  else
    fail "tfwarden-plan plans a .tf.json root once for its .tf.json and .tofu files, with TFWARDEN_TERRAFORM"
  fi
  if run "$r" 0 --files modules/j/main.tf modules/locked/main.tf && has Passed &&
    has "tfwarden-plan: planning jsonroot" && has "tfwarden-plan: planning modules/locked"; then
    pass "tfwarden-plan maps a module to a .tf.json caller and plans an uncalled modules/ directory with a lock file"
  else
    fail "tfwarden-plan maps a module to a .tf.json caller and plans an uncalled modules/ directory with a lock file"
  fi
  if run "$r" 1 --files modules/orphan/main.tf && has Failed &&
    has '`modules/orphan/main.tf` belongs to no root module' && has "exclude:" && lacks "planning"; then
    pass "tfwarden-plan fails a file of no root module and says how to fix it"
  else
    fail "tfwarden-plan fails a file of no root module and says how to fix it"
  fi
  if run "$r" 0 --files withbackend/main.tf && has Passed &&
    has "tfwarden-plan: initialising withbackend (terraform init -input=false)" &&
    has "tfwarden-plan: planning withbackend" && [ -d "$r/withbackend/.terraform" ]; then
    pass "tfwarden-plan runs init (with the backend) where .terraform/ is missing, then plans"
  else
    fail "tfwarden-plan runs init (with the backend) where .terraform/ is missing, then plans"
  fi
  if run "$r" 2 --files broken/main.tf && has Failed && has "Reference to undeclared input variable" &&
    has "tfwarden-plan: error: terraform plan failed in broken"; then
    pass "tfwarden-plan exits 2 with terraform's error when plan fails"
  else
    fail "tfwarden-plan exits 2 with terraform's error when plan fails"
  fi

  # An AWS root, planned offline with the provider of the mirror.
  plugins=${TF_PLUGIN_DIR:-/opt/tf-plugins}
  if [ ! -d "$plugins/registry.terraform.io/hashicorp/aws" ]; then
    skip "tfwarden-plan: an AWS root (no hashicorp/aws provider in $plugins; set TF_PLUGIN_DIR)"
  else
    printf 'provider_installation {\n  filesystem_mirror {\n    path = "%s"\n  }\n}\n' "$plugins" >"$work/terraformrc"
    cat >"$r/aws/main.tf" <<'HCL'
provider "aws" {
  region                      = "eu-west-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

resource "aws_backup_vault" "main" {
  name = "main"
}
HCL
    config "$r/github.yaml" tfwarden-plan "[--format, github, --]"
    if AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
      AWS_SECRET_ACCESS_KEY=offline-plan-only AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
      run "$r" 1 --config github.yaml --files aws/main.tf && has Failed &&
      has "tfwarden-plan: initialising aws (terraform init -input=false -backend=false)" &&
      has "tfwarden-plan: planning aws" && has "::error file=aws/main.tf" && has "HP-BAK-001"; then
      pass "tfwarden-plan plans an AWS root and fails on its finding (args before -- go to tfwarden)"
    else
      fail "tfwarden-plan plans an AWS root and fails on its finding (args before -- go to tfwarden)"
    fi
    rm -rf "$r/aws"
  fi

  # Everything at once: every root planned, the worst exit wins.
  if TF_VAR_name=demo run "$r" 2 --all-files && has Failed && has "planning apps/web" &&
    has "planning live" && has "planning jsonroot" && has "planning withbackend" &&
    has "planning modules/locked" && lacks "planning modules/y" && lacks "planning modules/j" &&
    has "belongs to no root module" && has "terraform plan failed in broken"; then
    pass "tfwarden-plan --all-files plans every root and exits with the worst status"
  else
    fail "tfwarden-plan --all-files plans every root and exits with the worst status"
  fi
fi

echo "pre-commit hooks: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || exit 1
[ "$passed" -gt 0 ] || exit 77
