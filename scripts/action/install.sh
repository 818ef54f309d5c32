#!/usr/bin/env bash
# Second step of the tfwarden Action (action.yml): makes TFWARDEN_DIR/bin/tfwarden, in the
# layout of the release package (bin/tfwarden, lib/ with the shared libraries it needs):
#   1. what actions/cache restored (CACHE_MATCHED_KEY), if that binary runs here;
#   2. else the release package of VERSION for Linux x86_64, checked against its .sha256:
#      https://github.com/tfwarden/tfwarden/releases/download/vVERSION/tfwarden-VERSION-linux-x86_64.tar.gz
#      (not tried with INPUT_BUILD_FROM_SOURCE=true, on other systems, or when the package does
#      not run here);
#   3. else a Release build of GITHUB_ACTION_PATH (scripts/install-deps, cmake), with the
#      libraries ldd lists (all but the C library's) copied into lib/ and RUNPATH $ORIGIN/../lib.
# A checksum that does not match is an error, never a reason to build instead.
#
# Outputs (GITHUB_OUTPUT): path (the binary), method (cache, package or source) and cache-key
# (the key this install belongs under; the Action saves it when it differs from what was
# restored). Also puts bin/ on GITHUB_PATH.
#
# Environment: TFWARDEN_VERSION, TFWARDEN_DIR, PACKAGE_KEY, SOURCE_KEY, CACHE_MATCHED_KEY,
# INPUT_BUILD_FROM_SOURCE, GITHUB_ACTION_PATH, RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP,
# GITHUB_OUTPUT, GITHUB_PATH. For tests only:
#   TFWARDEN_PACKAGE_BASE_URL  where the package and its .sha256 are (any URL curl reads, e.g.
#                              file:///tmp/releases) instead of the GitHub release
#   TFWARDEN_ACTION_PREBUILT   a built tfwarden that a source build copies instead of building
set -euo pipefail

err() {
  echo "tfwarden-action: error: $*" >&2
  exit 2
}
say() {
  echo "tfwarden-action: $*"
}

root=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
version=${TFWARDEN_VERSION:?}
dir=${TFWARDEN_DIR:?}
: "${PACKAGE_KEY:?}" "${SOURCE_KEY:?}" "${RUNNER_OS:?}" "${RUNNER_ARCH:?}" "${RUNNER_TEMP:?}"
: "${GITHUB_OUTPUT:?}" "${GITHUB_PATH:?}"

runs() {
  "$1" --version >/dev/null 2>&1
}

finish() {
  {
    echo "path=$dir/bin/tfwarden"
    echo "method=$1"
    echo "cache-key=$2"
  } >>"$GITHUB_OUTPUT"
  echo "$dir/bin" >>"$GITHUB_PATH"
  say "$("$dir/bin/tfwarden" --version) ($1) in $dir"
  exit 0
}

if [ -n "${CACHE_MATCHED_KEY:-}" ]; then
  if runs "$dir/bin/tfwarden"; then
    say "restored from the cache ($CACHE_MATCHED_KEY)"
    finish cache "$CACHE_MATCHED_KEY"
  fi
  say "the cached binary ($CACHE_MATCHED_KEY) does not run here; installing again"
fi
rm -rf "$dir"

# try_package: sets packaged=1 when the package is installed in $dir. Not called as a
# condition, so that errexit holds inside it.
packaged=0
try_package() {
  if [ "${INPUT_BUILD_FROM_SOURCE:-false}" = true ]; then
    say "build-from-source is set: not downloading the release package"
    return 0
  fi
  if [ "$RUNNER_OS" != Linux ] || [ "$RUNNER_ARCH" != X64 ]; then
    say "no release package for $RUNNER_OS $RUNNER_ARCH"
    return 0
  fi
  if ! command -v curl >/dev/null 2>&1; then
    say "curl is not installed: cannot download the release package"
    return 0
  fi
  local name="tfwarden-$version-linux-x86_64"
  local base=${TFWARDEN_PACKAGE_BASE_URL:-https://github.com/tfwarden/tfwarden/releases/download/v$version}
  local tmp="$RUNNER_TEMP/tfwarden-download"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  say "downloading $base/$name.tar.gz"
  if ! curl -fsSL --retry 2 --connect-timeout 20 -o "$tmp/$name.tar.gz" "$base/$name.tar.gz" ||
    ! curl -fsSL --retry 2 --connect-timeout 20 -o "$tmp/$name.tar.gz.sha256" "$base/$name.tar.gz.sha256"; then
    say "no release package at $base (a branch or a fork, or no network): building from source"
    return 0
  fi
  # The checksum file must name this package and nothing else.
  if [ "$(wc -l <"$tmp/$name.tar.gz.sha256")" -ne 1 ] ||
    ! grep -Eq "^[0-9a-f]{64} [ *]$name\.tar\.gz\$" "$tmp/$name.tar.gz.sha256"; then
    err "$name.tar.gz.sha256 is not one sha256sum line for $name.tar.gz"
  fi
  (cd "$tmp" && sha256sum -c --strict --quiet "$name.tar.gz.sha256") ||
    err "$name.tar.gz does not match its .sha256"
  tar -xzf "$tmp/$name.tar.gz" -C "$tmp"
  [ -f "$tmp/$name/bin/tfwarden" ] || err "$name.tar.gz has no $name/bin/tfwarden"
  if ! runs "$tmp/$name/bin/tfwarden"; then
    say "the release package does not run on this runner: building from source"
    return 0
  fi
  mkdir -p "$(dirname "$dir")"
  mv "$tmp/$name" "$dir"
  rm -rf "$tmp"
  packaged=1
}

try_package
if [ "$packaged" = 1 ]; then
  finish package "$PACKAGE_KEY"
fi

if [ -n "${TFWARDEN_ACTION_PREBUILT:-}" ]; then
  say "TFWARDEN_ACTION_PREBUILT is set (tests only): copying $TFWARDEN_ACTION_PREBUILT instead of building"
  built=$TFWARDEN_ACTION_PREBUILT
else
  [ "$RUNNER_OS" = Linux ] || err "building from source needs a Debian or Ubuntu runner, not $RUNNER_OS"
  build="$RUNNER_TEMP/tfwarden-build"
  say "building $root from source"
  "$root/scripts/install-deps" --build
  # shellcheck disable=SC2016 # $ORIGIN is for the dynamic loader
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTFWARDEN_BUILD_TESTS=OFF \
    -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON '-DCMAKE_INSTALL_RPATH=$ORIGIN/../lib' >/dev/null
  cmake --build "$build" -j"$(nproc)" --target tfwarden
  built="$build/tfwarden"
fi
runs "$built" || err "$built does not run"
mkdir -p "$dir/bin" "$dir/lib"
cp "$built" "$dir/bin/tfwarden"
# The C library and its parts stay the runner's; the cache key names the image besides.
ldd "$built" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | while IFS= read -r lib; do
  case ${lib##*/} in
  libc.so* | libm.so* | libpthread.so* | libdl.so* | librt.so* | libresolv.so* | ld-linux*) ;;
  *) cp -L "$lib" "$dir/lib/" ;;
  esac
done
finish source "$SOURCE_KEY"
