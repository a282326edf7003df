#include "crypto/keyfile.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "crypto/aead.h"
#include "util/files.h"

namespace hearth::crypto {
namespace {

constexpr char kMagic[8] = {'H', 'E', 'A', 'R', 'T', 'H', 'K', '1'};
constexpr uint8_t kVersion = 1;
constexpr size_t kHeaderBytes = 74;
constexpr size_t kSecretsBytes = 64 + 32 + 32;
constexpr size_t kUnsealedBytes = kHeaderBytes + kSecretsBytes;
constexpr size_t kSealedBytes = kHeaderBytes + kAeadOverhead + kSecretsBytes;
constexpr size_t kSaltOffset = 42;

Bytes header(const Key32& pk, bool sealed, ByteView salt, uint64_t ops, uint64_t mem) {
  Bytes h(kMagic, kMagic + sizeof kMagic);
  h.push_back(kVersion);
  h.push_back(sealed ? 1 : 0);
  append(h, pk);
  append(h, salt);
  put_u64_be(h, ops);
  put_u64_be(h, mem);
  return h;
}

Result<Secret> derive_wrapping_key(const Secret& passphrase, ByteView salt, uint64_t ops,
                                   uint64_t mem) {
  Secret key(kAeadKeyBytes);
  if (crypto_pwhash(key.data(), key.size(), reinterpret_cast<const char*>(passphrase.data()),
                    passphrase.size(), salt.data(), ops, static_cast<size_t>(mem),
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::io("not enough memory to derive the key from the passphrase");
  }
  return key;
}

Result<Bytes> read_exact_file(const std::string& path) {
  HEARTH_ASSIGN_OR_RETURN(Bytes data, read_small_file(path, kSealedBytes));
  if (data.size() != kSealedBytes && data.size() != kUnsealedBytes)
    return Status::corrupt("key file " + path + " has the wrong size");
  if (std::memcmp(data.data(), kMagic, sizeof kMagic) != 0 || data[8] != kVersion)
    return Status::corrupt("key file " + path + " is not a Hearth key file of this version");
  bool sealed = data[9] == 1;
  if (data[9] > 1 || data.size() != (sealed ? kSealedBytes : kUnsealedBytes))
    return Status::corrupt("key file " + path + " has an unknown mode");
  return data;
}

Result<KeyMaterial> from_secrets(const Secret& secrets, const Key32& expected_pk) {
  HEARTH_ASSIGN_OR_RETURN(DeviceIdentity identity,
                          DeviceIdentity::from_secret(Secret::copy_of(secrets.view().first(64))));
  if (sodium_memcmp(identity.public_key().data(), expected_pk.data(), 32) != 0)
    return Status::corrupt("key file's public key does not match its secret key");
  return KeyMaterial{std::move(identity), Secret::copy_of(secrets.view().subspan(64, 32)),
                     Secret::copy_of(secrets.view().subspan(96, 32))};
}

}  // namespace

KeyMaterial KeyMaterial::generate() {
  return KeyMaterial{DeviceIdentity::generate(), Secret::random(32), Secret::random(32)};
}

KeyMaterial KeyMaterial::clone() const {
  auto identity_copy = DeviceIdentity::from_secret(Secret::copy_of(identity.secret_key().view()));
  return KeyMaterial{std::move(identity_copy).value(), Secret::copy_of(log_key.view()),
                     Secret::copy_of(local_key.view())};
}

Result<KeyFileInfo> read_key_file_info(const std::string& path) {
  HEARTH_ASSIGN_OR_RETURN(Bytes data, read_exact_file(path));
  KeyFileInfo info;
  std::memcpy(info.public_key.data(), data.data() + 10, 32);
  info.sealed = data[9] == 1;
  return info;
}

namespace {

// A sealed file's Argon2id limits, checked against libsodium's range.
Status check_limits(uint64_t ops, uint64_t mem) {
  if (ops < crypto_pwhash_OPSLIMIT_INTERACTIVE || ops > crypto_pwhash_OPSLIMIT_SENSITIVE ||
      mem < crypto_pwhash_MEMLIMIT_INTERACTIVE || mem > crypto_pwhash_MEMLIMIT_SENSITIVE) {
    return Status::corrupt("key file has key-derivation limits outside the allowed range");
  }
  return Status::ok();
}

// A sealed file's secrets opened with the wrapping key.
Result<KeyMaterial> open_sealed(const Bytes& data, const Secret& wrapping, const char* wrong) {
  const Key32 pk = to_array<32>(ByteView(data).subspan(10, 32));
  auto secrets =
      open(wrapping, ByteView(data).subspan(kHeaderBytes), ByteView(data).first(kHeaderBytes));
  if (!secrets) return Status::auth_failed(wrong);
  return from_secrets(*secrets, pk);
}

Result<Secret> wrapping_key_for(const Bytes& data, const Secret& passphrase) {
  const uint64_t ops = get_u64_be(data.data() + 58);
  const uint64_t mem = get_u64_be(data.data() + 66);
  HEARTH_TRY(check_limits(ops, mem));
  return derive_wrapping_key(passphrase, ByteView(data).subspan(kSaltOffset, 16), ops, mem);
}

}  // namespace

Result<KeyMaterial> unlock_key_file(const std::string& path, const Secret* passphrase) {
  HEARTH_ASSIGN_OR_RETURN(Bytes data, read_exact_file(path));
  Key32 pk = to_array<32>(ByteView(data).subspan(10, 32));
  if (data[9] == 0) {
    Secret secrets = Secret::copy_of(ByteView(data).subspan(kHeaderBytes, kSecretsBytes));
    sodium_memzero(data.data(), data.size());
    return from_secrets(secrets, pk);
  }
  if (passphrase == nullptr) return Status::locked("the key file is sealed with a passphrase");
  HEARTH_ASSIGN_OR_RETURN(Secret wrapping, wrapping_key_for(data, *passphrase));
  return open_sealed(data, wrapping, "wrong passphrase");
}

Result<Secret> derive_unlock_key(const std::string& path, const Secret& passphrase) {
  HEARTH_ASSIGN_OR_RETURN(Bytes data, read_exact_file(path));
  if (data[9] == 0) return Status::refused("this device's keys have no passphrase");
  HEARTH_ASSIGN_OR_RETURN(Secret wrapping, wrapping_key_for(data, passphrase));
  HEARTH_ASSIGN_OR_RETURN(KeyMaterial checked, open_sealed(data, wrapping, "wrong passphrase"));
  (void)checked;  // it opens the file; its keys are wiped as it goes
  return wrapping;
}

Result<KeyMaterial> unlock_key_file_with_key(const std::string& path, const Secret& unlock_key) {
  HEARTH_ASSIGN_OR_RETURN(Bytes data, read_exact_file(path));
  if (data[9] == 0) return unlock_key_file(path, nullptr);
  if (unlock_key.size() != kAeadKeyBytes) return Status::invalid("an unlock key is 32 bytes");
  HEARTH_TRY(check_limits(get_u64_be(data.data() + 58), get_u64_be(data.data() + 66)));
  return open_sealed(data, unlock_key, "that unlock key does not open this device's keys");
}

namespace {

// The file's bytes for `keys`, sealed under `passphrase` unless it is null.
// The caller wipes them.
Result<Bytes> encode_key_file(const KeyMaterial& keys, const Secret* passphrase) {
  Secret secrets(kSecretsBytes);
  std::memcpy(secrets.data(), keys.identity.secret_key().data(), 64);
  std::memcpy(secrets.data() + 64, keys.log_key.data(), 32);
  std::memcpy(secrets.data() + 96, keys.local_key.data(), 32);
  Bytes out;
  if (passphrase == nullptr) {
    out = header(keys.identity.public_key(), false, Bytes(16, 0), 0, 0);
    append(out, secrets.view());
  } else {
    Bytes salt(crypto_pwhash_SALTBYTES);
    randombytes_buf(salt.data(), salt.size());
    uint64_t ops = crypto_pwhash_OPSLIMIT_MODERATE;
    uint64_t mem = crypto_pwhash_MEMLIMIT_MODERATE;
    HEARTH_ASSIGN_OR_RETURN(Secret wrapping, derive_wrapping_key(*passphrase, salt, ops, mem));
    out = header(keys.identity.public_key(), true, salt, ops, mem);
    append(out, seal(wrapping, secrets.view(), out));
  }
  return out;
}

}  // namespace

Status write_key_file(const std::string& path, const KeyMaterial& keys, const Secret* passphrase) {
  HEARTH_ASSIGN_OR_RETURN(Bytes out, encode_key_file(keys, passphrase));
  Status st = write_file_atomically(path, out, 0600, /*overwrite=*/false);
  sodium_memzero(out.data(), out.size());
  return st;
}

Status change_passphrase(const std::string& path, PassphraseAction action, const Secret* current,
                         const Secret* replacement, const WriteStepHook& after_step) {
  const bool needs_current = action != PassphraseAction::kSet;
  const bool needs_replacement = action != PassphraseAction::kRemove;
  if (needs_current && (current == nullptr || current->empty()))
    return Status::invalid("the current passphrase is needed");
  if (needs_replacement && (replacement == nullptr || replacement->empty()))
    return Status::invalid("the new passphrase cannot be empty");
  HEARTH_ASSIGN_OR_RETURN(KeyFileInfo info, read_key_file_info(path));
  if (action == PassphraseAction::kSet && info.sealed)
    return Status::refused(
        "this device's keys already have a passphrase; `hearth passphrase change` changes it");
  if (action != PassphraseAction::kSet && !info.sealed)
    return Status::refused(
        "this device's keys have no passphrase; `hearth passphrase set` adds one");
  Result<KeyMaterial> keys = unlock_key_file(path, needs_current ? current : nullptr);
  if (!keys) return keys.status();
  HEARTH_ASSIGN_OR_RETURN(Bytes out,
                          encode_key_file(*keys, needs_replacement ? replacement : nullptr));
  Status st = write_file_atomically(path, out, 0600, /*overwrite=*/true, after_step);
  sodium_memzero(out.data(), out.size());
  return st;
}

}  // namespace hearth::crypto
