#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds Hearth twice (a
# release build and an ASan+UBSan build) and runs every test in both: unit
# tests, integration tests with real hearthd and hearth processes, and the
# short forms of the harnesses; then builds the fuzzers (clang) and runs each
# for 15 seconds. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh test

jobs=$(nproc 2>/dev/null || echo 2)
for preset in dev asan; do
  echo "==> $preset: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "==> $preset: test"
  ctest --preset "$preset" -j "$jobs"
done
# The short form of the fuzzers: 15 s per target (tests/fuzz/README.md).
tests/fuzz/run.sh 15
echo "==> all tests passed"
