#include "client/text.h"

#include <algorithm>
#include <cstdint>

namespace hearth::client {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

std::string terminal_safe(std::string_view s, bool keep_newlines) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const size_t n = utf8_sequence_length(s, i);
    const auto c = static_cast<unsigned char>(s[i]);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    const bool c0 = n == 1 && (c < 0x20 || c == 0x7F);
    const bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0;
    if (c == '\n') {
      out += keep_newlines ? "\n" : " ";
    } else if (c == '\t') {
      out += '\t';
    } else if (c0 || c1) {
      out += kReplacement;
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string indent_lines(std::string_view s, std::string_view prefix) {
  std::string safe = terminal_safe(s);
  std::string out;
  size_t start = 0;
  while (start <= safe.size()) {
    size_t end = safe.find('\n', start);
    if (end == std::string::npos) end = safe.size();
    out += prefix;
    out.append(safe, start, end - start);
    out += '\n';
    start = end + 1;
  }
  return out;
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const size_t last = s.find_last_not_of(kSpace);
  return s.substr(first, last - first + 1);
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

std::string short_id(ByteView id) {
  constexpr size_t kEntityIdBytes = 16;
  if (id.size() == kEntityIdBytes) return to_hex(id.last(4));
  return to_hex(id.first(std::min<size_t>(id.size(), 4)));
}

std::string count_of(uint64_t n, std::string_view singular, std::string_view plural) {
  return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

}  // namespace hearth::client
