// hearthd: wiring only. Parses arguments, reads HOME/hearth.conf, takes the
// home's lock, serves the control socket, listens for the partner where the
// settings say (net/listen_control.h; --listen overrides them), unlocks (at once when
// the key file has no passphrase), then syncs, pairs by code and sends and
// hears LAN beacons, all on this one thread's io_context until SIGINT or
// SIGTERM; `hearth lock` and the auto-lock tear all of that down again until
// the next unlock. Three helpers run beside it and touch nothing else: the
// store's checkpoints (store/checkpointer.h), for a large received batch the
// opening of half its bodies (sync/batch.cpp), and Argon2id over a
// passphrase (control/passphrase_gate.h).
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
#include "cli/man_extras.h"
#include "config/daemon_config.h"
#include "config/store_mirror.h"
#include "control/auto_lock.h"
#include "control/handler.h"
#include "control/passphrase_gate.h"
#include "control/pause_release.h"
#include "control/server.h"
#include "control/services.h"
#include "crypto/identity.h"
#include "crypto/keyfile.h"
#include "crypto/sodium.h"
#include "net/address.h"
#include "net/discovery.h"
#include "net/listen_control.h"
#include "net/pairing_service.h"
#include "system/systemd.h"
#include "util/files.h"
#include "util/home_lock.h"
#include "util/log.h"
#include "util/process.h"
#include "util/worker_thread.h"

namespace {

constexpr int kExitUsage = 1;
constexpr int kExitNotReady = 2;
constexpr int kExitInternal = 4;

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
  // --- issue 15: settings file, man page, version (cli/cli_doc.h)
  cli.footer(
      "hearthd needs no options: it reads its settings from hearth.conf in Hearth's folder\n"
      "(`hearth config list`). Started by systemd (`systemctl --user enable --now hearthd`), it\n"
      "logs to the journal: `journalctl --user -u hearthd`.");
  cli.set_version_flag("--version", cli::version_text("hearthd"));
  cli::add_doc_options(cli);
  // --- end issue 15
  std::string home_flag, listen, level = "info";
  cli.add_option("--home", home_flag, "Hearth's folder (default: $HEARTH_HOME, else $XDG_DATA_HOME/hearth)");
  cli.add_option("--listen", listen,
                 "accept your partner's connections on HOST:PORT, or `off`; overrides the "
                 "listen-address and listen-port settings");
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
  if (cli::print_doc_if_asked(cli, "hearthd", cli::hearthd_man_extras())) return 0;  // --help-man
  log::Level lvl = log::Level::kInfo;
  log::parse_level(level, lvl);
  log::set_level(lvl);
  log::set_journal_format(system::stderr_is_journal());
  std::optional<net::Address> listen_at;
  if (!listen.empty() && listen != "off") {
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
  // The settings file (config/daemon_config.h): one it cannot read as meant
  // stops hearthd here, naming the line.
  auto settings = config::ConfigFile::load(config::path_in(paths.home));
  if (!settings) {
    std::cerr << "hearthd: " << settings.status().message()
              << ". Fix or remove that line (`hearth config list` shows the settings).\n";
    return kExitUsage;
  }
  config::ListenSetting listen_setting = config::listen_of(*settings);
  if (listen == "off") {
    listen_setting.mode = config::ListenSetting::Mode::kOff;
  } else if (listen_at) {
    listen_setting = {config::ListenSetting::Mode::kFixed, listen_at->host, listen_at->port};
  }
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
  // Held for the daemon's lifetime (util/home_lock.h).
  auto home_lock = HomeLock::try_take(paths.lock());
  if (!home_lock) {
    std::cerr << "hearthd: "
              << (home_lock.status().code() == Code::kRefused
                      ? "another hearthd is already running for " + paths.home
                      : home_lock.status().message())
              << "\n";
    return kExitNotReady;
  }
  // Read again under the lock: `hearth passphrase` may have just re-sealed it.
  info = crypto::read_key_file_info(paths.keys());
  if (!info) {
    std::cerr << "hearthd: " << info.status().message() << "\n";
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
  control::PauseRelease pause_release(io.get_executor(), state);
  state.on_own_pause_change([&pause_release] { pause_release.rearm(); });
  control::ServiceOptions service_options;
  net::DiscoveryOptions& discovery_options = service_options.discovery;
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
  service_options.pairing.invite_ttl = std::chrono::seconds(invite_ttl_s);
  // Where to listen (net/listen_control.h): the port told to the partner
  // and announced is the configured one.
  const uint16_t listen_port =
      listen_setting.mode == config::ListenSetting::Mode::kOff ? 0 : listen_setting.port;
  service_options.pairing.listen_port = listen_port;
  discovery_options.announce_port = listen_port;
  service_options.pairing.announce.targets = discovery_options.targets;
  if (listen_setting.mode == config::ListenSetting::Mode::kFixed)
    service_options.pairing.announce.source = listen_setting.host;
  service_options.pairing.announce.listen_port = discovery_options.receive_port;
  net::ListenControl* listen_control_ptr = nullptr;  // set once it exists, below
  service_options.on_reach_needed = [&listen_control_ptr](bool needed) {
    if (listen_control_ptr) listen_control_ptr->set_needed(needed);
  };
  // Declared after the io_context, so each goes before it: the worker joins
  // (its last result is posted to a loop that no longer runs) before the
  // loop's pending handlers are destroyed.
  WorkerThread passphrase_worker(/*background=*/true);
  control::PassphraseGate passphrase_gate(io.get_executor(), passphrase_worker);
  handler.set_passphrase_gate(&passphrase_gate);
  control::AutoLock auto_lock(io.get_executor(), state);
  handler.on_request([&auto_lock] { auto_lock.touch(); });
  control::NetworkServices services(io.get_executor(), state, handler, service_options);
  services.on_setting_changed([&](const std::string& key, const std::string& value) {
    if (key == control::kAutoLockSetting) {
      auto limit = control::parse_auto_lock(value);
      auto_lock.set_limit(limit ? *limit : std::nullopt);
    }
    if (key == config::kListenAddress || key == config::kListenPort)
      log::info("setting ", key, " changed: hearthd listens there once it starts again");
  });
  if (Status st = server.start(); !st.is_ok()) {
    std::cerr << "hearthd: " << st.message() << "\n";
    return kExitInternal;
  }
  // While locked there is no service: connections are closed at once.
  net::ListenControl listen_control(io, listen_setting, [&services](asio::ip::tcp::socket socket) {
    services.accept(std::move(socket));
  });
  listen_control.on_change([&services](const std::string& where) { services.set_listening(where); });
  if (Status st = listen_control.start(); !st.is_ok() && listen_at) {
    std::cerr << "hearthd: " << st.message() << "\n";
    return kExitInternal;
  }
  services.set_listening(listen_control.listening());
  listen_control_ptr = &listen_control;
  state.on_unlocked([&](app::Unlocked& u) {
    u.record("info", "hearthd unlocked and ready");
    // The settings file wins over the store's copies (config/store_mirror.h).
    if (Status st = config::reconcile_with_store(config::path_in(paths.home), u.store->db());
        !st.is_ok())
      log::warn("settings: ", st.message());
    system::notify_status("unlocked");
    services.start(u);
    auto_lock.set_limit(control::auto_lock_of(u));
    pause_release.rearm();
  });
  state.on_locking([&](std::function<void()> finished) {
    system::notify_status("locked: waiting for `hearth unlock`");
    auto_lock.set_limit(std::nullopt);
    services.tear_down(std::move(finished));
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
  // The control socket answers and the listener is bound: ready.
  system::notify_ready(state.unlocked() ? "unlocked" : "locked: waiting for `hearth unlock`");

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const asio::error_code&, int) {
    log::info("stopping");
    system::notify_stopping();
    server.stop();
    listen_control_ptr = nullptr;
    listen_control.stop();
    // The partner hears Bye{shuttingDown} before the loop stops.
    services.stop([&io] { io.stop(); });
  });
  io.run();
  // `watch` subscribers hold response sinks with timers of the io_context;
  // a client gone quiet is dropped only at the next update, so some may
  // still be here. They go before the io_context does.
  state.updates().clear();
  return 0;
}
