#!/usr/bin/env bash
# Hearth's demo: installs what is missing, builds, then shows one partner's
# life on one computer, in a temporary home that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc 2>/dev/null || echo 2)" --target hearth hearthd >/dev/null

bin=build/dev
hearth="$bin/client/hearth"
hearthd="$bin/node/hearthd"
home=$(mktemp -d "${TMPDIR:-/tmp}/hearth-demo-XXXXXX")
daemon=
cleanup() {
  if [[ -n "$daemon" ]]; then kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
  rm -rf "$home"
}
trap cleanup EXIT

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
run() { printf '$ hearth %s\n' "$*"; "$hearth" --home "$home/sam" "$@"; }

say "Sam sets Hearth up (no passphrase, for the demo only)."
run init --name "Sam" --no-passphrase

say "Sam starts the daemon."
"$hearthd" --home "$home/sam" --log-level warn &
daemon=$!
for _ in $(seq 50); do [[ -S "$home/sam/control.sock" ]] && break; sleep 0.1; done

say "A private reflection: it never leaves this computer."
run reflect add "I noticed I went quiet at dinner. I want to understand why before I talk about it." --feeling unsure
say "A reflection to share with Alex."
run reflect add "Thank you for waiting for me on the stairs today." --share --feeling grateful
say "A boundary, proposed for Alex to answer."
run boundary propose "We don't discuss money after 9pm." --category home
say "A check-in."
run checkin --capacity yellow --feeling tired --need "a slow evening"
say "Sam needs a pause."
run pause --for 30m --note "going for a walk"
say "What Sam sees."
run status
run reflect list
run boundary list
say "Sam is back."
run resume
run checkin list
