// A real, unlocked daemon state for the control fuzzer (and for the seed
// generator, which checks its seeds against it): a home made with
// store::init_home (no passphrase) in a temporary directory, a paired
// partner with part of its log (fuzz_support.h), entries of this device's
// own, and the control handler over them with the partner and network
// requests answered against a sync layer that never connects. Every entity
// has a fixed ID (fuzz::entity), so control requests can name them by
// prefix ("A1A1" is this device's shared reflection, "C2C2" the partner's
// boundary, ...).
//
// The daemon's clock is a counter (one second per reading) from a fixed
// time, so what a run sees does not depend on the day it runs.
#pragma once

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "runtime/daemon_state.h"
#include "runtime/network.h"
#include "control/handler.h"
#include "control/network_requests.h"
#include "fuzz_support.h"
#include "store/home.h"
#include "sync/batch.h"

namespace hearth::fuzz {

// How many of the partner's events the home holds: everything up to the
// edit of its reflection, so nothing is forgotten or withdrawn yet.
inline constexpr size_t kHomePartnerEvents = 7;

// The sync layer as the control requests see it, never connected.
class OfflineNetwork : public runtime::NetworkControl {
 public:
  runtime::ConnectionState connection_state() const override { return runtime::ConnectionState::kOffline; }
  model::SyncFigures progress() override { return {}; }
  std::string listening() const override { return "127.0.0.1:7420"; }
  void reconnect_now() override {}
  runtime::AddressState address_state(const std::string&) const override {
    return {"idle", "connection refused"};
  }
};

class ControlHome {
 public:
  // Creates the home in a new directory under `parent`.
  static std::unique_ptr<ControlHome> create(const std::string& parent) {
    std::string tmpl = parent + "/hearth-fuzz-XXXXXX";
    HEARTH_ASSERT(::mkdtemp(tmpl.data()) != nullptr, "cannot make a temporary home");
    auto home = std::unique_ptr<ControlHome>(new ControlHome(tmpl));
    home->populate();
    return home;
  }

  ~ControlHome() {
    handler_.reset();
    network_requests_.reset();
    state_.reset();
    std::error_code ec;
    std::filesystem::remove_all(paths_.home, ec);
  }
  ControlHome(const ControlHome&) = delete;
  ControlHome& operator=(const ControlHome&) = delete;

  runtime::DaemonState& state() { return *state_; }
  runtime::Unlocked& unlocked() { return *state_->unlocked(); }
  control::Handler& handler() { return *handler_; }

 private:
  explicit ControlHome(std::string dir) { paths_.home = std::move(dir); }

  void populate() {
    auto key = store::init_home(paths_, store::InitOptions{"Alex", nullptr});
    HEARTH_ASSERT(key.is_ok(), "init_home failed");
    // One counter shared by every copy of the clock (state, journal, viewer).
    auto clock = [t = std::make_shared<int64_t>(1'700'000'000'000)] { return *t += 1000; };
    state_ = std::make_unique<runtime::DaemonState>(paths_, *key, false, clock);
    HEARTH_ASSERT(state_->unlock(nullptr).is_ok(), "cannot unlock a new home");
    runtime::Unlocked& u = unlocked();

    const Key32 partner = fixed_identity(kPartnerTag).public_key();
    HEARTH_ASSERT(
        u.devices.upsert(partner, store::DeviceRole::kPartner, "Sam", u.clock_ms()).is_ok(),
        "cannot pair the partner");
    HEARTH_ASSERT(u.store->keys()
                      .store_log_key(u.store->db(), partner, 1, fixed_secret(kPartnerLogKeyTag))
                      .is_ok(),
                  "cannot store the partner's log key");
    const Logs logs = make_logs();
    auto accepted =
        sync::accept_batch(*u.store, partner, to_wire(logs.partner, 0, kHomePartnerEvents));
    HEARTH_ASSERT(accepted.is_ok() && accepted->is_accepted(), "the partner's genuine events were refused");

    using store::Visibility;
    write(
        model::ReflectionPut{
            entity(kOwnReflection), "Something I want to share.", {"calm"}, "", {}},
        Visibility::kShared);
    write(model::ReflectionPut{entity(kOwnPrivateReflection), "Only for me.", {}, "", {}},
          Visibility::kPrivate);
    write(model::BoundaryPropose{entity(kOwnBoundary), "Knock before coming in.", "space"},
          Visibility::kShared);
    write(model::CheckIn{entity(kOwnCheckIn), model::Capacity::kRed, {"overwhelmed"}, "quiet"},
          Visibility::kShared);

    state_->set_network(&network_);
    network_requests_ = std::make_unique<control::NetworkRequests>(u, network_);
    handler_ = std::make_unique<control::Handler>(*state_);
    handler_->set_network(network_requests_.get());
  }

  void write(const model::Payload& payload, store::Visibility visibility) {
    HEARTH_ASSERT(unlocked().journal.write(payload, visibility).is_ok(),
                  "cannot write a fixture entry");
  }

  HomePaths paths_;
  OfflineNetwork network_;
  std::unique_ptr<runtime::DaemonState> state_;
  std::unique_ptr<control::NetworkRequests> network_requests_;
  std::unique_ptr<control::Handler> handler_;
};

// Where temporary homes go: $HEARTH_FUZZ_SCRATCH (run.sh sets it to a
// directory it removes afterwards, crash or not), else /dev/shm when there is
// one (fsync is free there), else the temp directory.
inline std::string scratch_dir() {
  if (const char* dir = std::getenv("HEARTH_FUZZ_SCRATCH"); dir != nullptr && *dir != '\0')
    return dir;
  if (std::filesystem::is_directory("/dev/shm")) return "/dev/shm";
  return std::filesystem::temp_directory_path().string();
}

}  // namespace hearth::fuzz
