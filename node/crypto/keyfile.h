// The key file: $HEARTH_HOME/keys, the device's secrets (docs/DESIGN.md §3.6).
//
// Layout (all integers big-endian), fixed length:
//   0   8  magic "HEARTHK1"
//   8   1  format version (1)
//   9   1  mode: 0 = unsealed, 1 = sealed with a passphrase
//   10 32  device public key (readable without the passphrase: `hearth id`)
//   42 16  Argon2id salt (zero when unsealed)
//   58  8  Argon2id opslimit (0 when unsealed)
//   66  8  Argon2id memlimit in bytes (0 when unsealed)
//   74     secrets: device secret key (64) || log key (32) || local key (32)
//          unsealed: those 128 bytes as they are (the file is 0600)
//          sealed:   XChaCha20-Poly1305 (nonce 24 || ciphertext 128 || tag 16)
//                    under Argon2id(passphrase, salt), AD = bytes 0..73
// A sealed file is 242 bytes, an unsealed one 202. The KDF limits are checked
// against libsodium's INTERACTIVE..SENSITIVE range before use, so an altered
// file cannot make us allocate without bound.
#pragma once

#include <string>

#include "crypto/identity.h"
#include "util/files.h"
#include "util/secret.h"
#include "util/status.h"

namespace hearth::crypto {

struct KeyMaterial {
  DeviceIdentity identity;
  Secret log_key;    // 32 bytes: encrypts this device's shared event bodies
  Secret local_key;  // 32 bytes: encrypts private entries and stored partner keys

  static KeyMaterial generate();
  KeyMaterial clone() const;
};

struct KeyFileInfo {
  Key32 public_key{};
  bool sealed = false;
};

// Reads the public part only; never needs the passphrase.
Result<KeyFileInfo> read_key_file_info(const std::string& path);
// passphrase is ignored for an unsealed file and required for a sealed one.
// A wrong passphrase gives kAuthFailed.
Result<KeyMaterial> unlock_key_file(const std::string& path, const Secret* passphrase);
// Unlock with the desktop session (client/keyring_unlock.h): the unlock key
// is Argon2id(passphrase, the file's salt), the key that seals the secrets.
// derive_unlock_key checks that it opens the file (kAuthFailed: wrong
// passphrase; kRefused: the file has no passphrase); it runs Argon2id, so
// call it off any event loop. unlock_key_file_with_key opens a sealed file
// with such a key (kAuthFailed when it does not open it, e.g. after the
// passphrase changed).
Result<Secret> derive_unlock_key(const std::string& path, const Secret& passphrase);
Result<KeyMaterial> unlock_key_file_with_key(const std::string& path, const Secret& unlock_key);
// Creates the file (0600) atomically; refuses to overwrite an existing one.
// passphrase == nullptr writes it unsealed.
Status write_key_file(const std::string& path, const KeyMaterial& keys, const Secret* passphrase);

enum class PassphraseAction {
  kSet,     // seal an unsealed file under `replacement`
  kChange,  // re-seal a sealed file under `replacement`; needs `current`
  kRemove,  // write a sealed file's keys unsealed; needs `current`
};

// Re-seals the key file in place: the same keys, a new salt, the new
// passphrase (or none). kRefused when the file's state does not fit the
// action (kSet on a sealed file, kChange or kRemove on an unsealed one),
// kAuthFailed when `current` does not open it, kInvalidArgument for a
// missing or empty passphrase. The new file replaces the old one through
// write_file_atomically: a crash at any point leaves the old file or the new
// one, whole. Runs Argon2id up to twice: call it off the event loop.
Status change_passphrase(const std::string& path, PassphraseAction action, const Secret* current,
                         const Secret* replacement, const WriteStepHook& after_step = nullptr);

}  // namespace hearth::crypto
