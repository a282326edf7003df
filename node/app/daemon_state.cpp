#include "app/daemon_state.h"

#include "crypto/keyfile.h"
#include "util/log.h"

namespace hearth::app {

void Unlocked::record(std::string_view level, const std::string& message,
                      store::ActivityBucket bucket, std::string_view partner_address) {
  if (level == "error") {
    log::error(message);
  } else if (level == "warn") {
    log::warn(message);
  } else {
    log::info(message);
  }
  Status st = activity.append(level, message, clock_ms(), bucket, partner_address);
  if (!st.is_ok()) log::error("cannot record activity: ", st.to_string());
}

Status DaemonState::unlock(const Secret* passphrase) {
  if (unlocked_) return Status::ok();
  HEARTH_ASSIGN_OR_RETURN(crypto::KeyMaterial keys,
                          crypto::unlock_key_file(paths_.keys(), sealed_ ? passphrase : nullptr));
  if (keys.identity.public_key() != device_key_)
    return Status::corrupt("the key file changed while the daemon was running");
  HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                          store::Store::open(paths_.db(), std::move(keys)));
  unlocked_ = std::make_unique<Unlocked>(std::move(store), clock_);
  HEARTH_TRY(unlocked_->devices.upsert(device_key_, store::DeviceRole::kSelf, "", now_ms()));
  log::info("unlocked");
  if (on_unlocked_) on_unlocked_(*unlocked_);
  return Status::ok();
}

}  // namespace hearth::app
