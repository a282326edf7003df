#include "client/json.h"

#include "client/text.h"
#include "util/assert.h"

namespace hearth::client {

std::string json_quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    const size_t n = utf8_sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i++]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

void JsonWriter::newline() {
  if (indent_ <= 0) return;
  out_ += '\n';
  out_.append(stack_.size() * static_cast<size_t>(indent_), ' ');
}

void JsonWriter::before_value() {
  HEARTH_ASSERT(!done_, "JSON document already complete");
  if (stack_.empty()) return;
  if (stack_.back() == Frame::kObject) {
    HEARTH_ASSERT(after_key_, "JSON object value without a key");
    after_key_ = false;
    return;
  }
  if (!first_) out_ += ',';
  newline();
  first_ = false;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  HEARTH_ASSERT(!stack_.empty() && stack_.back() == Frame::kObject && !after_key_,
                "JSON key outside an object");
  if (!first_) out_ += ',';
  newline();
  first_ = false;
  out_ += json_quote(k);
  out_ += indent_ > 0 ? ": " : ":";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  stack_.push_back(Frame::kObject);
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  stack_.push_back(Frame::kArray);
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  HEARTH_ASSERT(!stack_.empty() && stack_.back() == Frame::kObject && !after_key_,
                "unbalanced JSON object");
  stack_.pop_back();
  if (!first_) newline();
  out_ += '}';
  first_ = false;
  done_ = stack_.empty();
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  HEARTH_ASSERT(!stack_.empty() && stack_.back() == Frame::kArray, "unbalanced JSON array");
  stack_.pop_back();
  if (!first_) newline();
  out_ += ']';
  first_ = false;
  done_ = stack_.empty();
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
  before_value();
  out_ += json_quote(s);
  done_ = stack_.empty();
  return *this;
}

JsonWriter& JsonWriter::value(bool b) {
  before_value();
  out_ += b ? "true" : "false";
  done_ = stack_.empty();
  return *this;
}

JsonWriter& JsonWriter::value(int64_t n) {
  before_value();
  out_ += std::to_string(n);
  done_ = stack_.empty();
  return *this;
}

JsonWriter& JsonWriter::value(uint64_t n) {
  before_value();
  out_ += std::to_string(n);
  done_ = stack_.empty();
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  done_ = stack_.empty();
  return *this;
}

JsonWriter& JsonWriter::string_or_null(std::string_view s) { return s.empty() ? null() : value(s); }

JsonWriter& JsonWriter::strings(const std::vector<std::string>& items) {
  begin_array();
  for (const auto& s : items) value(s);
  return end_array();
}

std::string JsonWriter::finish() {
  HEARTH_ASSERT(done_, "JSON document incomplete");
  return std::move(out_) + "\n";
}

}  // namespace hearth::client
