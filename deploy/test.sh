#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds Hearth twice (a
# release build and an ASan+UBSan build) and runs every test in both: unit
# tests, integration tests with real hearthd and hearth processes, and the
# short forms of the harnesses (crash, network faults); runs the integration
# tests again under ThreadSanitizer; then builds the fuzzers (clang) and runs
# each for 15 seconds. Prints the time of each step
# and the harnesses' figures. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh test

jobs=$(nproc 2>/dev/null || echo 2)
step() {  # step NAME COMMAND...: runs it and says how long it took
  local name=$1 start=$SECONDS
  shift
  "$@"
  echo "==> $name took $((SECONDS - start)) s"
}
for preset in dev asan; do
  echo "==> $preset: configure and build"
  cmake --preset "$preset" -DBUILD_TESTING=ON >/dev/null
  step "$preset build" cmake --build --preset "$preset" -j "$jobs"
  echo "==> $preset: test"
  step "$preset tests" ctest --preset "$preset" -j "$jobs"
  # What the harnesses measured (CTest keeps the output of passing tests here).
  grep -hE "^crash harness: [0-9]+ kills|^faults injected|^bits flipped" \
    "build/$preset/Testing/Temporary/LastTest.log" | sed "s/^/    [$preset] /" || true
done
# hearthd runs on one thread, but Asio resolves host names on a thread of its
# own: the integration tests once more under ThreadSanitizer.
echo "==> tsan: configure and build"
cmake --preset tsan >/dev/null
step "tsan build" cmake --build --preset tsan -j "$jobs"
step "tsan integration tests" ctest --preset tsan -j "$jobs"
# The short form of the fuzzers: 15 s per target (tests/fuzz/README.md).
step "fuzzing" tests/fuzz/run.sh 15
echo "==> all tests passed in $SECONDS s"
