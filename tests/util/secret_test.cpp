#include "util/secret.h"

#include <doctest/doctest.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "util/bytes.h"
#include "util/process.h"
#include "util/status.h"

using namespace hearth;

TEST_CASE("a moved-from secret is empty and the target holds the bytes") {
  Secret a = Secret::copy_of(std::string_view("key material"));
  Secret b = std::move(a);
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  CHECK(b.chars() == "key material");
}

TEST_CASE("secrets compare by content") {
  CHECK(Secret::copy_of(std::string_view("abc")).equals(Secret::copy_of(std::string_view("abc"))));
  CHECK_FALSE(Secret::copy_of(std::string_view("abc")).equals(Secret::copy_of(std::string_view("abd"))));
  CHECK_FALSE(Secret::copy_of(std::string_view("abc")).equals(Secret::copy_of(std::string_view("ab"))));
}

TEST_CASE("random secrets differ") {
  CHECK_FALSE(Secret::random(32).equals(Secret::random(32)));
}

TEST_CASE("hex round-trips and rejects bad input") {
  Bytes out;
  CHECK(from_hex("00ff10", out));
  CHECK(out == Bytes{0x00, 0xff, 0x10});
  CHECK(to_hex(out) == "00ff10");
  CHECK_FALSE(from_hex("0", out));
  CHECK_FALSE(from_hex("zz", out));
  // Empty text is empty bytes (and no null buffer reaches libsodium: the
  // sanitizer build checks that).
  Bytes none;
  CHECK(from_hex("", none));
  CHECK(none.empty());
}

TEST_CASE("a Result carries either a value or the failure") {
  Result<int> good = 7;
  Result<int> bad = Status::not_found("no such reflection");
  REQUIRE(good.is_ok());
  CHECK(*good == 7);
  CHECK_FALSE(bad.is_ok());
  CHECK(bad.status().code() == Code::kNotFound);
  CHECK(bad.status().to_string() == "not found: no such reflection");
}

namespace {

// What testing::secret_released saw while a Recorder lived.
struct Released {
  const uint8_t* data;
  size_t size;
  bool zero;
};
std::vector<Released>* g_released = nullptr;

void record_release(const uint8_t* data, size_t size) {
  bool zero = true;
  for (size_t i = 0; i < size; ++i) zero = zero && data[i] == 0;
  g_released->push_back({data, size, zero});
}

struct Recorder {
  std::vector<Released> seen;
  Recorder() {
    g_released = &seen;
    testing::secret_released.store(record_release);
  }
  ~Recorder() {
    testing::secret_released.store(nullptr);
    g_released = nullptr;
  }
};

}  // namespace

TEST_CASE("a secret's bytes are zero by the time its memory is released") {
  Recorder recorder;
  const uint8_t* where = nullptr;
  {
    Secret key = Secret::random(32);
    where = key.data();
  }
  REQUIRE(recorder.seen.size() == 1);
  CHECK(recorder.seen[0].data == where);
  CHECK(recorder.seen[0].size == 32);
  CHECK(recorder.seen[0].zero);

  SUBCASE("assigning over a secret wipes the bytes it held") {
    Secret a = Secret::copy_of(std::string_view("first passphrase"));
    const uint8_t* old = a.data();
    a = Secret::copy_of(std::string_view("second"));
    REQUIRE(recorder.seen.size() == 2);
    CHECK(recorder.seen[1].data == old);
    CHECK(recorder.seen[1].zero);
  }
}

namespace {

// The flags (/proc/self/smaps "VmFlags") of the mapping that holds `p`.
std::string vm_flags_of(const void* p) {
  const auto at = reinterpret_cast<uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    unsigned long from = 0, to = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx ", &from, &to) == 2) {  // a mapping's first line
      inside = at >= from && at < to;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line;
  }
  return "";
}

bool may_lock_a_page() {
#if defined(__SANITIZE_ADDRESS__)
  return false;  // AddressSanitizer makes mlock a no-op
#endif
  rlimit limit{};
  return ::getrlimit(RLIMIT_MEMLOCK, &limit) == 0 &&
         (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= 1 << 20 || ::geteuid() == 0);
}

}  // namespace

TEST_CASE("a secret sits in pages of its own, out of core dumps and locked") {
  Secret a = Secret::copy_of(std::string_view("the device seed"));
  Secret b = Secret::random(32);
  CHECK(a.guarded());
  const std::string flags = vm_flags_of(a.data());
  CAPTURE(flags);
  CHECK(flags.find(" dd") != std::string::npos);  // MADV_DONTDUMP took
  if (may_lock_a_page()) CHECK(flags.find(" lo") != std::string::npos);
  // Freeing one leaves the other as it was: no shared page to unlock.
  const std::string before = vm_flags_of(b.data());
  a = Secret();
  CHECK(vm_flags_of(b.data()) == before);
  CHECK(before.find(" dd") != std::string::npos);
  CHECK(b.size() == 32);
}

TEST_CASE("a transient secret is wiped heap memory") {
  Secret t = Secret::transient(64);
  CHECK_FALSE(t.guarded());
  CHECK(t.size() == 64);
  CHECK(std::all_of(t.data(), t.data() + t.size(), [](uint8_t c) { return c == 0; }));
}

TEST_CASE("this process can be made undumpable, with no core file size") {
  REQUIRE(keep_out_of_core_dumps().is_ok());
  CHECK(::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0);
  rlimit core{};
  REQUIRE(::getrlimit(RLIMIT_CORE, &core) == 0);
  CHECK(core.rlim_cur == 0);
  CHECK(core.rlim_max == 0);
}
