// hearthd: arguments in, a daemon::Daemon out (daemon/daemon.h), which
// reads HOME/hearth.conf, serves the control socket, listens for the partner
// where the settings say (net/listen_control.h; --listen overrides them),
// unlocks (at once when the key file has no passphrase), syncs, pairs by
// code and sends and hears LAN beacons until SIGINT or SIGTERM.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "cli/man_extras.h"
#include "crypto/sodium.h"
#include "daemon/daemon.h"
#include "system/systemd.h"
#include "util/files.h"
#include "util/log.h"
#include "util/process.h"

int main(int argc, char** argv) {
  using namespace hearth;
  using daemon::Exit;
  // Every file hearthd creates under the home (the store and its -wal and
  // -shm, the lock) is for this user alone, whatever umask we were started
  // with; the store and key file also ask for 0600 themselves.
  ::umask(077);
  // Keys, the passphrase and words in memory never reach a core file.
  if (Status st = keep_out_of_core_dumps(); !st.is_ok()) {
    std::cerr << "hearthd: " << st.message() << "\n";
    return static_cast<int>(Exit::kInternal);
  }
  crypto::sodium_ready();
  std::signal(SIGPIPE, SIG_IGN);

  CLI::App cli{"hearthd: keeps Hearth's journal on this computer and syncs it with your partner's."};
  // Settings file, man page, version (cli/cli_doc.h).
  cli.footer(
      "hearthd needs no options: it reads its settings from hearth.conf in Hearth's folder\n"
      "(`hearth config list`). Started by systemd (`systemctl --user enable --now hearthd`), it\n"
      "logs to the journal: `journalctl --user -u hearthd`.");
  cli.set_version_flag("--version", cli::version_text("hearthd"));
  cli::add_doc_options(cli);
  daemon::Options options;
  std::string home_flag, level = "info";
  int discovery_port = options.discovery_port;
  int invite_ttl_s = static_cast<int>(options.invite_ttl.count());
  cli.add_option("--home", home_flag, "Hearth's folder (default: $HEARTH_HOME, else $XDG_DATA_HOME/hearth)");
  cli.add_option("--listen", options.listen,
                 "accept your partner's connections on HOST:PORT, or `off`; overrides the "
                 "listen-address and listen-port settings");
  cli.add_option("--log-level", level, "debug, info, warn or error")->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  cli.add_option("--discovery-port", discovery_port,
                 "hear your partner's LAN beacons on this UDP port (default 7420; 0: hear none)")
      ->check(CLI::Range(0, 65535));
  cli.add_option("--beacon-to", options.beacon_to,
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
    return rc == 0 ? 0 : static_cast<int>(Exit::kUsage);
  }
  if (cli::print_doc_if_asked(cli, "hearthd", cli::hearthd_man_extras())) return 0;  // --help-man
  log::Level lvl = log::Level::kInfo;
  log::parse_level(level, lvl);
  log::set_level(lvl);
  log::set_journal_format(system::stderr_is_journal());
  options.discovery_port = static_cast<uint16_t>(discovery_port);
  options.invite_ttl = std::chrono::seconds(invite_ttl_s);
  auto home = resolve_home(home_flag);
  if (!home) {
    std::cerr << "hearthd: " << home.status().message() << "\n";
    return static_cast<int>(Exit::kUsage);
  }
  options.paths = HomePaths{*home};

  auto opened = daemon::Daemon::open(std::move(options));
  if (!opened.daemon) {
    std::cerr << "hearthd: " << opened.error << "\n";
    return static_cast<int>(opened.exit);
  }
  opened.daemon->run();
  return 0;
}
