#!/usr/bin/env bash
# Hearth's demo: installs what is missing, builds, then shows two partners,
# Sam and Alex, each with their own daemon, syncing directly over loopback
# TCP. Everything lives in a temporary folder that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh
# The demo needs only the two programs: the tests (and what they need, such
# as doctest) are deploy/test.sh's.
# A folder of its own, so that the test build in build/dev keeps its tests.
cmake --preset dev -B build/demo -DBUILD_TESTING=OFF >/dev/null
cmake --build build/demo -j "$(nproc 2>/dev/null || echo 2)" --target hearth hearthd >/dev/null

bin=build/demo
hearth="$bin/client/hearth"
hearthd="$bin/node/hearthd"
sam_port=${SAM_PORT:-17420}
alex_port=${ALEX_PORT:-17421}
home=$(mktemp -d "${TMPDIR:-/tmp}/hearth-demo-XXXXXX")
declare -A daemon=()

start() {  # start NAME PORT
  # Both daemons share one machine here, so they find each other by address:
  # they neither listen for LAN beacons (--discovery-port 0) nor broadcast
  # them to the network (their beacons go to the discard port on loopback).
  "$hearthd" --home "$home/$1" --listen "127.0.0.1:$2" --discovery-port 0 \
    --beacon-to 127.0.0.1:9 --log-level error &
  daemon[$1]=$!
  for _ in $(seq 50); do [[ -S "$home/$1/control.sock" ]] && return; sleep 0.1; done
  echo "hearthd for $1 did not start" >&2
  exit 1
}
stop() {  # stop NAME
  local pid=${daemon[$1]:-}
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  daemon[$1]=
}
cleanup() {
  for name in "${!daemon[@]}"; do stop "$name"; done
  rm -rf "$home"
}
trap cleanup EXIT

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
sam() { printf '$ hearth %s          # on Sam'"'"'s computer\n' "$*"; "$hearth" --home "$home/sam" "$@"; }
alex() { printf '$ hearth %s          # on Alex'"'"'s computer\n' "$*"; "$hearth" --home "$home/alex" "$@"; }
quiet_sam() { "$hearth" --home "$home/sam" "$@" >/dev/null; }
quiet_alex() { "$hearth" --home "$home/alex" "$@" >/dev/null; }
# Runs a command that prints JSON, shows what it printed, and sets $id to the
# first "id" in it.
with_id() {
  local out
  out=$("$@")
  printf '%s\n' "$out"
  id=$(printf '%s\n' "$out" | sed -n 's/.*"id": *"\([0-9a-f]*\)".*/\1/p' | head -1)
}

say "Sam and Alex each set Hearth up on their own computer (no passphrase, for the demo only)."
sam init --name "Sam" --no-passphrase
alex init --name "Alex" --no-passphrase

say "Each starts a daemon that listens for the other (here on loopback ports $sam_port and $alex_port)."
start sam "$sam_port"
start alex "$alex_port"

say "They pair with a short code: Sam invites and reads the code aloud; Alex joins with it."
printf '$ hearth pair invite          # on Sam'"'"'s computer\n'
"$hearth" --home "$home/sam" pair invite >"$home/invite.txt" &
invite=$!
for _ in $(seq 100); do grep -q Waiting "$home/invite.txt" 2>/dev/null && break; sleep 0.05; done
code=$(head -n 1 "$home/invite.txt")
shown=$(wc -l <"$home/invite.txt")
cat "$home/invite.txt"
# The code is typed when asked, not given on the command line, where every
# user of the computer could see it.
printf '$ hearth pair join --address 127.0.0.1:%s          # on Alex'"'"'s computer\n' "$sam_port"
printf "The code your partner's screen shows: %s\n" "$code"
printf '%s\n' "$code" | "$hearth" --home "$home/alex" pair join --address "127.0.0.1:$sam_port"
wait "$invite"
printf '(on Sam'"'"'s computer, the waiting invite ends:)\n'
sed -n "$((shown + 1)),\$p" "$home/invite.txt"
say "Both computers printed the same four words: Sam and Alex can compare them aloud."
quiet_sam sync --wait
sam status

say "Alex's computer is off. Sam writes anyway; it waits on Sam's computer."
stop alex
with_id sam --json reflect add "Thank you for waiting for me on the stairs today." --share --feeling grateful
shared=$id
sam reflect add "I went quiet at dinner. I want to understand why before I talk about it." --feeling unsure
sam checkin --capacity yellow --feeling tired --need "a slow evening" --share

say "Now Sam's computer is off, and Alex writes."
stop sam
start alex "$alex_port"
alex reflect add "I liked cooking together, even when it got loud." --share --feeling warm
alex checkin --capacity green --share

say "Both are on again: the daemons meet and send each other what the other lacks."
start sam "$sam_port"
sam sync --wait
alex sync --wait
alex reflect list
alex checkin list

say "Sam sets a limit of Sam's own. It is in force at once; nobody has to agree."
with_id sam --json boundary set "Please don't wake me by touching me; say my name first."
limit=$id
quiet_sam sync --wait
say "Alex can't change or retire Sam's limit, only say it was read."
alex boundary retire "$limit" || true
alex boundary ack "$limit"
quiet_alex sync --wait

say "Alex proposes an agreement for both; Sam agrees on Sam's computer."
with_id alex --json boundary propose "We don't discuss money after 9pm." --category home
boundary=$id
quiet_alex sync --wait
sam boundary agree "$boundary"
quiet_sam sync --wait
sam boundary list

say "Sam needs a pause. Alex's Hearth shows it at once, and first."
printf '$ hearth watch          # on Alex'"'"'s computer, already running\n'
"$hearth" --home "$home/alex" watch >"$home/watch.txt" &
watcher=$!
for _ in $(seq 100); do [[ -s "$home/watch.txt" ]] && break; sleep 0.02; done
: >"$home/watch.txt"  # what watch shows first, before anything happens, is not news here
sam pause --for 30m --note "going for a walk"
for _ in $(seq 200); do grep -qi "pause" "$home/watch.txt" && break; sleep 0.01; done
printf '(on Alex'"'"'s computer, hearth watch prints at once:)\n'
cat "$home/watch.txt"
kill "$watcher" 2>/dev/null || true
wait "$watcher" 2>/dev/null || true
alex status

say "Alex writes to Sam meanwhile. Alex is told; Sam's Hearth keeps it until Sam's pause ends."
alex reflect add "Take your time. I'm making tea when you're back." --share
quiet_alex sync --wait
sam reflect list --limit 2
say "Sam is back. The pause ends, and what waited shows."
sam resume
sam reflect list --limit 1

say "Today's prompt is the same on both computers."
sam prompt
alex prompt
say "Sam asks a question of Sam's own. Each answers privately."
printf '$ hearth prompt ask "What is one small thing that helped you this week?"          # on Sam'"'"'s computer\n'
prompt=$("$hearth" --home "$home/sam" --json prompt ask "What is one small thing that helped you this week?" | sed -n 's/.*"id": *"\(ask-[0-9a-f]*\)".*/\1/p' | head -1)
sam prompt answer "$prompt" "The walk home together in the rain."
quiet_sam sync --wait
say "Alex's computer holds Sam's answer, sealed: Alex can't read it before answering."
alex prompt show "$prompt"
alex prompt answer "$prompt" "You laughing at my terrible joke at breakfast."
quiet_alex sync --wait
quiet_sam sync --wait
quiet_alex sync --wait
say "Both have answered, so both see both."
sam prompt show "$prompt"

say "Sam invites Alex to breathe together. Once Alex joins, both begin at one agreed instant."
printf '$ hearth practice start breathe --together --minutes 1 --pattern 2-2          # on Sam'"'"'s computer\n'
"$hearth" --home "$home/sam" practice start breathe --together --minutes 1 --pattern 2-2 >"$home/sam-practice.txt" 2>&1 &
inviter=$!
for _ in $(seq 200); do "$hearth" --home "$home/alex" --json today 2>/dev/null | grep -q '"practice": *{' && break; sleep 0.05; done
printf '$ hearth practice join          # on Alex'"'"'s computer\n'
"$hearth" --home "$home/alex" practice join >"$home/alex-practice.txt" 2>&1 &
joiner=$!
sleep 9
say "Alex stops after a few breaths. No reason is needed; it ends for both."
alex practice stop
wait "$inviter" "$joiner" 2>/dev/null || true
printf '(what Sam saw:)\n'; cat "$home/sam-practice.txt"
printf '(what Alex saw:)\n'; cat "$home/alex-practice.txt"

say "The day's page gathers what is new. Typing just 'hearth' in a terminal shows it too."
alex today

say "Sam forgets the reflection Sam shared. It disappears from both computers."
sam reflect forget "$shared" --yes
quiet_sam sync --wait
sam reflect list
alex reflect list

say "Every network action is in each partner's own log."
sam log --limit 8

say "Most days, Sam uses Hearth in the browser instead: \`hearth ui\` (or Hearth in the applications menu)."
printf 'It opens the page by itself; with --no-open it prints the address, which works once.\n'
printf '$ hearth ui --no-open          # on Sam'"'"'s computer\n'
"$hearth" --home "$home/sam" ui --no-open --linger 5 >"$home/ui.txt" &
ui=$!
for _ in $(seq 100); do [[ -s "$home/ui.txt" ]] && break; sleep 0.02; done
sed -n 1p "$home/ui.txt"
printf '(every screen above is there: today, writing, check-ins, questions, breathing together,\n'
printf ' pairing; only Sam can use it, and it stops a minute after its last page closes)\n'
kill -INT "$ui" 2>/dev/null || true
wait "$ui" 2>/dev/null || true
