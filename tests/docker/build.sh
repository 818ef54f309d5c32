#!/bin/sh
# Builds the Docker image from this checkout and runs it the ways the README and the
# tfwarden-plan-json-docker hook do: as an arbitrary uid with no passwd entry, writing a report
# into the mounted folder; as the default user, reading it.
#
#   tests/docker/build.sh [SOURCE_DIR]
#
# Exits 77 (CTest: skipped) when no Docker engine answers (`docker info` fails).
set -eu

src=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
if ! command -v docker >/dev/null 2>&1; then
  echo "SKIP: docker is not installed"
  exit 77
fi
if ! docker info >/dev/null 2>&1; then
  echo "SKIP: no Docker engine answers (docker info fails)"
  exit 77
fi
tag=tfwarden-test:$$
work=$(mktemp -d)
trap 'rm -rf "$work"; docker image rm -f "$tag" >/dev/null 2>&1 || :' EXIT INT TERM

fail() {
  echo "FAIL: $*"
  exit 1
}

docker build -q -t "$tag" "$src" >/dev/null || fail "docker build failed"
cp "$src/fixtures/reference-platform/plan.json" "$work/clean-plan.json"
cp "$src/tests/fixtures/plans/findings.json" "$work/plan.json"
chmod 755 "$work"
chmod 644 "$work"/*.json

# As the caller (the README's way, and pre-commit's docker language): writes beside the input.
uid=$(id -u)
gid=$(id -g)
if [ "$uid" -eq 0 ]; then # as root, an arbitrary uid with no passwd entry
  uid=4242
  gid=4242
  chown "$uid:$gid" "$work"
fi
status=0
docker run --rm -v "$work:/work" --user "$uid:$gid" "$tag" check plan.json -o report.json --format json \
  >"$work/out.txt" 2>&1 || status=$?
[ "$status" -eq 1 ] || { cat "$work/out.txt"; fail "check as uid $uid exited $status, expected 1 (findings)"; }
[ -s "$work/report.json" ] || fail "no report.json written into the mounted folder"
grep -q '"findings"' "$work/report.json" || fail "report.json holds no findings"

# The default user reads the mounted folder and lints a clean plan.
status=0
docker run --rm -v "$work:/work:ro" "$tag" check clean-plan.json >"$work/out.txt" 2>&1 || status=$?
[ "$status" -eq 0 ] || { cat "$work/out.txt"; fail "check as the default user exited $status, expected 0"; }
[ "$(docker run --rm --entrypoint id "$tag" -u)" != 0 ] || fail "the image runs as root by default"
echo "docker: image builds, writes reports as uid $uid, runs as a non-root user"
