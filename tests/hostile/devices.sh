#!/bin/sh
# Outputs onto devices, in a private mount namespace with its own /dev (a tmpfs holding only
# the nodes below), never the machine's /dev. Skipped (77) where unshare is missing or not
# permitted. Usage: devices.sh TFWARDEN PLAN
set -u
tfwarden=$1
plan=$2
if [ -z "${TFWARDEN_PRIVATE_DEV:-}" ]; then
  if ! command -v unshare >/dev/null 2>&1; then
    echo "skipped: unshare is not installed"
    exit 77
  fi
  if ! unshare --mount --propagation private sh -c 'mount -t tmpfs tmpfs /mnt && mknod /mnt/null c 1 3' 2>/dev/null; then
    echo "skipped: unshare --mount, mount or mknod is not permitted here"
    exit 77
  fi
  TFWARDEN_PRIVATE_DEV=1 exec unshare --mount --propagation private sh "$0" "$@"
fi

mount -t tmpfs tmpfs /dev || exit 1
mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/full c 1 7 || exit 1
ln -s /proc/self/fd /dev/fd && ln -s /proc/self/fd/1 /dev/stdout && ln -s /proc/self/fd/2 /dev/stderr || exit 1
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

failed=0
fail() {
  echo "FAIL: $*"
  failed=1
}
# `run NAME ARGS...`: tfwarden with stdout in $work/NAME.out, stderr in $work/NAME.err; sets $code.
run() {
  name=$1
  shift
  "$tfwarden" "$@" >"$work/$name.out" 2>"$work/$name.err"
  code=$?
}
expect_char_device() {
  [ -c "$1" ] || fail "$2: $1 is no longer a character device"
}

# Onto /dev/null: written through, the device stays.
run null check "$plan" --format json -o /dev/null
[ "$code" = 1 ] || fail "-o /dev/null: exit $code, want 1: $(cat "$work/null.err")"
expect_char_device /dev/null "-o /dev/null"
run null-format check "$plan" --format text --format sarif=/dev/null
[ "$code" = 1 ] || fail "--format sarif=/dev/null: exit $code, want 1"
expect_char_device /dev/null "--format sarif=/dev/null"
run null-baseline check "$plan" --write-baseline /dev/null
[ "$code" = 1 ] || fail "--write-baseline /dev/null: exit $code, want 1"
expect_char_device /dev/null "--write-baseline /dev/null"
[ -z "$(ls -A /dev | grep tfwarden)" ] || fail "temporary files left in /dev: $(ls -A /dev)"

# Onto /dev/stdout and /dev/stderr: the report reaches the stream.
run stdout check "$plan" --format json -o /dev/stdout
[ "$code" = 1 ] || fail "-o /dev/stdout: exit $code, want 1"
grep -q '"findings"' "$work/stdout.out" || fail "-o /dev/stdout: the report is not on stdout"
[ -L /dev/stdout ] || fail "-o /dev/stdout: /dev/stdout is no longer a symbolic link"
run stderr check "$plan" --format json -o /dev/stderr
grep -q '"findings"' "$work/stderr.err" || fail "-o /dev/stderr: the report is not on stderr"

# Through a symbolic link to a device: the link stays a link, the device a device.
ln -s /dev/null "$work/null-link"
run null-link check "$plan" -o "$work/null-link"
[ "$code" = 1 ] || fail "-o LINK-TO-/dev/null: exit $code, want 1"
[ -L "$work/null-link" ] || fail "-o LINK-TO-/dev/null: the link was replaced"
expect_char_device /dev/null "-o LINK-TO-/dev/null"

# A full device: one error line, exit 2, for a named output, a baseline and stdout itself.
want="tfwarden: error: /dev/full: write failed: No space left on device"
run full check "$plan" --format sarif -o /dev/full
[ "$code" = 2 ] || fail "-o /dev/full: exit $code, want 2"
[ "$(cat "$work/full.err")" = "$want" ] || fail "-o /dev/full: stderr is '$(cat "$work/full.err")', want '$want'"
expect_char_device /dev/full "-o /dev/full"
run full-baseline check "$plan" --write-baseline /dev/full
[ "$code" = 2 ] || fail "--write-baseline /dev/full: exit $code, want 2"
[ "$(cat "$work/full-baseline.err")" = "$want" ] || fail "--write-baseline /dev/full: stderr '$(cat "$work/full-baseline.err")'"
want="tfwarden: error: stdout: write failed: No space left on device"
for format in sarif text; do
  "$tfwarden" check "$plan" --format $format >/dev/full 2>"$work/stdout-full.err"
  code=$?
  [ "$code" = 2 ] || fail "$format onto stdout on /dev/full: exit $code, want 2"
  [ "$(cat "$work/stdout-full.err")" = "$want" ] ||
    fail "$format onto stdout on /dev/full: stderr '$(cat "$work/stdout-full.err")', want '$want'"
done
# Other commands' stdout too.
"$tfwarden" rules list >/dev/full 2>"$work/list-full.err"
code=$?
[ "$code" = 2 ] || fail "rules list onto /dev/full: exit $code, want 2"
[ "$(cat "$work/list-full.err")" = "$want" ] || fail "rules list onto /dev/full: stderr '$(cat "$work/list-full.err")'"

[ "$failed" = 0 ] && echo "ok: outputs onto devices"
exit $failed
