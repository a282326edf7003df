#!/usr/bin/env bash
# The .deb as a user gets it: builds it with cpack in a build directory that
# is already built, checks it with lintian (no errors), installs it on this
# machine with apt-get, then runs the two-partner walkthrough (pairing by code
# with no address, a shared reflection reaching the other) through the
# installed /usr/bin/hearthd and /usr/bin/hearth, renders the man pages,
# completes a subcommand in bash, loads the zsh and fish completions, checks
# the user units with systemd-analyze and the desktop entry of `hearth ui`, and removes the package again, checking
# that the homes are untouched. Needs root or sudo (apt-get).
#
#   tests/package/test_deb.sh [BUILD_DIR]     (default build/dev)
#
# Prints the .deb's size and lintian's output. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=$PWD
build=$(cd "${1:-build/dev}" && pwd)
sudo=()
if [[ "$(id -u)" -ne 0 ]]; then sudo=(sudo); fi
fail() { echo "test_deb: FAILED: $*" >&2; exit 1; }
step() { echo "==> $*"; }

step "cpack"
rm -f "$build"/hearth_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/hearth_*_*.deb)
echo "    $(basename "$deb"): $(stat -c %s "$deb") bytes"
dpkg-deb -f "$deb" Depends | sed 's/^/    Depends: /'
[[ -n "$(dpkg-deb -f "$deb" Depends)" ]] || fail "no computed dependencies"
# hearth-ui links Debian's cpp-httplib: dpkg-shlibdeps must have found it.
dpkg-deb -f "$deb" Depends | grep -q "libcpp-httplib" || fail "libcpp-httplib is not a dependency"
# hearth loads libnotify and libsecret only when a command needs them: named
# by hand, beside the computed ones.
for lib in libnotify4 libsecret-1-0 libsodium23; do
  dpkg-deb -f "$deb" Depends | grep -q "$lib" || fail "$lib is not a dependency"
done
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/hearthd ./usr/bin/hearth ./usr/share/man/man1/hearth.1.gz \
         ./usr/share/man/man1/hearthd.1.gz ./usr/share/bash-completion/completions/hearth \
         ./usr/share/zsh/vendor-completions/_hearth ./usr/share/fish/vendor_completions.d/hearth.fish \
         ./usr/lib/systemd/user/hearthd.service ./usr/lib/systemd/user/hearth-notify.service \
         ./usr/lib/systemd/user/hearth-unlock.service ./usr/share/applications/hearth.desktop \
         ./usr/share/icons/hicolor/scalable/apps/hearth.svg ./usr/libexec/hearth/hearth-ui; do
  grep -q " $f\$" <<<"$contents" || fail "$f is not in the package"
done
# Nothing runs at install or removal: users' homes are never touched.
info=$(dpkg-deb -I "$deb")
if grep -qE ' (preinst|postinst|prerm|postrm) ' <<<"$info"; then
  fail "the package has maintainer scripts"
fi
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb -x "$deb" "$unpacked"
for b in hearthd hearth; do
  sections=$(readelf -S "$unpacked/usr/bin/$b")
  if grep -qE '\.debug_|\.symtab' <<<"$sections"; then
    fail "/usr/bin/$b is not stripped"
  fi
done

step "lintian"
lintian_out=$(lintian --tag-display-limit 0 "$deb" 2>&1 | grep -v 'running with root privileges' || true)
echo "${lintian_out:-    (nothing)}" | sed 's/^/    /'
if grep -q '^E:' <<<"$lintian_out"; then fail "lintian reports errors"; fi

step "apt-get install"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
trap '"${sudo[@]}" apt-get remove -y -qq hearth >/dev/null 2>&1 || true; rm -rf "$unpacked"' EXIT
[[ -x /usr/bin/hearthd && -x /usr/bin/hearth ]] || fail "not installed in /usr/bin"
/usr/bin/hearth --version | grep -q "sync protocol" || fail "hearth --version has no protocol"
/usr/bin/hearthd --version | grep -q "sync protocol" || fail "hearthd --version has no protocol"

step "walkthrough through the installed binaries"
bin=$(mktemp -d)
mkdir -p "$bin/node" "$bin/client"
ln -s /usr/bin/hearthd "$bin/node/hearthd"
ln -s /usr/bin/hearth "$bin/client/hearth"
HEARTH_BIN_DIR=$bin python3 "$src/tests/integration/test_setup.py" \
  PairWithoutAddress.test_join_without_address_finds_the_invite_and_pairs \
  NothingFromTheCodeBeforeCPace Settings.test_config_set_without_hearthd_writes_the_file_and_hearthd_listens_there
HEARTH_BIN_DIR=$bin python3 "$src/tests/integration/test_pairing.py" \
  PairByCode.test_invite_and_join_pair_both_devices_and_a_reflection_shared_before_reaches_the_other

step "man pages and completions, as installed"
"$src/tests/package/test_docs.sh" /usr/share/man/man1 /usr/share/bash-completion/completions \
  /usr/share/zsh/vendor-completions /usr/share/fish/vendor_completions.d
for page in hearth hearthd; do man -w "$page" >/dev/null || fail "man cannot find $page"; done

step "systemd user units"
if command -v systemd-analyze >/dev/null; then
  for unit in hearthd hearth-notify hearth-unlock; do
    out=$(systemd-analyze verify "/usr/lib/systemd/user/$unit.service" 2>&1 || true)
    # Outside a running user manager it may say only that; anything about
    # the unit's own lines fails.
    if grep -E "$unit.service:[0-9]+:" <<<"$out"; then fail "systemd-analyze: $unit.service"; fi
  done
fi
grep -qx 'Type=notify' /usr/lib/systemd/user/hearthd.service || fail "hearthd.service is not Type=notify"

step "desktop entry"
grep -qx 'Exec=hearth ui' /usr/share/applications/hearth.desktop || fail "hearth.desktop does not run hearth ui"
grep -qx 'Icon=hearth' /usr/share/applications/hearth.desktop || fail "hearth.desktop names no icon"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate /usr/share/applications/hearth.desktop || fail "desktop-file-validate: hearth.desktop"
fi
/usr/bin/hearth ui --help >/dev/null || fail "the installed hearth has no ui"
# hearth ui becomes the installed /usr/libexec/hearth/hearth-ui, which serves
# the page and prints its address (--no-open), then stops a second after no
# page opened it.
ui_home=$(mktemp -d)
ui_out=$(timeout 30 /usr/bin/hearth --home "$ui_home/h" ui --no-open --linger 1 2>&1) || true
rm -rf "$ui_home"
grep -q "http://127.0.0.1:" <<<"$ui_out" || fail "the installed hearth ui served nothing: $ui_out"

step "apt-get remove leaves the homes"
home=$(mktemp -d)
/usr/bin/hearth --home "$home/h" init --name Sam --no-passphrase >/dev/null
"${sudo[@]}" apt-get remove -y -qq hearth >/dev/null
[[ ! -e /usr/bin/hearthd ]] || fail "hearthd still installed"
[[ -f "$home/h/keys" ]] || fail "the home lost its key file"
rm -rf "$home" "$bin"
echo "==> the .deb passed: $(stat -c %s "$deb") bytes"
