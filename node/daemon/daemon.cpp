#include "daemon/daemon.h"

#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>
#include <csignal>
#include <functional>
#include <utility>

#include "config/daemon_config.h"
#include "config/store_mirror.h"
#include "control/auto_lock.h"
#include "control/handler.h"
#include "control/passphrase_gate.h"
#include "control/pause_release.h"
#include "control/server.h"
#include "crypto/identity.h"
#include "crypto/keyfile.h"
#include "daemon/network_services.h"
#include "net/address.h"
#include "net/discovery.h"
#include "net/listen_control.h"
#include "runtime/daemon_state.h"
#include "store/journal.h"
#include "system/systemd.h"
#include "util/home_lock.h"
#include "util/log.h"
#include "util/worker_thread.h"

namespace hearth::daemon {
namespace {

// The UDP endpoints of --beacon-to values (names resolved now, IPv4 only).
Result<std::vector<asio::ip::udp::endpoint>> beacon_targets(asio::io_context& io,
                                                           const std::vector<std::string>& texts) {
  using asio::ip::udp;
  std::vector<udp::endpoint> out;
  for (const std::string& text : texts) {
    auto address = net::parse_address(text);
    if (!address) return address.status();
    udp::resolver resolver(io);
    asio::error_code ec;
    auto results = resolver.resolve(udp::v4(), address->host, std::to_string(address->port),
                                    udp::resolver::numeric_service, ec);
    if (ec || results.empty())
      return Status::invalid("cannot find " + address->host + ": " + ec.message());
    out.push_back(results.begin()->endpoint());
  }
  return out;
}

Daemon::Opened failed(Exit exit, std::string error) { return {nullptr, exit, std::move(error)}; }

}  // namespace

// Declaration order is destruction order, reversed: the home's lock goes
// last; the state outlives the io_context (coroutines still pending when it
// goes refer to the state); whatever holds sockets or timers is declared
// after the io_context, so that it goes first; the worker joins (its last
// result is posted to a loop that no longer runs) before the loop's pending
// handlers are destroyed.
struct Daemon::Parts {
  Parts(HomeLock lock, const Options& options, const crypto::KeyFileInfo& info)
      : home_lock(std::move(lock)),
        state(options.paths, info.public_key, info.sealed, store::system_clock_ms),
        handler(state),
        server(io, options.paths.control_socket(), handler),
        pause_release(io.get_executor(), state),
        passphrase_worker(/*background=*/true),
        passphrase_gate(io.get_executor(), passphrase_worker),
        auto_lock(io.get_executor(), state),
        signals(io) {}

  HomeLock home_lock;
  runtime::DaemonState state;
  control::Handler handler;
  asio::io_context io;
  control::ControlServer server;
  control::PauseRelease pause_release;
  WorkerThread passphrase_worker;
  control::PassphraseGate passphrase_gate;
  control::AutoLock auto_lock;
  std::unique_ptr<NetworkServices> services;
  std::unique_ptr<net::ListenControl> listen_control;
  asio::signal_set signals;
  bool stopping = false;

  // Closes the control socket and the listener; the partner hears
  // Bye{shuttingDown}; then the loop ends.
  void shut_down() {
    if (stopping) return;
    stopping = true;
    log::info("stopping");
    system::notify_stopping();
    asio::error_code ignored;
    signals.cancel(ignored);
    server.stop();
    if (listen_control) listen_control->stop();
    services->stop([this] { io.stop(); });
  }
};

Daemon::Opened Daemon::open(Options options) {
  const HomePaths& paths = options.paths;
  std::optional<net::Address> listen_at;
  if (!options.listen.empty() && options.listen != "off") {
    auto parsed = net::parse_address(options.listen);
    if (!parsed) return failed(Exit::kUsage, "--listen: " + parsed.status().message());
    listen_at = *parsed;
  }
  // The settings file (config/daemon_config.h): one hearthd cannot read as
  // meant stops it here, naming the line.
  auto settings = config::ConfigFile::load(config::path_in(paths.home));
  if (!settings) {
    return failed(Exit::kUsage, settings.status().message() +
                                    ". Fix or remove that line (`hearth config list` shows the "
                                    "settings).");
  }
  config::ListenSetting listen_setting = config::listen_of(*settings);
  if (options.listen == "off") {
    listen_setting.mode = config::ListenSetting::Mode::kOff;
  } else if (listen_at) {
    listen_setting = {config::ListenSetting::Mode::kFixed, listen_at->host, listen_at->port};
  }
  auto info = crypto::read_key_file_info(paths.keys());
  if (!info) {
    if (info.status().code() == Code::kNotFound) {
      return failed(Exit::kNotReady,
                    "Hearth is not set up in " + paths.home + " yet. Run `hearth init` first.");
    }
    return failed(Exit::kNotReady, info.status().message());
  }
  // Held for the daemon's lifetime (util/home_lock.h).
  auto home_lock = HomeLock::try_take(paths.lock());
  if (!home_lock) {
    return failed(Exit::kNotReady, home_lock.status().code() == Code::kRefused
                                       ? "another hearthd is already running for " + paths.home
                                       : home_lock.status().message());
  }
  // Read again under the lock: `hearth passphrase` may have just re-sealed it.
  info = crypto::read_key_file_info(paths.keys());
  if (!info) return failed(Exit::kNotReady, info.status().message());

  auto parts = std::make_unique<Parts>(std::move(home_lock).value(), options, *info);
  Parts& p = *parts;
  p.state.on_own_pause_change([&p] { p.pause_release.rearm(); });

  ServiceOptions service_options;
  net::DiscoveryOptions& discovery = service_options.discovery;
  if (options.discovery_port == 0) {
    discovery.receive_port.reset();
  } else {
    discovery.receive_port = options.discovery_port;
  }
  auto targets = beacon_targets(p.io, options.beacon_to.empty()
                                          ? std::vector<std::string>{"255.255.255.255:7420"}
                                          : options.beacon_to);
  if (!targets) return failed(Exit::kUsage, "--beacon-to: " + targets.status().message());
  discovery.targets = std::move(targets).value();
  service_options.pairing.invite_ttl = options.invite_ttl;
  // Where to listen (net/listen_control.h): the port told to the partner
  // and announced is the configured one.
  const uint16_t listen_port =
      listen_setting.mode == config::ListenSetting::Mode::kOff ? 0 : listen_setting.port;
  service_options.pairing.listen_port = listen_port;
  discovery.announce_port = listen_port;
  service_options.pairing.announce.targets = discovery.targets;
  if (listen_setting.mode == config::ListenSetting::Mode::kFixed)
    service_options.pairing.announce.source = listen_setting.host;
  service_options.pairing.announce.listen_port = discovery.receive_port;
  service_options.on_reach_needed = [&p](bool needed) {
    if (p.listen_control) p.listen_control->set_needed(needed);
  };

  p.handler.set_passphrase_gate(&p.passphrase_gate);
  p.handler.on_request([&p] { p.auto_lock.touch(); });
  p.services = std::make_unique<NetworkServices>(p.io.get_executor(), p.state, p.handler,
                                                 std::move(service_options));
  p.services->on_setting_changed([&p](const std::string& key, const std::string& value) {
    if (key == control::kAutoLockSetting) {
      auto limit = control::parse_auto_lock(value);
      p.auto_lock.set_limit(limit ? *limit : std::nullopt);
    }
    if (key == config::kListenAddress || key == config::kListenPort)
      log::info("setting ", key, " changed: hearthd listens there once it starts again");
  });
  if (Status st = p.server.start(); !st.is_ok()) return failed(Exit::kInternal, st.message());
  // While locked there is no service: connections are closed at once.
  p.listen_control = std::make_unique<net::ListenControl>(
      p.io, listen_setting,
      [&p](asio::ip::tcp::socket socket) { p.services->accept(std::move(socket)); });
  p.listen_control->on_change([&p](const std::string& where) { p.services->set_listening(where); });
  // Only an address given with --listen must be bound to go on (as before
  // there were settings); the settings' failures are logged and shown by
  // `hearth status`.
  if (Status st = p.listen_control->start(); !st.is_ok() && listen_at)
    return failed(Exit::kInternal, st.message());
  p.services->set_listening(p.listen_control->listening());
  const std::string home = paths.home;
  p.state.on_unlocked([&p, home](runtime::Unlocked& u) {
    u.record("info", "hearthd unlocked and ready");
    // The settings file wins over the store's copies (config/store_mirror.h).
    if (Status st = config::reconcile_with_store(config::path_in(home), u.store->config());
        !st.is_ok())
      log::warn("settings: ", st.message());
    system::notify_status("unlocked");
    p.services->start(u);
    p.auto_lock.set_limit(control::auto_lock_of(u));
    p.pause_release.rearm();
  });
  p.state.on_locking([&p](std::function<void()> finished) {
    system::notify_status("locked: waiting for `hearth unlock`");
    p.auto_lock.set_limit(std::nullopt);
    p.services->tear_down(std::move(finished));
  });

  log::info("hearthd for device ", crypto::format_device_id(info->public_key), " in ", paths.home);
  if (!info->sealed) {
    if (Status st = p.state.unlock(nullptr); !st.is_ok())
      return failed(Exit::kInternal, "cannot open the store: " + st.to_string());
  } else {
    log::info("locked: waiting for `hearth unlock`");
  }
  // The control socket answers and the listener is bound: ready.
  system::notify_ready(p.state.unlocked() ? "unlocked" : "locked: waiting for `hearth unlock`");
  if (options.handle_signals) {
    p.signals.add(SIGINT);
    p.signals.add(SIGTERM);
    p.signals.async_wait([&p](const asio::error_code& ec, int) {
      if (!ec) p.shut_down();
    });
  }
  return {std::unique_ptr<Daemon>(new Daemon(std::move(parts))), Exit::kOk, {}};
}

Daemon::Daemon(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Daemon::~Daemon() {
  // `watch` subscribers hold response sinks with timers of the io_context;
  // a client gone quiet is dropped only at the next update, so some may
  // still be here. They go before the io_context does.
  if (parts_) parts_->state.updates().clear();
}

void Daemon::run() {
  parts_->io.run();
  parts_->state.updates().clear();
}

void Daemon::stop() {
  Parts* p = parts_.get();
  asio::post(p->io, [p] { p->shut_down(); });
}

}  // namespace hearth::daemon
