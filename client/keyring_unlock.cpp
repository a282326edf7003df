#include "client/keyring_unlock.h"

#include <libsecret/secret.h>
#include <sodium.h>

#include <cstring>

namespace hearth::client {
namespace {

const SecretSchema* unlock_schema() {
  static const SecretSchema schema = {
      "org.hearth.UnlockKey",
      SECRET_SCHEMA_NONE,
      {
          {"device", SECRET_SCHEMA_ATTRIBUTE_STRING},
          {"home", SECRET_SCHEMA_ATTRIBUTE_STRING},
          {nullptr, SECRET_SCHEMA_ATTRIBUTE_STRING},
      },
      0, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
  return &schema;
}

Status keyring_error(GError* error, const char* what) {
  std::string message = std::string(what) + ": " + (error ? error->message : "no answer");
  if (error) g_error_free(error);
  return Status::unavailable(message +
                             ". Is a desktop keyring (such as GNOME Keyring) running and "
                             "unlocked?");
}

class DesktopKeyring : public UnlockKeyStore {
 public:
  Status store(const KeyringItem& item, const Secret& key) override {
    // Hex text: the Secret Service's text API; the hex lives in wiped memory.
    Secret hex(key.size() * 2 + 1);
    sodium_bin2hex(reinterpret_cast<char*>(hex.data()), hex.size(), key.data(), key.size());
    GError* error = nullptr;
    const gboolean ok = secret_password_store_sync(
        unlock_schema(), SECRET_COLLECTION_DEFAULT, "Hearth unlock key",
        reinterpret_cast<const char*>(hex.data()), nullptr, &error, "device",
        item.device_id.c_str(), "home", item.home.c_str(), nullptr);
    if (!ok) return keyring_error(error, "cannot store the key in the keyring");
    return Status::ok();
  }

  Result<std::optional<Secret>> lookup(const KeyringItem& item) override {
    GError* error = nullptr;
    gchar* hex = secret_password_lookup_sync(unlock_schema(), nullptr, &error, "device",
                                             item.device_id.c_str(), "home", item.home.c_str(),
                                             nullptr);
    if (error) return keyring_error(error, "cannot read the keyring");
    if (hex == nullptr) return std::optional<Secret>();
    const size_t length = std::strlen(hex);
    Secret key(length / 2);
    size_t written = 0;
    const int rc = sodium_hex2bin(key.data(), key.size(), hex, length, nullptr, &written, nullptr);
    secret_password_free(hex);  // wipes it
    if (rc != 0 || written != key.size() || key.size() != 32)
      return Status::corrupt("the keyring's Hearth unlock key is damaged");
    return std::optional<Secret>(std::move(key));
  }

  Status clear(const KeyringItem& item) override {
    GError* error = nullptr;
    secret_password_clear_sync(unlock_schema(), nullptr, &error, "device", item.device_id.c_str(),
                               "home", item.home.c_str(), nullptr);
    if (error) return keyring_error(error, "cannot remove the key from the keyring");
    return Status::ok();
  }
};

}  // namespace

std::unique_ptr<UnlockKeyStore> desktop_keyring() { return std::make_unique<DesktopKeyring>(); }

}  // namespace hearth::client
