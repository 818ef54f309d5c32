#!/usr/bin/env bash
# First step of the tfwarden Action (action.yml): the version this copy of the action declares
# (the `project(tfwarden VERSION x.y.z)` line of its CMakeLists.txt), the directory tfwarden is
# installed into, and the two cache keys install.sh may store that directory under:
#   package-key  tfwarden-VERSION-OS-ARCH-package          the self-contained release package
#   source-key   tfwarden-VERSION-OS-ARCH-source-SHA256    a build from source, keyed by the
#                runner image (ImageOS/ImageVersion on GitHub-hosted runners, /etc/os-release,
#                the C library and the machine) and by the sources built
# Runs outside GitHub too: needs GITHUB_ACTION_PATH, RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP and
# GITHUB_OUTPUT in the environment.
set -euo pipefail

err() {
  echo "tfwarden-action: error: $*" >&2
  exit 2
}

root=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
: "${RUNNER_OS:?}" "${RUNNER_ARCH:?}" "${RUNNER_TEMP:?}" "${GITHUB_OUTPUT:?}"
version=$(sed -n 's/^project(tfwarden VERSION \([0-9][0-9A-Za-z.+-]*\).*/\1/p' "$root/CMakeLists.txt" | head -n 1)
[ -n "$version" ] || err "no \`project(tfwarden VERSION x.y.z)\` line in $root/CMakeLists.txt"

# The hosted image's name and version, and what the job sees itself (a job in a container
# has the host's ImageOS but the container's system).
image="${ImageOS:-} ${ImageVersion:-} $(cat /etc/os-release 2>/dev/null || true) $(ldd --version 2>&1 | head -n 1) $(uname -m)"
# The sources a build reads, and the script that lays it out (it picks the libraries bundled).
sources=$(cd "$root" && find CMakeLists.txt cmake src rules scripts/install-deps scripts/action \
  -type f -print0 2>/dev/null | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64)
identity=$(printf '%s\n%s\n' "$image" "$sources" | sha256sum | cut -c1-64)

base="tfwarden-$version-$RUNNER_OS-$RUNNER_ARCH"
{
  echo "version=$version"
  echo "dir=$RUNNER_TEMP/tfwarden-$version"
  echo "package-key=$base-package"
  echo "source-key=$base-source-$identity"
} >>"$GITHUB_OUTPUT"
echo "tfwarden-action: version $version, source key $base-source-$identity"
