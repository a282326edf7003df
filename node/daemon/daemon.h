// hearthd as an object: what main() used to wire by hand. Opening reads the
// settings file (HOME/hearth.conf, config/daemon_config.h), takes the home's
// lock, reads the key file, binds the control socket and the listener where
// the settings or `listen` say (net/listen_control.h), and unlocks at once
// when the key file has no passphrase; run() then serves everything on this one thread's io_context
// until stop(), SIGINT or SIGTERM. At each unlock the network services start
// (daemon/network_services.h); at each lock they are torn down. Under
// systemd it says when it is ready, locked or unlocked, and stopping
// (system/systemd.h).
//
// Declaration order inside (daemon.cpp) is destruction order: the state
// outlives the io_context, and whatever holds sockets or timers goes before
// it. Three helpers run beside the io thread and touch nothing else: the
// store's checkpoints (store/checkpointer.h), for a large received batch the
// opening of half its bodies (sync/batch.cpp), and Argon2id over a
// passphrase (control/passphrase_gate.h).
//
// No Asio in this header: main.cpp and the tests include it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "util/files.h"
#include "util/status.h"

namespace hearth::daemon {

struct Options {
  HomePaths paths;
  // HOST:PORT to accept the partner's connections on, as typed, or "off";
  // empty: where the listen-address and listen-port settings say.
  std::string listen;
  // The UDP port LAN beacons are heard on; 0: none are heard.
  uint16_t discovery_port = 7420;
  // HOST:PORT targets of LAN beacons (names resolved at open, IPv4 only);
  // empty: 255.255.255.255:7420, the local network.
  std::vector<std::string> beacon_to;
  // How long a `hearth pair invite` code stays valid, at most 10 minutes.
  std::chrono::seconds invite_ttl{600};
  // SIGINT and SIGTERM stop run() (hearthd); tests stop it with stop().
  bool handle_signals = true;
};

// hearthd's exit codes (its unit file names 1 and 2: starting again would
// not help).
enum class Exit : int { kOk = 0, kUsage = 1, kNotReady = 2, kInternal = 4 };

class Daemon {
 public:
  struct Opened;
  // A running daemon, or why not and with which exit code, in words for
  // stderr.
  static Opened open(Options options);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Serves until stop() or a signal; the partner hears Bye{shuttingDown}
  // before it returns. Call once, on the thread that will be the io thread.
  void run();
  // Asks run() to end as a signal does. Thread-safe.
  void stop();

 private:
  struct Parts;  // daemon.cpp
  explicit Daemon(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

struct Daemon::Opened {
  std::unique_ptr<Daemon> daemon;  // null on failure
  Exit exit = Exit::kOk;
  std::string error;  // "hearthd: " is not included
};

}  // namespace hearth::daemon
