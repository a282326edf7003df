#include "model/limits.h"

#include <string>

namespace hearth::model {

Status check_text(std::string_view text, size_t max, std::string_view what, bool required) {
  if (required && text.empty()) return Status::invalid(std::string(what) + " is empty");
  if (text.size() > max) {
    const std::string size = max % 1024 == 0 ? std::to_string(max / 1024) + " KiB"
                                             : std::to_string(max) + " bytes";
    return Status::invalid(std::string(what) + " is at most " + size + "; please shorten it");
  }
  if (!is_valid_utf8(text)) return Status::invalid(std::string(what) + " is not valid UTF-8");
  return Status::ok();
}

Status check_name(std::string_view name) {
  if (name.size() > kMaxNameBytes) {
    return Status::invalid("the name is longer than " + std::to_string(kMaxNameBytes) +
                           " bytes; a first name or nickname is enough");
  }
  if (!is_valid_utf8(name)) return Status::invalid("the name is not valid UTF-8");
  return Status::ok();
}

}  // namespace hearth::model
