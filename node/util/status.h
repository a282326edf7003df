// Status and Result<T>: how expected failures travel in Hearth.
//
// Expected outcomes (bad input, not found, authentication failed, locked) are
// values, never exceptions. Bugs go through HEARTH_ASSERT (assert.h).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace hearth {

enum class Code {
  kOk = 0,
  kInvalidArgument,  // the caller's input is malformed or out of range
  kNotFound,         // the thing asked for does not exist
  kRefused,          // well-formed, but not allowed (not the author, not paired…)
  kLocked,           // the keys are not unlocked yet
  kAuthFailed,       // a MAC, signature or passphrase did not verify
  kCorrupt,          // stored or received data violates its format
  kIo,               // the operating system or SQLite failed
  kUnavailable,      // a peer or the daemon is not reachable
  kInternal,         // a bug: should not happen
};

const char* code_name(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  static Status ok() { return {}; }
  static Status invalid(std::string msg) { return {Code::kInvalidArgument, std::move(msg)}; }
  static Status not_found(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status refused(std::string msg) { return {Code::kRefused, std::move(msg)}; }
  static Status locked(std::string msg) { return {Code::kLocked, std::move(msg)}; }
  static Status auth_failed(std::string msg) { return {Code::kAuthFailed, std::move(msg)}; }
  static Status corrupt(std::string msg) { return {Code::kCorrupt, std::move(msg)}; }
  static Status io(std::string msg) { return {Code::kIo, std::move(msg)}; }
  static Status unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }
  static Status internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }

  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  bool is_ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return is_ok(); }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "corrupt: bad frame length" — for logs and error output.
  std::string to_string() const;

  // Prepends context: Status::io("disk full").with_context("saving") -> "saving: disk full".
  Status with_context(const std::string& context) const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status saying why there is none. T must not be Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: must not be ok

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &std::get<T>(v_); }
  const T* operator->() const { return &std::get<T>(v_); }
  T& operator*() & { return std::get<T>(v_); }
  const T& operator*() const& { return std::get<T>(v_); }

  // A reference: to the held Status, or to a shared ok Status.
  const Status& status() const {
    static const Status kOkStatus;
    return is_ok() ? kOkStatus : std::get<Status>(v_);
  }

 private:
  std::variant<T, Status> v_;
};

}  // namespace hearth

// Returns early from the enclosing function when `expr` yields a failed Status.
#define HEARTH_TRY(expr)                          \
  do {                                            \
    ::hearth::Status hearth_try_status_ = (expr); \
    if (!hearth_try_status_.is_ok()) return hearth_try_status_; \
  } while (0)

#define HEARTH_CONCAT_INNER(a, b) a##b
#define HEARTH_CONCAT(a, b) HEARTH_CONCAT_INNER(a, b)

// Declares `lhs` from a Result, or returns its Status from the enclosing function.
#define HEARTH_ASSIGN_OR_RETURN(lhs, expr) \
  HEARTH_ASSIGN_OR_RETURN_IMPL(HEARTH_CONCAT(hearth_result_, __LINE__), lhs, expr)
#define HEARTH_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.is_ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
