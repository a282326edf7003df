#include "daemon/network_services.h"

#include "control/network_requests.h"

#include <chrono>

#include "config/daemon_config.h"
#include "util/log.h"

namespace hearth::daemon {
namespace {

// How often tear_down() looks whether the services are gone; they go within
// one or two turns of the event loop once cancelled.
constexpr auto kPollInterval = std::chrono::milliseconds(2);
// Past this, something still holds a service: said in the log, and waited for.
constexpr auto kSlowTeardown = std::chrono::seconds(5);

}  // namespace

// What the requests call when the partner or the discovery setting changed:
// beacons follow, and so does where hearthd listens.
class NetworkServices::PartnerHook : public runtime::DiscoveryControl {
 public:
  explicit PartnerHook(NetworkServices& services) : s_(services) {}
  void refresh() override {
    if (s_.discovery_) s_.discovery_->refresh();
    s_.update_reach();
  }

 private:
  NetworkServices& s_;
};

NetworkServices::NetworkServices(asio::any_io_executor io, runtime::DaemonState& state,
                                 control::Handler& handler, ServiceOptions options)
    : io_(io), state_(state), handler_(handler), options_(std::move(options)), poll_(io) {}

NetworkServices::~NetworkServices() { handler_.set_network(nullptr); }

void NetworkServices::set_listening(std::string listening) {
  options_.listening = std::move(listening);
  if (sync_) sync_->set_listening(options_.listening);
}

void NetworkServices::update_reach() {
  if (!options_.on_reach_needed) return;
  bool paired = false;
  if (unlocked_ != nullptr) {
    auto partner = unlocked_->devices.find_partner();
    if (!partner) {
      // Unknown: where hearthd listens stays as it is.
      log::warn("cannot read whether this device is paired: ", partner.status().message());
      return;
    }
    paired = partner->has_value();
  }
  const bool inviting = pairing_ != nullptr && pairing_->invite_open();
  options_.on_reach_needed(paired || inviting);
}

void NetworkServices::start(runtime::Unlocked& u) {
  unlocked_ = &u;
  net::SyncOptions sync_options;
  sync_options.listening = options_.listening;
  sync_ = net::SyncService::create(io_, u, state_.updates(), sync_options);
  discovery_ = net::DiscoveryService::create(io_, u, *sync_, options_.discovery);
  partner_hook_ = std::make_unique<PartnerHook>(*this);
  net::PairingOptions pairing_options = options_.pairing;
  pairing_options.on_invite_change = [this](bool) { update_reach(); };
  // Paired by code: sync dials the new partner, beacons start.
  pairing_ = net::PairingService::create(
      io_, u,
      [this, weak_sync = std::weak_ptr<net::SyncService>(sync_)] {
        if (auto s = weak_sync.lock()) s->partner_changed();
        if (partner_hook_) partner_hook_->refresh();
      },
      pairing_options);
  sync_->set_pairing_handler(
      [weak = std::weak_ptr<net::PairingService>(pairing_)](asio::ip::tcp::socket socket) {
        if (auto p = weak.lock()) p->accept(std::move(socket));
      });
  requests_ = std::make_unique<control::NetworkRequests>(u, *sync_, pairing_.get(),
                                                        partner_hook_.get());
  requests_->set_config_file(config::path_in(state_.paths().home));
  requests_->on_setting_changed([this](const std::string& key, const std::string& value) {
    if (on_setting_changed_) on_setting_changed_(key, value);
  });
  handler_.set_network(requests_.get());
  state_.set_network(sync_.get());
  sync_->start();
  discovery_->start();
  update_reach();
}

void NetworkServices::accept(asio::ip::tcp::socket socket) {
  if (sync_) sync_->accept(std::move(socket));
  // else: locked, no service; the socket closes as it goes
}

void NetworkServices::stop(std::function<void()> done) {
  if (pairing_) pairing_->stop();
  if (discovery_) discovery_->stop();
  if (sync_) {
    sync_->stop(std::move(done));
  } else if (done) {
    done();
  }
}

void NetworkServices::tear_down(std::function<void()> finished) {
  handler_.set_network(nullptr);
  requests_.reset();
  state_.set_network(nullptr);
  unlocked_ = nullptr;
  if (options_.on_reach_needed) options_.on_reach_needed(false);
  if (!sync_) {
    finished();
    return;
  }
  old_sync_ = sync_;
  old_pairing_ = pairing_;
  old_discovery_ = discovery_;
  // After the partner heard Bye (or its time to flush passed), end whatever
  // still runs: handshakes, dials, pairing exchanges.
  stop([this, finished = std::move(finished)]() mutable {
    if (auto p = old_pairing_.lock()) p->cancel_pending();
    if (auto d = old_discovery_.lock()) d->cancel_pending();
    if (auto s = old_sync_.lock()) s->cancel_pending();
    pairing_.reset();
    discovery_.reset();
    sync_.reset();
    partner_hook_.reset();
    wait_until_gone(std::move(finished));
  });
}

void NetworkServices::wait_until_gone(std::function<void()> finished) {
  teardown_done_ = std::move(finished);
  teardown_started_ = std::chrono::steady_clock::now();
  slow_said_ = false;
  poll_gone();
}

void NetworkServices::poll_gone() {
  if (old_sync_.expired() && old_pairing_.expired() && old_discovery_.expired()) {
    if (auto done = std::exchange(teardown_done_, nullptr)) done();
    return;
  }
  if (!slow_said_ && std::chrono::steady_clock::now() - teardown_started_ > kSlowTeardown) {
    slow_said_ = true;
    log::warn("locking: a network task is slow to end; the keys are wiped once it has");
  }
  poll_.expires_after(kPollInterval);
  poll_.async_wait([this](const std::error_code& ec) {
    if (!ec) poll_gone();
  });
}

}  // namespace hearth::daemon
