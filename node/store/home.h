// Creating a Hearth home: directory, key file and store, in that order.
#pragma once

#include <string>

#include "util/bytes.h"
#include "util/files.h"
#include "util/secret.h"
#include "util/status.h"

namespace hearth::store {

struct InitOptions {
  std::string name;                  // this device's display name; may be empty
  const Secret* passphrase = nullptr;  // nullptr: key file unsealed (0600)
};

// Creates paths.home (0700), the key file and an empty store holding the
// name (encrypted with the local key). Returns the device public key.
// Fails with kRefused if the home already has a key file.
Result<Key32> init_home(const HomePaths& paths, const InitOptions& options);

}  // namespace hearth::store
