// What a running hearthd holds: its home and public identity always, and,
// once unlocked, the store and the services over it.
//
// Single-threaded: used only on the daemon's io_context thread.
#pragma once

#include <functional>
#include <memory>

#include "app/network.h"
#include "app/updates.h"
#include "store/activity.h"
#include "store/devices.h"
#include "store/journal.h"
#include "store/reader.h"
#include "store/store.h"
#include "util/files.h"

namespace hearth::app {

// Everything that needs the keys. Built by DaemonState::unlock().
struct Unlocked {
  explicit Unlocked(std::unique_ptr<store::Store> s, store::Journal::Clock clock)
      : store(std::move(s)),
        journal(*store, clock),
        reader(*store),
        activity(store->db(), store->keys()),
        devices(store->db(), store->keys()),
        clock_ms(std::move(clock)) {}

  std::unique_ptr<store::Store> store;
  store::Journal journal;
  store::Reader reader;
  store::Activity activity;
  store::Devices devices;
  store::Journal::Clock clock_ms;

  // Records a network or security action for `hearth log` (and stderr).
  // `partner_address`: the address of the partner's device the message
  // names, if any; unpairing forgets it (store/activity.h).
  void record(std::string_view level, const std::string& message,
              store::ActivityBucket bucket = store::ActivityBucket::kGeneral,
              std::string_view partner_address = {});
};

class DaemonState {
 public:
  DaemonState(HomePaths paths, Key32 device_key, bool sealed, store::Journal::Clock clock)
      : paths_(std::move(paths)), device_key_(device_key), sealed_(sealed), clock_(std::move(clock)) {}

  const HomePaths& paths() const { return paths_; }
  const Key32& device_key() const { return device_key_; }
  Unlocked* unlocked() { return unlocked_.get(); }
  UpdateHub& updates() { return updates_; }
  int64_t now_ms() const { return clock_(); }

  // Opens the key file (passphrase may be null for an unsealed one) and the
  // store. Already unlocked: ok, nothing changes. Wrong passphrase: kAuthFailed.
  Status unlock(const Secret* passphrase);
  // Called once, right after a successful unlock (e.g. to start sync).
  void on_unlocked(std::function<void(Unlocked&)> hook) { on_unlocked_ = std::move(hook); }
  // The sync layer, once it runs (null before: status says "offline"). Not owned.
  void set_network(NetworkStatus* network) { network_ = network; }
  NetworkStatus* network() { return network_; }

 private:
  HomePaths paths_;
  Key32 device_key_;
  bool sealed_;
  store::Journal::Clock clock_;
  UpdateHub updates_;
  std::unique_ptr<Unlocked> unlocked_;
  std::function<void(Unlocked&)> on_unlocked_;
  NetworkStatus* network_ = nullptr;
};

}  // namespace hearth::app
