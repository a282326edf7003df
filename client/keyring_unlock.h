// Unlock with the desktop session (docs/DESIGN.md §11.3): the unlock key,
// Argon2id(passphrase, the key file's salt), kept in the desktop keyring
// through the Secret Service API (libsecret), so that `hearth unlock
// --from-keyring` at login opens Hearth without typing the passphrase.
//
// Why the derived key and not the passphrase: it opens this key file only
// (a passphrase may also be used elsewhere), it stops working when the
// passphrase changes, and unlocking with it skips Argon2id at login. It
// opens everything Hearth keeps, so it is as strong as the keyring's own
// protection: whoever can read the keyring while you are logged in can
// unlock Hearth. The README says so.
//
// The item's attributes name the device and the home, never what Hearth
// holds; its label is "Hearth unlock key". Secrets pass through wiped
// memory (Secret) and are never logged.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "util/secret.h"
#include "util/status.h"

namespace hearth::client {

struct KeyringItem {
  std::string device_id;  // as `hearth id` prints it
  std::string home;       // the Hearth folder it unlocks
};

class UnlockKeyStore {
 public:
  virtual ~UnlockKeyStore() = default;
  // Replaces any key stored for the item.
  virtual Status store(const KeyringItem& item, const Secret& key) = 0;
  // nullopt when the keyring holds none for the item; kUnavailable when no
  // keyring answers (no desktop session, no Secret Service).
  virtual Result<std::optional<Secret>> lookup(const KeyringItem& item) = 0;
  // Removes it; no error when there was none.
  virtual Status clear(const KeyringItem& item) = 0;
};

// The desktop's keyring over D-Bus (libsecret). Nothing is contacted until
// a method is called.
std::unique_ptr<UnlockKeyStore> desktop_keyring();

}  // namespace hearth::client
