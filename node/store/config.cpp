#include "store/config.h"

namespace hearth::store {

Result<std::optional<std::string>> Config::get(std::string_view key) {
  Query st = db_.prepare("SELECT value FROM config WHERE key = ?");
  st.bind_text(1, key);
  auto row = st.step();
  if (!row.is_ok()) {
    return row.status();
  }
  std::optional<std::string> value;
  if (*row) value = std::string(st.text(0));
  return value;
}

Status Config::set(std::string_view key, std::string_view value) {
  Query st = db_.prepare(
      "INSERT INTO config (key, value) VALUES (?, ?)"
      " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  st.bind_text(1, key).bind_text(2, value);
  return st.run();
}

bool Config::discovery_enabled() {
  auto value = get("discovery");
  return !value.is_ok() || !value->has_value() || **value != "off";
}

}  // namespace hearth::store
