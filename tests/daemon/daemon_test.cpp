// daemon::Daemon, what main() wires, in process: a real home, the control
// socket, run() on a thread of its own and stop() from another.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "client/control_client.h"
#include "client/control_codec.h"
#include "client/reply.h"
#include "crypto/identity.h"
#include "daemon/daemon.h"
#include "store/home.h"
#include "../test_util.h"

using namespace hearth;

namespace {

daemon::Options options_for(const std::string& home) {
  daemon::Options o;
  o.paths = HomePaths{home};
  o.discovery_port = 0;                    // hear no beacons
  o.beacon_to = {"127.0.0.1:9"};           // and send none to the network
  o.listen = "off";                        // and take no port, whatever the settings say
  o.handle_signals = false;
  return o;
}

// Waits for the control socket the daemon binds.
bool wait_for_socket(const std::string& path) {
  for (int i = 0; i < 200; ++i) {
    if (std::filesystem::exists(path)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

TEST_CASE("a daemon opened on a home answers status on its socket until stopped") {
  test::TempDir dir;
  const std::string home = dir.path() + "/home";
  auto key = store::init_home(HomePaths{home}, store::InitOptions{"Sam", nullptr});
  REQUIRE(key.is_ok());

  auto opened = daemon::Daemon::open(options_for(home));
  REQUIRE_MESSAGE(opened.daemon != nullptr, opened.error);
  std::thread io([&] { opened.daemon->run(); });
  REQUIRE(wait_for_socket(HomePaths{home}.control_socket()));

  client::ControlClient client(HomePaths{home}.control_socket(), home);
  auto reply = client.call(client::request::status(), client::Wait::kNormal);
  REQUIRE(reply.is_ok());
  const auto* status = std::get_if<client::StatusInfo>(&*reply);
  REQUIRE(status != nullptr);
  CHECK(status->device_id == crypto::format_device_id(*key));
  CHECK(status->name == "Sam");
  CHECK_FALSE(status->locked);

  opened.daemon->stop();
  io.join();  // run() returned: the loop ended
  opened.daemon.reset();
  CHECK_FALSE(std::filesystem::exists(HomePaths{home}.control_socket()));
}

TEST_CASE("a second daemon on the same home is refused as not ready") {
  test::TempDir dir;
  const std::string home = dir.path() + "/home";
  REQUIRE(store::init_home(HomePaths{home}, store::InitOptions{"", nullptr}).is_ok());
  auto first = daemon::Daemon::open(options_for(home));
  REQUIRE(first.daemon != nullptr);
  auto second = daemon::Daemon::open(options_for(home));
  CHECK(second.daemon == nullptr);
  CHECK(second.exit == daemon::Exit::kNotReady);
  CHECK(second.error.find("already running") != std::string::npos);
}

TEST_CASE("a daemon on a home that was never set up says to run hearth init") {
  test::TempDir dir;
  auto opened = daemon::Daemon::open(options_for(dir.path() + "/nothing-here"));
  CHECK(opened.daemon == nullptr);
  CHECK(opened.exit == daemon::Exit::kNotReady);
  CHECK(opened.error.find("hearth init") != std::string::npos);
}

TEST_CASE("a daemon refuses a listen address it cannot read as a usage error") {
  test::TempDir dir;
  const std::string home = dir.path() + "/home";
  REQUIRE(store::init_home(HomePaths{home}, store::InitOptions{"", nullptr}).is_ok());
  auto o = options_for(home);
  o.listen = "not an address:99999";
  auto opened = daemon::Daemon::open(o);
  CHECK(opened.daemon == nullptr);
  CHECK(opened.exit == daemon::Exit::kUsage);
  CHECK(opened.error.rfind("--listen: ", 0) == 0);
}
