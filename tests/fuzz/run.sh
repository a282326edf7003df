#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` CMake preset: clang, ASan+UBSan)
# and runs each for SECONDS (default 30) on a copy of its seed corpus, in
# build/fuzz so the repository is not modified:
#
#   tests/fuzz/run.sh          30 s per target
#   tests/fuzz/run.sh 15       the short form deploy/test.sh runs
#   tests/fuzz/run.sh 600      a longer campaign
#
# Prints one line per target (executions, corpus size, crashes) and exits
# non-zero if any target crashed, timed out or ran out of memory; the input
# that did it is kept in build/fuzz/artifacts/<target>/, printed with the
# command that replays it. Installs nothing: deploy/install-deps.sh test
# installs clang and the libFuzzer runtime (libclang-rt-14-dev).
# HEARTH_FUZZ_BUILD_DIR=DIR builds and runs in DIR instead of build/fuzz.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds="${1:-30}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: tests/fuzz/run.sh [SECONDS_PER_TARGET]" >&2
  exit 2
fi

if ! command -v clang >/dev/null || ! command -v clang++ >/dev/null; then
  echo "tests/fuzz/run.sh: clang is not installed; run deploy/install-deps.sh test" >&2
  exit 2
fi
# The libFuzzer runtime, wherever this clang keeps it: its runtime directory
# (lib/linux/libclang_rt.fuzzer-ARCH.a on LLVM 14, or the per-target
# lib/TRIPLE/libclang_rt.fuzzer.a of newer LLVM), else whatever
# `clang -fsanitize=fuzzer` links.
find_fuzzer_runtime() {
  local arch dir resource triple candidate
  arch="$(uname -m)"
  dir="$(clang --print-runtime-dir 2>/dev/null || true)"
  resource="$(clang -print-resource-dir 2>/dev/null || true)"
  triple="$(clang -print-target-triple 2>/dev/null || clang -dumpmachine 2>/dev/null || true)"
  for candidate in \
      "$(clang -print-file-name="libclang_rt.fuzzer-$arch.a" 2>/dev/null || true)" \
      "$dir/libclang_rt.fuzzer-$arch.a" "$dir/libclang_rt.fuzzer.a" \
      "$resource/lib/linux/libclang_rt.fuzzer-$arch.a" \
      "$resource/lib/$triple/libclang_rt.fuzzer.a"; do
    if [[ "$candidate" == /* && -f "$candidate" ]]; then
      echo "$candidate"
      return 0
    fi
  done
  local probe
  probe="$(mktemp -d "${TMPDIR:-/tmp}/hearth-fuzz-probe.XXXXXX")"
  if printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' |
      clang++ -x c++ -fsanitize=fuzzer - -o "$probe/probe" >/dev/null 2>&1; then
    rm -rf "$probe"
    echo "(linked by clang -fsanitize=fuzzer)"
    return 0
  fi
  rm -rf "$probe"
  return 1
}
if ! runtime="$(find_fuzzer_runtime)"; then
  echo "tests/fuzz/run.sh: clang cannot find the libFuzzer runtime" \
       "(libclang_rt.fuzzer*.a under $(clang -print-resource-dir 2>/dev/null || echo '?'));" \
       "install libclang-rt-14-dev (deploy/install-deps.sh test)" >&2
  exit 2
fi

# Every target tests/fuzz/CMakeLists.txt builds, in its order.
mapfile -t targets < <(sed -n '/^set(HEARTH_FUZZ_TARGETS/,/^)/{s/^[[:space:]]*\(fuzz_[a-z0-9_]*\)[[:space:]]*$/\1/p}' \
                         tests/fuzz/CMakeLists.txt)
if ((${#targets[@]} == 0)); then
  echo "tests/fuzz/run.sh: no targets in tests/fuzz/CMakeLists.txt (HEARTH_FUZZ_TARGETS)" >&2
  exit 2
fi
# The preset's build directory unless HEARTH_FUZZ_BUILD_DIR names another.
build="${HEARTH_FUZZ_BUILD_DIR:-build/fuzz}"
jobs=$(nproc 2>/dev/null || echo 2)

echo "==> fuzz: configure and build ($build; libFuzzer: $runtime)"
cmake --preset fuzz -B "$build" >/dev/null
cmake --build "$build" -j "$jobs"

# Readable reports: symbolized stacks, and UBSan's stack too.
symbolizer="$(command -v llvm-symbolizer || command -v llvm-symbolizer-14 || true)"
if [[ -n "$symbolizer" ]]; then export ASAN_SYMBOLIZER_PATH="$symbolizer"; fi
export UBSAN_OPTIONS="print_stacktrace=1:${UBSAN_OPTIONS:-}"

# Temporary homes (fuzz_control_request) in memory, removed even after a crash.
scratch_parent=/dev/shm
[[ -d "$scratch_parent" && -w "$scratch_parent" ]] || scratch_parent="${TMPDIR:-/tmp}"
HEARTH_FUZZ_SCRATCH="$(mktemp -d "$scratch_parent/hearth-fuzz-run.XXXXXX")"
export HEARTH_FUZZ_SCRATCH
trap 'rm -rf "$HEARTH_FUZZ_SCRATCH"' EXIT

echo "==> fuzz: ${seconds}s per target"
failed=()
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  artifacts="$build/artifacts/$t"
  log="$build/logs/$t.log"
  rm -rf "$corpus" "$artifacts"
  mkdir -p "$corpus" "$artifacts" "$build/logs"
  if [[ ! -x "$build/tests/fuzz/$t" || ! -d tests/fuzz/corpus/"$t" ]]; then
    printf '%-22s %10s execs  corpus %5s files  crashes %s\n' "$t" "?" "?" "?"
    echo "    $t has no executable or no seed corpus (tests/fuzz/corpus/$t)"
    failed+=("$t")
    continue
  fi
  cp tests/fuzz/corpus/"$t"/* "$corpus"/
  status=0
  "$build/tests/fuzz/$t" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  files=$(find "$corpus" -type f | wc -l)
  found=$(find "$artifacts" -type f | wc -l)
  printf '%-22s %10s execs  corpus %5s files  crashes %s\n' "$t" "${execs:-?}" "$files" "$found"
  if ((found > 0)); then
    failed+=("$t")
    for f in "$artifacts"/*; do
      echo "    found: $f"
      echo "    replay: $build/tests/fuzz/$t $f"
    done
    echo "    log: $log"
  elif ((status != 0)); then
    failed+=("$t")
    echo "    $t exited with status $status; the end of $log:"
    tail -n 20 "$log" | sed 's/^/    /'
  fi
done

if ((${#failed[@]} > 0)); then
  echo "==> fuzz: FAILED: ${failed[*]}"
  exit 1
fi
echo "==> fuzz: no crashes"
