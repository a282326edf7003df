#!/usr/bin/env bash
# Installs the Debian 12 packages Hearth needs, and nothing when they are all
# present. Uses sudo when not run as root. Recommends are skipped (they would
# pull in Boost and more).
#
#   deploy/install-deps.sh            what building and running Hearth needs
#   deploy/install-deps.sh test       ... plus what the test suite needs
set -euo pipefail

# libnotify-dev: `hearth notify` posts desktop notifications through it;
# libsecret-1-dev: `hearth unlock --from-keyring` (the desktop keyring);
# libsystemd-dev: sd_notify, so that systemd knows when hearthd is ready.
build=(cmake ninja-build g++ pkg-config libasio-dev libsodium-dev libsqlite3-dev
       capnproto libcapnp-dev libcli11-dev libnotify-dev libsecret-1-dev libsystemd-dev)
# clang, libclang-rt-14-dev (libFuzzer) and llvm-14 (llvm-symbolizer, for
# readable sanitizer reports) are for tests/fuzz; libfaketime and faketime run
# a process with its clock moved; chromium renders the HTML export headless;
# dbus (dbus-run-session), python3-dbus and python3-gi run a stand-in
# notification service for tests/integration/test_notify.py; lintian,
# dpkg-dev (dpkg-shlibdeps, for cpack), binutils (readelf), man-db, zsh and
# fish check the .deb, its man pages and completions (tests/package/);
# gnome-keyring is the Secret Service tests/integration/test_keyring.py uses.
test=(doctest-dev nlohmann-json3-dev python3 clang libclang-rt-14-dev llvm-14 sqlite3 procps
      libfaketime faketime chromium dbus python3-dbus python3-gi
      lintian dpkg-dev binutils man-db zsh fish gnome-keyring)

wanted=("${build[@]}")
if [[ "${1:-}" == "test" ]]; then wanted+=("${test[@]}"); fi

missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then exit 0; fi

sudo=()
if [[ "$(id -u)" -ne 0 ]]; then sudo=(sudo); fi
echo "Installing: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
