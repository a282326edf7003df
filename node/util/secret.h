// Secret: a move-only byte buffer for key material and passphrases.
//
// The bytes live in memory of their own from sodium_malloc: whole pages
// between inaccessible guard pages, excluded from core dumps
// (MADV_DONTDUMP) and locked in memory where the OS allows (the lock may be
// refused past RLIMIT_MEMLOCK; the rest holds). No two secrets share a page,
// so freeing one never unlocks or re-includes another. They are wiped when
// the Secret is destroyed or moved from. Compare secrets only with
// equals(), which runs in constant time.
//
// Each such Secret costs a few pages of address space and system calls;
// transient() is for plaintext on hot paths (an entry's words as they are
// opened): ordinary heap memory, wiped but neither locked nor excluded from
// dumps. hearthd and hearth never dump core at all (util/process.h).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace hearth {

class Secret {
 public:
  Secret() = default;
  // Zero-filled, guarded (see above). Throws std::bad_alloc if the pages
  // cannot be had.
  explicit Secret(size_t size);
  // Wiped like any Secret but on the heap (see above): for short-lived
  // plaintext on hot paths.
  static Secret transient(size_t size);
  static Secret random(size_t size);
  static Secret copy_of(std::span<const uint8_t> bytes);
  static Secret copy_of(std::string_view text);

  Secret(Secret&& other) noexcept;
  Secret& operator=(Secret&& other) noexcept;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  ~Secret();

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<const uint8_t> view() const { return {data_, size_}; }
  std::span<uint8_t> span() { return {data_, size_}; }
  std::string_view chars() const { return {reinterpret_cast<const char*>(data_), size_}; }
  // Whether the bytes are in guarded pages (not transient()).
  bool guarded() const { return guarded_; }

  // Constant-time for equal sizes; different sizes are unequal.
  bool equals(const Secret& other) const;
  // Shrinks the visible size (the tail is wiped). new_size must be <= size().
  void truncate(size_t new_size);

 private:
  void release();
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  bool guarded_ = false;  // sodium_malloc'd; else new[]'d
};

namespace testing {
// Called by every Secret as it releases its buffer, after wiping it and before
// freeing it, on whichever thread releases it: tests check there that the
// bytes are zero. Null, and never called, outside tests.
using SecretReleased = void (*)(const uint8_t* data, size_t size);
inline std::atomic<SecretReleased> secret_released{nullptr};
}  // namespace testing

// Zeroes a plain buffer that held sensitive bytes (then it may be freed as usual).
void wipe(std::span<uint8_t> bytes);
void wipe(std::string& text);

}  // namespace hearth
