#include "runtime/daemon_state.h"

#include "crypto/keyfile.h"
#include "store/address_text.h"
#include "util/log.h"

namespace hearth::runtime {

void Unlocked::record(std::string_view level, const std::string& said,
                      store::ActivityBucket bucket, std::string_view partner_address) {
  // A message about a device that stopped being the partner's while the
  // work it reports ran (a dial that failed after `hearth unpair`) names its
  // address as unpairing would have: the address is forgotten already.
  std::string message = said;
  if (!partner_address.empty()) {
    auto partner = devices.find_partner();
    if (!partner.is_ok() || !partner->has_value()) {
      message = store::without_address(std::move(message), partner_address);
      partner_address = {};
    }
  }
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

sync::SessionContext session_context(Unlocked& u, sync::UpdateHub& updates) {
  return sync::SessionContext{
      *u.store,
      u.devices,
      u.prompts,
      u.clock_ms,
      updates,
      [&u](const std::string& message) { u.record("warn", message); },
  };
}

Status DaemonState::unlock(const Secret* passphrase) {
  if (unlocked_) return Status::ok();
  HEARTH_ASSIGN_OR_RETURN(crypto::KeyMaterial keys,
                          crypto::unlock_key_file(paths_.keys(), sealed_ ? passphrase : nullptr));
  return unlock_with(std::move(keys));
}

Status DaemonState::unlock_with(crypto::KeyMaterial keys) {
  if (unlocked_) return Status::ok();
  if (closing_) return Status::refused("hearthd is still locking; try again in a moment");
  if (keys.identity.public_key() != device_key_)
    return Status::corrupt("the key file changed while the daemon was running");
  HEARTH_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                          store::Store::open(paths_.db(), std::move(keys)));
  unlocked_ = std::make_unique<Unlocked>(std::move(store), clock_);
  HEARTH_TRY(unlocked_->devices.upsert(device_key_, store::DeviceRole::kSelf, "", now_ms()));
  log::info("unlocked");
  // Answers the partner gave while this device was away or locked.
  if (auto partner = unlocked_->devices.partner()) {
    if (auto released = unlocked_->prompts.reveal_due(partner->key); !released)
      log::warn("cannot reveal an answer: ", released.status().to_string());
  }
  if (on_unlocked_) on_unlocked_(*unlocked_);
  return Status::ok();
}

Status DaemonState::lock(std::function<void()> done) {
  if (!unlocked_ && !closing_) {
    if (done) done();
    return Status::ok();
  }
  if (!closing_ && !sealed_) {
    return Status::refused(
        "this device's keys have no passphrase, so nothing could unlock them again; add one with "
        "`hearth passphrase set`, then lock");
  }
  if (done) after_lock_.push_back(std::move(done));
  if (closing_) return Status::ok();  // under way: `done` runs when it ends
  unlocked_->record("info", "locked: the keys are wiped from memory until `hearth unlock`");
  closing_ = std::move(unlocked_);
  network_ = nullptr;
  updates_.end_all();
  if (on_locking_) {
    on_locking_([this] { finish_lock(); });
  } else {
    finish_lock();
  }
  return Status::ok();
}

void DaemonState::finish_lock() {
  if (!closing_) return;
  closing_.reset();  // closes the store; every Secret it held wipes itself
  log::info("locked");
  auto next = std::exchange(after_lock_, {});
  for (auto& fn : next) fn();
}

void DaemonState::when_settled(std::function<void()> next) {
  if (closing_) {
    after_lock_.push_back(std::move(next));
  } else {
    next();
  }
}

}  // namespace hearth::runtime
