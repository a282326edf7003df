#!/bin/sh
# Writes the man pages, shell completions and Debian changelog that the
# build installs, each printed by the programs themselves from the tables
# their --help prints (node/cli/cli_doc.h). Run by the build:
#   deploy/make-docs.sh HEARTH HEARTHD OUTDIR VERSION MAINTAINER DATE
set -eu
hearth=$1 hearthd=$2 out=$3 version=$4 maintainer=$5 date=$6
mkdir -p "$out/bash" "$out/zsh" "$out/fish"
for p in "$hearth" "$hearthd"; do
  n=$(basename "$p")
  "$p" --help-man | gzip -9n > "$out/$n.1.gz"
  "$p" --help-completion bash > "$out/bash/$n"
  "$p" --help-completion zsh > "$out/zsh/_$n"
  "$p" --help-completion fish > "$out/fish/$n.fish"
done
printf 'hearth (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- %s  %s\n' \
  "$version" "$version" "$maintainer" "$date" | gzip -9n > "$out/changelog.gz"
