// The settings file HOME/hearth.conf (config/daemon_config.h) and where
// hearthd listens by it (net/listen_control.h).
#include "config/daemon_config.h"

#include <doctest/doctest.h>

#include "net/invite_announce.h"
#include "net/listen_control.h"

using namespace hearth;
using config::ConfigFile;

TEST_CASE("an empty settings file gives the documented defaults") {
  auto file = ConfigFile::parse("");
  REQUIRE(file.is_ok());
  CHECK(file->value(config::kListenAddress) == "auto");
  CHECK(file->value(config::kListenPort) == "7420");
  CHECK(file->value(config::kDiscovery) == "on");
  CHECK(file->value(config::kAutoLock) == "off");
  CHECK(file->value(config::kUnlockWithLogin) == "off");
  const config::ListenSetting listen = config::listen_of(*file);
  CHECK(listen.mode == config::ListenSetting::Mode::kAuto);
  CHECK(listen.port == 7420);
}

TEST_CASE("settings are read with comments, spaces and keys of a newer version kept") {
  auto file = ConfigFile::parse(
      "# mine\n\n  listen-port =  7500 \nDiscovery = OFF\nsome-future-key = 12\n"
      "quiet-hours = 22:00-8:00\n");
  REQUIRE(file.is_ok());
  CHECK(file->value(config::kListenPort) == "7500");
  CHECK(file->value(config::kDiscovery) == "off");
  CHECK(file->value(config::kQuietHours) == "22:00-08:00");
  CHECK(file->get("some-future-key") == std::optional<std::string>("12"));
  REQUIRE(file->set(config::kListenPort, "7421").is_ok());
  const std::string text = file->text();
  CHECK(text.find("# mine\n") == 0);
  CHECK(text.find("listen-port = 7421\n") != std::string::npos);
  CHECK(text.find("some-future-key = 12\n") != std::string::npos);
  CHECK(text.find("7500") == std::string::npos);
}

TEST_CASE("a settings file that cannot be trusted names the line") {
  auto twice = ConfigFile::parse("listen-port = 1\nlisten-port = 2\n");
  REQUIRE(!twice.is_ok());
  CHECK(twice.status().message().find("line 2") != std::string::npos);
  auto no_eq = ConfigFile::parse("# fine\nlisten-port 7420\n");
  REQUIRE(!no_eq.is_ok());
  CHECK(no_eq.status().message().find("line 2") != std::string::npos);
  CHECK(!ConfigFile::parse("listen-port = 0\n").is_ok());
  CHECK(!ConfigFile::parse("listen-port = 65536\n").is_ok());
  CHECK(!ConfigFile::parse("listen-port = 99999999999999999999999\n").is_ok());
  CHECK(!ConfigFile::parse("listen-address = example.org\n").is_ok());
  CHECK(!ConfigFile::parse("discovery = maybe\n").is_ok());
  CHECK(!ConfigFile::parse(std::string("discovery = on\x01\n")).is_ok());
  CHECK(!ConfigFile::parse(std::string(config::kMaxFileBytes + 1, '#')).is_ok());
  std::string many;
  for (size_t i = 0; i <= config::kMaxLines; ++i) many += "#\n";
  CHECK(!ConfigFile::parse(many).is_ok());
}

TEST_CASE("setting a value the key does not take changes nothing") {
  ConfigFile file;
  CHECK(!file.set(config::kListenAddress, "my-laptop").is_ok());
  CHECK(!file.set("stop-word", "enough").is_ok());  // kept in the store, not the file
  CHECK(file.text().empty());
  auto written = file.set(config::kListenAddress, "[::1]");
  REQUIRE(written.is_ok());
  CHECK(*written == "::1");
  CHECK(config::listen_of(file).mode == config::ListenSetting::Mode::kFixed);
  CHECK(config::listen_of(file).host == "::1");
}

TEST_CASE("auto listens on this computer only until the partner needs to reach it") {
  config::ListenSetting automatic;
  automatic.port = 7420;
  CHECK(net::listen_address_for(automatic, false)->text() == "127.0.0.1:7420");
  CHECK(net::listen_address_for(automatic, true)->text() == "0.0.0.0:7420");
  config::ListenSetting off{config::ListenSetting::Mode::kOff, "", 7420};
  CHECK(!net::listen_address_for(off, true).has_value());
  config::ListenSetting fixed{config::ListenSetting::Mode::kFixed, "192.168.1.20", 7500};
  CHECK(net::listen_address_for(fixed, false)->text() == "192.168.1.20:7500");
  CHECK(net::listen_address_for(fixed, true)->text() == "192.168.1.20:7500");
}

TEST_CASE("an invite announcement is the same 17 bytes for every invite on a port") {
  const Bytes a = net::make_invite_announcement(7420);
  CHECK(a.size() == 17);
  CHECK(std::string(a.begin(), a.begin() + 15) == "HEARTH-INVITE/1");
  CHECK(a[15] == 0x1c);
  CHECK(a[16] == 0xfc);
  CHECK(net::read_invite_announcement(a) == std::optional<uint16_t>(7420));
  Bytes longer = a;
  longer.push_back(0);
  CHECK(!net::read_invite_announcement(longer).has_value());
  CHECK(!net::read_invite_announcement(ByteView(a).first(16)).has_value());
  CHECK(!net::read_invite_announcement(net::make_invite_announcement(0)).has_value());
  Bytes other = a;
  other[0] = 'h';
  CHECK(!net::read_invite_announcement(other).has_value());
}
