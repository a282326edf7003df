// The config table: this device's settings as key/value text. Which keys
// exist and what values they take is decided by the control layer
// (control/network_requests.cpp); this only stores them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "store/db.h"

namespace hearth::store {

class Config {
 public:
  explicit Config(Db& db) : db_(db) {}

  // nullopt when the key was never set.
  Result<std::optional<std::string>> get(std::string_view key);
  Status set(std::string_view key, std::string_view value);
  // The `discovery` setting (on unless set to "off"). A read failure counts as on.
  bool discovery_enabled();

 private:
  Db& db_;
};

}  // namespace hearth::store
