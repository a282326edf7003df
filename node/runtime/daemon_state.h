// What a running hearthd holds: its home and public identity always, and,
// once unlocked, the store and the services over it.
//
// Locked -> unlock() -> unlocked -> lock() -> locking -> locked. While
// locking, unlocked() is already null (every request that needs the keys is
// refused), and the Unlocked state lives on only until the services that used
// it have ended; then it is destroyed: the store closes and every Secret it
// held (device key, log keys, local key) is wiped.
//
// Single-threaded: used only on the daemon's io_context thread.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "runtime/network.h"
#include "crypto/keyfile.h"
#include "store/activity.h"
#include "store/devices.h"
#include "store/journal.h"
#include "store/practices.h"
#include "store/prompts.h"
#include "store/reader.h"
#include "store/store.h"
#include "sync/session.h"
#include "sync/updates.h"
#include "util/files.h"

namespace hearth::runtime {

// Everything that needs the keys. Built by DaemonState::unlock().
struct Unlocked {
  explicit Unlocked(std::unique_ptr<store::Store> s, store::Journal::Clock clock)
      : store(std::move(s)),
        journal(*store, clock),
        reader(*store, clock),
        prompts(*store, journal),
        practices(*store, journal),
        activity(store->activity()),
        devices(store->devices()),
        clock_ms(std::move(clock)) {}

  std::unique_ptr<store::Store> store;
  store::Journal journal;
  store::Reader reader;
  store::Prompts prompts;
  store::Practices practices;
  store::Activity& activity;  // the store's
  store::Devices& devices;    // the store's
  store::Journal::Clock clock_ms;

  // Records a network or security action for `hearth log` (and stderr).
  // `partner_address`: the address of the partner's device the message
  // names, if any; unpairing forgets it (store/activity.h).
  void record(std::string_view level, const std::string& message,
              store::ActivityBucket bucket = store::ActivityBucket::kGeneral,
              std::string_view partner_address = {});
};

// What a sync::Session over `u` works on; its warnings go to the activity
// log. `u` and `updates` must outlive the session.
sync::SessionContext session_context(Unlocked& u, sync::UpdateHub& updates);

class DaemonState {
 public:
  DaemonState(HomePaths paths, Key32 device_key, bool sealed, store::Journal::Clock clock)
      : paths_(std::move(paths)), device_key_(device_key), sealed_(sealed), clock_(std::move(clock)) {}

  const HomePaths& paths() const { return paths_; }
  const Key32& device_key() const { return device_key_; }
  // Null while locked or locking.
  Unlocked* unlocked() { return unlocked_.get(); }
  sync::UpdateHub& updates() { return updates_; }
  int64_t now_ms() const { return clock_(); }
  // Whether the key file has a passphrase: read at start, kept up to date by
  // set_sealed() when the passphrase is set or removed.
  bool sealed() const { return sealed_; }
  void set_sealed(bool sealed) { sealed_ = sealed; }
  bool locking() const { return closing_ != nullptr; }

  // Opens the key file (passphrase may be null for an unsealed one) and the
  // store, on the calling thread (Argon2id: the event loop should use
  // unlock_with()). Already unlocked: ok, nothing changes. Wrong passphrase:
  // kAuthFailed.
  Status unlock(const Secret* passphrase);
  // Opens the store with keys read from the key file (off the event loop).
  // Already unlocked: ok, `keys` are dropped. kRefused while locking (see
  // when_settled()). Runs the on_unlocked hook.
  Status unlock_with(crypto::KeyMaterial keys);
  // Called after each successful unlock (e.g. to start sync).
  void on_unlocked(std::function<void(Unlocked&)> hook) { on_unlocked_ = std::move(hook); }

  // Wipes the keys: refused (kRefused) when the key file has no passphrase,
  // since nothing could unlock it again. Otherwise unlocked() is null from
  // now on, `watch` streams end, the on_locking hook stops whatever uses the
  // Unlocked state, and once it says so the state is destroyed; then `done`
  // runs. Already locked: `done` runs at once. Locking: `done` runs when it
  // ends.
  Status lock(std::function<void()> done);
  // Called when locking starts. It must stop every service that refers to
  // the Unlocked state and call `finished` (once, on the io thread) when none
  // of them can touch it any more.
  void on_locking(std::function<void(std::function<void()> finished)> hook) {
    on_locking_ = std::move(hook);
  }
  // Runs `next` now if no lock is under way, else once it has ended.
  void when_settled(std::function<void()> next);
  // The sync layer, once it runs (null before: status says "offline"). Not owned.
  void set_network(NetworkStatus* network) { network_ = network; }
  NetworkStatus* network() { return network_; }
  // This device's own pause was written or ended (control requests call it):
  // whoever watches for its end (control/pause_release.h) looks again.
  void on_own_pause_change(std::function<void()> listener) { own_pause_ = std::move(listener); }
  void own_pause_changed() {
    if (own_pause_) own_pause_();
  }

 private:
  HomePaths paths_;
  Key32 device_key_;
  bool sealed_;
  store::Journal::Clock clock_;
  sync::UpdateHub updates_;
  void finish_lock();

  std::unique_ptr<Unlocked> unlocked_;
  std::unique_ptr<Unlocked> closing_;  // while locking: kept until its users have ended
  std::vector<std::function<void()>> after_lock_;
  std::function<void(Unlocked&)> on_unlocked_;
  std::function<void()> own_pause_;
  std::function<void(std::function<void()>)> on_locking_;
  NetworkStatus* network_ = nullptr;
};

}  // namespace hearth::runtime
