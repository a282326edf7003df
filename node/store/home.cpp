#include "store/home.h"

#include "crypto/keyfile.h"
#include "model/payload.h"
#include "store/devices.h"
#include "store/journal.h"
#include "store/store.h"

namespace hearth::store {

Result<Key32> init_home(const HomePaths& paths, const InitOptions& options) {
  if (path_exists(paths.keys())) {
    return Status::refused("Hearth is already set up in " + paths.home +
                           " (it has a key file); nothing was changed");
  }
  HEARTH_TRY(model::check_name(options.name));
  HEARTH_TRY(ensure_private_dir(paths.home));
  crypto::KeyMaterial keys = crypto::KeyMaterial::generate();
  Key32 public_key = keys.identity.public_key();
  // The store first: should it fail, no key file exists and init can be rerun.
  if (path_exists(paths.db())) {
    return Status::refused(paths.db() + " exists but there is no key file beside it; without " +
                           "its keys it cannot be read. Move it aside to start afresh");
  }
  {
    HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Store::open(paths.db(), keys.clone()));
    HEARTH_TRY(store->devices().upsert(public_key, DeviceRole::kSelf, options.name, system_clock_ms()));
  }
  HEARTH_TRY(crypto::write_key_file(paths.keys(), keys, options.passphrase));
  return public_key;
}

}  // namespace hearth::store
