#include "util/secret.h"

#include <sodium.h>

#include <cstring>
#include <memory>
#include <new>
#include <utility>

#include "util/assert.h"

namespace hearth {

Secret::Secret(size_t size) : size_(size) {
  if (size_ == 0) return;
  data_ = static_cast<uint8_t*>(sodium_malloc(size_));
  if (data_ == nullptr) throw std::bad_alloc();
  std::memset(data_, 0, size_);  // sodium_malloc fills with a pattern
  guarded_ = true;
}

Secret Secret::transient(size_t size) {
  Secret s;
  s.size_ = size;
  if (size) s.data_ = new uint8_t[size]();
  return s;
}

Secret Secret::random(size_t size) {
  Secret s(size);
  if (size) randombytes_buf(s.data_, size);
  return s;
}

Secret Secret::copy_of(std::span<const uint8_t> bytes) {
  Secret s(bytes.size());
  if (!bytes.empty()) std::memcpy(s.data_, bytes.data(), bytes.size());
  return s;
}

Secret Secret::copy_of(std::string_view text) {
  return copy_of({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

Secret::Secret(Secret&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      guarded_(std::exchange(other.guarded_, false)) {}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    guarded_ = std::exchange(other.guarded_, false);
  }
  return *this;
}

Secret::~Secret() { release(); }

void Secret::release() {
  if (data_ == nullptr) return;
  sodium_memzero(data_, size_);
  if (auto observe = testing::secret_released.load(std::memory_order_acquire))
    observe(data_, size_);
  if (guarded_) {
    sodium_free(data_);  // wipes again, unlocks and unmaps its own pages only
  } else {
    delete[] data_;
  }
  data_ = nullptr;
  size_ = 0;
  guarded_ = false;
}

bool Secret::equals(const Secret& other) const {
  if (size_ != other.size_) return false;
  if (size_ == 0) return true;
  return sodium_memcmp(data_, other.data_, size_) == 0;
}

void Secret::truncate(size_t new_size) {
  HEARTH_ASSERT(new_size <= size_, "truncate beyond size");
  sodium_memzero(data_ + new_size, size_ - new_size);
  size_ = new_size;
}

void wipe(std::span<uint8_t> bytes) {
  if (!bytes.empty()) sodium_memzero(bytes.data(), bytes.size());
}

void wipe(std::string& text) {
  if (!text.empty()) sodium_memzero(text.data(), text.size());
}

}  // namespace hearth
