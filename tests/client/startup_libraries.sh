#!/usr/bin/env bash
# Checks the shared libraries `hearth` needs when it starts (its NEEDED
# entries): none of the desktop's (libnotify, libsecret, GLib) nor the HTTP
# library and what it brings (OpenSSL, zlib, brotli), which cost every
# command milliseconds; those are loaded by the commands that use them or
# linked into hearth-ui only. hearth-ui is checked to need the HTTP library,
# so that this test can see a library that is there.
#
#   tests/client/startup_libraries.sh HEARTH HEARTH_UI
set -euo pipefail
hearth="$1"
hearth_ui="$2"
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

heavy='^lib(notify|secret|glib|gobject|gio|gmodule|gdk_pixbuf|cpp-httplib|ssl|crypto|z|brotli)'
echo "hearth needs: $(needed "$hearth" | tr '\n' ' ')"
if needed "$hearth" | grep -E "$heavy"; then
  echo "FAIL: hearth links a library that only some commands need (above)" >&2
  exit 1
fi
echo "hearth-ui needs: $(needed "$hearth_ui" | tr '\n' ' ')"
if ! needed "$hearth_ui" | grep -q '^libcpp-httplib'; then
  echo "FAIL: hearth-ui does not link the HTTP library; is this check reading NEEDED right?" >&2
  exit 1
fi
echo "ok"
