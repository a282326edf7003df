// The one translation unit that includes libsecret. It is loaded when a
// command first reaches the keyring, not linked (client/desktop_library.h).
#include "client/keyring_unlock.h"

#include <libsecret/secret.h>
#include <sodium.h>

#include <cstring>

#include "client/desktop_library.h"

namespace hearth::client {
namespace {

// The functions of libsecret and GLib this file calls.
struct SecretApi {
  decltype(&secret_password_store_sync) store = nullptr;
  decltype(&secret_password_lookup_sync) lookup = nullptr;
  decltype(&secret_password_clear_sync) clear = nullptr;
  decltype(&secret_password_free) free = nullptr;
  decltype(&g_error_free) error_free = nullptr;

  static Result<SecretApi> load() {
    HEARTH_ASSIGN_OR_RETURN(DesktopLibrary lib,
                            DesktopLibrary::open("libsecret-1.so.0", "libsecret-1-0",
                                                 "Unlocking with the desktop keyring"));
    SecretApi api;
    HEARTH_TRY(lib.find(api.store, "secret_password_store_sync"));
    HEARTH_TRY(lib.find(api.lookup, "secret_password_lookup_sync"));
    HEARTH_TRY(lib.find(api.clear, "secret_password_clear_sync"));
    HEARTH_TRY(lib.find(api.free, "secret_password_free"));
    HEARTH_TRY(lib.find(api.error_free, "g_error_free"));
    return api;
  }
};

// libsecret, loaded at the first use in this process.
Result<const SecretApi*> secret_api() {
  static const Result<SecretApi> api = SecretApi::load();
  if (!api) return api.status();
  return &*api;
}

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

Status keyring_error(const SecretApi& api, GError* error, const char* what) {
  std::string message = std::string(what) + ": " + (error ? error->message : "no answer");
  if (error) api.error_free(error);
  return Status::unavailable(message +
                             ". Is a desktop keyring (such as GNOME Keyring) running and "
                             "unlocked?");
}

class DesktopKeyring : public UnlockKeyStore {
 public:
  Status store(const KeyringItem& item, const Secret& key) override {
    HEARTH_ASSIGN_OR_RETURN(const SecretApi* api, secret_api());
    // Hex text: the Secret Service's text API; the hex lives in wiped memory.
    Secret hex(key.size() * 2 + 1);
    sodium_bin2hex(reinterpret_cast<char*>(hex.data()), hex.size(), key.data(), key.size());
    GError* error = nullptr;
    const gboolean ok = api->store(
        unlock_schema(), SECRET_COLLECTION_DEFAULT, "Hearth unlock key",
        reinterpret_cast<const char*>(hex.data()), nullptr, &error, "device",
        item.device_id.c_str(), "home", item.home.c_str(), nullptr);
    if (!ok) return keyring_error(*api, error, "cannot store the key in the keyring");
    return Status::ok();
  }

  Result<std::optional<Secret>> lookup(const KeyringItem& item) override {
    HEARTH_ASSIGN_OR_RETURN(const SecretApi* api, secret_api());
    GError* error = nullptr;
    gchar* hex = api->lookup(unlock_schema(), nullptr, &error, "device", item.device_id.c_str(),
                             "home", item.home.c_str(), nullptr);
    if (error) return keyring_error(*api, error, "cannot read the keyring");
    if (hex == nullptr) return std::optional<Secret>();
    const size_t length = std::strlen(hex);
    Secret key(length / 2);
    size_t written = 0;
    const int rc = sodium_hex2bin(key.data(), key.size(), hex, length, nullptr, &written, nullptr);
    api->free(hex);  // wipes it
    if (rc != 0 || written != key.size() || key.size() != 32)
      return Status::corrupt("the keyring's Hearth unlock key is damaged");
    return std::optional<Secret>(std::move(key));
  }

  Status clear(const KeyringItem& item) override {
    HEARTH_ASSIGN_OR_RETURN(const SecretApi* api, secret_api());
    GError* error = nullptr;
    api->clear(unlock_schema(), nullptr, &error, "device", item.device_id.c_str(), "home",
               item.home.c_str(), nullptr);
    if (error) return keyring_error(*api, error, "cannot remove the key from the keyring");
    return Status::ok();
  }
};

}  // namespace

std::unique_ptr<UnlockKeyStore> desktop_keyring() { return std::make_unique<DesktopKeyring>(); }

}  // namespace hearth::client
