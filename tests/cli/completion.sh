#!/bin/bash
# The shell completions that `tfwarden completion SHELL` prints: the bash one is sourced and
# asked, as bash asks it, for commands, options, option values and files; the zsh and fish ones
# are parsed by zsh -n and fish -n where those shells are installed (said when they are not).
#
#   tests/cli/completion.sh BINARY
set -eu
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
failed=0

"$bin" completion bash >"$work/tfwarden.bash"
bash -n "$work/tfwarden.bash"
touch "$work/plan.json"
mkdir "$work/modules"
# ask WORDS...: what the completion offers for the last word.
ask() {
  (cd "$work" && bash -c 'source ./tfwarden.bash; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tfwarden; echo "${COMPREPLY[*]}"' _ "$@")
}
expect() {  # WORDS... -- EXPECTED: the offer holds every expected word
  words=()
  while [ "$1" != "--" ]; do words+=("$1"); shift; done
  shift
  got=" $(ask "${words[@]}") "
  for e in "$@"; do
    case "$got" in *" $e "*) ;; *) echo "FAIL: \`${words[*]}\` offers [$got], not \`$e\`"; failed=1 ;; esac
  done
}
expect_not() {
  words=()
  while [ "$1" != "--" ]; do words+=("$1"); shift; done
  shift
  got=" $(ask "${words[@]}") "
  for e in "$@"; do
    case "$got" in *" $e "*) echo "FAIL: \`${words[*]}\` offers \`$e\`"; failed=1 ;; esac
  done
}
expect tfwarden "" -- check inspect rules explain completion plan.json
expect tfwarden ch -- check
expect tfwarden check --f -- --format --fail-on
expect tfwarden check --format "" -- text json sarif junit github markdown gitlab checkstyle
expect tfwarden plan.json --fail-on "" -- critical high medium low info
expect tfwarden check --color "" -- auto always never
expect tfwarden check --source-dir "" -- modules
expect_not tfwarden check --source-dir "" -- plan.json
expect tfwarden check "" -- plan.json
expect tfwarden rules "" -- list show test validate docs
expect_not tfwarden rules "" -- plan.json
expect tfwarden rules list --format "" -- text json markdown
expect tfwarden inspect --format "" -- text json
expect_not tfwarden inspect --format "" -- sarif
expect tfwarden completion "" -- bash zsh fish
[ $failed = 0 ] && echo "bash: commands, options, values and files complete"

for shell in zsh fish; do
  "$bin" completion $shell >"$work/tfwarden.$shell"
  if command -v $shell >/dev/null 2>&1; then
    if $shell -n "$work/tfwarden.$shell"; then echo "$shell: the script parses"; else echo "FAIL: $shell -n"; failed=1; fi
  else
    echo "note: $shell is not installed: its script was not parsed"
  fi
done
grep -q '^complete -c tfwarden -n .__fish_seen_subcommand_from check. -l format -s f -x -a ' "$work/tfwarden.fish" ||
  { echo "FAIL: the fish script completes no --format values"; failed=1; }
"$bin" completion powershell >/dev/null 2>&1 && { echo "FAIL: an unknown shell is accepted"; failed=1; }
exit $failed
