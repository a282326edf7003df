#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run). Installs what is missing,
# then:
#   1. the release build (with the benchmarks and the seed generator, so they
#      keep compiling): the unit and thread tests, the corpus replays, the
#      layer and vector checks, and the integration tests whose checks only a
#      build without sanitizers makes (label `nosan`);
#   2. the ASan + UBSan build at -O1: every test, the slow ones too; then
#      the .deb of the release build (tests/package/test_deb.sh);
#   3. the ThreadSanitizer build: the integration and thread tests;
#   4. the fuzzers (clang): their corpora replayed, then 15 s each.
# Prints the time of each step and the harnesses' figures. Exits non-zero if
# anything fails. deploy/check.sh is the quick loop for contributors.
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
figures() {  # figures PRESET: what the harnesses measured (CTest keeps passing tests' output)
  grep -hE "^crash harness: [0-9]+ kills|^faults injected|^bits flipped" \
    "build/$1/Testing/Temporary/LastTest.log" | sed "s/^/    [$1] /" || true
}

echo "==> dev: configure and build"
cmake --preset dev -DBUILD_TESTING=ON -DHEARTH_BENCH=ON -DHEARTH_FUZZ_SEEDS=ON >/dev/null
step "dev build" cmake --build --preset dev -j "$jobs"
step "dev tests" ctest --preset nosan -j "$jobs"

echo "==> asan: configure and build"
cmake --preset asan -DBUILD_TESTING=ON >/dev/null
step "asan build" cmake --build --preset asan -j "$jobs"
step "asan tests" ctest --preset asan -j "$jobs"
figures asan

# The .deb of the release build: lintian, installed with apt-get, walked
# through, removed (root or sudo).
step "package" tests/package/test_deb.sh build/dev

# hearthd runs on one thread, but Asio resolves host names on a thread of its
# own, and two helper threads run beside it: the integration and thread tests
# once more under ThreadSanitizer.
echo "==> tsan: configure and build"
cmake --preset tsan >/dev/null
step "tsan build" cmake --build --preset tsan -j "$jobs"
step "tsan tests" ctest --preset tsan -j "$jobs"

# The fuzzers: their seeds replayed under libFuzzer, then the short form,
# 15 s per target (tests/fuzz/README.md).
step "fuzzing" tests/fuzz/run.sh 15
step "fuzz corpus replay" ctest --preset fuzz -j "$jobs"
echo "==> all tests passed in $SECONDS s"
