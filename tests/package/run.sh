#!/bin/sh
# Checks that the release package runs where none of the build's libraries are installed: it
# unpacks the package into a minimal Debian root (debootstrap --variant=minbase bookworm, which
# has no libre2, libsimdjson or libtomlplusplus) and runs it there with chroot.
#
#   tests/package/run.sh CACHE_DIR [PACKAGE.tar.gz]
#
# The root is made once in CACHE_DIR/root and reused. PACKAGE (or $TFWARDEN_PACKAGE) is a
# tarball from scripts/package; without one, scripts/package builds it. Run from the source
# directory. Exits 77 (CTest: skipped) when it cannot run: not root, no chroot permission, no
# debootstrap and none installable, no python3, or no reachable Debian mirror.
set -eu
me=tests/package/run.sh

fail() {
  echo "FAIL: $*"
  exit 1
}
skip() {
  echo "SKIP: $*"
  exit 77
}

[ $# -ge 1 ] || { echo "$me: error: usage: $me CACHE_DIR [PACKAGE.tar.gz]" >&2; exit 2; }
cache=$1
package=${2:-${TFWARDEN_PACKAGE:-}}
start=$(date +%s)

[ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap and chroot)"
chroot / /bin/true 2>/dev/null || skip "chroot is not permitted here (no CAP_SYS_CHROOT)"
# The binary finds lib/ through $ORIGIN, which glibc reads from /proc/self/exe: the root gets
# its own /proc, mounted in a private mount namespace that ends with each command.
command -v unshare >/dev/null 2>&1 || skip "unshare is not installed"
unshare --mount --propagation private sh -c 'mount -t proc proc /mnt' 2>/dev/null ||
  skip "unshare --mount or mounting /proc is not permitted here"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (it parses the SARIF output)"
if ! command -v debootstrap >/dev/null 2>&1; then
  echo "installing debootstrap"
  apt-get install -y --no-install-recommends debootstrap >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends debootstrap >/dev/null 2>&1; } ||
    true
  command -v debootstrap >/dev/null 2>&1 || skip "debootstrap is not installed and apt-get could not install it"
fi

if [ -z "$package" ]; then
  scripts/package
  version=${TFWARDEN_VERSION:-$(sed -n 's/^project(tfwarden VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt)}
  package=dist/tfwarden-$version-linux-x86_64.tar.gz
fi
case $package in /*) ;; *) package=$(pwd)/$package ;; esac
[ -f "$package" ] || fail "no package at $package"
name=$(basename "$package" .tar.gz)
version=${name#tfwarden-}
version=${version%-linux-x86_64}
if [ -f "$package.sha256" ]; then
  (cd "$(dirname "$package")" && sha256sum -c --status "$name.tar.gz.sha256") || fail "$name.tar.gz does not match its .sha256"
fi

# The mirror this machine's apt uses for bookworm (one-line .list or deb822 .sources), else
# $TFWARDEN_DEBIAN_MIRROR, else deb.debian.org.
mirror=${TFWARDEN_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    case $f in
      *.sources)
        mirror=$(awk '
          /^[ \t]*#/ { next }
          /^[ \t]*$/ { if (deb && bookworm && uri != "") { print uri; exit } deb = bookworm = 0; uri = ""; next }
          tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
          tolower($1) == "uris:" { uri = $2 }
          tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == "bookworm") bookworm = 1 }
          END { if (deb && bookworm && uri != "") print uri }' "$f" | head -1) ;;
      *)
        mirror=$(awk '$1 == "deb" {
          i = 2
          if ($i ~ /^\[/) { while (i < NF && $i !~ /\]$/) i++; i++ }
          if ($(i + 1) == "bookworm") { print $i; exit } }' "$f") ;;
    esac
    [ -z "$mirror" ] || break
  done
fi
mirror=${mirror:-http://deb.debian.org/debian}

root=$cache/root
if [ ! -x "$root/usr/bin/ldd" ] || [ ! -x "$root/bin/sh" ]; then
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/dists/bookworm/Release", timeout=30).read(1)' \
    "$mirror" 2>/dev/null || skip "the Debian mirror $mirror is unreachable"
  mkdir -p "$cache"
  # A root left half-made by an interrupted run; --one-file-system never descends into a
  # /proc or /sys that debootstrap left mounted.
  rm -rf --one-file-system "$root" "$root.new"
  echo "debootstrap --variant=minbase bookworm $root $mirror (once per cache dir)"
  t0=$(date +%s)
  if ! debootstrap --variant=minbase bookworm "$root.new" "$mirror" >"$cache/debootstrap.log" 2>&1; then
    tail -20 "$cache/debootstrap.log"
    fail "debootstrap failed (log: $cache/debootstrap.log)"
  fi
  mv "$root.new" "$root"
  echo "debootstrap took $(($(date +%s) - t0)) s"
else
  echo "reusing the Debian root $root"
fi

# The build's libraries must be absent, or the test would prove nothing.
present=$(find "$root" -path "$root/opt/tfwarden-test" -prune -o \
  \( -name 'libre2.so*' -o -name 'libsimdjson.so*' -o -name 'libtomlplusplus.so*' \) -print)
[ -z "$present" ] || fail "the Debian root has the build's libraries: $present"
# shellcheck disable=SC2016
installed=$(chroot "$root" dpkg-query -W -f '${Package}\n' 2>/dev/null | grep -E '^lib(re2|simdjson|tomlplusplus)|-dev$' || true)
[ -z "$installed" ] || fail "the Debian root has packages it must not have: $installed"

rm -rf "$root/opt/tfwarden-test"
mkdir -p "$root/opt/tfwarden-test/work"
tar -C "$root/opt/tfwarden-test" -xzf "$package"
[ -x "$root/opt/tfwarden-test/$name/bin/tfwarden" ] || fail "$name.tar.gz has no $name/bin/tfwarden"
[ -f "$root/opt/tfwarden-test/$name/README.md" ] || fail "$name.tar.gz has no $name/README.md"
[ -f "$root/opt/tfwarden-test/$name/share/man/man1/tfwarden.1" ] || fail "$name.tar.gz has no manual page"
[ ! -f LICENSE ] || [ -f "$root/opt/tfwarden-test/$name/LICENSE" ] || fail "$name.tar.gz has no $name/LICENSE"
! readelf -S "$root/opt/tfwarden-test/$name/bin/tfwarden" | grep -q '\.symtab' || fail "bin/tfwarden is not stripped"
cp fixtures/reference-platform/plan.json "$root/opt/tfwarden-test/work/reference.json"
cp tests/fixtures/plans/findings.json "$root/opt/tfwarden-test/work/findings.json"
pkg=/opt/tfwarden-test/$name
work=/opt/tfwarden-test/work
out=$cache/out.txt

# A clean environment: nothing of the host's (LD_LIBRARY_PATH, say) reaches the binary.
# shellcheck disable=SC2016
in_root() {
  unshare --mount --propagation private sh -c \
    'mount -t proc proc "$0/proc" && exec chroot "$0" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root "$@"' \
    "$root" "$@"
}

# Every library resolves, the non-glibc ones to the package's lib/.
ldd=$cache/ldd.txt
in_root ldd "$pkg/bin/tfwarden" >"$ldd" 2>&1 || { cat "$ldd"; fail "ldd failed in the Debian root"; }
! grep -q 'not found' "$ldd" || { cat "$ldd"; fail "unresolved libraries in the Debian root"; }
while read -r soname arrow path rest; do
  [ "$arrow" = "=>" ] || continue
  case $soname in
    libc.so.* | libm.so.* | libpthread.so.* | libdl.so.* | librt.so.*)
      case $path in "$pkg"/*) fail "$soname is bundled: glibc must come from the system" ;; esac ;;
    *)
      case $path in
        "$pkg/lib/$soname" | "$pkg/bin/../lib/$soname") ;;
        *) fail "$soname resolves to $path, not to the package's lib/" ;;
      esac ;;
  esac
done <"$ldd"
for lib in "$root$pkg"/lib/*; do
  grep -q "/lib/$(basename "$lib") " "$ldd" || { cat "$ldd"; fail "$(basename "$lib") is bundled but not loaded"; }
done
echo "ldd: every library resolves, the non-glibc ones to $pkg/lib/"

in_root "$pkg/bin/tfwarden" --version >"$out" 2>&1 || { cat "$out"; fail "tfwarden --version failed"; }
grep -qx "tfwarden $version" "$out" || { cat "$out"; fail "tfwarden --version does not print \`tfwarden $version\`"; }
echo "--version: $(cat "$out")"

# chroot starts in /, which has no rules/: the rules listed are the compiled-in ones.
in_root "$pkg/bin/tfwarden" rules list >"$out" 2>&1 || { cat "$out"; fail "tfwarden rules list failed"; }
rules=$(grep -c '^HP-' "$out" || true)
[ "$rules" -gt 0 ] || { cat "$out"; fail "tfwarden rules list printed no rules"; }
echo "rules list: $rules rules"

status=0
in_root "$pkg/bin/tfwarden" check "$work/reference.json" >"$out" 2>&1 || status=$?
[ "$status" -eq 0 ] || { cat "$out"; fail "check on the reference plan exited $status, expected 0"; }
echo "check reference plan: exit 0, $(tail -1 "$out")"

status=0
in_root "$pkg/bin/tfwarden" check "$work/findings.json" --format text --format "sarif=$work/report.sarif" \
  >"$out" 2>&1 || status=$?
[ "$status" -eq 1 ] || { cat "$out"; fail "check on findings.json exited $status, expected 1"; }
findings=$(grep -c '^[a-z]*\[HP-[A-Z]*-[0-9]*\]' "$out" || true)
[ "$findings" -gt 0 ] || { cat "$out"; fail "check on findings.json printed no findings"; }
echo "check findings.json: exit 1, $findings findings"
python3 - "$root$work/report.sarif" <<'EOF' || fail "the SARIF report is not SARIF 2.1.0 JSON with results"
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    sarif = json.load(f)
assert sarif["version"] == "2.1.0", sarif.get("version")
results = sarif["runs"][0]["results"]
assert results, "no results"
print(f"sarif: parses, {len(results)} results")
EOF

echo "package: $name.tar.gz runs in a minimal bookworm root ($(($(date +%s) - start)) s)"
