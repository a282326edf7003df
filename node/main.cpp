// hearthd: wiring only. Parses arguments, takes the home's lock, serves the
// control socket, listens for the partner (--listen), unlocks (at once when
// the key file has no passphrase), then syncs, pairs by code and sends and
// hears LAN beacons, all on this one thread's io_context until SIGINT or
// SIGTERM. Two helpers run beside it and touch nothing else: the store's
// checkpoints (store/checkpointer.h) and, for a large received batch, the
// opening of half its bodies (sync/batch.cpp).
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/daemon_state.h"
#include "control/handler.h"
#include "control/network_requests.h"
#include "control/server.h"
#include "crypto/identity.h"
#include "crypto/keyfile.h"
#include "crypto/sodium.h"
#include "net/address.h"
#include "net/discovery.h"
#include "net/listener.h"
#include "net/pairing_service.h"
#include "net/sync_service.h"
#include "util/files.h"
#include "util/log.h"
#include "util/process.h"

namespace {

constexpr int kExitUsage = 1;
constexpr int kExitNotReady = 2;
constexpr int kExitInternal = 4;

// Holds an exclusive lock on the home for the daemon's lifetime.
int take_lock(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return -2;
  }
  return fd;
}

// The UDP endpoints of --beacon-to values (names resolved now, IPv4 only).
hearth::Result<std::vector<asio::ip::udp::endpoint>> beacon_targets(
    asio::io_context& io, const std::vector<std::string>& texts) {
  using asio::ip::udp;
  std::vector<udp::endpoint> out;
  for (const std::string& text : texts) {
    auto address = hearth::net::parse_address(text);
    if (!address) return address.status();
    udp::resolver resolver(io);
    asio::error_code ec;
    auto results = resolver.resolve(udp::v4(), address->host, std::to_string(address->port),
                                    udp::resolver::numeric_service, ec);
    if (ec || results.empty())
      return hearth::Status::invalid("cannot find " + address->host + ": " + ec.message());
    out.push_back(results.begin()->endpoint());
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace hearth;
  // Every file hearthd creates under the home (the store and its -wal and
  // -shm, the lock) is for this user alone, whatever umask we were started
  // with; the store and key file also ask for 0600 themselves.
  ::umask(077);
  // Keys, the passphrase and words in memory never reach a core file.
  if (Status st = keep_out_of_core_dumps(); !st.is_ok()) {
    std::cerr << "hearthd: " << st.message() << "\n";
    return kExitInternal;
  }
  crypto::sodium_ready();
  std::signal(SIGPIPE, SIG_IGN);

  CLI::App cli{"hearthd: keeps Hearth's journal on this computer and syncs it with your partner's."};
  std::string home_flag, listen, level = "info";
  cli.add_option("--home", home_flag, "Hearth's folder (default: $HEARTH_HOME, else $XDG_DATA_HOME/hearth)");
  cli.add_option("--listen", listen, "accept your partner's connections on HOST:PORT (e.g. 0.0.0.0:7420)");
  cli.add_option("--log-level", level, "debug, info, warn or error")->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  int discovery_port = net::kDefaultDiscoveryPort;
  std::vector<std::string> beacon_to;
  int invite_ttl_s = 600;
  cli.add_option("--discovery-port", discovery_port,
                 "hear your partner's LAN beacons on this UDP port (default 7420; 0: hear none)")
      ->check(CLI::Range(0, 65535));
  cli.add_option("--beacon-to", beacon_to,
                 "send LAN beacons to HOST:PORT; repeat for several (default "
                 "255.255.255.255:7420, the local network)");
  // Shorter only: the 10 minutes are part of what makes a 33-bit code safe.
  cli.add_option("--invite-ttl", invite_ttl_s,
                 "seconds a `hearth pair invite` code stays valid, at most the default 600")
      ->check(CLI::Range(1, 600));
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = cli.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }
  log::Level lvl = log::Level::kInfo;
  log::parse_level(level, lvl);
  log::set_level(lvl);
  std::optional<net::Address> listen_at;
  if (!listen.empty()) {
    auto parsed = net::parse_address(listen);
    if (!parsed) {
      std::cerr << "hearthd: --listen: " << parsed.status().message() << "\n";
      return kExitUsage;
    }
    listen_at = *parsed;
  }

  auto home = resolve_home(home_flag);
  if (!home) {
    std::cerr << "hearthd: " << home.status().message() << "\n";
    return kExitUsage;
  }
  HomePaths paths{*home};
  auto info = crypto::read_key_file_info(paths.keys());
  if (!info) {
    if (info.status().code() == Code::kNotFound) {
      std::cerr << "hearthd: Hearth is not set up in " << paths.home
                << " yet. Run `hearth init` first.\n";
    } else {
      std::cerr << "hearthd: " << info.status().message() << "\n";
    }
    return kExitNotReady;
  }
  int lock_fd = take_lock(paths.lock());
  if (lock_fd < 0) {
    std::cerr << "hearthd: " << (lock_fd == -2 ? "another hearthd is already running for "
                                                : "cannot lock ")
              << paths.home << "\n";
    return kExitNotReady;
  }

  // Declaration order is destruction order, reversed: the state outlives the
  // io_context (coroutines still pending when it goes refer to the state),
  // and whatever holds sockets or timers is declared after the io_context so
  // that it goes first.
  app::DaemonState state(paths, info->public_key, info->sealed, store::system_clock_ms);
  control::Handler handler(state);
  asio::io_context io;
  control::ControlServer server(io, paths.control_socket(), handler);
  std::shared_ptr<net::SyncService> sync;
  std::shared_ptr<net::PairingService> pairing;
  std::shared_ptr<net::DiscoveryService> discovery;
  std::unique_ptr<control::NetworkRequestHandler> network_requests;
  net::DiscoveryOptions discovery_options;
  if (discovery_port == 0) {
    discovery_options.receive_port.reset();
  } else {
    discovery_options.receive_port = static_cast<uint16_t>(discovery_port);
  }
  auto targets = beacon_targets(
      io, beacon_to.empty() ? std::vector<std::string>{"255.255.255.255:7420"} : beacon_to);
  if (!targets) {
    std::cerr << "hearthd: --beacon-to: " << targets.status().message() << "\n";
    return kExitUsage;
  }
  discovery_options.targets = std::move(targets).value();
  net::PairingOptions pairing_options;
  pairing_options.invite_ttl = std::chrono::seconds(invite_ttl_s);
  if (listen_at) {
    pairing_options.listen_port = listen_at->port;
    discovery_options.announce_port = listen_at->port;
  }
  if (Status st = server.start(); !st.is_ok()) {
    std::cerr << "hearthd: " << st.message() << "\n";
    return kExitInternal;
  }
  std::unique_ptr<net::Listener> listener;
  if (listen_at) {
    // Until unlocked there is no service: connections are closed at once.
    auto started = net::Listener::start(io, *listen_at, [&sync](asio::ip::tcp::socket socket) {
      if (sync) sync->accept(std::move(socket));
    });
    if (!started) {
      std::cerr << "hearthd: " << started.status().message() << "\n";
      return kExitInternal;
    }
    listener = std::move(started).value();
    log::info("listening on ", listen_at->text());
  }
  state.on_unlocked([&](app::Unlocked& u) {
    u.record("info", "hearthd unlocked and ready");
    net::SyncOptions options;
    if (listen_at) options.listening = listen_at->text();
    sync = net::SyncService::create(io.get_executor(), u, state.updates(), options);
    discovery = net::DiscoveryService::create(io.get_executor(), u, *sync, discovery_options);
    // Paired by code: sync dials the new partner, beacons start.
    pairing = net::PairingService::create(
        io.get_executor(), u,
        [&sync, &discovery] {
          sync->partner_changed();
          discovery->refresh();
        },
        pairing_options);
    sync->set_pairing_handler(
        [weak = std::weak_ptr<net::PairingService>(pairing)](asio::ip::tcp::socket socket) {
          if (auto p = weak.lock()) p->accept(std::move(socket));
        });
    network_requests =
        std::make_unique<control::NetworkRequestHandler>(u, *sync, pairing.get(), discovery.get());
    handler.set_network(network_requests.get());
    state.set_network(sync.get());
    sync->start();
    discovery->start();
  });

  log::info("hearthd for device ", crypto::format_device_id(info->public_key), " in ", paths.home);
  if (!info->sealed) {
    if (Status st = state.unlock(nullptr); !st.is_ok()) {
      std::cerr << "hearthd: cannot open the store: " << st.to_string() << "\n";
      return kExitInternal;
    }
  } else {
    log::info("locked: waiting for `hearth unlock`");
  }

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const asio::error_code&, int) {
    log::info("stopping");
    server.stop();
    if (listener) listener->stop();
    if (pairing) pairing->stop();
    if (discovery) discovery->stop();
    // The partner hears Bye{shuttingDown} before the loop stops.
    auto halt = [&io] { io.stop(); };
    if (sync) {
      sync->stop(halt);
    } else {
      halt();
    }
  });
  io.run();
  // `watch` subscribers hold response sinks with timers of the io_context;
  // a client gone quiet is dropped only at the next update, so some may
  // still be here. They go before the io_context does.
  state.updates().clear();
  ::close(lock_fd);
  return 0;
}
