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
# libsystemd-dev: sd_notify, so that systemd knows when hearthd is ready;
# libcpp-httplib-dev: the HTTP server of `hearth ui`; xdg-utils opens its page.
build=(cmake ninja-build g++ pkg-config libasio-dev libsodium-dev libsqlite3-dev
       capnproto libcapnp-dev libcli11-dev libnotify-dev libsecret-1-dev libsystemd-dev
       libcpp-httplib-dev xdg-utils)
# clang, libclang-rt-14-dev (libFuzzer) and llvm-14 (llvm-symbolizer, for
# readable sanitizer reports) are for tests/fuzz; libfaketime and faketime run
# a process with its clock moved; chromium renders the HTML export headless;
# dbus (dbus-run-session), python3-dbus and python3-gi run a stand-in
# notification service for tests/integration/test_notify.py; chromium-driver
# and python3-selenium drive `hearth ui` in tests/integration/test_ui.py, and
# npm brings axe-core for its accessibility check (below); lintian, dpkg-dev
# (dpkg-shlibdeps, for cpack), binutils (readelf), man-db, zsh and fish check
# the .deb, its man pages and completions (tests/package/); gnome-keyring is
# the Secret Service tests/integration/test_keyring.py uses.
test=(doctest-dev nlohmann-json3-dev python3 clang libclang-rt-14-dev llvm-14 sqlite3 procps
      libfaketime faketime chromium dbus python3-dbus python3-gi chromium-driver python3-selenium
      lintian dpkg-dev binutils man-db zsh fish gnome-keyring)

wanted=("${build[@]}")
if [[ "${1:-}" == "test" ]]; then
  wanted+=("${test[@]}")
  # Debian's npm, unless an npm (say, with another Node.js) is already there.
  if ! command -v npm >/dev/null; then wanted+=(npm); fi
fi

# axe-core, from npm, into the build tree (never the repository); the UI
# tests look for it there, and fetch it themselves if it is missing.
install_axe() {
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/build/ui-test-node"
  if [[ "${1:-}" == "test" && ! -f "$dir/node_modules/axe-core/axe.min.js" ]]; then
    mkdir -p "$dir"
    npm install --no-save --no-audit --no-fund --prefix "$dir" axe-core@4 >/dev/null
  fi
}

missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  install_axe "${1:-}"
  exit 0
fi

sudo=()
if [[ "$(id -u)" -ne 0 ]]; then sudo=(sudo); fi
echo "Installing: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_axe "${1:-}"
