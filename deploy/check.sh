#!/usr/bin/env bash
# The contributor's loop: builds the release build (build/dev, incrementally)
# and runs every test but the slow ones: the unit and thread tests, each
# fuzzer's seed corpus replayed once, the layer and protocol-vector checks,
# and the integration tests labelled neither `slow` nor anything else that
# takes minutes (tests/CMakeLists.txt). A few minutes on a 2-core machine;
# deploy/test.sh runs everything, as CI does. Installs missing Debian
# packages first (deploy/install-deps.sh test).
#
#   deploy/check.sh              build, then the quick tests
#   deploy/check.sh -R sync      ... only the tests whose names match (ctest options)
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh test

jobs=$(nproc 2>/dev/null || echo 2)
start=$SECONDS
cmake --preset dev -DBUILD_TESTING=ON >/dev/null
cmake --build --preset dev -j "$jobs"
built=$SECONDS
ctest --preset quick -j "$jobs" "$@"
echo "==> check passed: build $((built - start)) s, tests $((SECONDS - built)) s"
