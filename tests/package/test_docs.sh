#!/usr/bin/env bash
# The man pages and completion scripts: man renders both pages, bash
# completes a subcommand, an option and a nested subcommand, zsh reads its
# script, fish completes too. Run by CTest on the build's files (doc/), and
# by tests/package/test_deb.sh on the installed ones:
#
#   tests/package/test_docs.sh MAN_DIR BASH_DIR ZSH_DIR FISH_DIR
#   (the directories holding hearth.1.gz, hearth, _hearth, hearth.fish)
set -euo pipefail
man_dir=$1 bash_dir=$2 zsh_dir=$3 fish_dir=$4
fail() { echo "test_docs: FAILED: $*" >&2; exit 1; }

for page in hearth hearthd; do
  rendered=$(MANWIDTH=80 man -l "$man_dir/$page.1.gz" 2>&1) || fail "man -l $page.1.gz"
  grep -q "^SYNOPSIS" <<<"$rendered" || fail "man $page renders no SYNOPSIS"
  grep -q "sync protocol" <<<"$rendered" || fail "man $page names no protocol version"
done
rendered=$(MANWIDTH=80 man -l "$man_dir/hearth.1.gz" 2>/dev/null)
grep -q "hearth pair join" <<<"$rendered" || fail "man hearth does not describe pair join"

complete_bash() {  # complete_bash WORD...: what bash offers for the last word
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _hearth_complete
           printf "%s\n" "${COMPREPLY[@]}"' sh "$bash_dir/hearth" "$@"
}
offered=$(complete_bash hearth pa)
for w in pair passphrase pause; do
  grep -qx "$w" <<<"$offered" || fail "bash: 'hearth pa<TAB>' does not offer $w (got: $offered)"
done
grep -qx join <<<"$(complete_bash hearth pair j)" || fail "bash: 'hearth pair j<TAB>'"
grep -qx -- --address <<<"$(complete_bash hearth pair join --a)" ||
  fail "bash: 'hearth pair join --a<TAB>'"
grep -qx list <<<"$(complete_bash hearth --home /nonexistent config l)" ||
  fail "bash: 'hearth --home DIR config l<TAB>'"
bash -c 'source "$1"' sh "$bash_dir/hearthd" || fail "bash cannot read hearthd's script"

if command -v zsh >/dev/null; then
  for f in _hearth _hearthd; do zsh -n "$zsh_dir/$f" || fail "zsh cannot read $f"; done
fi
if command -v fish >/dev/null; then
  offered=$(fish -c 'source $argv[1]; complete -C "hearth pa"' "$fish_dir/hearth.fish")
  grep -q "^pair" <<<"$offered" || fail "fish: 'hearth pa<TAB>' does not offer pair"
  fish -n "$fish_dir/hearthd.fish" || fail "fish cannot read hearthd.fish"
fi
echo "test_docs: man pages render, completions complete"
