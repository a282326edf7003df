// A small streaming JSON writer for `hearth --json`.
//
// Writes one document into a string. Strings are escaped fully: quotes,
// backslash and every control character; valid UTF-8 passes through as is and
// each invalid byte becomes U+FFFD, so the output is always valid JSON.
// Misuse (a value where a key is expected, unbalanced end_*) is a bug and
// asserts.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

namespace hearth::client {

// `s` as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

class JsonWriter {
 public:
  // indent 0: the whole document on one line (for streams of documents).
  explicit JsonWriter(int indent = 2) : indent_(indent) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // Inside an object, every value is preceded by its key.
  JsonWriter& key(std::string_view k);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b);
  JsonWriter& value(int64_t n);
  JsonWriter& value(uint64_t n);
  JsonWriter& value(int n) { return value(static_cast<int64_t>(n)); }
  JsonWriter& value(unsigned n) { return value(static_cast<uint64_t>(n)); }
  JsonWriter& null();
  // A string, or null when `s` is empty.
  JsonWriter& string_or_null(std::string_view s);
  JsonWriter& strings(const std::vector<std::string>& items);

  // What was written since the last take(): a long document leaves in pieces.
  std::string take() { return std::exchange(out_, std::string()); }
  // The finished document (with a trailing newline). Asserts it is complete.
  std::string finish();

 private:
  enum class Frame { kObject, kArray };
  void before_value();
  void newline();

  int indent_;
  std::string out_;
  std::vector<Frame> stack_;
  bool first_ = true;       // no element written yet in the innermost container
  bool after_key_ = false;  // a key was written, its value is next
  bool done_ = false;       // the top-level value is complete
};

}  // namespace hearth::client
